"""Match types: a ranked suggestion, the contact steps of a private challenge, a stored step.

Stored by :mod:`matcher.store.matches`; produced and read by the matching and outcome services.
"""

from __future__ import annotations

import secrets
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from typing import Any

from matcher import types as t


class Contact(StrEnum):
    """Where a contact request on a private challenge stands (see :mod:`matcher.services.outcomes`)."""

    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


@dataclass(frozen=True)
class MatchStep(t.MatchEvent):
    """A match event as stored: a status change, or a contact step (``contact`` set).

    A contact step carries the status the record had when it happened.
    """

    contact: Contact | None = None


def contact_of(event: t.MatchEvent) -> Contact | None:
    """The contact step an event stands for, or ``None`` for a status change."""
    return getattr(event, "contact", None)


def contact_state(match: t.MatchRecord) -> Contact | None:
    """The latest contact step of a match record (``None``: contact never requested)."""
    steps = [c for c in (contact_of(e) for e in match.history) if c is not None]
    return steps[-1] if steps else None


def new_match_id() -> str:
    """A fresh random external id for a match record.

    Random rather than derived from the pair: the id of a record on a private challenge is
    shown to candidates as the challenge's only reference, and a hash of guessable ids
    (challenge, candidate, type) could be reversed by trying challenge ids.
    """
    return f"m-{secrets.token_hex(10)}"


@dataclass(frozen=True)
class Suggestion:
    """One ranked candidate, as every caller gets it: the matcher, ``matcher match``, the API, the benchmark.

    The first four fields are the pair and its score (``reasons`` JSON-ready); the rest are
    keyword-only and filled by :class:`~matcher.services.matching.ProgrammeMatcher` (rank,
    display fields).  For the challenges a profile fits, a private challenge the caller may
    not read is *anonymised*: ``candidate_id`` is then the id of the match record that stands
    for it (``match_id``), ``name`` is empty, ``summary`` holds what may be shown (sector,
    council, country, language, skills, programmes) and ``contact`` where a contact request
    stands.
    """

    candidate_type: t.NodeType
    candidate_id: str
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)
    _: KW_ONLY
    rank: int = 0
    name: str = ""
    kind: str = ""
    council: str = ""
    country: str = ""
    profile_id: str | None = None
    anonymised: bool = False
    match_id: str | None = None
    contact: Contact | None = None
    summary: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``matcher match --json`` (and ``fits``, ``partners``): keys in this order."""
        out = {
            "rank": self.rank, "candidate_type": self.candidate_type.value, "candidate_id": self.candidate_id,
            "name": self.name, "kind": self.kind, "council": self.council, "country": self.country,
            "profile_id": self.profile_id, "score": round(float(self.score), 6), "reasons": self.reasons,
        }  # fmt: skip
        if self.match_id is not None:
            contact = self.contact.value if self.contact is not None else None
            out |= {"anonymised": self.anonymised, "match_id": self.match_id, "contact": contact}
        if self.summary is not None:
            out["summary"] = self.summary
        return out
