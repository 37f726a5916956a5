"""Repository functions the API needs: API keys, ownership, scoped pages, match records.

Like :mod:`matcher.store.repository`, every function takes ``*, session`` and never
commits.  Access decisions are not taken here: callers pass a :class:`RowScope`
(what a caller may see) and this module turns it into SQL, so that pagination
counts only what the caller is allowed to read.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, false, func, or_, select, true, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from matcher import types as t
from matcher.exceptions import NotFoundError
from matcher.store.models import (
    ApiKeyRow,
    ChallengeRow,
    DocumentRow,
    FacilityRow,
    MatchEventRow,
    MatchRow,
    OrganisationRow,
    PersonRow,
    ProfileRow,
    RelationshipRow,
)
from matcher.store.repository import ROW_CLASSES, to_record


# --------------------------------------------------------------------------- API keys
@dataclass(frozen=True)
class ApiKey:
    """A stored API key (never the key itself: only its prefix is kept in clear)."""

    id: int
    prefix: str
    role: str
    organisation_id: str | None
    council: str | None
    label: str
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Timestamps as aware UTC datetimes (SQLite hands them back naive)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.pk,
        prefix=row.prefix,
        role=row.role,
        organisation_id=row.organisation.external_id if row.organisation else None,
        council=row.council,
        label=row.label,
        created_at=_utc(row.created_at),
        revoked_at=_utc(row.revoked_at),
    )


def add_api_key(
    *,
    prefix: str,
    key_hash: str,
    role: str,
    organisation_id: str | None,
    council: str | None,
    label: str,
    session: Session,
) -> ApiKey:
    org_pk = None
    if organisation_id is not None:
        org_pk = session.scalar(
            select(OrganisationRow.pk).where(OrganisationRow.external_id == organisation_id)
        )
        if org_pk is None:
            raise NotFoundError(f"no organisation with id {organisation_id!r}")
    row = ApiKeyRow(
        prefix=prefix, key_hash=key_hash, role=role, organisation_pk=org_pk, council=council, label=label
    )
    session.add(row)
    session.flush()
    session.refresh(row)
    return _key(row)


def find_api_key(key_hash: str, *, session: Session) -> ApiKey | None:
    row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash))
    return _key(row) if row is not None else None


def list_api_keys(*, session: Session) -> list[ApiKey]:
    return [_key(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.pk))]


def revoke_api_key(key_id: int, *, session: Session) -> ApiKey:
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        raise NotFoundError(f"no API key with id {key_id}")
    if row.revoked_at is None:
        row.revoked_at = dt.datetime.now(dt.UTC)
        session.flush()
    return _key(row)


def set_api_key_prefix(key_id: int, prefix: str, *, session: Session) -> None:
    row = session.get(ApiKeyRow, key_id)
    if row is not None:
        row.prefix = prefix
        session.flush()


def council_exists(code: str, *, session: Session) -> bool:
    from matcher.store.models import CouncilRow

    return session.get(CouncilRow, code) is not None


def managed_organisations(organisation_id: str, *, session: Session) -> frozenset[str]:
    """The organisation and its children (a university's research groups)."""
    parent = aliased(OrganisationRow)
    children = session.scalars(
        select(OrganisationRow.external_id)
        .join(parent, OrganisationRow.parent_pk == parent.pk)
        .where(parent.external_id == organisation_id)
    )
    return frozenset([organisation_id, *children])


# --------------------------------------------------------------------------- ownership
@dataclass(frozen=True)
class Ownership:
    """Who a record belongs to: the organisation answerable for it, its council, and
    whether the programme at large may read it."""

    organisation_id: str | None
    council: str | None
    public: bool


@dataclass(frozen=True)
class RowScope:
    """What a caller may read: everything, or rows of these organisations or councils, or public rows."""

    everything: bool = False
    organisation_ids: frozenset[str] = field(default_factory=frozenset)
    councils: frozenset[str] = field(default_factory=frozenset)
    public: bool = False


def _owner_select(entity: str) -> tuple[Any, Any, Any, Any]:
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
        raise NotFoundError(f"no {_singular(entity)} with id {external_id!r}")
    return found


#: Ids per ``IN (...)`` query: well under SQLite's and PostgreSQL's bound-parameter limits.
_ID_CHUNK = 5_000


def ownerships(entity: str, external_ids: Collection[str], *, session: Session) -> dict[str, Ownership]:
    """Ownership of each stored record among ``external_ids`` (absent ids are left out); one query per 5,000."""
    cls: Any = ROW_CLASSES[entity]
    stmt, org, council, public = _owner_select(entity)
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


def _singular(entity: str) -> str:
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
    stmt, org, council, public = _owner_select(entity)
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
        raise NotFoundError(f"no {_singular(entity)} with id {external_id!r}")
    return to_record(entity, row), version_of(row)


def delete_record(entity: str, external_id: str, *, session: Session) -> None:
    cls: Any = ROW_CLASSES[entity]
    row = session.scalar(select(cls).where(cls.external_id == external_id))
    if row is None:
        raise NotFoundError(f"no {_singular(entity)} with id {external_id!r}")
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- match records
class Contact(StrEnum):
    """Where a contact request on a private challenge stands (see :mod:`matcher.services.outcomes`)."""

    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


#: How a contact step is stored in ``match_events.status`` (a String(16) column shared with the
#: match statuses; a contact step leaves the record's own status unchanged).
_CONTACT_STORED = {
    Contact.REQUESTED: "contact_request",
    Contact.APPROVED: "contact_approved",
    Contact.DECLINED: "contact_declined",
}
_CONTACT_READ = {v: k for k, v in _CONTACT_STORED.items()}


@dataclass(frozen=True)
class MatchStep(t.MatchEvent):
    """A match event as stored: a status change, or a contact step (``contact`` set).

    A contact step carries the status the record had when it happened.
    """

    contact: Contact | None = None


def contact_of(event: t.MatchEvent) -> Contact | None:
    """The contact step an event stands for, or ``None`` for a status change."""
    return getattr(event, "contact", None)


def contact_state(match: t.MatchRecord) -> Contact | None:
    """The latest contact step of a match record (``None``: contact never requested)."""
    steps = [c for c in (contact_of(e) for e in match.history) if c is not None]
    return steps[-1] if steps else None


def new_match_id() -> str:
    """A fresh random external id for a match record.

    Random rather than derived from the pair: the id of a record on a private challenge is
    shown to candidates as the challenge's only reference, and a hash of guessable ids
    (challenge, candidate, type) could be reversed by trying challenge ids.
    """
    return f"m-{secrets.token_hex(10)}"


def _match(row: MatchRow) -> t.MatchRecord:
    history: list[t.MatchEvent] = []
    status = t.MatchStatus.PROPOSED
    for e in row.events:
        contact = _CONTACT_READ.get(e.status)
        if contact is None:
            status = t.MatchStatus(e.status)
        history.append(
            MatchStep(
                status=status,
                at=_utc(e.at) or e.at,
                actor=e.actor,
                reason=t.DeclineReason(e.reason) if e.reason else None,
                note=e.note,
                rating=e.rating,
                contact=contact,
            )
        )
    return t.MatchRecord(
        id=row.external_id,
        match_type=t.Programme(row.match_type),
        challenge_id=row.challenge.external_id,
        candidate_type=t.NodeType(row.candidate_type),
        candidate_id=row.candidate_id,
        score=row.score,
        reasons=dict(row.reasons or {}),
        status=t.MatchStatus(row.status),
        decline_reason=t.DeclineReason(row.decline_reason) if row.decline_reason else None,
        rating=row.rating,
        history=tuple(history),
    )


@dataclass(frozen=True)
class Suggestion:
    """One ranked candidate as the matcher returns it (``reasons`` JSON-ready).

    For the challenges a profile fits, a private challenge the caller may not read is
    *anonymised*: ``candidate_id`` is then the id of the match record that stands for it
    (``match_id``), ``summary`` holds what may be shown (sector, council, country, language,
    skills, programmes) and ``contact`` where a contact request stands.
    """

    candidate_type: t.NodeType
    candidate_id: str
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)
    anonymised: bool = False
    match_id: str | None = None
    contact: Contact | None = None
    summary: dict[str, Any] | None = None


def _insert_or_get_match(
    match_type: t.Programme, challenge_pk: int, s: Suggestion, *, session: Session
) -> MatchRow:
    """A new ``proposed`` record for the pair, or the one a concurrent request stored first.

    Two first views of the same pair may race; the loser's insert violates the pair's
    unique constraint inside a savepoint, which is rolled back, and the winner's row is used.
    """
    row = MatchRow(
        external_id=new_match_id(),
        match_type=match_type.value,
        challenge_pk=challenge_pk,
        candidate_type=s.candidate_type.value,
        candidate_id=s.candidate_id,
        score=float(s.score),
        reasons=s.reasons,
        status=t.MatchStatus.PROPOSED.value,
        version=1,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        winner = session.scalar(
            select(MatchRow).where(
                MatchRow.match_type == match_type.value,
                MatchRow.challenge_pk == challenge_pk,
                MatchRow.candidate_type == s.candidate_type.value,
                MatchRow.candidate_id == s.candidate_id,
            )
        )
        if winner is None:  # the conflict was something else: let it surface
            raise
        return winner
    return row


def record_suggestions(
    match_type: t.Programme, challenge_id: str, suggestions: Sequence[Suggestion], *, session: Session
) -> list[tuple[t.MatchRecord, int]]:
    """Store ranked suggestions as match records (new ones ``proposed``; others keep their status).

    A record is found by its pair (type, challenge, candidate), so each pair has one record
    whichever direction (a challenge's matches, a profile's challenges) showed it first.
    """
    challenge_pk = session.scalar(select(ChallengeRow.pk).where(ChallengeRow.external_id == challenge_id))
    if challenge_pk is None:
        raise NotFoundError(f"no challenge with id {challenge_id!r}")
    wanted = [(s.candidate_type.value, s.candidate_id) for s in suggestions]
    existing: dict[tuple[str, str], MatchRow] = {}
    if wanted:
        existing = {
            (r.candidate_type, r.candidate_id): r
            for r in session.scalars(
                select(MatchRow)
                .options(
                    selectinload(MatchRow.events), joinedload(MatchRow.challenge)
                )  # one query, not 2 per row
                .where(
                    MatchRow.match_type == match_type.value,
                    MatchRow.challenge_pk == challenge_pk,
                    tuple_(MatchRow.candidate_type, MatchRow.candidate_id).in_(wanted),
                )
            )
        }
    rows = []
    for pair, s in zip(wanted, suggestions, strict=True):
        row = existing.get(pair)
        if row is None:
            row = _insert_or_get_match(match_type, challenge_pk, s, session=session)
            existing[pair] = row
        elif row.status == t.MatchStatus.PROPOSED.value:
            row.score, row.reasons = float(s.score), s.reasons
        rows.append(row)
    session.flush()
    return [(_match(r), r.version) for r in rows]


def pair_matches(
    challenge_id: str, candidate_type: str, candidate_id: str, *, session: Session
) -> list[tuple[t.MatchRecord, int]]:
    """Every match record (of any type) between a challenge and a candidate."""
    rows = session.scalars(
        select(MatchRow)
        .join(MatchRow.challenge)
        .where(
            ChallengeRow.external_id == challenge_id,
            MatchRow.candidate_type == candidate_type,
            MatchRow.candidate_id == candidate_id,
        )
        .order_by(MatchRow.pk)
    )
    return [(_match(r), r.version) for r in rows]


def get_match(match_id: str, *, session: Session, lock: bool = False) -> tuple[t.MatchRecord, int]:
    stmt = select(MatchRow).where(MatchRow.external_id == match_id)
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:
        raise NotFoundError(f"no match with id {match_id!r}")
    return _match(row), row.version


def apply_match_event(
    match_id: str,
    event: t.MatchEvent,
    *,
    status: t.MatchStatus,
    decline_reason: t.DeclineReason | None,
    rating: int | None,
    session: Session,
) -> tuple[t.MatchRecord, int]:
    """Append ``event`` to a match record, set its status, reason and rating, and bump its version."""
    row = session.scalar(select(MatchRow).where(MatchRow.external_id == match_id))
    if row is None:
        raise NotFoundError(f"no match with id {match_id!r}")
    row.status = status.value
    row.decline_reason = decline_reason.value if decline_reason else None
    row.rating = rating
    row.version += 1
    row.events.append(
        MatchEventRow(
            status=event.status.value,
            at=event.at,
            actor=event.actor,
            reason=event.reason.value if event.reason else None,
            note=event.note,
            rating=event.rating,
        )
    )
    session.flush()
    session.refresh(row)
    return _match(row), row.version


def append_contact_step(
    match_id: str,
    contact: Contact,
    *,
    at: dt.datetime,
    actor: str,
    reason: t.DeclineReason | None,
    note: str,
    session: Session,
) -> tuple[t.MatchRecord, int]:
    """Append a dated, attributed contact step to a match record (its status is unchanged); bump its version."""
    row = session.scalar(select(MatchRow).where(MatchRow.external_id == match_id))
    if row is None:
        raise NotFoundError(f"no match with id {match_id!r}")
    row.version += 1
    row.events.append(
        MatchEventRow(
            status=_CONTACT_STORED[contact],
            at=at,
            actor=actor,
            reason=reason.value if reason else None,
            note=note,
            rating=None,
        )
    )
    session.flush()
    session.refresh(row)
    return _match(row), row.version


def list_matches(*, limit: int, offset: int, session: Session) -> tuple[list[t.MatchRecord], int]:
    total = session.scalar(select(func.count(MatchRow.pk))) or 0
    rows = session.scalars(select(MatchRow).order_by(MatchRow.pk).limit(limit).offset(offset))
    return [_match(r) for r in rows], total


def challenge_matches(
    challenge_id: str,
    *,
    match_types: Sequence[str],
    status: str | None = None,
    session: Session,
) -> list[tuple[t.MatchRecord, int]]:
    """Stored match records of a challenge (of the given types), by type and then best score first."""
    stmt = (
        select(MatchRow)
        .join(MatchRow.challenge)
        .where(ChallengeRow.external_id == challenge_id, MatchRow.match_type.in_(list(match_types)))
        .order_by(MatchRow.match_type, MatchRow.score.desc(), MatchRow.external_id)
    )
    if status is not None:
        stmt = stmt.where(MatchRow.status == status)
    return [(_match(r), r.version) for r in session.scalars(stmt)]


# --------------------------------------------------------------------------- relationships
#: Node type of a relationship end -> the entity it names.
NODE_ENTITY = {
    "organisation": "organisations",
    "person": "people",
    "facility": "facilities",
    "challenge": "challenges",
}


def _end_in_scope(type_col: Any, id_col: Any, scope: RowScope) -> Any:
    """SQL: the end ``(type_col, id_col)`` names a record of the scope's organisations or councils."""
    if scope.everything:
        return true()
    parts = []
    for node_type, entity in NODE_ENTITY.items():
        cls: Any = ROW_CLASSES[entity]
        stmt, org, council, _public = _owner_select(entity)
        conditions = []
        if scope.organisation_ids:
            conditions.append(org.in_(sorted(scope.organisation_ids)))
        if scope.councils:
            conditions.append(council.in_(sorted(scope.councils)))
        if conditions:
            ids = stmt.with_only_columns(cls.external_id).where(or_(*conditions))
            parts.append(and_(type_col == node_type, id_col.in_(ids)))
    return or_(*parts) if parts else false()


RELATIONSHIP_SORTS = ("id", "date", "created_at", "updated_at")


def relationship_page(
    *,
    scope: RowScope,
    node_type: str | None = None,
    node_id: str | None = None,
    kind: str | None = None,
    sort: str = "id",
    limit: int = 50,
    offset: int = 0,
    session: Session,
) -> tuple[list[t.Relationship], int]:
    """Relationships with at least one end within ``scope``, optionally touching a node, of a kind."""
    r = RelationshipRow
    stmt = select(r).where(
        or_(
            _end_in_scope(r.source_type, r.source_id, scope), _end_in_scope(r.target_type, r.target_id, scope)
        )
    )
    if node_id is not None:
        source, target = r.source_id == node_id, r.target_id == node_id
        if node_type is not None:
            source, target = (
                and_(source, r.source_type == node_type),
                and_(target, r.target_type == node_type),
            )
        stmt = stmt.where(or_(source, target))
    elif node_type is not None:
        stmt = stmt.where(or_(r.source_type == node_type, r.target_type == node_type))
    if kind is not None:
        stmt = stmt.where(r.kind == kind)
    total = session.scalar(stmt.with_only_columns(func.count(r.pk)).order_by(None)) or 0
    name = sort.lstrip("-")
    column = r.external_id if name == "id" else getattr(r, name)
    order = [column.desc() if sort.startswith("-") else column.asc()]
    if name != "id":
        order.append(r.external_id.asc())
    rows = session.scalars(stmt.order_by(*order).limit(limit).offset(offset))
    return [to_record("relationships", row) for row in rows], total


def end_ownership(node_type: str, node_id: str, *, session: Session) -> Ownership | None:
    """Ownership of the record a relationship end names; ``None`` when it no longer exists."""
    try:
        return ownership(NODE_ENTITY[node_type], node_id, session=session)
    except NotFoundError:
        return None
