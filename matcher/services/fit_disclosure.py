"""The reverse direction's disclosure: which fitted challenges a profile's owner may see in full.

A private challenge is shown in full only when the caller may read it or its side approved
contact; otherwise it is anonymised (docs/matching.md, "Private challenges").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.domain.matches import Contact
from matcher.domain.matches import Suggestion as ApiSuggestion
from matcher.services.outcomes import disclosure
from matcher.services.suggestions import MatchRow, Suggestion
from matcher.store import Session
from matcher.store import challenges as challenges_store

__all__ = ["fit_suggestions"]


def fit_suggestions(
    rows: Sequence[MatchRow],
    reasons: Sequence[dict[str, Any]],
    challenges: Sequence[challenges_store.ChallengeSummary],
    cand: Any,
    serves: Sequence[t.Programme],
    *,
    session: Session,
    include_private_of: str | None = None,
    reveal: Callable[[Ownership], bool] | None = None,
) -> list[Suggestion]:
    """Suggestions for the best ``rows`` of ``challenges`` for candidate ``cand``, disclosed as allowed.

    ``serves`` are the match types whose candidates include the profile's kind; an
    anonymised challenge's match record is stored under the first one the challenge asks
    for (the caller commits).
    """

    def readable(c: challenges_store.ChallengeSummary) -> bool:
        if c.visibility == "public" or (include_private_of is not None and c.council == include_private_of):
            return True
        return reveal is not None and reveal(disclosure.challenge_ownership(c))

    out = []
    for rank, (r, why) in enumerate(zip(rows, reasons, strict=True), start=1):
        c = challenges[r.query]
        why["challenge_programmes"] = list(c.programmes)
        if readable(c):
            out.append(
                Suggestion(rank, "challenge", c.challenge_id, c.title, "challenge", c.council, c.country, None,
                           r.score, why)
            )  # fmt: skip
            continue
        match_type = next(p for p in serves if not c.programmes or p.value in c.programmes)
        pair = ApiSuggestion(t.NodeType(cand.owner_type), cand.owner_id, r.score,
                             {key: v for key, v in why.items() if key != "challenge_programmes"})  # fmt: skip
        match_id, contact = disclosure.private_fit(match_type, c, pair, session=session)
        state = contact.value if contact else None
        if contact is Contact.APPROVED:
            out.append(
                Suggestion(rank, "challenge", c.challenge_id, c.title, "challenge", c.council, c.country, None,
                           r.score, why, match_id=match_id, contact=state)
            )  # fmt: skip
        else:
            out.append(
                Suggestion(rank, "challenge", match_id, "", "challenge", c.council, c.country, None, r.score,
                           disclosure.anonymised_reasons(why), anonymised=True, match_id=match_id,
                           contact=state, summary=disclosure.challenge_summary(c))
            )  # fmt: skip
    return out
