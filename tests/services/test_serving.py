"""Materialised answers (matcher.services.serving) equal what the matcher computes afresh, after any change."""

from __future__ import annotations

import dataclasses

import pytest

from matcher import types as t
from matcher.domain.matches import Suggestion
from matcher.embeddings import FakeEncoder
from matcher.services.access import Principal, Role
from matcher.services.matching import MatchFilters, ProgrammeMatcher
from matcher.services.outcomes import decisions
from matcher.services.outcomes.stored import record_suggestions
from matcher.services.serving import AnswerCache, filters_key
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.services.test_matching import _extended

ADMIN = Principal(Role.ADMIN, key_id=1)
SECRET = t.Challenge(
    "ch-pa-secret", "sme-pa-1", "Confidential weld seam retrofit", "Robotic welding line at our Versailles plant.",
    sector="automotive", required_skills=("welding",), visibility=t.Visibility.PRIVATE,
)  # fmt: skip


@pytest.fixture
def stored(sessions):
    with transaction(sessions) as session:
        for entity, records in {**_extended(), "challenges": [*_extended()["challenges"], SECRET]}.items():
            repo.upsert(entity, records, session=session)
    return sessions


def _answers(m: ProgrammeMatcher, sessions) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    """Every kind of answer the API serves, as plain dicts (fits may store match records: committed)."""
    out: dict[str, list[dict]] = {}
    with transaction(sessions) as session:
        for p in t.Programme:
            out[f"suggest {p.value}"] = [s.to_dict() for s in m.suggest("ch-bo-1", p, session=session, k=0)]
        strict = MatchFilters(strict_availability=True, kinds=["student", "research_group"])
        out["suggest strict"] = [
            s.to_dict() for s in m.suggest("ch-bo-1", "consultancy", session=session, k=3, filters=strict)
        ]
        for profile in ("prof-rg-bo-weld", "prof-acad-bo-1", "prof-stu-bo-1"):
            out[f"fits {profile}"] = [s.to_dict() for s in m.fits(profile, session=session, k=0)]
        for org in ("sme-bo-1", "sme-pa-1"):
            out[f"partners {org}"] = [s.to_dict() for s in m.partners(org, session=session, k=0)]
    return out


def _check(cached: ProgrammeMatcher, stored) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    """Cached answers (asked twice: the second time from the cache) equal a cache-less matcher's."""
    first = _answers(cached, stored)
    hits = cached.answers.hits
    again = _answers(cached, stored)
    assert cached.answers.hits > hits  # the repeat was served from the cache
    fresh = _answers(ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk", answer_cache=0), stored)
    assert first == fresh
    assert again == fresh
    return fresh


def test_cached_answers_equal_fresh_ones_after_edits_consent_and_decisions(stored):
    cached = ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk")
    before = _check(cached, stored)
    assert before["suggest consultancy"] and before["partners sme-bo-1"] and before["fits prof-rg-bo-weld"]

    # an edited challenge: new text, so new scores; the cached answer must not survive
    with transaction(stored) as session:
        ch = repo.get_record("challenges", "ch-bo-1", session=session)
        repo.upsert("challenges", [dataclasses.replace(ch, description="Sensor networks and low power radios.")],
                    session=session)  # fmt: skip
    edited = _check(cached, stored)
    assert edited["suggest consultancy"] != before["suggest consultancy"]

    # an edited profile document
    with transaction(stored) as session:
        doc = repo.get_record("documents", "i1", session=session)
        repo.upsert(
            "documents", [dataclasses.replace(doc, text="robotic welding and radios")], session=session
        )
    _check(cached, stored)

    # a consent change hides a candidate
    with transaction(stored) as session:
        org = repo.get_record("organisations", "sme-pa-1", session=session)
        repo.upsert("organisations", [dataclasses.replace(org, consent=False)], session=session)
    withdrawn = _check(cached, stored)
    assert "sme-pa-1" not in {s["candidate_id"] for s in withdrawn["suggest partner"]}

    # decisions: an accepted suggestion, and contact on the private challenge approved
    with transaction(stored) as session:
        [first, *_] = record_suggestions(
            t.Programme.CONSULTANCY, "ch-bo-1",
            [Suggestion(t.NodeType.ORGANISATION, "rg-bo-weld", 0.5, {})], session=session,
        )  # fmt: skip
        decisions.decide(first[0].id, "accept", ADMIN, session=session)
    hidden = next(s for s in withdrawn["fits prof-rg-bo-weld"] if s.get("anonymised"))
    with transaction(stored) as session:
        decisions.decide(hidden["match_id"], "request_contact", ADMIN, session=session)
        decisions.decide(hidden["match_id"], "approve_contact", ADMIN, session=session)
    decided = _check(cached, stored)
    shown = next(s for s in decided["fits prof-rg-bo-weld"] if s["match_id"] == hidden["match_id"])
    # disclosure is applied after the cache, on every request
    assert shown["contact"] == "approved" and shown["candidate_id"] == "ch-pa-secret"

    # a new relationship (an outcome of a decision) leaves an organisation out of partner suggestions
    assert "rg-pa-iot" in {s["candidate_id"] for s in decided["partners sme-bo-1"]}
    with transaction(stored) as session:
        repo.upsert("relationships", [t.Relationship("rel-new", t.RelationshipKind.JOINT_EU_PROJECT,
                    t.NodeType.ORGANISATION, "sme-bo-1", t.NodeType.ORGANISATION, "rg-pa-iot")],
                    session=session)  # fmt: skip
    related = _check(cached, stored)
    assert "rg-pa-iot" not in {s["candidate_id"] for s in related["partners sme-bo-1"]}


def test_answer_cache_is_bounded_and_copies():
    cache = AnswerCache(2)
    calls = []

    def compute(v):  # type: ignore[no-untyped-def]
        return lambda: calls.append(v) or {"v": [v]}

    a = cache.get_or_compute("a", compute(1))
    a["v"].append(99)  # a caller changing its answer does not change the stored one
    assert cache.get_or_compute("a", compute(2)) == {"v": [1]}
    cache.get_or_compute("b", compute(3))
    cache.get_or_compute("c", compute(4))  # evicts the least recently used: "a"
    assert len(cache) == 2
    assert cache.get_or_compute("a", compute(5)) == {"v": [5]}
    assert calls == [1, 3, 4, 5]
    off = AnswerCache(0)
    off.get_or_compute("a", compute(6))
    off.get_or_compute("a", compute(7))
    assert calls[-2:] == [6, 7] and len(off) == 0


def test_filters_key_ignores_collection_order_and_type():
    a = MatchFilters(kinds=["student", "academic"], countries={"IE"})
    b = MatchFilters(kinds=("academic", "student"), countries=["IE"])
    assert filters_key(a) == filters_key(b)
    assert filters_key(a) != filters_key(MatchFilters(kinds=["student"]))


def test_a_long_freshness_interval_still_sees_this_process_writes_at_once(stored):
    slow = ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk", freshness_interval=3600.0)
    with stored() as session:
        before = {s.candidate_id for s in slow.suggest("ch-bo-1", "consultancy", session=session, k=0)}
    with transaction(stored) as session:
        repo.upsert("people", [t.Person("acad-new", t.PersonKind.ACADEMIC, "New", "hei-bo")], session=session)
        repo.upsert("profiles", [t.CapabilityProfile("prof-acad-new", t.OwnerType.PERSON, "acad-new")],
                    session=session)  # fmt: skip
        repo.upsert("documents", [t.Document("n1", "prof-acad-new", t.DocumentKind.PUBLICATION,
                                             "welding line automation")], session=session)  # fmt: skip
    with stored() as session:
        after = {s.candidate_id for s in slow.suggest("ch-bo-1", "consultancy", session=session, k=0)}
    assert after - before == {"acad-new"}
    # a read-only request commits no corpus change, so it does not force the next request to re-check
    generation = slow._checked[0]
    with stored() as session:
        slow.suggest("ch-bo-1", "consultancy", session=session, k=0)
    assert slow._checked[0] == generation
