"""Match records and their events (status changes and contact steps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.store.models.base import ID_LEN, NAME_LEN, SHORT_LEN, Base, JSONType, Timestamped
from matcher.store.models.records import ChallengeRow


class MatchRow(Timestamped, Base):
    __tablename__ = "match_records"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    match_type: Mapped[str] = mapped_column(String(16), index=True)
    challenge_pk: Mapped[int] = mapped_column(
        "challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    candidate_type: Mapped[str] = mapped_column(String(16))
    candidate_id: Mapped[str] = mapped_column(String(ID_LEN))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    decline_reason: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    rating: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    challenge: Mapped[ChallengeRow] = relationship()
    events: Mapped[list[MatchEventRow]] = relationship(
        back_populates="match",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MatchEventRow.pk",
    )

    __table_args__ = (
        UniqueConstraint("match_type", "challenge_id", "candidate_type", "candidate_id", name="pair"),
        Index("ix_match_records_candidate", "candidate_type", "candidate_id"),
    )


class MatchEventRow(Base):
    __tablename__ = "match_events"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    match_pk: Mapped[int] = mapped_column(
        "match_id", ForeignKey("match_records.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    reason: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    note: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None] = mapped_column(Integer)

    match: Mapped[MatchRow] = relationship(back_populates="events")
