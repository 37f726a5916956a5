"""The match-decision state machine: which side may take which step from which status.

A suggestion becomes a *match record* (``proposed``) the first time it is shown.
Decisions move it along::

    proposed -> accepted -> meeting_held -> completed
    proposed | accepted | meeting_held -> declined (with a reason category)

and a rating (1-5) may be given once a match was accepted.  Contact on a private challenge
(:mod:`matcher.services.outcomes.disclosure`) has its own steps, :data:`CONTACT_STEPS`.
The tables here are data; :mod:`matcher.services.outcomes.decisions` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from matcher import types as t
from matcher.domain.matches import Contact
from matcher.exceptions import ConflictError, PermissionDeniedError
from matcher.services.access import Principal, Role


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    MEETING_HELD = "meeting_held"
    COMPLETE = "complete"
    RATE = "rate"
    REQUEST_CONTACT = "request_contact"
    APPROVE_CONTACT = "approve_contact"
    DECLINE_CONTACT = "decline_contact"


class Side(StrEnum):
    """Who a caller speaks for on a match record."""

    CHALLENGE = "challenge"  # the challenge's SME, its council, an admin
    CANDIDATE = "candidate"  # the candidate (its organisation, its university's coordinator, ...)


_BOTH = frozenset({Side.CHALLENGE, Side.CANDIDATE})
_CHALLENGE = frozenset({Side.CHALLENGE})
_CANDIDATE = frozenset({Side.CANDIDATE})
P, A, M, C, D = (t.MatchStatus.PROPOSED, t.MatchStatus.ACCEPTED, t.MatchStatus.MEETING_HELD,
                 t.MatchStatus.COMPLETED, t.MatchStatus.DECLINED)  # fmt: skip

#: The match state machine: (status, step) -> the sides that may take the step from that status.
#: A step from a status not listed is a conflict (409); by a side not listed, forbidden (403).
#: The challenge's side accepts, completes and rates (it owns the need and the graph edges those
#: steps create); either side declines or records a meeting.
STEPS: dict[tuple[t.MatchStatus, Action], frozenset[Side]] = {
    (P, Action.ACCEPT): _CHALLENGE,
    (P, Action.DECLINE): _BOTH,
    (A, Action.DECLINE): _BOTH,
    (M, Action.DECLINE): _BOTH,
    (A, Action.MEETING_HELD): _BOTH,
    (A, Action.COMPLETE): _CHALLENGE,
    (M, Action.COMPLETE): _CHALLENGE,
    (A, Action.RATE): _CHALLENGE,
    (M, Action.RATE): _CHALLENGE,
    (C, Action.RATE): _CHALLENGE,
}
#: Contact steps on a private challenge: (contact state, step) -> sides, like :data:`STEPS`.
#: The challenge's side may disclose the challenge unasked (approve with no request).
CONTACT_STEPS: dict[tuple[Contact | None, Action], frozenset[Side]] = {
    (None, Action.REQUEST_CONTACT): _CANDIDATE,
    (None, Action.APPROVE_CONTACT): _CHALLENGE,
    (Contact.REQUESTED, Action.APPROVE_CONTACT): _CHALLENGE,
    (Contact.DECLINED, Action.APPROVE_CONTACT): _CHALLENGE,
    (Contact.REQUESTED, Action.DECLINE_CONTACT): _CHALLENGE,
}
#: Steps that name the challenge's SME to the candidate (a relationship, an accepted match): on a
#: private challenge they wait until contact is approved, so nothing leaks before the SME agrees.
DISCLOSING = frozenset({Action.ACCEPT, Action.MEETING_HELD, Action.COMPLETE})
#: The sides each role can ever hold (which one it holds on a record follows from what it speaks for).
ROLE_SIDES: dict[Role, frozenset[Side]] = {
    Role.ADMIN: _BOTH,
    Role.COUNCIL: _BOTH,
    Role.SME: _BOTH,  # its challenges; the candidate side of partner matches
    Role.COORDINATOR: _CANDIDATE,
    Role.FACILITY_HOST: _CANDIDATE,
    Role.TRAINER: frozenset(),
    Role.EVALUATOR: frozenset(),
}
CONTACT_TARGET = {
    Action.REQUEST_CONTACT: Contact.REQUESTED,
    Action.APPROVE_CONTACT: Contact.APPROVED,
    Action.DECLINE_CONTACT: Contact.DECLINED,
}
TARGET = {
    Action.ACCEPT: t.MatchStatus.ACCEPTED,
    Action.DECLINE: t.MatchStatus.DECLINED,
    Action.MEETING_HELD: t.MatchStatus.MEETING_HELD,
    Action.COMPLETE: t.MatchStatus.COMPLETED,
}


def allowed_roles(status: t.MatchStatus, action: Action) -> frozenset[Role]:
    """The roles that may take ``action`` from ``status`` (on a record whose side they hold)."""
    sides = STEPS.get((status, action), frozenset())
    return frozenset(role for role, held in ROLE_SIDES.items() if held & sides)


def check_step(
    allowed: frozenset[Side] | None, sides: Sides, principal: Principal, action: Action, state: str
) -> None:
    """Conflict when the step does not follow from ``state``; forbidden for a side not in ``allowed``."""
    if allowed is None:
        raise ConflictError(f"cannot {action.value} {state}")
    held = {Side.CHALLENGE} if sides.challenge_side else set()
    held |= {Side.CANDIDATE} if sides.candidate_side else set()
    if not (held & allowed & ROLE_SIDES[principal.role]):
        who = " or ".join(f"the {s.value}'s side" for s in sorted(allowed))
        raise PermissionDeniedError(f"only {who} may {action.value} (a {principal.role.value} key here speaks for "
                                    f"{', '.join(sorted(held)) or 'neither side'})")  # fmt: skip


COMPLETED_KIND = {
    t.Programme.CONSULTANCY: t.RelationshipKind.CONSULTANCY_COMPLETED,
    t.Programme.PLACEMENT: t.RelationshipKind.PLACEMENT_HELD,
    t.Programme.FACILITY: t.RelationshipKind.SHARED_FACILITY,
}


@dataclass(frozen=True)
class Sides:
    """How a caller stands to a match record."""

    challenge_side: bool  # speaks for the challenge (its SME, its council, an admin)
    candidate_side: bool  # speaks for the candidate
    reads_challenge: bool  # may read the challenge record itself
