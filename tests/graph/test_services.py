"""The graph from the store: outcomes feed it, erasure empties it, partners get graph reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from matcher import types as t
from matcher.embeddings import FakeEncoder
from matcher.graph import blend_scores
from matcher.services import graph
from matcher.services.erasure import erase_person
from matcher.services.matching import ProgrammeMatcher
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.api.conftest import Api
from tests.factories import mini_programme


def _store(sessions, extra=()):  # type: ignore[no-untyped-def]
    p = mini_programme()
    p["organisations"] += [
        t.Organisation(
            "sme-pa-1", t.OrgKind.SME, "Soudure Paris", "paris", "FR", description="welding cells"
        ),
    ]
    p["profiles"] += [t.CapabilityProfile("prof-sme-pa-1", t.OwnerType.ORGANISATION, "sme-pa-1")]
    p["documents"] += [t.Document("s1", "prof-sme-pa-1", t.DocumentKind.DESCRIPTION, "robotic welding cells")]
    p["relationships"] += list(extra)
    with transaction(sessions) as session:
        for entity, records in p.items():
            repo.upsert(entity, records, session=session)


def test_erasing_a_person_removes_their_node_and_edges(sessions):
    _store(sessions)
    with sessions() as session:
        before = graph.cached_graph(session=session)
        assert "stu-cork-1" in before and before.has_edge("stu-cork-1", "sme-bo-1")
    with transaction(sessions) as session:
        erase_person("stu-cork-1", session=session, cache_path=None)
        assert "stu-cork-1" not in before  # the cached copy lost the node at once
    with sessions() as session:
        G = graph.load_graph(session=session)
        assert "stu-cork-1" not in G and G.number_of_edges() == 1
        assert "stu-cork-1" not in graph.cached_graph(session=session)


def test_as_of_snapshot_from_the_store(sessions):
    _store(sessions)
    with sessions() as session:
        assert graph.load_graph(session=session, as_of=dt.date(2019, 1, 1)).number_of_edges() == 1  # undated
        assert graph.load_graph(session=session, as_of=dt.date(2020, 5, 1)).number_of_edges() == 2


def test_partner_suggestions_blend_the_graph_and_say_why(sessions):
    # sme-bo-1 and sme-pa-1 both worked with hei-cork: one shared partner
    shared = t.Relationship("rel-pa", t.RelationshipKind.JOINT_EU_PROJECT, t.NodeType.ORGANISATION, "hei-cork",
                            t.NodeType.ORGANISATION, "sme-pa-1", date=dt.date(2021, 1, 1))  # fmt: skip
    _store(sessions, [shared])
    content = ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk", graph_weight=0.0)
    blended = ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk", graph_weight=0.5)
    with sessions() as session:
        plain = {s.candidate_id: s for s in content.partners("sme-bo-1", session=session, k=0)}
        mixed = {s.candidate_id: s for s in blended.partners("sme-bo-1", session=session, k=0)}
        model = graph._model(session=session)
    assert set(plain) == set(mixed) and "sme-pa-1" in mixed
    why = mixed["sme-pa-1"].reasons["graph"]
    assert why["shared_partners"] == ["hei-cork"]
    assert why["text"][0] == "shares 1 partner with sme-pa-1: hei-cork"
    assert why["adamic_adar"] == pytest.approx(1 / np.log(2))  # hei-cork has two partners
    # the only candidate with graph evidence: normalised graph score 1; the novelty as reported
    expected = blend_scores(
        np.array([plain["sme-pa-1"].score]), np.array([1.0]), weight=0.5, novelty=np.array([why["novelty"]])
    )[0]
    assert mixed["sme-pa-1"].score == pytest.approx(expected)
    other = next(c for c in mixed if c != "sme-pa-1")
    assert mixed[other].reasons["graph"]["shared_partners"] == []
    # the path stu-cork-1 - sme-bo-1 - hei-cork - sme-pa-1 splits into two Louvain communities of two
    assert model.community["sme-bo-1"] == model.community["stu-cork-1"] != model.community["sme-pa-1"]
    assert why["text"][1] == f"bridges community {model.community['sme-pa-1']}"
    assert why["novelty"] == 1.0  # across a community and a border


def test_outcomes_add_dated_edges_that_reach_the_graph(api: Api):
    items = api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy").json()["items"]
    path = f"/matches/{items[0]['id']}/decisions"
    candidate = items[0]["candidate_id"]
    before = api.call("admin", "GET", "/graph/stats").json()
    assert (
        api.call("sme_bo1", "POST", path, json={"action": "accept", "date": "2026-11-02"}).status_code == 200
    )
    assert (
        api.call(
            "coord_cork", "POST", path, json={"action": "meeting_held", "date": "2026-11-20"}
        ).status_code
        == 200
    )
    assert (
        api.call("sme_bo1", "POST", path, json={"action": "complete", "date": "2027-02-01"}).status_code
        == 200
    )
    after = api.call("admin", "GET", "/graph/stats").json()
    for kind in ("match_accepted", "meeting_held", "consultancy_completed"):
        assert after["edges_by_kind"].get(kind, 0) == before["edges_by_kind"].get(kind, 0) + 1
    net = api.call("admin", "GET", "/organisations/sme-bo-1/network").json()
    kinds = {e["kind"]: e for e in net["edges"] if candidate in (e["source"], e["target"])}
    assert kinds["meeting_held"]["first"] == "2026-11-20"
    assert kinds["consultancy_completed"]["first"] == "2027-02-01"


def test_network_shows_only_nodes_the_caller_may_read(api: Api):
    # sme-bo-1's partners: hei-cork (joint project, public) and stu-cork-1 (a person of Cork)
    admin = api.call("admin", "GET", "/organisations/sme-bo-1/network?depth=2").json()
    assert {n["id"] for n in admin["nodes"]} >= {"sme-bo-1", "hei-cork", "stu-cork-1"}
    cork = api.call("council_cork", "GET", "/organisations/sme-bo-1/network?depth=2").json()
    assert "stu-cork-1" in {n["id"] for n in cork["nodes"]}  # its own region's person
    bologna = api.call("council_bo", "GET", "/organisations/sme-bo-1/network?depth=2").json()
    ids = {n["id"] for n in bologna["nodes"]}
    assert "stu-cork-1" not in ids and "hei-cork" in ids
    assert all(e["source"] in ids and e["target"] in ids for e in bologna["edges"])
    assert api.call("admin", "GET", "/organisations/sme-bo-1/network?depth=3").status_code == 422


def test_council_stats_are_its_region(api: Api):
    cork = api.call("council_cork", "GET", "/graph/stats").json()
    assert cork["scope"]["council"] == "cork"
    admin_cork = api.call("admin", "GET", "/graph/stats?council=cork").json()
    assert (cork["nodes"], cork["edges"]) == (admin_cork["nodes"], admin_cork["edges"])
    whole = api.call("admin", "GET", "/graph/stats").json()
    assert whole["nodes"] >= cork["nodes"]
    assert set(whole) >= {"nodes", "edges", "components", "cross_border_share", "density"}
