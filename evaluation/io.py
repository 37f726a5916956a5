"""Read and write qrels, runs, ratings and id mappings (STYLE.md rule 10).

Formats
-------
qrels, TREC
    ``query_id 0 doc_id relevance`` (whitespace separated; ``relevance`` a graded
    integer >= 0; the second column is ignored, as trec_eval does).
run, TREC
    ``query_id Q0 doc_id rank score tag`` (``score`` decides the order; ``rank`` must
    be an integer but is not used for ordering, as in trec_eval).
JSON
    ``{"query_id": {"doc_id": value}}`` for either; chosen when the file name ends in
    ``.json``.
ratings
    ``profile_id challenge_id rating`` with ``rating`` an integer from 1 to 5.
mapping
    ``id value`` (two columns), e.g. languages, countries or groups.

Blank lines and lines starting with ``#`` are skipped in every text format.  Every
problem raises :class:`~matcher.exceptions.ValidationError` whose location names the
file, the 1-based line and the field.

Every run written by :func:`write_run` gets a sidecar ``<run file>.json`` (for
``run.trec``: ``run.trec.json``) recording the model, method and settings that
produced it; :func:`read_run_metadata` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from matcher.exceptions import InvalidInputError, Location, ValidationError

Qrels = dict[str, dict[str, int]]
Run = dict[str, dict[str, float]]

QRELS_FIELDS = ("query_id", "iteration", "doc_id", "relevance")
RUN_FIELDS = ("query_id", "iteration", "doc_id", "rank", "score", "tag")
RATINGS_FIELDS = ("profile_id", "challenge_id", "rating")

__all__ = [
    "Qrels",
    "Run",
    "metadata_path",
    "read_mapping",
    "read_qrels",
    "read_ratings",
    "read_run",
    "read_run_metadata",
    "write_qrels",
    "write_run",
]


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for every data line of a text file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text ({exc.reason})", Location(str(path))) from exc
    except OSError as exc:
        raise InvalidInputError(f"cannot read file ({exc.strerror})", Location(str(path))) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        yield number, stripped.split()


def _is_json(path: Path) -> bool:
    return Path(path).suffix.lower() == ".json"


def _parse_int(value: str, loc: Location, *, low: int | None = None, high: int | None = None) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(f"expected an integer, got {value!r}", loc) from None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f">= {low}" if high is None else f"between {low} and {high}"
        raise ValidationError(f"expected an integer {bounds}, got {number}", loc)
    return number


def _parse_float(value: str, loc: Location) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValidationError(f"expected a number, got {value!r}", loc) from None
    if not math.isfinite(number):
        raise ValidationError(f"expected a finite number, got {value!r}", loc)
    return number


def _check_known(
    query_id: str,
    doc_id: str,
    file: str,
    line: int | None,
    query_ids: Collection[str] | None,
    doc_ids: Collection[str] | None,
    *,
    query_field: str = "query_id",
    doc_field: str = "doc_id",
) -> None:
    if query_ids is not None and query_id not in query_ids:
        raise ValidationError(f"unknown query id {query_id!r}", Location(file, line, query_field))
    if doc_ids is not None and doc_id not in doc_ids:
        raise ValidationError(f"unknown doc id {doc_id!r}", Location(file, line, doc_field))


def _read_table(
    path: Path,
    fields: tuple[str, ...],
    value_field: str,
    parse: Any,
    query_ids: Collection[str] | None,
    doc_ids: Collection[str] | None,
) -> dict[str, dict[str, Any]]:
    """Read a whitespace-separated ``query ... doc ... value`` table with full validation.

    The query id is the first column; the doc id is the column named ``doc_id`` or, for
    ratings, the second column.
    """
    file = str(path)
    query_field = fields[0]
    doc_field = "doc_id" if "doc_id" in fields else fields[1]
    out: dict[str, dict[str, Any]] = {}
    seen_lines: dict[tuple[str, str], int] = {}
    for number, parts in _lines(path):
        if len(parts) != len(fields):
            raise ValidationError(
                f"expected {len(fields)} columns ({' '.join(fields)}), got {len(parts)}",
                Location(file, number),
            )
        row = dict(zip(fields, parts, strict=True))
        query_id, doc_id = row[query_field], row[doc_field]
        if (query_id, doc_id) in seen_lines:
            raise ValidationError(
                f"duplicate pair ({query_id}, {doc_id}), first on line {seen_lines[query_id, doc_id]}",
                Location(file, number, doc_field),
            )
        seen_lines[query_id, doc_id] = number
        if "rank" in row:
            _parse_int(row["rank"], Location(file, number, "rank"), low=0)
        value = parse(row[value_field], Location(file, number, value_field))
        _check_known(
            query_id, doc_id, file, number, query_ids, doc_ids, query_field=query_field, doc_field=doc_field
        )
        out.setdefault(query_id, {})[doc_id] = value
    if not out:
        raise InvalidInputError("empty file: no data lines", Location(file))
    return out


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"duplicate key {key!r}")
    return dict(pairs)


def _read_json_table(
    path: Path,
    value_field: str,
    integer: bool,
    query_ids: Collection[str] | None,
    doc_ids: Collection[str] | None,
) -> dict[str, dict[str, Any]]:
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read file ({exc})", Location(file)) from exc
    if not text.strip():
        raise InvalidInputError("empty file", Location(file))
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"invalid JSON: {exc.msg}", Location(file, exc.lineno)) from None
    except ValueError as exc:  # duplicate key
        raise ValidationError(str(exc), Location(file)) from None
    if not isinstance(data, dict):
        raise ValidationError("expected an object {query_id: {doc_id: value}}", Location(file))
    out: dict[str, dict[str, Any]] = {}
    for query_id, docs in data.items():
        if not isinstance(docs, dict):
            raise ValidationError("expected an object {doc_id: value}", Location(file, None, query_id))
        for doc_id, value in docs.items():
            loc = Location(file, None, f"{query_id}/{doc_id}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValidationError(f"{value_field}: expected a number, got {value!r}", loc)
            if integer and (not float(value).is_integer() or value < 0):
                raise ValidationError(f"{value_field}: expected an integer >= 0, got {value!r}", loc)
            if not math.isfinite(value):
                raise ValidationError(f"{value_field}: expected a finite number, got {value!r}", loc)
            _check_known(query_id, doc_id, file, None, query_ids, doc_ids)
            out.setdefault(query_id, {})[doc_id] = int(value) if integer else float(value)
    if not out:
        raise InvalidInputError("empty file: no judgements", Location(file))
    return out


def read_qrels(
    path: str | Path,
    *,
    query_ids: Collection[str] | None = None,
    doc_ids: Collection[str] | None = None,
) -> Qrels:
    """Read graded relevance judgements.

    Parameters
    ----------
    path : str or Path
        TREC qrels file, or JSON when the name ends in ``.json``.
    query_ids, doc_ids : collection of str, optional
        The known corpus; an id outside it is an error.

    Returns
    -------
    dict of str to dict of str to int
        ``{query_id: {doc_id: relevance}}``.

    Raises
    ------
    ValidationError
        Wrong column count, non-integer or negative relevance, duplicate pair, unknown id;
        :class:`~matcher.exceptions.InvalidInputError` for an empty or unreadable file.
    """
    path = Path(path)
    if _is_json(path):
        return _read_json_table(path, "relevance", True, query_ids, doc_ids)
    return _read_table(
        path,
        QRELS_FIELDS,
        "relevance",
        lambda value, loc: _parse_int(value, loc, low=0),
        query_ids,
        doc_ids,
    )


def read_run(
    path: str | Path,
    *,
    query_ids: Collection[str] | None = None,
    doc_ids: Collection[str] | None = None,
) -> Run:
    """Read a ranked run.

    Parameters
    ----------
    path : str or Path
        TREC run file, or JSON when the name ends in ``.json``.
    query_ids : collection of str, optional
        Known query ids, typically ``set(qrels)``: a run query outside it is an error
        located at its first line.
    doc_ids : collection of str, optional
        Known document ids (the catalogue).

    Returns
    -------
    dict of str to dict of str to float
        ``{query_id: {doc_id: score}}``.

    Raises
    ------
    ValidationError
        Wrong column count, non-numeric score or rank, duplicate pair, unknown id;
        :class:`~matcher.exceptions.InvalidInputError` for an empty or unreadable file.
    """
    path = Path(path)
    if _is_json(path):
        return _read_json_table(path, "score", False, query_ids, doc_ids)
    return _read_table(path, RUN_FIELDS, "score", _parse_float, query_ids, doc_ids)


def read_ratings(path: str | Path) -> dict[str, dict[str, int]]:
    """Read graded ratings ``profile_id challenge_id rating`` (rating 1..5).

    Returns
    -------
    dict of str to dict of str to int
        ``{profile_id: {challenge_id: rating}}``.
    """
    path = Path(path)
    return _read_table(
        path,
        RATINGS_FIELDS,
        "rating",
        lambda value, loc: _parse_int(value, loc, low=1, high=5),
        None,
        None,
    )


def read_mapping(path: str | Path, *, field: str = "value") -> dict[str, str]:
    """Read a two-column ``id value`` file (languages, countries, groups).

    Parameters
    ----------
    path : str or Path
        Text file with two whitespace-separated columns.
    field : str
        Name of the second column, used in error locations.

    Returns
    -------
    dict of str to str
    """
    file = str(path)
    out: dict[str, str] = {}
    for number, parts in _lines(Path(path)):
        if len(parts) != 2:
            raise ValidationError(
                f"expected 2 columns (id {field}), got {len(parts)}", Location(file, number)
            )
        if parts[0] in out:
            raise ValidationError(f"duplicate id {parts[0]!r}", Location(file, number, "id"))
        out[parts[0]] = parts[1]
    if not out:
        raise InvalidInputError("empty file: no data lines", Location(file))
    return out


def write_qrels(path: str | Path, qrels: Mapping[str, Mapping[str, int]]) -> Path:
    """Write qrels as TREC (or JSON when the name ends in ``.json``); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _is_json(path):
        data = {q: {d: int(v) for d, v in docs.items()} for q, docs in qrels.items()}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path
    lines = [f"{q} 0 {d} {int(v)}" for q in sorted(qrels) for d, v in sorted(qrels[q].items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def metadata_path(run_path: str | Path) -> Path:
    """The sidecar path of a run file: ``run.trec`` -> ``run.trec.json``."""
    run_path = Path(run_path)
    return run_path.with_name(run_path.name + ".json")


def write_run(
    path: str | Path,
    run: Mapping[str, Mapping[str, float]],
    *,
    metadata: Mapping[str, Any],
    tag: str | None = None,
) -> Path:
    """Write a run and its metadata sidecar.

    Parameters
    ----------
    path : str or Path
        Destination; TREC run format unless the name ends in ``.json``.
    run : mapping of str to mapping of str to float
        ``{query_id: {doc_id: score}}``; ranks are assigned by descending score, ties by doc id.
    metadata : mapping
        What produced the run. Must contain ``"method"``; ``"model"`` and ``"settings"``
        are recorded as ``None`` and ``{}`` when absent. Values must be JSON-serialisable.
    tag : str, optional
        The TREC ``tag`` column; defaults to ``metadata["method"]``.

    Returns
    -------
    Path
        The run file's path; the sidecar is :func:`metadata_path` of it.
    """
    if "method" not in metadata:
        raise ValidationError("run metadata must name the 'method'", Location(str(path), None, "method"))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tag = tag or str(metadata["method"])
    if any(ch.isspace() for ch in tag):
        raise ValidationError(f"tag must not contain whitespace: {tag!r}", Location(str(path), None, "tag"))
    if _is_json(path):
        data = {q: {d: float(s) for d, s in docs.items()} for q, docs in run.items()}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    else:
        lines = []
        for query_id in sorted(run):
            ranked = sorted(run[query_id].items(), key=lambda item: (-item[1], item[0]))
            for rank, (doc_id, score) in enumerate(ranked, start=1):
                lines.append(f"{query_id} Q0 {doc_id} {rank} {float(score):.6g} {tag}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sidecar = {
        "model": None,
        "settings": {},
        **dict(metadata),
        "tag": tag,
        "run_file": path.name,
        "n_queries": len(run),
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    metadata_path(path).write_text(json.dumps(sidecar, indent=2, sort_keys=True, default=str) + "\n")
    return path


def read_run_metadata(path: str | Path) -> dict[str, Any] | None:
    """Read the sidecar of a run file; ``None`` when the run has none (e.g. an evaluator's own run)."""
    sidecar = metadata_path(path)
    if not sidecar.exists():
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"invalid JSON: {exc.msg}", Location(str(sidecar), exc.lineno)) from None
    if not isinstance(data, dict):
        raise ValidationError("run metadata must be a JSON object", Location(str(sidecar)))
    return data
