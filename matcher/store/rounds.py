"""Allocation rounds and the stored records a consultancy round is built from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.exceptions import NotFoundError
from matcher.store.models import AllocationRoundRow, ChallengeRow, FacilityRow, OrganisationRow, PersonRow

__all__ = ["FacilityRecord", "OpenChallenge", "PersonRecord", "RoundRecord", "StudentRecord", "create_round",
           "facilities", "get_round", "open_challenges_for", "open_consultancy_challenges", "organisation_councils",
           "people",
           "students", "update_round"]  # fmt: skip

ROUND_FIELDS = ("status", "progress", "message", "cancel_requested", "instance", "result", "params")


@dataclass(frozen=True)
class StudentRecord:
    id: str
    skills: tuple[str, ...]
    council: str
    organisation_id: str


@dataclass(frozen=True)
class ChallengeRecord:
    id: str
    required_skills: tuple[str, ...]
    council: str
    sme_id: str


@dataclass(frozen=True)
class RoundRecord:
    id: str
    kind: str
    status: str
    progress: float
    message: str
    council: str | None
    organisation_id: str | None
    created_by: str
    cancel_requested: bool
    params: dict[str, Any]
    instance: dict[str, Any] | None
    result: dict[str, Any] | None


def students(*, session: Session, consent_only: bool = True) -> list[StudentRecord]:
    """Every stored student with its skills and its organisation's council."""
    q = select(
        PersonRow.external_id, PersonRow.skills, OrganisationRow.council, OrganisationRow.external_id
    ).join(OrganisationRow, PersonRow.organisation_pk == OrganisationRow.pk)
    q = q.where(PersonRow.kind == "student")
    if consent_only:
        q = q.where(PersonRow.consent.is_(True))
    return [
        StudentRecord(i, tuple(s or ()), c, o)
        for i, s, c, o in session.execute(q.order_by(PersonRow.external_id))
    ]


def open_consultancy_challenges(council: str | None = None, *, session: Session) -> list[ChallengeRecord]:
    """Open challenges that ask for the consultancy programme, optionally of one council."""
    q = select(ChallengeRow.external_id, ChallengeRow.required_skills, ChallengeRow.programmes,
               OrganisationRow.council, OrganisationRow.external_id).join(
        OrganisationRow, ChallengeRow.sme_pk == OrganisationRow.pk
    ).where(ChallengeRow.status == "open")  # fmt: skip
    if council:
        q = q.where(OrganisationRow.council == council)
    return [
        ChallengeRecord(i, tuple(skills or ()), c, sme)
        for i, skills, programmes, c, sme in session.execute(q.order_by(ChallengeRow.external_id))
        if "consultancy" in (programmes or ["consultancy"])
    ]


def _record(row: AllocationRoundRow) -> RoundRecord:
    return RoundRecord(row.external_id, row.kind, row.status, row.progress, row.message, row.council,
                       row.organisation_id, row.created_by, row.cancel_requested, dict(row.params or {}),
                       row.instance, row.result)  # fmt: skip


def create_round(round_id: str, *, kind: str, council: str | None, organisation_id: str | None,
                 created_by: str, params: dict[str, Any], session: Session) -> RoundRecord:  # fmt: skip
    row = AllocationRoundRow(external_id=round_id, kind=kind, status="queued", progress=0.0, message="queued",
                             council=council, organisation_id=organisation_id, created_by=created_by,
                             cancel_requested=False, params=params)  # fmt: skip
    session.add(row)
    session.flush()
    return _record(row)


def _row(round_id: str, session: Session, *, lock: bool = False) -> AllocationRoundRow:
    q = select(AllocationRoundRow).where(AllocationRoundRow.external_id == round_id)
    if lock:
        q = q.with_for_update()
    row = session.scalars(q).one_or_none()
    if row is None:
        raise NotFoundError(f"allocation round {round_id!r} not found")
    return row


def get_round(round_id: str, *, session: Session) -> RoundRecord:
    return _record(_row(round_id, session))


def update_round(round_id: str, *, session: Session, **changes: Any) -> RoundRecord:
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"unknown round fields {sorted(unknown)}")
    row = _row(round_id, session, lock=True)
    for name, value in changes.items():
        setattr(row, name, value)
    session.flush()
    return _record(row)


# --------------------------------------------------------------------------- placement and facility rounds
@dataclass(frozen=True)
class PersonRecord:
    id: str
    kind: str
    council: str
    organisation_id: str


@dataclass(frozen=True)
class OpenChallenge:
    id: str
    council: str
    sme_id: str
    opened: Any  # dt.date | None
    deadline: Any  # dt.date | None


@dataclass(frozen=True)
class FacilityRecord:
    id: str
    capacity: int
    council: str
    available_from: Any  # dt.date | None
    available_to: Any  # dt.date | None


def people(kind: str, *, session: Session, consent_only: bool = True) -> list[PersonRecord]:
    """Stored people of one kind (``academic``, ``sme_staff``, ...) with their organisation's council."""
    q = select(PersonRow.external_id, PersonRow.kind, OrganisationRow.council, OrganisationRow.external_id).join(
        OrganisationRow, PersonRow.organisation_pk == OrganisationRow.pk
    ).where(PersonRow.kind == kind)  # fmt: skip
    if consent_only:
        q = q.where(PersonRow.consent.is_(True))
    return [PersonRecord(*row) for row in session.execute(q.order_by(PersonRow.external_id))]


def open_challenges_for(
    programme: str, council: str | None = None, *, session: Session, any_programme: bool = False
) -> list[OpenChallenge]:
    """Open challenges whose programmes name ``programme`` (any, with ``any_programme``), of one council or all."""
    q = select(ChallengeRow.external_id, ChallengeRow.programmes, OrganisationRow.council,
               OrganisationRow.external_id, ChallengeRow.opened, ChallengeRow.deadline).join(
        OrganisationRow, ChallengeRow.sme_pk == OrganisationRow.pk
    ).where(ChallengeRow.status == "open")  # fmt: skip
    if council:
        q = q.where(OrganisationRow.council == council)
    return [
        OpenChallenge(i, c, sme, opened, deadline)
        for i, programmes, c, sme, opened, deadline in session.execute(q.order_by(ChallengeRow.external_id))
        if any_programme or programme in (programmes or ())
    ]


def facilities(*, session: Session) -> list[FacilityRecord]:
    """Every stored facility with its capacity and availability period, by id."""
    q = select(FacilityRow.external_id, FacilityRow.capacity, FacilityRow.council, FacilityRow.available_from,
               FacilityRow.available_to).order_by(FacilityRow.external_id)  # fmt: skip
    return [FacilityRecord(*row) for row in session.execute(q)]


def organisation_councils(ids: Any, *, session: Session) -> dict[str, str]:
    """``{organisation id: council}`` of the given organisations (unknown ids left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    q = select(OrganisationRow.external_id, OrganisationRow.council).where(
        OrganisationRow.external_id.in_(wanted)
    )
    return {str(a): str(b) for a, b in session.execute(q)}
