"""A match record as one caller may see it: in full, or anonymised on a private challenge."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from matcher import types as t
from matcher.domain.matches import Contact, contact_of, contact_state
from matcher.services.access import Principal
from matcher.services.outcomes.disclosure import anonymised_reasons, challenge_summary, contact_approved
from matcher.services.outcomes.rules import Sides
from matcher.services.outcomes.visibility import caller_sides
from matcher.store import Session
from matcher.store import challenges as challenges_store
from matcher.store import matches as matches_store
from matcher.store import records as repo


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
    sides = caller_sides(principal, match, session=session)
    return view(principal, match, version, sides, session=session)
