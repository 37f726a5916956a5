"""TREC runs and qrels: the one reader and writer of both, with one score format.

qrels
    ``query_id 0 doc_id relevance`` (``relevance`` a graded integer >= 0; the second column
    is ignored, as trec_eval does).
run
    ``query_id Q0 doc_id rank score tag``, ranks from 1, best first; ``score`` decides the
    order when a run is read (``rank`` must be an integer but is not used, as in trec_eval).
    Every writer formats scores with :data:`SCORE_FORMAT`.
JSON
    ``{"query_id": {"doc_id": value}}`` for either, chosen when the file name ends in
    ``.json``.

Reading validates every line (:mod:`matcher.formats.table`); errors name file, line and field.
Writers create the parent folder and write the file whole (a temporary file, then a rename).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from matcher.exceptions import Location, ValidationError
from matcher.formats.table import parse_float, parse_int, read_json_table, read_table

Qrels = dict[str, dict[str, int]]
Run = dict[str, dict[str, float]]

#: How every run file of the project writes a score: six decimals.
SCORE_FORMAT = ".6f"
QRELS_FIELDS = ("query_id", "iteration", "doc_id", "relevance")
RUN_FIELDS = ("query_id", "iteration", "doc_id", "rank", "score", "tag")

__all__ = [
    "QRELS_FIELDS",
    "RUN_FIELDS",
    "SCORE_FORMAT",
    "Qrels",
    "Run",
    "format_qrels",
    "read_qrels",
    "read_run",
    "write_qrels",
    "write_ranked",
    "write_run",
]


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def _write_json(path: Path, data: Mapping[str, Mapping[str, float | int]]) -> None:
    _write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _check_tag(path: Path, tag: str) -> None:
    if not tag or any(ch.isspace() for ch in tag):
        raise ValidationError(
            f"tag must be non-empty without whitespace: {tag!r}", Location(str(path), None, "tag")
        )


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
        return read_json_table(path, "relevance", integer=True, query_ids=query_ids, doc_ids=doc_ids)
    return read_table(
        path, QRELS_FIELDS, "relevance", lambda value, loc: parse_int(value, loc, low=0), query_ids, doc_ids
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
        return read_json_table(path, "score", integer=False, query_ids=query_ids, doc_ids=doc_ids)
    return read_table(path, RUN_FIELDS, "score", parse_float, query_ids, doc_ids)


def format_qrels(qrels: Mapping[str, Mapping[str, int]]) -> str:
    """TREC qrels text, ``query_id 0 doc_id relevance`` a line, sorted by query and doc id."""
    return "".join(f"{q} 0 {d} {int(qrels[q][d])}\n" for q in sorted(qrels) for d in sorted(qrels[q]))


def write_qrels(path: str | Path, qrels: Mapping[str, Mapping[str, int]]) -> Path:
    """Write qrels as TREC (or JSON when the name ends in ``.json``); returns the path."""
    path = Path(path)
    if _is_json(path):
        _write_json(path, {q: {d: int(v) for d, v in docs.items()} for q, docs in qrels.items()})
    else:
        _write_text(path, format_qrels(qrels))
    return path


def write_ranked(
    path: str | Path, ranked: Iterable[tuple[str, Iterable[tuple[str, float]]]], tag: str
) -> int:
    """Write a TREC run whose order is given: ``(query_id, [(doc_id, score), ...] best first)``.

    Ranks count from 1 in the order given; scores are written with :data:`SCORE_FORMAT`.
    Returns the number of lines written.
    """
    path = Path(path)
    _check_tag(path, tag)
    lines = [
        f"{query_id} Q0 {doc_id} {rank} {float(score):{SCORE_FORMAT}} {tag}\n"
        for query_id, docs in ranked
        for rank, (doc_id, score) in enumerate(docs, start=1)
    ]
    _write_text(path, "".join(lines))
    return len(lines)


def write_run(path: str | Path, run: Mapping[str, Mapping[str, float]], tag: str) -> Path:
    """Write ``{query_id: {doc_id: score}}`` as a TREC run (or JSON when the name ends in ``.json``).

    Queries in id order; ranks by descending score, ties by doc id.  Returns the path.
    """
    path = Path(path)
    _check_tag(path, tag)
    if _is_json(path):
        _write_json(path, {q: {d: float(s) for d, s in docs.items()} for q, docs in run.items()})
        return path
    write_ranked(
        path, ((q, sorted(run[q].items(), key=lambda item: (-item[1], item[0]))) for q in sorted(run)), tag
    )
    return path
