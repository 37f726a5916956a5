"""Reading allocation instances from plain JSON-like records, with located errors.

Every reader takes the decoded JSON value (``dict``/``list``) and an optional
``source`` (a file name) and raises :class:`~matcher.exceptions.ValidationError`
whose location names the file and the field path (``challenges[3].min_size``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from matcher.exceptions import Location, ValidationError


class Reader:
    """Field access with a path, so every error says where it happened."""

    def __init__(self, source: str | None = None) -> None:
        self.source = source

    def error(self, path: str, reason: str) -> ValidationError:
        return ValidationError(reason, Location(file=self.source, field=path or None))

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(path, f"expected an object, got {_kind(value)}")
        return value

    def items(
        self, data: Mapping[str, Any], key: str, path: str = "", *, required: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """``(path, item)`` for each item of the list ``data[key]``."""
        where = f"{path}.{key}" if path else key
        if key not in data:
            if required:
                raise self.error(where, "is required")
            return iter(())
        value = data[key]
        if not isinstance(value, list):
            raise self.error(where, f"expected a list, got {_kind(value)}")
        return ((f"{where}[{i}]", item) for i, item in enumerate(value))

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str:
        where = f"{path}.{key}"
        if key not in data:
            raise self.error(where, "is required")
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"expected a non-empty string, got {_kind(value)}")
        return value

    def integer(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        minimum: int | None = None,
        default: int | None = None,
    ) -> int:
        where = f"{path}.{key}"
        if key not in data:
            if default is None:
                raise self.error(where, "is required")
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(where, f"expected an integer, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise self.error(where, f"must be at least {minimum}, got {value}")
        return value

    def number(self, data: Mapping[str, Any], key: str, path: str) -> float:
        where = f"{path}.{key}"
        if key not in data:
            raise self.error(where, "is required")
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.error(where, f"expected a finite number, got {_kind(value)}")
        return float(value)

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        """An optional list of non-empty strings (absent means empty)."""
        out = []
        for where, item in self.items(data, key, path, required=False):
            if not isinstance(item, str) or not item.strip():
                raise self.error(where, f"expected a non-empty string, got {_kind(item)}")
            out.append(item)
        return tuple(out)

    def index(self, ids: Mapping[str, int], data: Mapping[str, Any], key: str, path: str, what: str) -> int:
        """The position of the id in ``data[key]`` among known ``ids``."""
        value = self.string(data, key, path)
        if value not in ids:
            raise self.error(f"{path}.{key}", f"unknown {what} id {value!r}")
        return ids[value]

    def unique_ids(self, records: Sequence[tuple[str, Mapping[str, Any]]], what: str) -> dict[str, int]:
        ids: dict[str, int] = {}
        for i, (path, record) in enumerate(records):
            value = self.string(record, "id", path)
            if value in ids:
                raise self.error(f"{path}.id", f"duplicate {what} id {value!r}")
            ids[value] = i
        return ids


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
