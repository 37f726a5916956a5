"""Repository functions: domain records in and out of the database.

Every function takes ``*, session`` and never commits: the caller owns the
transaction (one per file on import, one per request in the API).  Records are
identified by their external ids; :func:`upsert` makes re-imports idempotent.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload

from matcher import types as t
from matcher.exceptions import ConflictError, NotFoundError
from matcher.store.models import (
    Base,
    ChallengeRow,
    CouncilRow,
    DocumentRow,
    FacilityRow,
    MatchRow,
    OrganisationRow,
    PersonRow,
    ProfileRow,
    RelationshipRow,
)

ROW_CLASSES: dict[str, type[Base]] = {
    "organisations": OrganisationRow,
    "people": PersonRow,
    "challenges": ChallengeRow,
    "facilities": FacilityRow,
    "profiles": ProfileRow,
    "documents": DocumentRow,
    "relationships": RelationshipRow,
}

#: Reference fields of each entity: field -> (entity it points at, ORM attribute holding the key).
REFERENCES: dict[str, dict[str, tuple[str, str]]] = {
    "organisations": {"parent_id": ("organisations", "parent_pk")},
    "people": {"organisation_id": ("organisations", "organisation_pk")},
    "challenges": {"sme_id": ("organisations", "sme_pk")},
    "facilities": {"host_id": ("organisations", "host_pk")},
    "documents": {"profile_id": ("profiles", "profile_pk")},
}

_OWNER_ATTR = {"organisation": "organisation_pk", "person": "person_pk", "facility": "facility_pk"}
_OWNER_ENTITY = {"organisation": "organisations", "person": "people", "facility": "facilities"}


# --------------------------------------------------------------------------- councils
def upsert_councils(councils: Iterable[t.Council], *, session: Session) -> int:
    n = 0
    for c in councils:
        row = session.get(CouncilRow, c.code) or CouncilRow(code=c.code)
        row.name, row.city, row.nuts2, row.region = c.name, c.city, c.nuts2, c.region
        row.country, row.languages = c.country, list(c.languages)
        session.add(row)
        n += 1
    session.flush()
    return n


def list_councils(*, session: Session) -> list[t.Council]:
    rows = session.scalars(select(CouncilRow).order_by(CouncilRow.code))
    return [t.Council(r.code, r.name, r.city, r.nuts2, r.region, r.country, tuple(r.languages)) for r in rows]


def organisation_ids_of_kind(kind: t.OrgKind, external_ids: Iterable[str], *, session: Session) -> set[str]:
    """Those of ``external_ids`` that name an organisation of ``kind``."""
    ids = list(set(external_ids))
    return set(
        session.scalars(
            select(OrganisationRow.external_id).where(
                OrganisationRow.kind == kind.value, OrganisationRow.external_id.in_(ids)
            )
        )
    )


def organisation_places(external_ids: Iterable[str], *, session: Session) -> dict[str, tuple[str, str, str]]:
    """External id -> ``(kind, council, country)`` of those of ``external_ids`` that exist."""
    ids = list(set(external_ids))
    out: dict[str, tuple[str, str, str]] = {}
    o = OrganisationRow
    for i in range(0, len(ids), 500):
        stmt = select(o.external_id, o.kind, o.council, o.country).where(o.external_id.in_(ids[i : i + 500]))
        out.update({ext: (kind, council, country) for ext, kind, council, country in session.execute(stmt)})
    return out


def organisation_dependants(external_ids: Iterable[str], *, session: Session) -> dict[str, tuple[int, int]]:
    """External id -> ``(challenges it posts, research groups it is the parent of)``, when not both 0."""
    ids = list(set(external_ids))
    out: dict[str, list[int]] = {}
    child = aliased(OrganisationRow)
    for i in range(0, len(ids), 500):
        chunk = OrganisationRow.external_id.in_(ids[i : i + 500])
        posts = select(OrganisationRow.external_id, func.count()).join(
            ChallengeRow, ChallengeRow.sme_pk == OrganisationRow.pk
        )
        for ext, n in session.execute(posts.where(chunk).group_by(OrganisationRow.external_id)):
            out.setdefault(ext, [0, 0])[0] = n
        parents = select(OrganisationRow.external_id, func.count()).join(
            child, child.parent_pk == OrganisationRow.pk
        )
        for ext, n in session.execute(parents.where(chunk).group_by(OrganisationRow.external_id)):
            out.setdefault(ext, [0, 0])[1] = n
    return {k: (v[0], v[1]) for k, v in out.items()}


def council_codes(*, session: Session) -> set[str]:
    return set(session.scalars(select(CouncilRow.code)))


# --------------------------------------------------------------------------- id maps
def id_map(entity: str, external_ids: Iterable[str] | None = None, *, session: Session) -> dict[str, int]:
    """External id -> primary key for ``entity`` (all rows, or only the given ids)."""
    cls: Any = ROW_CLASSES[entity]
    stmt = select(cls.external_id, cls.pk)
    if external_ids is not None:
        ids = list(set(external_ids))
        out: dict[str, int] = {}
        for i in range(0, len(ids), 500):
            out.update(dict(session.execute(stmt.where(cls.external_id.in_(ids[i : i + 500]))).all()))
        return out
    return dict(session.execute(stmt).all())


def _rows_by_external_id(cls: Any, external_ids: list[str], *, session: Session) -> list[Any]:
    """ORM rows with these external ids, fetched in chunks that every database accepts."""
    rows: list[Any] = []
    for i in range(0, len(external_ids), 500):
        rows.extend(session.scalars(select(cls).where(cls.external_id.in_(external_ids[i : i + 500]))))
    return rows


# --------------------------------------------------------------------------- conversion
def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, t.StrEnum):
        return value.value
    return value


def _row_values(entity: str, record: Any) -> dict[str, Any]:
    """Column values of ``record`` except references (resolved separately)."""
    skip = set(REFERENCES.get(entity, {})) | {"id"}
    if entity == "profiles":
        skip |= {"owner_id"}
    values = {
        f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record) if f.name not in skip
    }
    values["external_id"] = record.id
    return values


def upsert(entity: str, records: Sequence[Any], *, session: Session) -> Counter[str]:
    """Insert or update ``records`` of ``entity`` by external id.

    References must already resolve (ingest validates them first).  A row whose
    values are unchanged is left alone; a changed row gets ``version + 1``.

    Returns
    -------
    Counter with keys ``created``, ``updated``, ``unchanged``.
    """
    cls: Any = ROW_CLASSES[entity]
    refs = REFERENCES.get(entity, {})
    existing = {r.external_id: r for r in _rows_by_external_id(cls, [r.id for r in records], session=session)}
    targets: dict[str, dict[str, int]] = {}
    for ref_field, (target_entity, _attr) in refs.items():
        wanted = [getattr(r, ref_field) for r in records if getattr(r, ref_field)]
        targets[ref_field] = id_map(target_entity, wanted, session=session)
    owners: dict[str, dict[str, int]] = {}
    if entity == "profiles":
        for owner_type, owner_entity in _OWNER_ENTITY.items():
            wanted = [r.owner_id for r in records if r.owner_type == owner_type]
            owners[owner_type] = id_map(owner_entity, wanted, session=session) if wanted else {}

    counts: Counter[str] = Counter()
    deferred_parents: list[tuple[Any, str]] = []
    for record in records:
        values = _row_values(entity, record)
        for ref_field, (_target, attr) in refs.items():
            ref = getattr(record, ref_field)
            if ref is None:
                values[attr] = None
            elif ref in targets[ref_field]:
                values[attr] = targets[ref_field][ref]
            elif entity == "organisations":  # parent defined later in the same batch
                deferred_parents.append((record, ref))
                values[attr] = None
            else:
                raise NotFoundError(f"{entity} {record.id}: {ref_field} {ref!r} does not exist")
        if entity == "profiles":
            for owner_type, attr in _OWNER_ATTR.items():
                values[attr] = (
                    owners[owner_type].get(record.owner_id) if record.owner_type == owner_type else None
                )
        row = existing.get(record.id)
        if row is None:
            session.add(cls(**values))
            counts["created"] += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(row, k, v)
            if hasattr(row, "version"):
                row.version += 1
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    flush_or_conflict(session, entity)
    if deferred_parents:
        pks = id_map("organisations", [p for _, p in deferred_parents], session=session)
        rows = id_map("organisations", [r.id for r, _ in deferred_parents], session=session)
        for record, parent in deferred_parents:
            org = session.get(OrganisationRow, rows[record.id])
            assert org is not None
            org.parent_pk = pks[parent]
        flush_or_conflict(session, entity)
    return counts


def flush_or_conflict(session: Session, entity: str) -> None:
    """Flush, reporting a constraint the database refused as a conflict (a concurrent writer
    stored the same id first, or removed a record referred to) instead of a driver error."""
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ConflictError(
            f"{entity}: the database refused the change ({type(exc.orig).__name__}); "
            "another change may have been made meanwhile: read again and retry"
        ) from None


# --------------------------------------------------------------------------- reading
def _enum_or_none(enum: Any, value: Any) -> Any:
    return None if value is None else enum(value)


def to_record(entity: str, row: Any) -> Any:
    """The frozen dataclass for an ORM row."""
    if entity == "organisations":
        return t.Organisation(
            id=row.external_id, kind=t.OrgKind(row.kind), name=row.name, council=row.council,
            country=row.country, city=row.city, website=row.website, description=row.description,
            parent_id=row.parent.external_id if row.parent else None,
            size_class=_enum_or_none(t.SizeClass, row.size_class), nace=row.nace, sector=row.sector,
            founded=row.founded, employees=row.employees, consent=row.consent,
            visibility=t.Visibility(row.visibility),
        )  # fmt: skip
    if entity == "people":
        return t.Person(
            id=row.external_id, kind=t.PersonKind(row.kind), name=row.name,
            organisation_id=row.organisation.external_id, email=row.email, discipline=row.discipline,
            level=_enum_or_none(t.StudyLevel, row.level), department=row.department,
            skills=tuple(row.skills), languages=tuple(row.languages), available_from=row.available_from,
            available_to=row.available_to, willing_abroad=row.willing_abroad, consent=row.consent,
        )  # fmt: skip
    if entity == "challenges":
        return t.Challenge(
            id=row.external_id, sme_id=row.sme.external_id, title=row.title, description=row.description,
            language=row.language, sector=row.sector, required_skills=tuple(row.required_skills),
            programmes=tuple(t.Programme(p) for p in row.programmes), budget_min=row.budget_min,
            budget_max=row.budget_max, status=t.ChallengeStatus(row.status), opened=row.opened,
            deadline=row.deadline, visibility=t.Visibility(row.visibility),
        )  # fmt: skip
    if entity == "facilities":
        return t.Facility(
            id=row.external_id, host_id=row.host.external_id, kind=t.FacilityKind(row.kind), name=row.name,
            description=row.description, capacity=row.capacity, council=row.council, country=row.country,
            city=row.city, available_from=row.available_from, available_to=row.available_to,
            conditions=row.conditions,
        )  # fmt: skip
    if entity == "profiles":
        return t.CapabilityProfile(
            id=row.external_id,
            owner_type=t.OwnerType(row.owner_type),
            owner_id=row.owner_external_id,
            title=row.title,
        )
    if entity == "documents":
        return t.Document(
            id=row.external_id, profile_id=row.profile.external_id, kind=t.DocumentKind(row.kind),
            text=row.text, title=row.title, language=row.language, year=row.year,
        )  # fmt: skip
    if entity == "relationships":
        return t.Relationship(
            id=row.external_id, kind=t.RelationshipKind(row.kind), source_type=t.NodeType(row.source_type),
            source_id=row.source_id, target_type=t.NodeType(row.target_type), target_id=row.target_id,
            date=row.date, provenance=row.provenance,
        )  # fmt: skip
    raise KeyError(entity)


def list_records(entity: str, *, session: Session) -> list[Any]:
    """Every record of ``entity`` in external-id order."""
    cls: Any = ROW_CLASSES[entity]
    stmt = select(cls).order_by(cls.external_id)
    if entity == "profiles":  # the owner of each profile, in three queries instead of one per row
        stmt = stmt.options(
            selectinload(ProfileRow.organisation),
            selectinload(ProfileRow.person),
            selectinload(ProfileRow.facility),
        )
    elif _EAGER.get(entity):
        stmt = stmt.options(selectinload(getattr(cls, _EAGER[entity])))
    return [to_record(entity, r) for r in session.scalars(stmt)]


#: The related row that :func:`to_record` reads for an entity's external reference.
_EAGER = {"organisations": "parent", "people": "organisation", "challenges": "sme", "facilities": "host",
          "documents": "profile"}  # fmt: skip


def get_record(entity: str, external_id: str, *, session: Session) -> Any:
    cls: Any = ROW_CLASSES[entity]
    row = session.scalar(select(cls).where(cls.external_id == external_id))
    if row is None:
        raise NotFoundError(f"no {entity[:-1] if entity != 'people' else 'person'} with id {external_id!r}")
    return to_record(entity, row)


# --------------------------------------------------------------------------- statistics
def counts_by_council(*, session: Session) -> dict[str, dict[str, int]]:
    """``{council: {label: count}}`` for organisations by kind, people by kind, challenges, facilities."""
    out: dict[str, dict[str, int]] = {c: {} for c in council_codes(session=session)}

    def add(council: str, label: str, n: int) -> None:
        out.setdefault(council, {})[label] = out.get(council, {}).get(label, 0) + n

    for council, kind, n in session.execute(
        select(OrganisationRow.council, OrganisationRow.kind, func.count()).group_by(
            OrganisationRow.council, OrganisationRow.kind
        )
    ):
        add(council, kind, n)
    for council, kind, n in session.execute(
        select(OrganisationRow.council, PersonRow.kind, func.count())
        .join(PersonRow.organisation)
        .group_by(OrganisationRow.council, PersonRow.kind)
    ):
        add(council, kind, n)
    for council, n in session.execute(
        select(OrganisationRow.council, func.count()).join(ChallengeRow.sme).group_by(OrganisationRow.council)
    ):
        add(council, "challenges", n)
    for council, n in session.execute(
        select(FacilityRow.council, func.count()).group_by(FacilityRow.council)
    ):
        add(council, "facilities", n)
    return out


def table_counts(*, session: Session) -> dict[str, int]:
    out = {}
    for entity, cls in ROW_CLASSES.items():
        out[entity] = session.scalar(select(func.count()).select_from(cls)) or 0
    out["match_records"] = session.scalar(select(func.count()).select_from(MatchRow)) or 0
    return out
