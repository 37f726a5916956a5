"""SQLAlchemy 2.0 ORM classes: the programme's tables (STYLE.md rule 7).

Every record has a surrogate integer key and the programme's ``external_id``
(unique per table), which is what files, the CLI and the API speak.  Rows that
users edit carry a ``version`` for optimistic concurrency.  Deleting a person or an
organisation cascades to what hangs off it (profiles, documents, match records).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


class CouncilRow(Base):
    __tablename__ = "councils"

    code: Mapped[str] = mapped_column(String(SHORT_LEN), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    city: Mapped[str] = mapped_column(String(NAME_LEN))
    nuts2: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(NAME_LEN))
    country: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)


class OrganisationRow(Timestamped, Base):
    __tablename__ = "organisations"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    kind: Mapped[str] = mapped_column(String(SHORT_LEN), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    council: Mapped[str] = mapped_column(ForeignKey("councils.code"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    website: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    description: Mapped[str] = mapped_column(Text, default="", info={"max_length": DESCRIPTION_LEN})
    parent_pk: Mapped[int | None] = mapped_column(
        "parent_id", ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True
    )
    size_class: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    nace: Mapped[str | None] = mapped_column(String(16))
    sector: Mapped[str | None] = mapped_column(String(NAME_LEN))
    founded: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    consent: Mapped[bool] = mapped_column(Boolean, default=True)
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    version: Mapped[int] = mapped_column(Integer, default=1)

    parent: Mapped[OrganisationRow | None] = relationship(remote_side=[pk])


class PersonRow(Timestamped, Base):
    __tablename__ = "people"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    kind: Mapped[str] = mapped_column(String(SHORT_LEN), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    organisation_pk: Mapped[int] = mapped_column(
        "organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    discipline: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    level: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    department: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    available_to: Mapped[dt.date | None] = mapped_column(Date)
    willing_abroad: Mapped[bool] = mapped_column(Boolean, default=False)
    consent: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[OrganisationRow] = relationship()


class ChallengeRow(Timestamped, Base):
    __tablename__ = "challenges"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    sme_pk: Mapped[int] = mapped_column(
        "sme_id", ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(NAME_LEN))
    description: Mapped[str] = mapped_column(Text, info={"max_length": DESCRIPTION_LEN})
    language: Mapped[str] = mapped_column(String(8), default="en")
    sector: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    required_skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    programmes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    budget_min: Mapped[int | None] = mapped_column(Integer)
    budget_max: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    opened: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    version: Mapped[int] = mapped_column(Integer, default=1)

    sme: Mapped[OrganisationRow] = relationship()

    __table_args__ = (
        CheckConstraint(
            "budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max", name="budget"
        ),
    )


class FacilityRow(Timestamped, Base):
    __tablename__ = "facilities"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    host_pk: Mapped[int] = mapped_column(
        "host_id", ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(SHORT_LEN), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    description: Mapped[str] = mapped_column(Text, info={"max_length": DESCRIPTION_LEN})
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    council: Mapped[str] = mapped_column(ForeignKey("councils.code"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    available_to: Mapped[dt.date | None] = mapped_column(Date)
    conditions: Mapped[str] = mapped_column(Text, default="", info={"max_length": CONDITIONS_LEN})
    version: Mapped[int] = mapped_column(Integer, default=1)

    host: Mapped[OrganisationRow] = relationship()

    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity"),)


class ProfileRow(Timestamped, Base):
    """A capability profile; exactly one of the three owner keys is set."""

    __tablename__ = "profiles"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    owner_type: Mapped[str] = mapped_column(String(16))
    organisation_pk: Mapped[int | None] = mapped_column(
        "organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    person_pk: Mapped[int | None] = mapped_column(
        "person_id", ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    facility_pk: Mapped[int | None] = mapped_column(
        "facility_id", ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[OrganisationRow | None] = relationship()
    person: Mapped[PersonRow | None] = relationship()
    facility: Mapped[FacilityRow | None] = relationship()
    documents: Mapped[list[DocumentRow]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DocumentRow.pk",
    )

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN facility_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
    )

    @property
    def owner_external_id(self) -> str:
        owner = self.organisation or self.person or self.facility
        assert owner is not None
        return owner.external_id


class DocumentRow(Timestamped, Base):
    __tablename__ = "documents"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(ID_LEN), unique=True)
    profile_pk: Mapped[int] = mapped_column(
        "profile_id", ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(SHORT_LEN))
    title: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    text: Mapped[str] = mapped_column(Text, info={"max_length": TEXT_MAX})
    language: Mapped[str] = mapped_column(String(8), default="en")
    year: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    profile: Mapped[ProfileRow] = relationship(back_populates="documents")


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


class ApiKeyRow(Base):
    """An API key: only its SHA-256 hash is stored, with its role and scope."""

    __tablename__ = "api_keys"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(SHORT_LEN))
    organisation_pk: Mapped[int | None] = mapped_column(
        "organisation_id", ForeignKey("organisations.id", ondelete="CASCADE")
    )
    council: Mapped[str | None] = mapped_column(ForeignKey("councils.code"))
    label: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[OrganisationRow | None] = relationship()


# --------------------------------------------------------------------------- allocation rounds (issue #10)
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
