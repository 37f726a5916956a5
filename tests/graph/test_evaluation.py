"""The graph evaluation's pieces with known answers, the demo's ties and the report files."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.graph_eval import Tie, _auc, evaluate_ties, time_split
from matcher.demo.ties import project_ties
from matcher.types import Organisation, OrgKind


def test_auc_by_hand():
    scores = np.array([0.9, 0.1, 0.5, 0.5])
    positive = np.array([True, False, True, False])
    # pairs (pos, neg): (0.9,0.1) win, (0.9,0.5) win, (0.5,0.1) win, (0.5,0.5) half -> 3.5 / 4
    assert _auc(scores, positive) == pytest.approx(0.875)


def test_time_split_and_a_graph_that_closes_triangles_beats_chance():
    # a ring of triangles: early ties a-b, b-c; later the closing tie a-c in every triangle
    ties = []
    for i in range(30):
        a, b, c = f"a{i}", f"b{i}", f"c{i}"
        ties += [Tie(a, b, 1.0), Tie(b, c, 2.0), Tie(c, f"a{(i + 1) % 30}", 2.5), Tie(a, c, 10.0)]
    cut, train, test = time_split(ties, 0.75)
    assert cut == 2.5 and (len(train), len(test)) == (90, 30)
    texts = {n: "" for t in ties for n in (t.source, t.target)}
    r = evaluate_ties(ties, texts, {}, weight=1.0, train_share=0.75, n_resamples=50)
    assert r["queries"] == 60
    # a's one unconnected partner-of-partner is c (and c's is a, next to a(i+1)'s b): AA ranks c first
    assert r["metrics"]["graph"]["recall@20"]["mean"] == 1.0
    assert r["metrics"]["graph"]["auc"]["mean"] > 0.9


def test_demo_ties_are_cross_border_dated_and_close_triangles():
    rng = np.random.default_rng(0)
    orgs = [Organisation(f"o{i}", OrgKind.SME, f"O{i}", "cork", ["IE", "FR", "IT"][i % 3]) for i in range(60)]
    topics = {o.id: [f"T{i % 5}"] for i, o in enumerate(orgs)}
    ties = project_ties(rng, orgs, topics, n_projects=200)
    country = {o.id: o.country for o in orgs}
    assert ties and all(country[t[2]] != country[t[4]] for t in ties)
    dates = [t[5] for t in ties]
    assert dates == sorted(dates)
    import networkx as nx

    G = nx.Graph([(t[2], t[4]) for t in ties])
    R = nx.gnm_random_graph(G.number_of_nodes(), G.number_of_edges(), seed=0)
    assert nx.transitivity(G) > nx.transitivity(R)  # more closed triangles than chance


def test_graph_report_writes_markdown_html_and_plots(sessions, tmp_path):
    from matcher.services.graph_report import write_graph_report
    from matcher.store import records as repo
    from matcher.store.db import transaction
    from tests.factories import mini_programme

    with transaction(sessions) as session:
        for entity, records in mini_programme().items():
            repo.upsert(entity, records, session=session)
    with sessions() as session:
        paths = write_graph_report(tmp_path / "r", session=session)
    assert {"markdown", "html", "council_network", "cross_border", "degree_distribution"} <= set(paths)
    assert paths["council_network"].read_bytes()[:4] == b"\x89PNG"
    assert "data:image/png;base64," in paths["html"].read_text(encoding="utf-8")
    assert "| cork |" in paths["markdown"].read_text(encoding="utf-8")
