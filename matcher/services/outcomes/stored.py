"""Storing suggestions as match records, and reading a challenge's stored records back."""

from __future__ import annotations

from collections.abc import Sequence

from matcher import types as t
from matcher.domain.matches import Suggestion
from matcher.exceptions import PermissionDeniedError
from matcher.services import access
from matcher.services.access import Principal, Role
from matcher.services.outcomes.visibility import check_suggestions_allowed, visible_candidates
from matcher.store import Session
from matcher.store import matches as matches_store


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
    return matches_store.record_suggestions(match_type, challenge_id, unique, session=session)


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
    matches = matches_store.challenge_matches(
        challenge_id,
        match_types=[m.value for m in types],
        status=status.value if status else None,
        session=session,
    )
    return visible_candidates(principal, owner, matches, session=session)
