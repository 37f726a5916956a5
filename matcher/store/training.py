"""Training modules and self-assessments: upsert, read, delete (the caller owns the session)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.exceptions import Location, NotFoundError, ValidationError
from matcher.store.models import AssessmentRow, CouncilRow, OrganisationRow, TrainingModuleRow
from matcher.store.records import flush_or_conflict

__all__ = [
    "delete",
    "get",
    "list_assessments",
    "list_modules",
    "ownership",
    "upsert",
]

_ROWS = {"training_modules": TrainingModuleRow, "assessments": AssessmentRow}


def _orgs(ids: set[str], *, session: Session) -> dict[str, OrganisationRow]:
    rows = session.scalars(select(OrganisationRow).where(OrganisationRow.external_id.in_(sorted(ids)))).all()
    return {r.external_id: r for r in rows}


def _module(row: TrainingModuleRow) -> t.TrainingModule:
    return t.TrainingModule(
        id=row.external_id, provider_id=row.provider.external_id, title=row.title, description=row.description,
        council=row.council, language=row.language, skills=tuple(row.skills or ()), areas=tuple(row.areas or ()),
        format=t.TrainingFormat(row.format), starts=row.starts, ends=row.ends, places=row.places,
    )  # fmt: skip


def _assessment(row: AssessmentRow) -> t.Assessment:
    return t.Assessment(row.external_id, row.sme.external_id, row.assessed_on, row.area, row.score, row.note)


def upsert(
    entity: str,
    records: Sequence[t.TrainingModule | t.Assessment],
    *,
    session: Session,
    areas: frozenset[str],
    locations: Sequence[Location] | None = None,
) -> dict[str, int]:
    """Insert or update records by external id; ``{"created", "updated", "unchanged"}``.

    One call looks up all the records' references and existing rows at once, so importers
    pass a file's rows in batches (``locations``: each record's file and line, for errors).

    Raises
    ------
    ValidationError
        A reference that does not resolve (provider, SME, council, area), with the field
        (and the record's file and line when ``locations`` are given).
    """
    cls: Any = _ROWS[entity]
    ids = {r.provider_id if isinstance(r, t.TrainingModule) else r.sme_id for r in records}
    orgs = _orgs(ids, session=session)
    councils = set(session.scalars(select(CouncilRow.code)).all())
    existing = {
        r.external_id: r
        for r in session.scalars(select(cls).where(cls.external_id.in_([r.id for r in records]))).all()
    }
    taken = _assessment_keys(orgs, session=session) if entity == "assessments" else {}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for i, rec in enumerate(records):
        at = locations[i] if locations is not None else Location()
        row = existing.get(rec.id)
        if isinstance(rec, t.TrainingModule):
            org = orgs.get(rec.provider_id)
            if org is None:
                raise ValidationError(
                    f"no organisation with id {rec.provider_id!r}", replace(at, field="provider_id")
                )
            if rec.council not in councils:
                raise ValidationError(f"unknown council {rec.council!r}", replace(at, field="council"))
            bad = [a for a in rec.areas if a not in areas]
            if bad:
                raise ValidationError(f"unknown assessment area {bad[0]!r}", replace(at, field="areas"))
            values = dict(provider_pk=org.pk, title=rec.title, description=rec.description, council=rec.council,
                          language=rec.language, skills=list(rec.skills), areas=list(rec.areas),
                          format=rec.format.value, starts=rec.starts, ends=rec.ends, places=rec.places)  # fmt: skip
        else:
            org = orgs.get(rec.sme_id)
            if org is None or org.kind != t.OrgKind.SME.value:
                raise ValidationError(f"no SME with id {rec.sme_id!r}", replace(at, field="sme_id"))
            if rec.area not in areas:
                raise ValidationError(f"unknown assessment area {rec.area!r}", replace(at, field="area"))
            values = dict(
                sme_pk=org.pk, assessed_on=rec.assessed_on, area=rec.area, score=rec.score, note=rec.note
            )
            key = (org.pk, rec.assessed_on, rec.area)  # one assessment per SME, area and date
            holder = taken.get(key)
            if holder is not None and holder != rec.id:
                raise ValidationError(
                    f"SME {rec.sme_id!r} already has an assessment of {rec.area!r} on {rec.assessed_on} "
                    f"(id {holder!r}); give that id to update it",
                    replace(at, field="assessed_on"),
                )
            if row is not None:  # its own old key is free again
                taken.pop((row.sme_pk, row.assessed_on, row.area), None)
            taken[key] = rec.id
        if row is None:
            session.add(cls(external_id=rec.id, **values))
            counts["created"] += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.version += 1
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    flush_or_conflict(session, entity)  # another writer may have stored the same key meanwhile
    return counts


def _assessment_keys(orgs: dict[str, OrganisationRow], *, session: Session) -> dict[tuple[Any, ...], str]:
    """(SME, date, area) -> id of the stored assessments of these SMEs (the table's unique key)."""
    pks = [o.pk for o in orgs.values()]
    rows = session.execute(
        select(
            AssessmentRow.sme_pk, AssessmentRow.assessed_on, AssessmentRow.area, AssessmentRow.external_id
        ).where(AssessmentRow.sme_pk.in_(pks))
    ).all()
    return {(sme, on, area): eid for sme, on, area, eid in rows}


def _row(entity: str, external_id: str, *, session: Session) -> TrainingModuleRow | AssessmentRow:
    cls: Any = _ROWS[entity]
    rel = TrainingModuleRow.provider if cls is TrainingModuleRow else AssessmentRow.sme
    row = session.scalar(select(cls).options(selectinload(rel)).where(cls.external_id == external_id))
    if row is None:
        name = "training module" if entity == "training_modules" else "assessment"
        raise NotFoundError(f"no {name} with id {external_id!r}")
    return row


def get(entity: str, external_id: str, *, session: Session) -> tuple[t.TrainingModule | t.Assessment, int]:
    """The record and its version; :class:`NotFoundError` when unknown."""
    row = _row(entity, external_id, session=session)
    rec = _module(row) if isinstance(row, TrainingModuleRow) else _assessment(row)
    return rec, row.version


def ownership(entity: str, external_id: str, *, session: Session) -> Ownership:
    """Modules: the provider answers, in the module's council, public.  Assessments: the SME, private."""
    row = _row(entity, external_id, session=session)
    if isinstance(row, TrainingModuleRow):
        return Ownership(row.provider.external_id, row.council, True)
    return Ownership(row.sme.external_id, row.sme.council, False)


def delete(entity: str, external_id: str, *, session: Session) -> None:
    session.delete(_row(entity, external_id, session=session))
    session.flush()


def list_modules(*, session: Session, council: str | None = None) -> list[t.TrainingModule]:
    q = select(TrainingModuleRow).options(selectinload(TrainingModuleRow.provider))
    if council:
        q = q.where(TrainingModuleRow.council == council)
    return [_module(r) for r in session.scalars(q.order_by(TrainingModuleRow.external_id)).all()]


def list_assessments(
    *, session: Session, sme_id: str | None = None, council: str | None = None
) -> list[t.Assessment]:
    """Assessment rows by SME, date, area."""
    q = select(AssessmentRow).join(AssessmentRow.sme).options(selectinload(AssessmentRow.sme))
    if sme_id:
        q = q.where(OrganisationRow.external_id == sme_id)
    if council:
        q = q.where(OrganisationRow.council == council)
    q = q.order_by(OrganisationRow.external_id, AssessmentRow.assessed_on, AssessmentRow.area)
    return [_assessment(r) for r in session.scalars(q).all()]


def sme_councils(*, session: Session, council: str | None = None) -> dict[str, str]:
    """``{sme id: council}`` of every stored SME (of ``council``)."""
    q = select(OrganisationRow.external_id, OrganisationRow.council).where(OrganisationRow.kind == "sme")
    if council:
        q = q.where(OrganisationRow.council == council)
    return {str(a): str(b) for a, b in session.execute(q).all()}
