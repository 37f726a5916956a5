"""The longest value of every text field, read from the ORM columns (the one place limits live).

A ``String(n)`` column holds at most ``n`` characters (PostgreSQL enforces it, SQLite does
not); a ``TEXT`` column carries the longest value ingest accepts in its ``info``.  A field
that refers to another record (``sme_id``, ``parent_id``...) is as long as that record's
``external_id``.  :mod:`matcher.ingest.schema` validates with these numbers, and the API
schemas are built from the same field specifications, so validation and the schema cannot
drift apart.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import String, inspect

from matcher.store.models import ID_LEN, AssessmentRow, TrainingModuleRow
from matcher.store.records import REFERENCES, ROW_CLASSES


def _column_limit(column: Any) -> int | None:
    if "max_length" in column.info:
        return int(column.info["max_length"])
    for fk in column.foreign_keys:  # a column typed by its foreign key: the referred column's length
        return _column_limit(fk.column)
    return column.type.length if isinstance(column.type, String) else None


#: Every validated entity's row class: the generic records and the training entities.
_ROWS: dict[str, Any] = {**ROW_CLASSES, "training_modules": TrainingModuleRow, "assessments": AssessmentRow}
#: Fields that name another record by its external id, beyond the generic records' references.
_TRAINING_REFERENCES = {"training_modules": ("provider_id",), "assessments": ("sme_id",)}


@cache
def field_limits(entity: str) -> dict[str, int]:
    """Field name (as in ``docs/formats.md``) -> longest accepted value, for every limited field."""
    mapper: Any = inspect(_ROWS[entity])
    out: dict[str, int] = {}
    for attr in mapper.column_attrs:
        limit = _column_limit(attr.columns[0])
        if limit is not None:
            out["id" if attr.key == "external_id" else attr.key] = limit
    for ref_field, (target, _attr) in REFERENCES.get(entity, {}).items():
        out[ref_field] = _column_limit(inspect(ROW_CLASSES[target]).columns["external_id"]) or ID_LEN
    for ref_field in _TRAINING_REFERENCES.get(entity, ()):
        out[ref_field] = ID_LEN
    if entity == "profiles":
        out["owner_id"] = ID_LEN
    return out
