"""Mobility (issue #14, item 4): SME staff to training or placements abroad, where the best
capability for one of their SME's needs is in another council.

For each SME of a council that has (consenting) staff:

- **training abroad**: for each need of the SME (an open challenge or a weak assessment area,
  as :func:`matcher.services.training.recommend_for_sme` finds them), the best-scoring module;
  listed when its provider's council is not the SME's;
- **placement abroad**: for each open challenge of the SME, the research group the ranker
  scores best (consultancy scores, research groups only); listed when that group is in
  another council -- a stay there for the SME's staff (Change of Perspective, staff side).

A need whose best capability is at home gives no mobility: the programme sends staff abroad
only where abroad is better.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from matcher import types as t
from matcher.store import Session
from matcher.store import rounds as rounds_store

#: ``sme_id -> recommend_for_sme(...)["suggestions"]`` (ranked modules, each with ``reasons.answers``)
RecommendFn = Callable[[str], Sequence[dict[str, Any]]]
#: ``(challenge_id, k, programme=..., kinds=...) -> [(candidate_type, candidate_id, score), ...]``
ScoreFn = Callable[..., Sequence[tuple[str, str, float]]]


def mobility_plan(
    council: str, recommend: RecommendFn, score: ScoreFn, *, session: Session
) -> dict[str, Any]:
    """``{"council", "smes": [{"sme", "staff", "training": [..], "placements": [..]}]}``, SMEs with an option only."""
    staff: dict[str, list[str]] = {}
    for p in rounds_store.people("sme_staff", session=session):
        if p.council == council:
            staff.setdefault(p.organisation_id, []).append(p.id)
    challenges: dict[str, list[str]] = {}
    for ch in rounds_store.open_challenges_for("", council, session=session, any_programme=True):
        challenges.setdefault(ch.sme_id, []).append(ch.id)
    best_group: dict[str, tuple[str, float]] = {}
    for sme in staff:
        for ch_id in challenges.get(sme, []):
            found = [(cid, v) for kind, cid, v in score(ch_id, 5, programme=t.Programme.CONSULTANCY,
                                                        kinds=frozenset({"research_group"})) if kind == "organisation"]  # fmt: skip
            if found:
                best_group[ch_id] = max(found, key=lambda x: x[1])
    group_council = rounds_store.organisation_councils([g for g, _ in best_group.values()], session=session)
    out = []
    for sme in sorted(staff):
        training = []
        seen: set[str] = set()
        for s in recommend(sme):
            need = s["reasons"]["answers"]
            key = need.get("challenge") or f"area:{need.get('area')}"
            if key in seen:
                continue  # only the best module of each need counts
            seen.add(key)
            if s["council"] != council:
                training.append({"module": s["module"], "title": s["title"], "council": s["council"],
                                 "score": s["score"], "answers": need})  # fmt: skip
        placements = [
            {
                "challenge": ch_id,
                "research_group": g,
                "council": group_council[g],
                "score": round(float(v), 4),
            }
            for ch_id in challenges.get(sme, [])
            if ch_id in best_group
            for g, v in [best_group[ch_id]]
            if group_council.get(g, council) != council
        ]
        if training or placements:
            out.append({"sme": sme, "staff": staff[sme], "training": training, "placements": placements})
    return {"council": council, "smes": out}
