"""Suggestions and their outcomes: who may see a match, and what a decision changes.

A suggestion becomes a *match record* (``proposed``) the first time it is shown.
Decisions move it along::

    proposed -> accepted -> meeting_held -> completed
    proposed | accepted | meeting_held -> declined (with a reason category)

and a rating (1-5) may be given once a match was accepted.  Each decision appends a
dated, attributed event to the record; accepting creates a ``match_accepted``
relationship, completing creates ``consultancy_completed`` (consultancy),
``placement_held`` (placement) or ``shared_facility`` (facility) -- the collaboration
graph grows from what actually happened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from matcher import types as t
from matcher.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from matcher.services import access
from matcher.services.access import Principal, Role
from matcher.store import Session
from matcher.store import api_repository as api_repo
from matcher.store import repository as repo
from matcher.store.api_repository import Ownership, Suggestion

CANDIDATE_ENTITY = {
    t.NodeType.ORGANISATION: "organisations",
    t.NodeType.PERSON: "people",
    t.NodeType.FACILITY: "facilities",
    t.NodeType.CHALLENGE: "challenges",
}


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    MEETING_HELD = "meeting_held"
    COMPLETE = "complete"
    RATE = "rate"


_TARGET = {
    Action.ACCEPT: t.MatchStatus.ACCEPTED,
    Action.DECLINE: t.MatchStatus.DECLINED,
    Action.MEETING_HELD: t.MatchStatus.MEETING_HELD,
    Action.COMPLETE: t.MatchStatus.COMPLETED,
}
_ALLOWED_FROM: dict[Action, frozenset[t.MatchStatus]] = {
    Action.ACCEPT: frozenset({t.MatchStatus.PROPOSED}),
    Action.DECLINE: frozenset({t.MatchStatus.PROPOSED, t.MatchStatus.ACCEPTED, t.MatchStatus.MEETING_HELD}),
    Action.MEETING_HELD: frozenset({t.MatchStatus.ACCEPTED}),
    Action.COMPLETE: frozenset({t.MatchStatus.ACCEPTED, t.MatchStatus.MEETING_HELD}),
    Action.RATE: frozenset({t.MatchStatus.ACCEPTED, t.MatchStatus.MEETING_HELD, t.MatchStatus.COMPLETED}),
}
_COMPLETED_KIND = {
    t.Programme.CONSULTANCY: t.RelationshipKind.CONSULTANCY_COMPLETED,
    t.Programme.PLACEMENT: t.RelationshipKind.PLACEMENT_HELD,
    t.Programme.FACILITY: t.RelationshipKind.SHARED_FACILITY,
}


# --------------------------------------------------------------------------- who sees what
def _candidate_owner(candidate_type: t.NodeType, candidate_id: str, *, session: Session) -> Ownership | None:
    try:
        return api_repo.ownership(CANDIDATE_ENTITY[candidate_type], candidate_id, session=session)
    except NotFoundError:
        return None


def check_suggestions_allowed(
    principal: Principal, challenge_id: str, match_type: t.Programme, *, session: Session
) -> Ownership:
    """The challenge's ownership when the caller may ask for its suggestions of ``match_type``.

    The owner SME, its council and admins may; coordinators may ask for consultancy and
    placement suggestions on challenges they can read (and see only their own university's
    candidates).  A challenge the caller cannot read is not found.
    """
    owner = access.require_read(principal, "challenges", challenge_id, session=session)
    if match_type not in access.MATCH_TYPES[principal.role]:
        raise PermissionDeniedError(
            f"a {principal.role.value} key cannot ask for {match_type.value} suggestions"
        )
    if principal.role != Role.COORDINATOR and not access.answerable_for(principal, owner):
        raise PermissionDeniedError("only the challenge's SME, its council or an admin see its suggestions")
    return owner


def visible_candidates(
    principal: Principal,
    challenge_owner: Ownership,
    matches: Sequence[tuple[t.MatchRecord, int]],
    *,
    session: Session,
) -> list[tuple[t.MatchRecord, int]]:
    """Suggestions the caller may see: all of them for the challenge's side, its own candidates otherwise."""
    if access.answerable_for(principal, challenge_owner):
        return list(matches)
    out = []
    for match, version in matches:
        owner = _candidate_owner(match.candidate_type, match.candidate_id, session=session)
        if owner is not None and access.answerable_for(principal, owner):
            out.append((match, version))
    return out


def _sides(principal: Principal, match: t.MatchRecord, *, session: Session) -> tuple[bool, bool]:
    """``(speaks for the challenge, speaks for the candidate)``; not found when the caller may see neither."""
    try:
        challenge_owner = access.require_read(principal, "challenges", match.challenge_id, session=session)
    except NotFoundError:
        raise NotFoundError(f"no match with id {match.id!r}") from None
    challenge_side = access.answerable_for(principal, challenge_owner)
    owner = _candidate_owner(match.candidate_type, match.candidate_id, session=session)
    candidate_side = owner is not None and access.answerable_for(principal, owner)
    if not (challenge_side or candidate_side):
        raise NotFoundError(f"no match with id {match.id!r}")
    return challenge_side, candidate_side


def get_match(match_id: str, principal: Principal, *, session: Session) -> tuple[t.MatchRecord, int]:
    match, version = api_repo.get_match(match_id, session=session)
    _sides(principal, match, session=session)
    return match, version


# --------------------------------------------------------------------------- suggestions
def record_suggestions(
    match_type: t.Programme, challenge_id: str, suggestions: Sequence[Suggestion], *, session: Session
) -> list[tuple[t.MatchRecord, int]]:
    """Store ranked suggestions (first occurrence of a candidate wins) as match records."""
    seen: set[tuple[t.NodeType, str]] = set()
    unique = []
    for s in suggestions:
        if (s.candidate_type, s.candidate_id) not in seen:
            seen.add((s.candidate_type, s.candidate_id))
            unique.append(s)
    return api_repo.record_suggestions(match_type, challenge_id, unique, session=session)


def readable_filter(principal: Principal, entity: str, *, session: Session) -> Callable[[str], bool]:
    """A predicate telling whether the caller may read a record of ``entity`` by id."""

    def ok(external_id: str) -> bool:
        try:
            access.require_read(principal, entity, external_id, session=session)
        except (NotFoundError, PermissionDeniedError):
            return False
        return True

    return ok


# --------------------------------------------------------------------------- decisions
def decide(
    match_id: str,
    action: Action | str,
    principal: Principal,
    *,
    reason: t.DeclineReason | None = None,
    note: str = "",
    rating: int | None = None,
    on: dt.date | None = None,
    expected_version: int | None = None,
    session: Session,
    now: dt.datetime | None = None,
) -> tuple[t.MatchRecord, int]:
    """Record a decision on a match; returns the updated record and its version.

    Raises
    ------
    ValidationError
        A decline without a reason, a rating outside 1-5, a reason on anything but a decline.
    ConflictError
        The decision does not follow from the current status, or ``expected_version`` is stale.
    """
    from matcher.services.records import StaleVersionError

    action = Action(action)
    match, version = api_repo.get_match(match_id, session=session, lock=True)
    _sides(principal, match, session=session)
    if principal.role in (Role.TRAINER, Role.EVALUATOR):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot decide on matches")
    if expected_version is not None and expected_version != version:
        raise StaleVersionError(f"match {match_id} is at version {version}, not {expected_version}")
    if action == Action.DECLINE and reason is None:
        raise ValidationError("a decline needs a reason category")
    if action != Action.DECLINE and reason is not None:
        raise ValidationError("only a decline takes a reason category")
    if action == Action.RATE and rating is None:
        raise ValidationError("a rating (1-5) is needed")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(f"a rating is between 1 and 5, not {rating}")
    if rating is not None and action not in (Action.RATE, Action.COMPLETE):
        raise ValidationError("a rating goes with 'rate' or 'complete'")
    if match.status not in _ALLOWED_FROM[action]:
        raise ConflictError(f"cannot {action.value} a match that is {match.status.value}")

    now = now or dt.datetime.now(dt.UTC)
    on = on or now.date()
    status = _TARGET.get(action, match.status)
    event = t.MatchEvent(
        status=status, at=now, actor=principal.actor, reason=reason, note=note, rating=rating
    )
    updated = api_repo.apply_match_event(
        match_id,
        event,
        status=status,
        decline_reason=reason if action == Action.DECLINE else None,
        rating=rating if rating is not None else match.rating,
        session=session,
    )
    kind = None
    if action == Action.ACCEPT:
        kind = t.RelationshipKind.MATCH_ACCEPTED
    elif action == Action.COMPLETE:
        kind = _COMPLETED_KIND.get(match.match_type)
    if kind is not None:
        _relate(match, kind, on, principal, session=session)
    return updated


def _relate(
    match: t.MatchRecord, kind: t.RelationshipKind, on: dt.date, principal: Principal, *, session: Session
) -> None:
    """Add the collaboration-graph edge a decision stands for: the challenge's SME -> the candidate."""
    challenge = repo.get_record("challenges", match.challenge_id, session=session)
    rel = t.Relationship(
        id=f"rel-{kind.value}-{match.id}"[:64],
        kind=kind,
        source_type=t.NodeType.ORGANISATION,
        source_id=challenge.sme_id,
        target_type=match.candidate_type,
        target_id=match.candidate_id,
        date=on,
        provenance=f"match {match.id} ({match.challenge_id}), by {principal.actor}",
    )
    repo.upsert("relationships", [rel], session=session)


# --------------------------------------------------------------------------- exports
def pseudonymised_matches(
    principal: Principal, pseudonym: Callable[[str], str], *, limit: int, offset: int, session: Session
) -> tuple[list[dict[str, Any]], int]:
    """Match records with every identifier replaced by ``pseudonym(id)`` (evaluators, admins)."""
    if principal.role not in (Role.ADMIN, Role.EVALUATOR):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read exports")
    matches, total = api_repo.list_matches(limit=limit, offset=offset, session=session)
    rows = [
        {
            "match": pseudonym(m.id),
            "match_type": m.match_type.value,
            "challenge": pseudonym(m.challenge_id),
            "candidate_type": m.candidate_type.value,
            "candidate": pseudonym(m.candidate_id),
            "score": m.score,
            "status": m.status.value,
            "decline_reason": m.decline_reason.value if m.decline_reason else None,
            "rating": m.rating,
            "events": [
                {
                    "status": e.status.value,
                    "at": e.at.isoformat() if e.at else None,
                    "reason": e.reason.value if e.reason else None,
                    "rating": e.rating,
                }
                for e in m.history
            ],
        }
        for m in matches
    ]
    return rows, total


# --------------------------------------------------------------------------- stored matches
def stored_matches(
    principal: Principal,
    challenge_id: str,
    *,
    match_type: t.Programme | None = None,
    status: t.MatchStatus | None = None,
    session: Session,
) -> list[tuple[t.MatchRecord, int]]:
    """A challenge's stored match records, without running the matcher.

    The same people see them as see fresh suggestions (:func:`check_suggestions_allowed`);
    without ``match_type``, every type the caller's role may ask for.
    """
    if match_type is not None:
        owner = check_suggestions_allowed(principal, challenge_id, match_type, session=session)
        types: list[t.Programme] = [match_type]
    else:
        owner = access.require_read(principal, "challenges", challenge_id, session=session)
        types = sorted(access.MATCH_TYPES[principal.role])
        if not types:
            raise PermissionDeniedError(f"a {principal.role.value} key cannot see suggestions")
        if principal.role != Role.COORDINATOR and not access.answerable_for(principal, owner):
            raise PermissionDeniedError(
                "only the challenge's SME, its council or an admin see its suggestions"
            )
    matches = api_repo.challenge_matches(
        challenge_id,
        match_types=[m.value for m in types],
        status=status.value if status else None,
        session=session,
    )
    return visible_candidates(principal, owner, matches, session=session)


# --------------------------------------------------------------------------- relationships
#: Roles that read relationships they are an end of (councils: of their region; admins: all).
_RELATIONSHIP_READERS = frozenset({Role.ADMIN, Role.COUNCIL, Role.COORDINATOR, Role.FACILITY_HOST, Role.SME})


def _relationship_scope(principal: Principal) -> api_repo.RowScope:
    if principal.role not in _RELATIONSHIP_READERS:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read relationships")
    if principal.role == Role.ADMIN:
        return api_repo.RowScope(everything=True)
    councils = frozenset([principal.council]) if principal.council else frozenset()
    return api_repo.RowScope(organisation_ids=principal.managed, councils=councils)


def _end_owners(rel: t.Relationship, *, session: Session) -> list[Ownership]:
    ends = [(rel.source_type, rel.source_id), (rel.target_type, rel.target_id)]
    owners = [
        api_repo.end_ownership(node_type.value, node_id, session=session) for node_type, node_id in ends
    ]
    return [o for o in owners if o is not None]


def list_relationships(
    principal: Principal,
    *,
    node_type: t.NodeType | None = None,
    node_id: str | None = None,
    kind: t.RelationshipKind | None = None,
    sort: str = "id",
    limit: int = 50,
    offset: int = 0,
    session: Session,
) -> tuple[list[t.Relationship], int]:
    """Relationships the caller speaks for an end of (all of them for admins), filtered and paged."""
    return api_repo.relationship_page(
        scope=_relationship_scope(principal),
        node_type=node_type.value if node_type else None,
        node_id=node_id,
        kind=kind.value if kind else None,
        sort=sort,
        limit=limit,
        offset=offset,
        session=session,
    )


def get_relationship(principal: Principal, relationship_id: str, *, session: Session) -> t.Relationship:
    """A relationship the caller speaks for an end of; not found otherwise (guessing ids tells nothing)."""
    _relationship_scope(principal)
    rel: t.Relationship = repo.get_record("relationships", relationship_id, session=session)
    if principal.role == Role.ADMIN or any(
        access.answerable_for(principal, o) for o in _end_owners(rel, session=session)
    ):
        return rel
    raise NotFoundError(f"no relationship with id {relationship_id!r}")


def _may_change(principal: Principal, rel: t.Relationship, *, session: Session) -> bool:
    """Admins, and the council of either end."""
    if principal.role == Role.ADMIN:
        return True
    return principal.role == Role.COUNCIL and any(
        o.council == principal.council for o in _end_owners(rel, session=session)
    )


def create_relationship(principal: Principal, data: dict[str, Any], *, session: Session) -> t.Relationship:
    """Add an edge of the collaboration graph (admins; the council of either end), attributed to the caller.

    Validated as ``matcher import`` validates a relationships file: both ends must exist.
    """
    from matcher.services.records import validated

    if principal.role not in (Role.ADMIN, Role.COUNCIL):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot add relationships")
    rel: t.Relationship = validated("relationships", data, session=session)
    if not _may_change(principal, rel, session=session):
        raise PermissionDeniedError(f"neither end of {rel.id} is in council {principal.council}")
    if repo.id_map("relationships", [rel.id], session=session):
        raise ConflictError(f"id {rel.id!r} is already taken")
    attribution = f"added by {principal.actor}"
    provenance = f"{rel.provenance}; {attribution}" if rel.provenance else attribution
    rel = dataclasses.replace(rel, provenance=provenance[:300])
    repo.upsert("relationships", [rel], session=session)
    return rel


def delete_relationship(principal: Principal, relationship_id: str, *, session: Session) -> t.Relationship:
    """Remove an edge (admins; the council of either end)."""
    rel = get_relationship(principal, relationship_id, session=session)
    if not _may_change(principal, rel, session=session):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot remove relationship {rel.id}")
    api_repo.delete_record("relationships", relationship_id, session=session)
    return rel
