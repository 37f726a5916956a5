"""The suggestion flows the JSON routes and the pages share: one copy of each sequence of rules.

Each function runs the matcher and then the access rules of :mod:`matcher.services.outcomes`
in the order the API documents, so that ``/challenges/{id}/matches`` and the page
``/ui/challenges/{id}`` can never disagree about who sees which candidate.
"""

from __future__ import annotations

from api.matching import Matcher
from matcher import types as t
from matcher.domain.matches import Suggestion
from matcher.exceptions import PermissionDeniedError
from matcher.services import access
from matcher.services.access import Principal
from matcher.services.outcomes import disclosure, visibility
from matcher.services.outcomes.stored import record_suggestions
from matcher.store import Session


def challenge_suggestions(
    principal: Principal,
    challenge_id: str,
    match_type: t.Programme,
    k: int,
    *,
    matcher: Matcher,
    session: Session,
) -> list[tuple[t.MatchRecord, int]]:
    """Fresh suggestions for a challenge, stored as match records, as the caller may see them.

    The challenge's SME, its council and admins see every suggestion; a coordinator sees
    consultancy and placement suggestions of its own university's candidates.
    """
    owner = visibility.check_suggestions_allowed(principal, challenge_id, match_type, session=session)
    found = matcher.challenge_matches(challenge_id, match_type, k, session=session)
    stored = record_suggestions(match_type, challenge_id, list(found)[:k], session=session)
    return visibility.visible_candidates(principal, owner, stored, session=session)


def profile_fits(
    principal: Principal, profile_id: str, k: int, *, matcher: Matcher, session: Session
) -> list[tuple[Suggestion, t.Challenge | None]]:
    """The challenges a profile fits, for whoever speaks for the profile's owner (private ones anonymised)."""
    owner = access.require_read(principal, "profiles", profile_id, session=session)
    if not access.answerable_for(principal, owner):
        raise PermissionDeniedError(
            "only the profile's owner, its council or an admin ask for its challenges"
        )
    found = matcher.profile_challenges(
        profile_id, k, session=session, reveal=lambda o: access.can_read(principal, "challenges", o)
    )
    return disclosure.disclosed_fits(principal, found, session=session)[:k]


def organisation_partners(
    principal: Principal, organisation_id: str, k: int, *, matcher: Matcher, session: Session
) -> list[Suggestion]:
    """Partners for an organisation; only candidates the caller may read are listed."""
    owner = access.require_read(principal, "organisations", organisation_id, session=session)
    if not access.answerable_for(principal, owner):
        raise PermissionDeniedError("only the organisation, its council or an admin ask for its partners")
    filters = {
        nt: visibility.readable_filter(principal, e, session=session)
        for nt, e in visibility.CANDIDATE_ENTITY.items()
    }
    found = [
        s
        for s in matcher.partners(organisation_id, k, session=session)
        if s.candidate_id != organisation_id and filters[s.candidate_type](s.candidate_id)
    ]
    return found[:k]
