"""Programme runs: allocation rounds, training modules and assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.store.models.base import (
    DESCRIPTION_LEN,
    ID_LEN,
    NAME_LEN,
    SHORT_LEN,
    Base,
    JSONType,
    Timestamped,
)
from matcher.store.models.records import OrganisationRow


class AllocationRoundRow(Timestamped, Base):
    """One allocation round run as a job: its instance, its result (proposals, reasons, quality)."""

    __tablename__ = "allocation_rounds"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="teams")
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    council: Mapped[str | None] = mapped_column(ForeignKey("councils.code"), index=True)
    organisation_id: Mapped[str | None] = mapped_column(String(ID_LEN))  # the coordinator's organisation
    created_by: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    instance: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


# --------------------------------------------------------------------------- training (issue 14)
class TrainingModuleRow(Timestamped, Base):
    """A training module offered by a provider organisation (editable by it)."""

    __tablename__ = "training_modules"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    provider_pk: Mapped[int] = mapped_column(
        "provider_id", ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(NAME_LEN))
    description: Mapped[str] = mapped_column(Text, info={"max_length": DESCRIPTION_LEN})
    council: Mapped[str] = mapped_column(ForeignKey("councils.code"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    areas: Mapped[list[str]] = mapped_column(JSONType, default=list)
    format: Mapped[str] = mapped_column(String(SHORT_LEN), default="in_person")
    starts: Mapped[dt.date | None] = mapped_column(Date)
    ends: Mapped[dt.date | None] = mapped_column(Date)
    places: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    provider: Mapped[OrganisationRow] = relationship()

    __table_args__ = (CheckConstraint("places IS NULL OR places >= 0", name="places"),)


class AssessmentRow(Timestamped, Base):
    """One area's score of an SME's management self-assessment (editable by the SME)."""

    __tablename__ = "assessments"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    sme_pk: Mapped[int] = mapped_column(
        "sme_id", ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    area: Mapped[str] = mapped_column(String(SHORT_LEN))
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="", info={"max_length": DESCRIPTION_LEN})
    version: Mapped[int] = mapped_column(Integer, default=1)

    sme: Mapped[OrganisationRow] = relationship()

    __table_args__ = (
        CheckConstraint("score >= 1 AND score <= 5", name="score"),
        UniqueConstraint("sme_id", "assessed_on", "area", name="sme_date_area"),
    )
