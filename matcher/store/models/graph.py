"""Relationships between records: the collaboration graph's edges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matcher.store.models.base import ID_LEN, NAME_LEN, SHORT_LEN, Base, Timestamped


class RelationshipRow(Timestamped, Base):
    """A typed, dated edge; ends are (type, external id) so any node type can take part."""

    __tablename__ = "relationships"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    kind: Mapped[str] = mapped_column(String(SHORT_LEN), index=True)
    source_type: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(ID_LEN))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(ID_LEN))
    date: Mapped[dt.date | None] = mapped_column(Date)
    provenance: Mapped[str] = mapped_column(String(NAME_LEN), default="")

    __table_args__ = (
        Index("ix_relationships_source", "source_type", "source_id"),
        Index("ix_relationships_target", "target_type", "target_id"),
    )
