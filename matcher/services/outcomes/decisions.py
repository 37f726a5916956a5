"""Decisions on a match record, and contact steps: the state machine of :mod:`.rules` applied.

Each decision appends a dated, attributed event to the record; accepting creates a
``match_accepted`` relationship, a meeting held ``meeting_held``, completing creates
``consultancy_completed`` (consultancy), ``placement_held`` (placement) or ``shared_facility``
(facility) -- the collaboration graph grows from what actually happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from matcher import types as t
from matcher.domain.matches import contact_state
from matcher.exceptions import ConflictError, PermissionDeniedError, ValidationError
from matcher.services.access import Principal, Role
from matcher.services.outcomes.disclosure import contact_record, disclosed
from matcher.services.outcomes.rules import (
    COMPLETED_KIND,
    CONTACT_STEPS,
    CONTACT_TARGET,
    DISCLOSING,
    STEPS,
    TARGET,
    Action,
    Sides,
    check_step,
)
from matcher.services.outcomes.views import MatchView, view
from matcher.services.outcomes.visibility import caller_sides
from matcher.store import Session
from matcher.store import matches as matches_store
from matcher.store import records as repo
from matcher.store import scope as scope_store


def decide(
    match_id: str,
    action: Action | str,
    principal: Principal,
    *,
    reason: t.DeclineReason | None = None,
    note: str = "",
    rating: int | None = None,
    on: dt.date | None = None,
    expected_version: Collection[int] | int | None = None,
    session: Session,
    now: dt.datetime | None = None,
) -> MatchView:
    """Record a decision (or a contact step) on a match; returns the updated record as the caller sees it.

    Raises
    ------
    ValidationError
        A decline without a reason, a rating outside 1-5, a reason on anything but a decline.
    PermissionDeniedError
        The caller may see the record but not take this step (e.g. the candidate side
        approving contact, or deciding on a private challenge it cannot see yet).
    ConflictError
        The decision does not follow from the current status (or contact state).
    StaleVersionError
        ``expected_version`` is stale.
    """
    from matcher.exceptions import StaleVersionError
    from matcher.services.records import accepts

    action = Action(action)
    match, version = matches_store.get_match(match_id, session=session, lock=True)
    sides = caller_sides(principal, match, session=session)
    if principal.role in (Role.TRAINER, Role.EVALUATOR):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot decide on matches")
    if not accepts(expected_version, version):
        raise StaleVersionError(f"match {match_id} is at version {version}, not the one If-Match names")
    _check_arguments(action, reason, rating)
    now = now or dt.datetime.now(dt.UTC)
    if action in CONTACT_TARGET:
        return _contact_step(
            match, action, principal, sides, reason=reason, note=note, now=now, session=session
        )
    if not sides.challenge_side and view(principal, match, version, sides, session=session).anonymised:
        raise PermissionDeniedError(
            f"match {match_id} is on a private challenge: request contact and wait for its approval first"
        )
    allowed = STEPS.get((match.status, action))
    check_step(allowed, sides, principal, action, f"a match that is {match.status.value}")
    if action in DISCLOSING and not disclosed(match, session=session):
        raise ConflictError(
            f"match {match_id} is on a private challenge whose SME has not approved contact with this "
            "candidate: approve_contact first (the step would name the SME to the candidate)"
        )

    on = on or now.date()
    status = TARGET.get(action, match.status)
    event = t.MatchEvent(
        status=status, at=now, actor=principal.actor, reason=reason, note=note, rating=rating
    )
    updated, new_version = matches_store.apply_match_event(
        match_id,
        event,
        status=status,
        decline_reason=reason if action == Action.DECLINE else None,
        rating=rating if rating is not None else match.rating,
        session=session,
    )
    kind = _relationship_kind(action, match.match_type)
    if kind is not None:
        _relate(match, kind, on, principal, session=session)
    return view(principal, updated, new_version, sides, session=session)


def _check_arguments(action: Action, reason: t.DeclineReason | None, rating: int | None) -> None:
    """A reason goes with a decline only (and a decline needs one); a rating (1-5) with rate or complete."""
    declining = action in (Action.DECLINE, Action.DECLINE_CONTACT)
    if action == Action.DECLINE and reason is None:
        raise ValidationError("a decline needs a reason category")
    if not declining and reason is not None:
        raise ValidationError("only a decline takes a reason category")
    if action == Action.RATE and rating is None:
        raise ValidationError("a rating (1-5) is needed")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(f"a rating is between 1 and 5, not {rating}")
    if rating is not None and action not in (Action.RATE, Action.COMPLETE):
        raise ValidationError("a rating goes with 'rate' or 'complete'")


def _relationship_kind(action: Action, match_type: t.Programme) -> t.RelationshipKind | None:
    """The collaboration-graph edge a decision stands for, if any."""
    if action == Action.ACCEPT:
        return t.RelationshipKind.MATCH_ACCEPTED
    if action == Action.MEETING_HELD:
        return t.RelationshipKind.MEETING_HELD
    if action == Action.COMPLETE:
        return COMPLETED_KIND.get(match_type)
    return None


def _contact_step(
    match: t.MatchRecord,
    action: Action,
    principal: Principal,
    sides: Sides,
    *,
    reason: t.DeclineReason | None,
    note: str,
    now: dt.datetime,
    session: Session,
) -> MatchView:
    """Request, approve or decline contact on a match record of a private challenge."""
    step_sides = {side for (_, step), held in CONTACT_STEPS.items() if step == action for side in held}
    check_step(frozenset(step_sides), sides, principal, action, "")
    if scope_store.ownership("challenges", match.challenge_id, session=session).public:
        raise ConflictError("the challenge is public: contact needs no approval")
    _, handled_on = contact_record(
        match.challenge_id, match.candidate_type.value, match.candidate_id, session=session
    )
    if handled_on is not None and handled_on.id != match.id:
        raise ConflictError(
            f"contact between this challenge and candidate is handled on match {handled_on.id}"
        )
    current = contact_state(match)
    if (current, action) not in CONTACT_STEPS:
        state = current.value if current else "not requested"
        raise ConflictError(f"cannot {action.value} when contact is {state}")
    if action == Action.REQUEST_CONTACT and match.status in (t.MatchStatus.DECLINED, t.MatchStatus.COMPLETED):
        raise ConflictError(f"cannot request contact on a match that is {match.status.value}")
    updated, version = matches_store.append_contact_step(
        match.id,
        CONTACT_TARGET[action],
        at=now,
        actor=principal.actor,
        reason=reason,
        note=note,
        session=session,
    )
    return view(principal, updated, version, sides, session=session)


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
