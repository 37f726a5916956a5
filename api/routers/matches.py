"""Suggestions and decisions: matches of a challenge, challenges of a profile, partners, outcomes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import IfMatchDep, MatcherDep, PrincipalDep, SessionDep, check_if_match
from api.routers.records import ID_PATH_PARAM
from api.schemas import CandidateList, Decision, MatchList, MatchOut, StoredMatchPage
from matcher import types as t
from matcher.exceptions import PermissionDeniedError
from matcher.services import access, outcomes
from matcher.store.api_repository import Suggestion

router = APIRouter(tags=["matching"])

K = Annotated[int, Query(ge=1, le=100, description="How many candidates")]
IdPath = Annotated[str, ID_PATH_PARAM]


def _match_out(match: t.MatchRecord, version: int) -> dict[str, Any]:
    return {
        "id": match.id,
        "match_type": match.match_type,
        "challenge_id": match.challenge_id,
        "candidate_type": match.candidate_type,
        "candidate_id": match.candidate_id,
        "score": float(match.score),
        "reasons": match.reasons,
        "status": match.status,
        "decline_reason": match.decline_reason,
        "rating": match.rating,
        "version": version,
        "history": [
            {
                "status": e.status,
                "at": e.at,
                "actor": e.actor,
                "reason": e.reason,
                "note": e.note,
                "rating": e.rating,
            }
            for e in match.history
        ],
    }


def _candidate(s: Suggestion) -> dict[str, Any]:
    return {
        "candidate_type": s.candidate_type,
        "candidate_id": s.candidate_id,
        "score": float(s.score),
        "reasons": s.reasons,
    }


@router.get(
    "/challenges/{challenge_id}/matches", response_model=MatchList, summary="Ranked matches for a challenge"
)
def challenge_matches(
    challenge_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    matcher: MatcherDep,
    type: Annotated[
        t.Programme, Query(description="What to match the challenge with")
    ] = t.Programme.CONSULTANCY,
    k: K = 10,
) -> Any:
    """Suggestions, best first, stored as match records (``proposed``) so that they can be decided on.

    The challenge's SME, its council and admins see every suggestion; a coordinator sees
    consultancy and placement suggestions of its own university's candidates.
    """
    owner = outcomes.check_suggestions_allowed(principal, challenge_id, type, session=session)
    found = matcher.challenge_matches(challenge_id, type, k, session=session)
    stored = outcomes.record_suggestions(type, challenge_id, list(found)[:k], session=session)
    visible = outcomes.visible_candidates(principal, owner, stored, session=session)
    return {
        "challenge_id": challenge_id,
        "match_type": type,
        "k": k,
        "items": [_match_out(*m) for m in visible],
    }


@router.get(
    "/challenges/{challenge_id}/matches/stored",
    response_model=StoredMatchPage,
    summary="Stored match records of a challenge (no matching is run)",
)
def stored_matches(
    challenge_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    type: Annotated[t.Programme | None, Query(description="Only this match type")] = None,
    status: Annotated[t.MatchStatus | None, Query(description="Only records in this status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Suggestions made earlier and what became of them, visible to the same callers as fresh ones."""
    found = outcomes.stored_matches(principal, challenge_id, match_type=type, status=status, session=session)
    return {
        "challenge_id": challenge_id,
        "items": [_match_out(*m) for m in found[offset : offset + limit]],
        "total": len(found),
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/profiles/{profile_id}/challenges",
    response_model=CandidateList,
    summary="Challenges a capability profile could serve",
)
def profile_challenges(
    profile_id: IdPath, principal: PrincipalDep, session: SessionDep, matcher: MatcherDep, k: K = 10
) -> Any:
    """For whoever speaks for the profile's owner; only challenges the caller may read are listed."""
    owner = access.require_read(principal, "profiles", profile_id, session=session)
    if not access.answerable_for(principal, owner):
        raise PermissionDeniedError(
            "only the profile's owner, its council or an admin ask for its challenges"
        )
    readable = outcomes.readable_filter(principal, "challenges", session=session)
    found = [
        s for s in matcher.profile_challenges(profile_id, k, session=session) if readable(s.candidate_id)
    ]
    return {"query_id": profile_id, "k": k, "items": [_candidate(s) for s in found[:k]]}


@router.get(
    "/organisations/{organisation_id}/partners",
    response_model=CandidateList,
    summary="Partner suggestions for an organisation",
)
def partners(
    organisation_id: IdPath, principal: PrincipalDep, session: SessionDep, matcher: MatcherDep, k: K = 10
) -> Any:
    """Organisations (often abroad) to work with; only public profiles or the caller's region are listed."""
    owner = access.require_read(principal, "organisations", organisation_id, session=session)
    if not access.answerable_for(principal, owner):
        raise PermissionDeniedError("only the organisation, its council or an admin ask for its partners")
    filters = {
        nt: outcomes.readable_filter(principal, e, session=session)
        for nt, e in outcomes.CANDIDATE_ENTITY.items()
    }
    found = [
        s
        for s in matcher.partners(organisation_id, k, session=session)
        if s.candidate_id != organisation_id and filters[s.candidate_type](s.candidate_id)
    ]
    return {"query_id": organisation_id, "k": k, "items": [_candidate(s) for s in found[:k]]}


@router.get("/matches/{match_id}", response_model=MatchOut, summary="A match record and its history")
def read_match(match_id: IdPath, principal: PrincipalDep, session: SessionDep, response: Response) -> Any:
    match, version = outcomes.get_match(match_id, principal, session=session)
    response.headers["ETag"] = f'"{version}"'
    return _match_out(match, version)


@router.post("/matches/{match_id}/decisions", response_model=MatchOut, summary="Decide on a match")
def decide(
    match_id: IdPath,
    body: Decision,
    principal: PrincipalDep,
    session: SessionDep,
    response: Response,
    if_match: IfMatchDep,
) -> Any:
    """Accept, decline (with a reason category), record a meeting, complete, or rate a match.

    Accepting adds a ``match_accepted`` relationship; completing adds ``consultancy_completed``
    (consultancy), ``placement_held`` (placement) or ``shared_facility`` (facility), dated and
    attributed to the caller's key.
    """
    expected = check_if_match(if_match, None, 0) if if_match is not None else None
    match, version = outcomes.decide(
        match_id,
        body.action,
        principal,
        reason=body.reason,
        note=body.note,
        rating=body.rating,
        on=body.date,
        expected_version=expected,
        session=session,
    )
    response.headers["ETag"] = f'"{version}"'
    return _match_out(match, version)
