"""Read ratings and id mappings; write runs with the sidecar that records what produced them.

Qrels and runs themselves are read and written by :mod:`matcher.formats.trec`, the one home of
the TREC formats (STYLE.md rule 10); this module adds what only evaluation needs.

Formats
-------
ratings
    ``profile_id challenge_id rating`` with ``rating`` an integer from 1 to 5.
mapping
    ``id value`` (two columns), e.g. languages, countries or groups.

Blank lines and lines starting with ``#`` are skipped.  Every problem raises
:class:`~matcher.exceptions.ValidationError` whose location names the file, the 1-based line
and the field.

Every run written by :func:`write_run` gets a sidecar ``<run file>.json`` (for
``run.trec``: ``run.trec.json``) recording the model, method and settings that
produced it; :func:`read_run_metadata` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matcher.exceptions import InvalidInputError, Location, ValidationError
from matcher.formats import trec
from matcher.formats.table import data_lines, parse_int, read_table

RATINGS_FIELDS = ("profile_id", "challenge_id", "rating")

__all__ = ["metadata_path", "read_mapping", "read_ratings", "read_run_metadata", "write_run"]


def read_ratings(path: str | Path) -> dict[str, dict[str, int]]:
    """Read graded ratings ``profile_id challenge_id rating`` (rating 1..5).

    Returns
    -------
    dict of str to dict of str to int
        ``{profile_id: {challenge_id: rating}}``.
    """
    return read_table(
        Path(path), RATINGS_FIELDS, "rating", lambda value, loc: parse_int(value, loc, low=1, high=5)
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
    for number, parts in data_lines(path):
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
    """Write a run (:func:`matcher.formats.trec.write_run`) and its metadata sidecar.

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
    tag = tag or str(metadata["method"])
    path = trec.write_run(path, run, tag)
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
