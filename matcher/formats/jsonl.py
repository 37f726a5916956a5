"""JSON Lines: one JSON object a line, read with errors located by file and line.

Lines end at ``\\n`` (or ``\\r\\n``) only; blank lines are skipped.  A line that is not a JSON
object, or an object that gives one key twice, raises
:class:`~matcher.exceptions.InvalidInputError` at its file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from matcher.exceptions import InvalidInputError, Location

__all__ = [
    "DuplicateKeyError",
    "json_lines",
    "parse_json_line",
    "parse_object",
    "read_objects",
    "read_records",
    "read_text",
    "unique_keys",
    "write_jsonl",
]


def read_text(path: str | Path) -> str:
    """The UTF-8 text of a file, or :class:`InvalidInputError` located at the file."""
    name = str(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInputError("file not found", Location(file=name)) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text ({exc.reason})", Location(file=name)) from exc
    except OSError as exc:
        raise InvalidInputError(f"cannot read file ({exc.strerror})", Location(file=name)) from exc


class DuplicateKeyError(ValueError):
    """A JSON object gives ``key`` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(f"key {key!r} appears twice in one object")
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads`: a JSON object, refusing a key given twice
    (``json`` would keep the last silently) with :class:`DuplicateKeyError`."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKeyError(key)
        out[key] = value
    return out


def parse_json_line(line: str, location: Location) -> Any:
    """One JSON value, or :class:`InvalidInputError` at ``location`` for anything ``json`` refuses:
    bad syntax, duplicate keys, nesting too deep for the parser, integers too long to convert."""
    try:
        return json.loads(line, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON: {exc.msg} (column {exc.colno})"
    except DuplicateKeyError as exc:
        reason = f"invalid JSON: {exc}"
    except RecursionError:
        reason = "invalid JSON: nested too deeply"
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        reason = f"invalid JSON: {str(exc).split(';')[0]}"
    raise InvalidInputError(reason, location)


def parse_object(line: str, location: Location) -> dict[str, Any]:
    """One JSON object (:func:`parse_json_line`); any other JSON value is an error at ``location``."""
    data = parse_json_line(line, location)
    if not isinstance(data, dict):
        raise InvalidInputError(f"expected a JSON object, got {type(data).__name__}", location)
    return data


def json_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of JSON Lines text: lines end at ``\\n`` (or ``\\r\\n``) only.

    U+2028, U+2029, U+0085 and other characters that :meth:`str.splitlines` treats as line
    breaks are text inside a JSON string, not line ends.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.removesuffix("\r")


def read_records(path: str | Path, *, allow_empty: bool = False) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a JSON Lines file as ``(line number, object)``, blank lines skipped.

    Raises
    ------
    InvalidInputError
        Unreadable or non-UTF-8 file, a line that is not a JSON object (at its line), or no
        record at all unless ``allow_empty``.
    """
    name = str(path)
    out = [
        (number, parse_object(line, Location(name, number)))
        for number, line in json_lines(read_text(path))
        if line.strip()
    ]
    if not out and not allow_empty:
        raise InvalidInputError("file holds no records", Location(file=name))
    return out


def read_objects(path: str | Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file, in file order (:func:`read_records` without line
    numbers; a file without records gives none)."""
    return [obj for _, obj in read_records(path, allow_empty=True)]


def write_jsonl(path: str | Path, objects: Iterable[Mapping[str, Any]]) -> int:
    """Write one JSON object a line (UTF-8, not ASCII-escaped); returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        for obj in objects:
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n
