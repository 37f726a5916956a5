"""Mobility: SME staff go abroad only for needs whose best capability is in another council (SQLite and PostgreSQL)."""

from __future__ import annotations

from matcher import types as t
from matcher.services.mobility import mobility_plan
from matcher.store import records as repo
from matcher.store.db import transaction


def _store(session) -> None:  # type: ignore[no-untyped-def]
    orgs = [t.Organisation("hei-bo", t.OrgKind.HEI, "HEI", "bologna", "IT"),
            t.Organisation("hei-cork", t.OrgKind.HEI, "HEI", "cork", "IE"),
            t.Organisation("rg-bo", t.OrgKind.RESEARCH_GROUP, "rg", "bologna", "IT", parent_id="hei-bo"),
            t.Organisation("rg-cork", t.OrgKind.RESEARCH_GROUP, "rg", "cork", "IE", parent_id="hei-cork"),
            t.Organisation("sme-1", t.OrgKind.SME, "one", "bologna", "IT"),
            t.Organisation("sme-2", t.OrgKind.SME, "two", "bologna", "IT"),
            t.Organisation("sme-3", t.OrgKind.SME, "three (no staff)", "bologna", "IT")]  # fmt: skip
    people = [t.Person("staff-1", t.PersonKind.SME_STAFF, "a", "sme-1"),
              t.Person("staff-2", t.PersonKind.SME_STAFF, "b", "sme-2")]  # fmt: skip
    challenges = [t.Challenge(c, sme, c, "need") for c, sme in
                  [("ch-1a", "sme-1"), ("ch-1b", "sme-1"), ("ch-2", "sme-2"), ("ch-3", "sme-3")]]  # fmt: skip
    for entity, records in {"organisations": orgs, "people": people, "challenges": challenges}.items():
        repo.upsert(entity, records, session=session)


# the best group: ch-1a -> rg-cork (abroad), ch-1b -> rg-bo (home), ch-2 -> rg-bo, ch-3 -> rg-cork (no staff)
SCORES = {"ch-1a": {"rg-cork": 0.9, "rg-bo": 0.5}, "ch-1b": {"rg-cork": 0.4, "rg-bo": 0.6},
          "ch-2": {"rg-cork": 0.3, "rg-bo": 0.8}, "ch-3": {"rg-cork": 0.9}}  # fmt: skip
# modules ranked for each SME; only the first of each need counts, abroad when its council is not bologna
MODULES = {
    "sme-1": [{"module": "m-home", "title": "x", "council": "bologna", "score": 0.9, "reasons": {"answers": {"challenge": "ch-1a"}}},
              {"module": "m-cork", "title": "y", "council": "cork", "score": 0.8, "reasons": {"answers": {"challenge": "ch-1a"}}}],
    "sme-2": [{"module": "m-malaga", "title": "z", "council": "malaga", "score": 0.7, "reasons": {"answers": {"area": "finance", "score": 1}}},
              {"module": "m-home", "title": "x", "council": "bologna", "score": 0.6, "reasons": {"answers": {"challenge": "ch-2"}}}],
}  # fmt: skip


def test_mobility_lists_exactly_the_needs_best_served_abroad(sessions) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as s:
        _store(s)

    def score(challenge_id, k, programme=None, kinds=frozenset()):  # type: ignore[no-untyped-def]
        assert kinds == frozenset({"research_group"})
        ranked = sorted(SCORES[challenge_id].items(), key=lambda kv: -kv[1])[:k]
        return [("organisation", g, v) for g, v in ranked]

    with sessions() as s:
        plan = mobility_plan("bologna", lambda sme: MODULES.get(sme, []), score, session=s)
    assert plan == {"council": "bologna", "smes": [
        {"sme": "sme-1", "staff": ["staff-1"], "training": [],
         "placements": [{"challenge": "ch-1a", "research_group": "rg-cork", "council": "cork", "score": 0.9}]},
        {"sme": "sme-2", "staff": ["staff-2"], "placements": [],
         "training": [{"module": "m-malaga", "title": "z", "council": "malaga", "score": 0.7,
                       "answers": {"area": "finance", "score": 1}}]},
    ]}  # fmt: skip
