"""Private challenges: what a candidate's side sees of one, and when contact discloses it.

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

from collections.abc import Sequence
from typing import Any

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.domain.matches import Contact, Suggestion, contact_state
from matcher.exceptions import NotFoundError
from matcher.services import access
from matcher.services.access import Principal
from matcher.services.outcomes.visibility import candidate_owner, readable_filter
from matcher.store import Session
from matcher.store import challenges as challenges_store
from matcher.store import matches as matches_store
from matcher.store import records as repo
from matcher.store import scope as scope_store

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


def contact_record(
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
    _, contact = contact_record(
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
    _, record = contact_record(challenge_id, candidate_type, candidate_id, session=session)
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
        owner = candidate_owner(match.candidate_type, match.candidate_id, session=session)
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


def disclosed(match: t.MatchRecord, *, session: Session) -> bool:
    """Whether the candidate may know the challenge: it is public, or its side approved contact."""
    if scope_store.ownership("challenges", match.challenge_id, session=session).public:
        return True
    return contact_approved(
        match.challenge_id, match.candidate_type.value, match.candidate_id, session=session
    )
