"""Whitespace-separated tables and ``{query_id: {doc_id: value}}`` JSON, fully validated.

A table has one record a line, its columns separated by white space; blank lines and lines
starting with ``#`` are skipped.  The first column is the query id; the doc id is the column
named ``doc_id`` or else the second one.  Every problem raises
:class:`~matcher.exceptions.ValidationError` (or, for the file as a whole,
:class:`~matcher.exceptions.InvalidInputError`) whose location names the file, the 1-based line
and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from matcher.exceptions import InvalidInputError, Location, ValidationError
from matcher.formats.jsonl import DuplicateKeyError, read_text, unique_keys

__all__ = ["data_lines", "parse_float", "parse_int", "read_json_table", "read_table"]


def data_lines(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """``(line_number, fields)`` for every data line of a text file."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        yield number, stripped.split()


def parse_int(value: str, loc: Location, *, low: int | None = None, high: int | None = None) -> int:
    """An integer column, optionally bounded (``low <= value <= high``)."""
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(f"expected an integer, got {value!r}", loc) from None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f">= {low}" if high is None else f"between {low} and {high}"
        raise ValidationError(f"expected an integer {bounds}, got {number}", loc)
    return number


def parse_float(value: str, loc: Location) -> float:
    """A finite number column."""
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
    loc: Location,
    query_ids: Collection[str] | None,
    doc_ids: Collection[str] | None,
    *,
    query_field: str = "query_id",
    doc_field: str = "doc_id",
) -> None:
    if query_ids is not None and query_id not in query_ids:
        raise ValidationError(f"unknown query id {query_id!r}", Location(loc.file, loc.line, query_field))
    if doc_ids is not None and doc_id not in doc_ids:
        raise ValidationError(f"unknown doc id {doc_id!r}", Location(loc.file, loc.line, doc_field))


def read_table(
    path: str | Path,
    fields: tuple[str, ...],
    value_field: str,
    parse: Callable[[str, Location], Any],
    query_ids: Collection[str] | None = None,
    doc_ids: Collection[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """``{query_id: {doc_id: value}}`` of a table with columns ``fields``.

    ``parse(text, location)`` turns the ``value_field`` column into its value; a ``rank``
    column, when there is one, must be an integer >= 0 (it is checked, not returned).  A pair
    given twice, a wrong column count and an id outside ``query_ids``/``doc_ids`` are errors.
    """
    file = str(path)
    query_field = fields[0]
    doc_field = "doc_id" if "doc_id" in fields else fields[1]
    out: dict[str, dict[str, Any]] = {}
    seen_lines: dict[tuple[str, str], int] = {}
    for number, parts in data_lines(path):
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
            parse_int(row["rank"], Location(file, number, "rank"), low=0)
        value = parse(row[value_field], Location(file, number, value_field))
        _check_known(
            query_id, doc_id, Location(file, number), query_ids, doc_ids,
            query_field=query_field, doc_field=doc_field,
        )  # fmt: skip
        out.setdefault(query_id, {})[doc_id] = value
    if not out:
        raise InvalidInputError("empty file: no data lines", Location(file))
    return out


def read_json_table(
    path: str | Path,
    value_field: str,
    *,
    integer: bool,
    query_ids: Collection[str] | None = None,
    doc_ids: Collection[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """``{query_id: {doc_id: value}}`` of a JSON object of that shape; values are numbers,
    integers >= 0 when ``integer``; a key given twice and an unknown id are errors."""
    file = str(path)
    text = read_text(path)
    if not text.strip():
        raise InvalidInputError("empty file", Location(file))
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"invalid JSON: {exc.msg}", Location(file, exc.lineno)) from None
    except DuplicateKeyError as exc:
        raise ValidationError(f"duplicate key {exc.key!r}", Location(file)) from None
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
            _check_known(query_id, doc_id, Location(file), query_ids, doc_ids)
            out.setdefault(query_id, {})[doc_id] = int(value) if integer else float(value)
    if not out:
        raise InvalidInputError("empty file: no judgements", Location(file))
    return out
