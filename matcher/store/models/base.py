"""Declarative base, constraint naming convention, shared column types and length limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")

#: Longest accepted values; ingest reports longer ones as oversized.
ID_LEN = 64
NAME_LEN = 300
SHORT_LEN = 64
TEXT_MAX = 50_000
#: Longest accepted free texts (characters, in a TEXT column's ``info``): the database does not
#: bound TEXT, the importer does (:mod:`matcher.store.limits` reads both kinds of limit).
DESCRIPTION_LEN = 20_000
CONDITIONS_LEN = 5_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONType, list[str]: JSONType}  # noqa: RUF012


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
