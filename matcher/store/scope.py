"""Row scope: who owns each record, and scoped, paged reads of the records a caller may see.

Access decisions are not taken here: callers pass a :class:`~matcher.domain.access.RowScope`
(what a caller may see) and this module turns it into SQL, so that pagination counts only
what the caller is allowed to read.  Every function takes ``*, session`` and never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from matcher import types as t
from matcher.domain.access import Ownership, RowScope
from matcher.exceptions import NotFoundError
from matcher.store.models import (
    ChallengeRow,
    DocumentRow,
    FacilityRow,
    OrganisationRow,
    PersonRow,
    ProfileRow,
)
from matcher.store.records import ROW_CLASSES, to_record


# --------------------------------------------------------------------------- ownership
def owner_select(entity: str) -> tuple[Any, Any, Any, Any]:
    """``(select, organisation external id, council, public)`` column expressions for ``entity``."""
    if entity == "organisations":
        o = OrganisationRow
        return select(o), o.external_id, o.council, and_(o.visibility == "public", o.consent.is_(True))
    if entity == "people":
        o = aliased(OrganisationRow)
        return select(PersonRow).join(o, PersonRow.organisation_pk == o.pk), o.external_id, o.council, false()
    if entity == "challenges":
        o = aliased(OrganisationRow)
        stmt = select(ChallengeRow).join(o, ChallengeRow.sme_pk == o.pk)
        return stmt, o.external_id, o.council, ChallengeRow.visibility == "public"
    if entity == "facilities":
        o = aliased(OrganisationRow)
        return (
            select(FacilityRow).join(o, FacilityRow.host_pk == o.pk),
            o.external_id,
            FacilityRow.council,
            true(),
        )
    if entity in ("profiles", "documents"):
        o1, o2, o3 = aliased(OrganisationRow), aliased(OrganisationRow), aliased(OrganisationRow)
        p, f = aliased(PersonRow), aliased(FacilityRow)
        base: Any = (
            select(DocumentRow).join(DocumentRow.profile) if entity == "documents" else select(ProfileRow)
        )
        stmt = (
            base.outerjoin(o1, ProfileRow.organisation_pk == o1.pk)
            .outerjoin(p, ProfileRow.person_pk == p.pk)
            .outerjoin(o2, p.organisation_pk == o2.pk)
            .outerjoin(f, ProfileRow.facility_pk == f.pk)
            .outerjoin(o3, f.host_pk == o3.pk)
        )
        org = func.coalesce(o1.external_id, o2.external_id, o3.external_id)
        council = func.coalesce(o1.council, o2.council, f.council)
        public = or_(
            and_(o1.pk.is_not(None), o1.visibility == "public", o1.consent.is_(True)), f.pk.is_not(None)
        )
        return stmt, org, council, public
    raise KeyError(entity)


def _scope_clause(scope: RowScope, org: Any, council: Any, public: Any) -> Any:
    if scope.everything:
        return true()
    parts = []
    if scope.organisation_ids:
        parts.append(org.in_(sorted(scope.organisation_ids)))
    if scope.councils:
        parts.append(council.in_(sorted(scope.councils)))
    if scope.public:
        parts.append(public)
    return or_(*parts) if parts else false()


def ownership(entity: str, external_id: str, *, session: Session) -> Ownership:
    """Ownership of a stored record; :class:`NotFoundError` when there is none."""
    found = ownerships(entity, [external_id], session=session).get(external_id)
    if found is None:
        raise NotFoundError(f"no {singular(entity)} with id {external_id!r}")
    return found


#: Ids per ``IN (...)`` query: well under SQLite's and PostgreSQL's bound-parameter limits.
_ID_CHUNK = 5_000


def ownerships(entity: str, external_ids: Collection[str], *, session: Session) -> dict[str, Ownership]:
    """Ownership of each stored record among ``external_ids`` (absent ids are left out); one query per 5,000."""
    cls: Any = ROW_CLASSES[entity]
    stmt, org, council, public = owner_select(entity)
    ids = sorted(set(external_ids))
    out: dict[str, Ownership] = {}
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        rows = session.execute(
            stmt.with_only_columns(cls.external_id, org, council, public).where(cls.external_id.in_(chunk))
        )
        out.update((ext, Ownership(o, c, bool(p))) for ext, o, c, p in rows)
    return out


def ownership_of_record(entity: str, record: Any, *, session: Session) -> Ownership:
    """Ownership a (new or changed) record would have, from the records it refers to."""
    return ownerships_of_records(entity, [record], session=session)[0]


def ownerships_of_records(entity: str, records: Sequence[Any], *, session: Session) -> list[Ownership]:
    """Ownership each (new or changed) record would have, from the records it refers to.

    The referenced records are read in one query per entity kind, whatever the number of
    records (an import of 100,000 rows makes a handful of queries, not 100,000).
    """
    nobody = Ownership(None, None, False)

    def lookup(target: str, refs: Iterable[str]) -> dict[str, Ownership]:
        return ownerships(target, [r for r in refs if r], session=session)

    if entity == "organisations":
        return [
            Ownership(r.id, r.council, r.visibility == t.Visibility.PUBLIC and r.consent) for r in records
        ]
    if entity == "people":
        orgs = lookup("organisations", (r.organisation_id for r in records))
        return [
            Ownership(r.organisation_id, orgs.get(r.organisation_id, nobody).council, False) for r in records
        ]
    if entity == "challenges":
        smes = lookup("organisations", (r.sme_id for r in records))
        return [
            Ownership(r.sme_id, smes.get(r.sme_id, nobody).council, r.visibility == t.Visibility.PUBLIC)
            for r in records
        ]
    if entity == "facilities":
        return [Ownership(r.host_id, r.council, True) for r in records]
    if entity == "profiles":
        target = {"organisation": "organisations", "person": "people", "facility": "facilities"}
        owners = {
            kind: lookup(name, (r.owner_id for r in records if r.owner_type.value == kind))
            for kind, name in target.items()
        }
        out = []
        for r in records:
            owner = owners[r.owner_type.value].get(r.owner_id, nobody)
            public = owner.public if r.owner_type != t.OwnerType.PERSON else False
            out.append(Ownership(owner.organisation_id, owner.council, public))
        return out
    if entity == "documents":
        profiles = lookup("profiles", (r.profile_id for r in records))
        return [profiles.get(r.profile_id, nobody) for r in records]
    raise KeyError(entity)


def singular(entity: str) -> str:
    return "person" if entity == "people" else entity.removesuffix("s").replace("facilitie", "facility")


# --------------------------------------------------------------------------- pages
#: Query filters per entity: parameter -> column expression builder (given the owner columns).
def _filter_columns(entity: str, org: Any, council: Any) -> dict[str, Any]:
    cls: Any = ROW_CLASSES[entity]
    common = {"id": cls.external_id}
    if entity == "organisations":
        return common | {
            "kind": cls.kind,
            "council": cls.council,
            "country": cls.country,
            "visibility": cls.visibility,
        }
    if entity == "people":
        return common | {"kind": cls.kind, "organisation_id": org}
    if entity == "challenges":
        return common | {
            "sme_id": org,
            "status": cls.status,
            "language": cls.language,
            "visibility": cls.visibility,
            "council": council,
            "sector": cls.sector,
        }
    if entity == "facilities":
        return common | {"kind": cls.kind, "council": cls.council, "host_id": org, "country": cls.country}
    if entity == "profiles":
        return common | {"owner_type": cls.owner_type, "organisation_id": org}
    if entity == "documents":
        return common | {"profile_id": ProfileRow.external_id, "kind": cls.kind, "language": cls.language}
    raise KeyError(entity)


FILTERS: dict[str, tuple[str, ...]] = {
    "organisations": ("kind", "council", "country", "visibility"),
    "people": ("kind", "organisation_id"),
    "challenges": ("sme_id", "status", "language", "visibility", "council", "sector"),
    "facilities": ("kind", "council", "host_id", "country"),
    "profiles": ("owner_type", "organisation_id"),
    "documents": ("profile_id", "kind", "language"),
}

#: The text column that ``q`` searches, and the sortable fields, per entity.
_TEXT_FIELD = {
    "organisations": "name",
    "people": "name",
    "challenges": "title",
    "facilities": "name",
    "profiles": "title",
    "documents": "title",
}
SORTS: dict[str, tuple[str, ...]] = {
    e: ("id", _TEXT_FIELD[e], "created_at", "updated_at") for e in _TEXT_FIELD
}


def version_of(row: Any) -> int | None:
    return getattr(row, "version", None)


def page(
    entity: str,
    *,
    scope: RowScope,
    filters: dict[str, str] | None = None,
    q: str | None = None,
    sort: str = "id",
    limit: int = 50,
    offset: int = 0,
    session: Session,
) -> tuple[list[tuple[Any, int | None]], int]:
    """One page of ``entity`` visible within ``scope``: ``([(record, version), ...], total)``."""
    cls: Any = ROW_CLASSES[entity]
    stmt, org, council, public = owner_select(entity)
    stmt = stmt.where(_scope_clause(scope, org, council, public))
    columns = _filter_columns(entity, org, council)
    for name, value in (filters or {}).items():
        stmt = stmt.where(columns[name] == value)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(getattr(cls, _TEXT_FIELD[entity]).ilike(f"%{escaped}%", escape="\\"))
    total = session.scalar(stmt.with_only_columns(func.count(cls.pk)).order_by(None)) or 0
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    column = cls.external_id if name == "id" else getattr(cls, name)
    order = [column.desc() if descending else column.asc()]
    if name != "id":
        order.append(cls.external_id.asc())
    rows = session.scalars(stmt.order_by(*order).limit(limit).offset(offset)).all()
    return [(to_record(entity, r), version_of(r)) for r in rows], total


def get_versioned(
    entity: str, external_id: str, *, session: Session, lock: bool = False
) -> tuple[Any, int | None]:
    """``(record, version)``; with ``lock``, the row is locked until the transaction ends (PostgreSQL)."""
    cls: Any = ROW_CLASSES[entity]
    stmt = select(cls).where(cls.external_id == external_id)
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:
        raise NotFoundError(f"no {singular(entity)} with id {external_id!r}")
    return to_record(entity, row), version_of(row)


def delete_record(entity: str, external_id: str, *, session: Session) -> None:
    cls: Any = ROW_CLASSES[entity]
    row = session.scalar(select(cls).where(cls.external_id == external_id))
    if row is None:
        raise NotFoundError(f"no {singular(entity)} with id {external_id!r}")
    session.delete(row)
    session.flush()
