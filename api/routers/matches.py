"""Suggestions and decisions: matches of a challenge, challenges of a profile, partners, outcomes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api import suggestions
from api.answers import kept_json
from api.deps import IfMatchDep, MatcherDep, PrincipalDep, SessionDep, check_if_match
from api.routers.records import ID_PATH_PARAM
from api.schemas import CandidateList, Decision, MatchList, MatchOut, StoredMatchPage
from matcher import types as t
from matcher.domain.matches import Suggestion, contact_of
from matcher.ingest.schema import to_raw
from matcher.services.outcomes import decisions, stored, views

router = APIRouter(tags=["matching"])

K = Annotated[int, Query(ge=1, le=100, description="How many candidates")]
IdPath = Annotated[str, ID_PATH_PARAM]


def _match_out(v: views.MatchView) -> dict[str, Any]:
    match = v.match
    return {
        "id": match.id,
        "match_type": match.match_type,
        "challenge_id": None if v.anonymised else match.challenge_id,
        "candidate_type": match.candidate_type,
        "candidate_id": match.candidate_id,
        "score": float(match.score),
        "reasons": match.reasons,
        "status": match.status,
        "decline_reason": match.decline_reason,
        "rating": match.rating,
        "version": v.version,
        "history": [
            {
                "status": e.status,
                "at": e.at,
                "actor": e.actor,
                "reason": e.reason,
                "note": e.note,
                "rating": e.rating,
                "contact": contact_of(e),
            }
            for e in match.history
        ],
        "anonymised": v.anonymised,
        "contact": v.contact,
        "summary": v.summary,
        "challenge": {**to_raw(v.challenge), "version": None} if v.challenge is not None else None,
    }


def _full(matches: list[tuple[t.MatchRecord, int]]) -> list[dict[str, Any]]:
    """Records seen by a caller who may read their challenge (lists are only for them)."""
    return [_match_out(views.full_view(*m)) for m in matches]


def _candidate(s: Suggestion, challenge: t.Challenge | None = None) -> dict[str, Any]:
    return {
        "candidate_type": s.candidate_type,
        "candidate_id": s.candidate_id,
        "score": float(s.score),
        "reasons": s.reasons,
        "anonymised": s.anonymised,
        "match_id": s.match_id,
        "contact": s.contact,
        "summary": s.summary,
        "challenge": {**to_raw(challenge), "version": None} if challenge is not None else None,
    }


@router.get(
    "/challenges/{challenge_id}/matches", response_model=MatchList, summary="Ranked matches for a challenge"
)
def challenge_matches(
    request: Request,
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

    def answer() -> dict[str, Any]:
        visible = suggestions.challenge_suggestions(
            principal, challenge_id, type, k, matcher=matcher, session=session
        )
        return {"challenge_id": challenge_id, "match_type": type, "k": k, "items": _full(visible)}

    return kept_json(request, principal, session, MatchList, answer)


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
    found = stored.stored_matches(principal, challenge_id, match_type=type, status=status, session=session)
    return {
        "challenge_id": challenge_id,
        "items": _full(found[offset : offset + limit]),
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
    request: Request,
    profile_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    matcher: MatcherDep,
    k: K = 10,
) -> Any:
    """For whoever speaks for the profile's owner.

    Public challenges and private ones the caller may read come in full.  Another SME's
    private challenge comes as an anonymised summary (``anonymised: true``) whose
    ``candidate_id`` is the match record on which to request contact
    (``POST /matches/{id}/decisions`` with ``request_contact``); once the challenge's side
    approves, it comes in full, with the whole challenge in ``challenge``.
    """

    def answer() -> dict[str, Any]:
        found = suggestions.profile_fits(principal, profile_id, k, matcher=matcher, session=session)
        return {"query_id": profile_id, "k": k, "items": [_candidate(s, c) for s, c in found][:k]}

    return kept_json(request, principal, session, CandidateList, answer)


@router.get(
    "/organisations/{organisation_id}/partners",
    response_model=CandidateList,
    summary="Partner suggestions for an organisation",
)
def partners(
    request: Request,
    organisation_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    matcher: MatcherDep,
    k: K = 10,
) -> Any:
    """Organisations (often abroad) to work with; only public profiles or the caller's region are listed."""

    def answer() -> dict[str, Any]:
        found = suggestions.organisation_partners(
            principal, organisation_id, k, matcher=matcher, session=session
        )
        return {"query_id": organisation_id, "k": k, "items": [_candidate(s) for s in found[:k]]}

    return kept_json(request, principal, session, CandidateList, answer)


@router.get("/matches/{match_id}", response_model=MatchOut, summary="A match record and its history")
def read_match(match_id: IdPath, principal: PrincipalDep, session: SessionDep, response: Response) -> Any:
    found = views.get_match(match_id, principal, session=session)
    response.headers["ETag"] = f'"{found.version}"'
    return _match_out(found)


@router.post("/matches/{match_id}/decisions", response_model=MatchOut, summary="Decide on a match")
def decide(
    match_id: IdPath,
    body: Decision,
    principal: PrincipalDep,
    session: SessionDep,
    response: Response,
    if_match: IfMatchDep,
) -> Any:
    """Accept, decline (with a reason category), record a meeting, complete, or rate a match;
    or take a contact step on a private challenge.

    Accepting adds a ``match_accepted`` relationship; completing adds ``consultancy_completed``
    (consultancy), ``placement_held`` (placement) or ``shared_facility`` (facility), dated and
    attributed to the caller's key.

    Contact: the candidate's side sends ``request_contact`` on the match record an anonymised
    private challenge names; the challenge's SME, its council or an admin answer with
    ``approve_contact`` or ``decline_contact`` (a declined request may later be approved).
    Until approval the candidate's side sees the record anonymised and takes no other decision
    on it (403).
    """
    expected = check_if_match(if_match, None, 0) if if_match is not None else None
    decided = decisions.decide(
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
    response.headers["ETag"] = f'"{decided.version}"'
    return _match_out(decided)
