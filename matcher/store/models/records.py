"""The programme's records: councils, organisations, people, challenges, facilities, profiles, documents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.store.models.base import (
    CONDITIONS_LEN,
    DESCRIPTION_LEN,
    ID_LEN,
    NAME_LEN,
    SHORT_LEN,
    TEXT_MAX,
    Base,
    JSONType,
    Timestamped,
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
