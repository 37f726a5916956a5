"""The reverse direction's disclosure: which fitted challenges a profile's owner may see in full.

A private challenge is shown in full only when the caller may read it or its side approved
contact; otherwise it is anonymised (docs/matching.md, "Private challenges").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.domain.matches import Contact, Suggestion
from matcher.services.outcomes import disclosure
from matcher.services.suggestions import MatchRow
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
    C = t.NodeType.CHALLENGE
    for rank, (r, why) in enumerate(zip(rows, reasons, strict=True), start=1):
        c = challenges[r.query]
        why["challenge_programmes"] = list(c.programmes)
        shown: dict[str, Any] = {
            "rank": rank,
            "council": c.council,
            "country": c.country,
            "kind": "challenge",
        }
        if readable(c):
            out.append(Suggestion(C, c.challenge_id, r.score, why, name=c.title, **shown))
            continue
        match_type = next(p for p in serves if not c.programmes or p.value in c.programmes)
        pair = Suggestion(t.NodeType(cand.owner_type), cand.owner_id, r.score,
                          {key: v for key, v in why.items() if key != "challenge_programmes"})  # fmt: skip
        match_id, contact = disclosure.private_fit(match_type, c, pair, session=session)
        if contact is Contact.APPROVED:
            out.append(
                Suggestion(
                    C, c.challenge_id, r.score, why, name=c.title, match_id=match_id, contact=contact, **shown
                )
            )
        else:
            out.append(
                Suggestion(C, match_id, r.score, disclosure.anonymised_reasons(why), anonymised=True,
                           match_id=match_id, contact=contact, summary=disclosure.challenge_summary(c), **shown)
            )  # fmt: skip
    return out
