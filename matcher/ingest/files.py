"""Reading and writing entity files: CSV and JSON Lines, one file per entity type.

JSON Lines are parsed and written by :mod:`matcher.formats.jsonl`.

Readers return raw rows with their line numbers; :mod:`matcher.ingest.schema`
validates them.  Problems with the file as a whole (encoding, emptiness, missing
columns) raise :class:`~matcher.exceptions.InvalidInputError` with the location.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``,
tab or carriage return) are neutralised on export by a leading apostrophe, and the
apostrophe is removed again on import, so that import -> export -> import is lossless
while an exported file never executes anything when opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.exceptions import InvalidInputError, Location
from matcher.formats.jsonl import json_lines, parse_object, write_jsonl
from matcher.ingest.schema import field_specs, join_list_cell, to_raw
from matcher.types import ENTITY_TYPES, TRAINING_TYPES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_FILE_BYTES = 200 * 1024 * 1024
SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class RawRow:
    line: int
    data: dict[str, Any]


def entity_for(path: Path, entity: str | None = None) -> str:
    """The entity type of a file: given explicitly, or its stem (``people.csv`` -> ``people``)."""
    if entity is not None:
        if entity not in ENTITY_TYPES:
            raise InvalidInputError(
                f"unknown entity {entity!r}; use one of {', '.join(ENTITY_TYPES)}", Location(str(path))
            )
        return entity
    name = path.name.split(".")[0]
    if name not in ENTITY_TYPES:
        raise InvalidInputError(
            f"cannot tell the entity type from the file name; name it one of "
            f"{', '.join(ENTITY_TYPES)} (e.g. people.csv) or pass --entity",
            Location(str(path)),
        )
    return name


def file_format(path: Path) -> str:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInputError(
            f"unsupported file type {path.suffix!r}; use .csv or .jsonl", Location(str(path))
        )
    return fmt


def _decode(path: Path) -> str:
    if not path.exists():
        raise InvalidInputError("file does not exist", Location(str(path)))
    if path.is_dir():
        raise InvalidInputError("is a directory, expected a file", Location(str(path)))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"file is {size} bytes; at most {MAX_FILE_BYTES} are accepted", Location(str(path))
        )
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    wide = _utf16_or_32(raw)
    if wide:
        raise InvalidInputError(f"the file is {wide}, not UTF-8: re-save it as UTF-8", Location(str(path)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); the file looks like Latin-1 or Windows-1252: "
            "re-save it as UTF-8",
            Location(str(path), line),
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InvalidInputError("file contains NUL bytes; is it a binary file?", Location(str(path), line))
    if not text.strip():
        raise InvalidInputError("file is empty", Location(str(path)))
    return text


def _utf16_or_32(raw: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when the bytes look like it (a byte-order mark, or ASCII
    text with every second byte NUL), else ``None``."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:4096]
    if len(head) >= 4 and head.count(0) >= len(head) // 3:
        return "UTF-32" if head[1:4] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00" else "UTF-16"
    return None


def _unneutralise(value: str) -> str:
    if len(value) >= 2 and value[0] == "'" and (value[1] in FORMULA_START or value[1] == "'"):
        return value[1:]
    return value


def neutralise(value: str) -> str:
    """Prefix an apostrophe to a cell that a spreadsheet would treat as a formula."""
    if value.startswith(FORMULA_START) or (value.startswith("'") and value[1:2] in (*FORMULA_START, "'")):
        return "'" + value
    return value


def _too_many(path: Path, line: int, max_rows: int) -> InvalidInputError:
    return InvalidInputError(
        f"more than {max_rows:,} records; split the file, or import it with `matcher import`",
        Location(str(path), line),
    )


def _read_csv(path: Path, text: str, entity: str, max_rows: int | None = None) -> list[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV: {exc}", Location(str(path), 1)) from None
    header = [h.strip() for h in header]
    specs = field_specs(entity)
    required = [n for n, s in specs.items() if s.required]
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInputError(
            f"missing required column {missing[0]!r} (required: {', '.join(required)})",
            Location(str(path), 1, missing[0]),
        )
    unknown = [c for c in header if c not in specs]
    if unknown:
        raise InvalidInputError(
            f"unknown column {unknown[0]!r}; allowed: {', '.join(specs)}", Location(str(path), 1, unknown[0])
        )
    dupes = {c for c in header if header.count(c) > 1}
    if dupes:
        raise InvalidInputError(f"column {sorted(dupes)[0]!r} appears twice", Location(str(path), 1))
    rows: list[RawRow] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise InvalidInputError(
                    f"expected {len(header)} cells, found {len(values)}", Location(str(path), line)
                )
            if max_rows is not None and len(rows) >= max_rows:
                raise _too_many(path, line, max_rows)
            rows.append(RawRow(line, {h: _unneutralise(v) for h, v in zip(header, values, strict=True)}))
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV: {exc}", Location(str(path), reader.line_num)) from None
    return rows


def _read_jsonl(path: Path, text: str, max_rows: int | None = None) -> list[RawRow]:
    rows: list[RawRow] = []
    for number, line in json_lines(text):
        if not line.strip():
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise _too_many(path, number, max_rows)
        rows.append(RawRow(number, parse_object(line, Location(str(path), number))))
    return rows


def read_rows(path: Path, entity: str, *, max_rows: int | None = None) -> list[RawRow]:
    """Raw rows of a CSV or JSON Lines file, each with its 1-based line number.

    ``max_rows`` bounds the work one file may cause (uploads through the API): reading stops
    at the first record past it, before any row is validated.

    Raises
    ------
    InvalidInputError
        When the file as a whole is unusable, holds no record (header only), or more than
        ``max_rows`` records.
    """
    path = Path(path)
    fmt = file_format(path)
    text = _decode(path)
    rows = _read_csv(path, text, entity, max_rows) if fmt == "csv" else _read_jsonl(path, text, max_rows)
    if not rows:
        raise InvalidInputError("file holds no records (only a header or blank lines)", Location(str(path)))
    return rows


# --------------------------------------------------------------------------- writing
def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return neutralise(join_list_cell(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def write_records(path: Path, entity: str, records: Iterable[Any]) -> int:
    """Write ``records`` to ``path`` as CSV or JSON Lines (by suffix); returns how many."""
    path = Path(path)
    if file_format(path) == "jsonl":
        return write_jsonl(path, (to_raw(record) for record in records))
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        columns = list(field_specs(entity))
        writer = csv.writer(fh)
        writer.writerow(columns)
        for record in records:
            raw = to_raw(record)
            writer.writerow([_csv_cell(raw.get(c)) for c in columns])
            n += 1
    return n


def iter_entity_files(folder: Path, *, ignore: Iterable[Path] = ()) -> Iterator[tuple[str, Path]]:
    """``(entity, path)`` for each entity file in ``folder``, in load order.

    Files in ``ignore`` (e.g. the rejects file of an earlier run) are passed over.

    Raises
    ------
    InvalidInputError
        When the folder holds a data file (``.csv``, ``.jsonl``, ``.ndjson``) whose name is
        not an entity's (``People.csv``, ``orgs.csv``): it would otherwise be skipped unseen.
        The training entities' files (``training_modules``, ``assessments``) are known names,
        not yielded here: their own importer (``matcher training import``) loads them.
    """
    folder = Path(folder)
    expected = {f"{entity}{suffix}" for entity in (*ENTITY_TYPES, *TRAINING_TYPES) for suffix in SUFFIXES}
    ignored = {Path(p).resolve() for p in ignore}
    strays = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and p.name not in expected
        and p.resolve() not in ignored
    )
    if strays:
        raise InvalidInputError(
            f"{', '.join(strays)}: not named after an entity, so not imported; name data files "
            f"<entity>.csv or <entity>.jsonl, with <entity> one of {', '.join(ENTITY_TYPES)} "
            "(lower case), or import the file with --entity",
            Location(str(folder / strays[0])),
        )
    for entity in ENTITY_TYPES:
        for suffix in SUFFIXES:
            candidate = folder / f"{entity}{suffix}"
            if candidate.exists():
                yield entity, candidate
