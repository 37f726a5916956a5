"""Suggestions and their outcomes: who may see a match, and what a decision changes.

A suggestion becomes a *match record* (``proposed``) the first time it is shown.
Decisions move it along::

    proposed -> accepted -> meeting_held -> completed
    proposed | accepted | meeting_held -> declined (with a reason category)

and a rating (1-5) may be given once a match was accepted.  Each decision appends a
dated, attributed event to the record; accepting creates a ``match_accepted``
relationship, a meeting held ``meeting_held``, completing creates ``consultancy_completed`` (consultancy),
``placement_held`` (placement) or ``shared_facility`` (facility) -- the collaboration
graph grows from what actually happened.

Private challenges and contact
------------------------------
A private challenge is readable by its SME, its council and admins only.  When it is
among the challenges a profile fits (:meth:`~matcher.services.matching.ProgrammeMatcher.fits`),
the profile's side sees an *anonymised summary* (:func:`challenge_summary`,
:data:`ANONYMISED_REASONS`) whose only reference is the id of the match record between the
challenge and the profile's owner.  On that record the candidate side asks for contact and
the challenge side answers, each step dated and attributed like a decision, leaving the
record's status as it is::

    (none) -> requested -> approved      (candidate side asks; the SME, its council or an admin approve)
              requested -> declined -> approved   (a decline may be reconsidered)

Once approved, the candidate side sees the challenge in full through the match record
and the fits listing.  Contact is handled on one record per (challenge, candidate) pair.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from matcher import types as t
from matcher.domain.access import Ownership, RowScope
from matcher.domain.matches import Contact, Suggestion, contact_of, contact_state
from matcher.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from matcher.services import access
from matcher.services.access import Principal, Role
from matcher.store import Session
from matcher.store import challenges as challenges_store
from matcher.store import matches as matches_store
from matcher.store import records as repo
from matcher.store import relationships as relationships_store
from matcher.store import scope as scope_store

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
_CONTACT_TARGET = {
    Action.REQUEST_CONTACT: Contact.REQUESTED,
    Action.APPROVE_CONTACT: Contact.APPROVED,
    Action.DECLINE_CONTACT: Contact.DECLINED,
}
_TARGET = {
    Action.ACCEPT: t.MatchStatus.ACCEPTED,
    Action.DECLINE: t.MatchStatus.DECLINED,
    Action.MEETING_HELD: t.MatchStatus.MEETING_HELD,
    Action.COMPLETE: t.MatchStatus.COMPLETED,
}


def allowed_roles(status: t.MatchStatus, action: Action) -> frozenset[Role]:
    """The roles that may take ``action`` from ``status`` (on a record whose side they hold)."""
    sides = STEPS.get((status, action), frozenset())
    return frozenset(role for role, held in ROLE_SIDES.items() if held & sides)


def _check_step(
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


_COMPLETED_KIND = {
    t.Programme.CONSULTANCY: t.RelationshipKind.CONSULTANCY_COMPLETED,
    t.Programme.PLACEMENT: t.RelationshipKind.PLACEMENT_HELD,
    t.Programme.FACILITY: t.RelationshipKind.SHARED_FACILITY,
}


# --------------------------------------------------------------------------- who sees what
def _candidate_owner(candidate_type: t.NodeType, candidate_id: str, *, session: Session) -> Ownership | None:
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
        owner = _candidate_owner(match.candidate_type, match.candidate_id, session=session)
        if owner is not None and access.answerable_for(principal, owner):
            out.append((match, version))
    return out


@dataclass(frozen=True)
class Sides:
    """How a caller stands to a match record."""

    challenge_side: bool  # speaks for the challenge (its SME, its council, an admin)
    candidate_side: bool  # speaks for the candidate
    reads_challenge: bool  # may read the challenge record itself


def _sides(principal: Principal, match: t.MatchRecord, *, session: Session) -> Sides:
    """How the caller stands to ``match``; not found when it speaks for neither side.

    The candidate side may see a record on a challenge it cannot read (a private one):
    :func:`view` then anonymises it until contact is approved.
    """
    if "challenges" not in access.READABLE[principal.role]:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read challenges")
    challenge_owner = scope_store.ownership("challenges", match.challenge_id, session=session)
    reads = access.can_read(principal, "challenges", challenge_owner)
    challenge_side = reads and access.answerable_for(principal, challenge_owner)
    owner = _candidate_owner(match.candidate_type, match.candidate_id, session=session)
    candidate_side = owner is not None and access.answerable_for(principal, owner)
    if not (challenge_side or candidate_side):
        raise NotFoundError(f"no match with id {match.id!r}")
    return Sides(challenge_side, candidate_side, reads)


# --------------------------------------------------------------------------- private challenges
#: Reason fields that never quote a challenge's text: all that an anonymised suggestion keeps.
#: (Dropped: the best sentence, the best document's excerpt and the shared key terms, which are
#: chosen by, or copied from, the challenge's words.)
ANONYMISED_REASONS = frozenset(
    {
        "score", "dense", "lexical", "best_document_id", "best_document_score", "skill_overlap",
        "query_language", "profile_languages", "filters_applied", "availability", "challenge_programmes",
    }
)  # fmt: skip


def anonymised_reasons(reasons: dict[str, Any]) -> dict[str, Any]:
    """Only the reason fields listed in :data:`ANONYMISED_REASONS` (an allow-list: new fields stay hidden)."""
    return {k: v for k, v in reasons.items() if k in ANONYMISED_REASONS}


def challenge_summary(challenge: challenges_store.ChallengeSummary) -> dict[str, Any]:
    """What an anonymised private challenge shows: categories only, never its SME, title or text."""
    return {
        "sector": challenge.sector or None,
        "council": challenge.council,
        "country": challenge.country,
        "language": challenge.language,
        "required_skills": list(challenge.skills),
        "programmes": list(challenge.programmes),
    }


def challenge_ownership(challenge: challenges_store.ChallengeSummary) -> Ownership:
    return Ownership(challenge.organisation_id, challenge.council, challenge.visibility == "public")


def _contact_record(
    challenge_id: str, candidate_type: str, candidate_id: str, *, session: Session
) -> tuple[list[tuple[t.MatchRecord, int]], t.MatchRecord | None]:
    """The pair's records, and the one on which contact is handled (if contact was ever requested)."""
    records = matches_store.pair_matches(challenge_id, candidate_type, candidate_id, session=session)
    with_contact = [m for m, _ in records if contact_state(m) is not None]
    return records, (with_contact[-1] if with_contact else None)


def private_fit(
    match_type: t.Programme,
    challenge: challenges_store.ChallengeSummary,
    suggestion: Suggestion,
    *,
    session: Session,
) -> tuple[str, Contact | None]:
    """The match record standing for a private challenge shown to a candidate, and the pair's contact state.

    The record on which contact is handled when there is one; else the pair's record of
    ``match_type``, stored as ``proposed`` (with the suggestion's score and full reasons,
    for the challenge's side) when it does not exist yet.
    """
    _, contact = _contact_record(
        challenge.challenge_id, suggestion.candidate_type.value, suggestion.candidate_id, session=session
    )
    if contact is not None:
        return contact.id, contact_state(contact)
    [(match, _)] = matches_store.record_suggestions(
        match_type, challenge.challenge_id, [suggestion], session=session
    )
    return match.id, None


def contact_approved(challenge_id: str, candidate_type: str, candidate_id: str, *, session: Session) -> bool:
    """Whether the challenge's side approved contact with this candidate."""
    _, record = _contact_record(challenge_id, candidate_type, candidate_id, session=session)
    return record is not None and contact_state(record) == Contact.APPROVED


def disclosed_fits(
    principal: Principal, found: Sequence[Suggestion], *, session: Session
) -> list[tuple[Suggestion, t.Challenge | None]]:
    """The challenges a profile fits, as ``principal`` may see them: a check behind the matcher's own.

    Anonymised items pass.  An item in full passes when the caller may read the challenge,
    or when it names a match record the caller speaks for the candidate of and whose
    challenge side approved contact; it then comes with the whole challenge.  Anything
    else is left out.
    """
    readable = readable_filter(principal, "challenges", session=session)
    out: list[tuple[Suggestion, t.Challenge | None]] = []
    for s in found:
        if s.anonymised or readable(s.candidate_id):
            out.append((s, None))
            continue
        if s.match_id is None:
            continue
        try:
            match, _ = matches_store.get_match(s.match_id, session=session)
        except NotFoundError:
            continue
        owner = _candidate_owner(match.candidate_type, match.candidate_id, session=session)
        if (
            match.challenge_id == s.candidate_id
            and owner is not None
            and access.answerable_for(principal, owner)
            and contact_approved(
                match.challenge_id, match.candidate_type.value, match.candidate_id, session=session
            )
        ):
            out.append((s, repo.get_record("challenges", s.candidate_id, session=session)))
    return out


# --------------------------------------------------------------------------- views
@dataclass(frozen=True)
class MatchView:
    """A match record as one caller may see it.

    ``anonymised``: the caller is the candidate's side of a private challenge whose contact
    is not approved; ``match.challenge_id`` is then empty, the reasons keep only
    :data:`ANONYMISED_REASONS`, the other side's actors and notes are withheld, and
    ``summary`` holds :func:`challenge_summary`.  ``challenge``: the whole challenge, when
    the caller sees it through this record only (contact approved).
    """

    match: t.MatchRecord
    version: int
    anonymised: bool = False
    contact: Contact | None = None
    summary: dict[str, Any] | None = None
    challenge: t.Challenge | None = None


#: How the challenge side's events read in an anonymised record (actor and note withheld).
WITHHELD_ACTOR = "withheld"


def full_view(match: t.MatchRecord, version: int) -> MatchView:
    return MatchView(match, version, contact=contact_state(match))


def view(
    principal: Principal, match: t.MatchRecord, version: int, sides: Sides, *, session: Session
) -> MatchView:
    """``match`` as ``principal`` may see it (see :class:`MatchView`)."""
    contact = contact_state(match)
    if sides.reads_challenge:
        return MatchView(match, version, contact=contact)
    if contact_approved(match.challenge_id, match.candidate_type.value, match.candidate_id, session=session):
        challenge = repo.get_record("challenges", match.challenge_id, session=session)
        return MatchView(match, version, contact=contact, challenge=challenge)
    own = principal.managed | ({principal.council} if principal.council else set())

    def redacted(event: t.MatchEvent) -> t.MatchEvent:
        # A contact request comes from the candidate's side; any other step is shown with its
        # actor and note only when the caller's own organisation or council took it.
        parts = event.actor.split(":")
        if contact_of(event) == Contact.REQUESTED or (len(parts) == 3 and parts[1] in own):
            return event
        return dataclasses.replace(event, actor=WITHHELD_ACTOR, note="")

    anonymous = dataclasses.replace(
        match,
        challenge_id="",
        reasons=anonymised_reasons(match.reasons),
        history=tuple(redacted(e) for e in match.history),
    )
    summary = challenge_summary(challenges_store.challenge_summary(match.challenge_id, session=session))
    return MatchView(anonymous, version, anonymised=True, contact=contact, summary=summary)


def get_match(match_id: str, principal: Principal, *, session: Session) -> MatchView:
    match, version = matches_store.get_match(match_id, session=session)
    sides = _sides(principal, match, session=session)
    return view(principal, match, version, sides, session=session)


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
    return matches_store.record_suggestions(match_type, challenge_id, unique, session=session)


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
    sides = _sides(principal, match, session=session)
    if principal.role in (Role.TRAINER, Role.EVALUATOR):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot decide on matches")
    if not accepts(expected_version, version):
        raise StaleVersionError(f"match {match_id} is at version {version}, not the one If-Match names")
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
    now = now or dt.datetime.now(dt.UTC)
    if action in _CONTACT_TARGET:
        return _contact_step(
            match, action, principal, sides, reason=reason, note=note, now=now, session=session
        )
    if not sides.challenge_side and view(principal, match, version, sides, session=session).anonymised:
        raise PermissionDeniedError(
            f"match {match_id} is on a private challenge: request contact and wait for its approval first"
        )
    allowed = STEPS.get((match.status, action))
    _check_step(allowed, sides, principal, action, f"a match that is {match.status.value}")
    if action in DISCLOSING and not _disclosed(match, session=session):
        raise ConflictError(
            f"match {match_id} is on a private challenge whose SME has not approved contact with this "
            "candidate: approve_contact first (the step would name the SME to the candidate)"
        )

    on = on or now.date()
    status = _TARGET.get(action, match.status)
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
    kind = None
    if action == Action.ACCEPT:
        kind = t.RelationshipKind.MATCH_ACCEPTED
    elif action == Action.MEETING_HELD:
        kind = t.RelationshipKind.MEETING_HELD
    elif action == Action.COMPLETE:
        kind = _COMPLETED_KIND.get(match.match_type)
    if kind is not None:
        _relate(match, kind, on, principal, session=session)
    return view(principal, updated, new_version, sides, session=session)


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
    _check_step(frozenset(step_sides), sides, principal, action, "")
    if scope_store.ownership("challenges", match.challenge_id, session=session).public:
        raise ConflictError("the challenge is public: contact needs no approval")
    _, handled_on = _contact_record(
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
        _CONTACT_TARGET[action],
        at=now,
        actor=principal.actor,
        reason=reason,
        note=note,
        session=session,
    )
    return view(principal, updated, version, sides, session=session)


def _disclosed(match: t.MatchRecord, *, session: Session) -> bool:
    """Whether the candidate may know the challenge: it is public, or its side approved contact."""
    if scope_store.ownership("challenges", match.challenge_id, session=session).public:
        return True
    return contact_approved(
        match.challenge_id, match.candidate_type.value, match.candidate_id, session=session
    )


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
    matches, total = matches_store.list_matches(limit=limit, offset=offset, session=session)
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
                    "contact": c.value if (c := contact_of(e)) else None,
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
    matches = matches_store.challenge_matches(
        challenge_id,
        match_types=[m.value for m in types],
        status=status.value if status else None,
        session=session,
    )
    return visible_candidates(principal, owner, matches, session=session)


# --------------------------------------------------------------------------- relationships
#: Roles that read relationships they are an end of (councils: of their region; admins: all).
_RELATIONSHIP_READERS = frozenset({Role.ADMIN, Role.COUNCIL, Role.COORDINATOR, Role.FACILITY_HOST, Role.SME})


def _relationship_scope(principal: Principal) -> RowScope:
    if principal.role not in _RELATIONSHIP_READERS:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read relationships")
    if principal.role == Role.ADMIN:
        return RowScope(everything=True)
    councils = frozenset([principal.council]) if principal.council else frozenset()
    return RowScope(organisation_ids=principal.managed, councils=councils)


def _end_owners(rel: t.Relationship, *, session: Session) -> list[Ownership]:
    ends = [(rel.source_type, rel.source_id), (rel.target_type, rel.target_id)]
    owners = [
        relationships_store.end_ownership(node_type.value, node_id, session=session)
        for node_type, node_id in ends
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
    return relationships_store.relationship_page(
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
    scope_store.delete_record("relationships", relationship_id, session=session)
    return rel
