"""Who sees what: which suggestions and match records a caller may see, and as which side."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.exceptions import NotFoundError, PermissionDeniedError
from matcher.services import access
from matcher.services.access import Principal, Role
from matcher.services.outcomes.rules import Sides
from matcher.store import Session
from matcher.store import scope as scope_store

CANDIDATE_ENTITY = {
    t.NodeType.ORGANISATION: "organisations",
    t.NodeType.PERSON: "people",
    t.NodeType.FACILITY: "facilities",
    t.NodeType.CHALLENGE: "challenges",
}


def candidate_owner(candidate_type: t.NodeType, candidate_id: str, *, session: Session) -> Ownership | None:
    try:
        return scope_store.ownership(CANDIDATE_ENTITY[candidate_type], candidate_id, session=session)
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
        owner = candidate_owner(match.candidate_type, match.candidate_id, session=session)
        if owner is not None and access.answerable_for(principal, owner):
            out.append((match, version))
    return out


def caller_sides(principal: Principal, match: t.MatchRecord, *, session: Session) -> Sides:
    """How the caller stands to ``match``; not found when it speaks for neither side.

    The candidate side may see a record on a challenge it cannot read (a private one):
    :func:`view` then anonymises it until contact is approved.
    """
    if "challenges" not in access.READABLE[principal.role]:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read challenges")
    challenge_owner = scope_store.ownership("challenges", match.challenge_id, session=session)
    reads = access.can_read(principal, "challenges", challenge_owner)
    challenge_side = reads and access.answerable_for(principal, challenge_owner)
    owner = candidate_owner(match.candidate_type, match.candidate_id, session=session)
    candidate_side = owner is not None and access.answerable_for(principal, owner)
    if not (challenge_side or candidate_side):
        raise NotFoundError(f"no match with id {match.id!r}")
    return Sides(challenge_side, candidate_side, reads)


def readable_filter(principal: Principal, entity: str, *, session: Session) -> Callable[[str], bool]:
    """A predicate telling whether the caller may read a record of ``entity`` by id."""

    def ok(external_id: str) -> bool:
        try:
            access.require_read(principal, entity, external_id, session=session)
        except (NotFoundError, PermissionDeniedError):
            return False
        return True

    return ok
