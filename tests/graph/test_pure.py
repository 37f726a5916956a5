"""The pure graph package against hand-solved toy graphs and networkx's own algorithms."""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
import numpy as np
import pytest

from matcher.exceptions import NotFittedError, ValidationError
from matcher.graph import (
    GraphEdge,
    GraphNode,
    LinkPredictor,
    adjacency,
    blend_scores,
    build_graph,
    communities,
    council_view,
    cross_border_by_quarter,
    export_graph,
    graph_stats,
    link_scores,
    novelty,
    simple_graph,
)

D = dt.date


def _toy() -> nx.MultiGraph:
    nodes = [
        GraphNode("a", "organisation", "sme", "cork", "IE"),
        GraphNode("b", "organisation", "hei", "cork", "IE"),
        GraphNode("c", "organisation", "research_group", "paris", "FR"),
        GraphNode("d", "person", "academic", "paris", "FR"),
        GraphNode("e", "organisation", "sme", "bologna", "IT"),
    ]
    edges = [
        GraphEdge("a", "b", "joint_eu_project", D(2020, 2, 1)),
        GraphEdge("a", "b", "joint_eu_project", D(2021, 5, 1)),
        GraphEdge("a", "b", "match_accepted", D(2022, 1, 10)),
        GraphEdge("b", "c", "joint_eu_project", D(2020, 3, 31)),
        GraphEdge("c", "d", "placement_held", None),
        GraphEdge("a", "zz", "joint_eu_project", D(2020, 1, 1)),  # unknown end: left out
        GraphEdge("a", "a", "joint_eu_project", D(2020, 1, 1)),  # self-loop: left out
    ]
    return build_graph(nodes, edges)


def test_one_edge_per_pair_and_kind_with_weight_and_dates():
    G = _toy()
    assert G.number_of_nodes() == 5 and G.number_of_edges() == 4
    ab = G.get_edge_data("a", "b")
    assert set(ab) == {"joint_eu_project", "match_accepted"}
    assert ab["joint_eu_project"]["weight"] == 2
    assert (ab["joint_eu_project"]["first"], ab["joint_eu_project"]["last"]) == (D(2020, 2, 1), D(2021, 5, 1))
    assert G["c"]["d"]["placement_held"]["first"] is None


def test_as_of_keeps_only_ties_formed_by_then_and_undated_ones():
    nodes = [GraphNode(x, "organisation", "sme", "cork", "IE") for x in "ab"]
    G = build_graph(
        nodes,
        [GraphEdge("a", "b", "k", D(2020, 1, 1)), GraphEdge("a", "b", "k", D(2022, 1, 1)),
         GraphEdge("a", "b", "u", None), GraphEdge("a", "b", "late", D(2023, 1, 1))],
        as_of=D(2021, 6, 30),
    )  # fmt: skip
    assert set(G.get_edge_data("a", "b")) == {"k", "u"}
    assert G["a"]["b"]["k"]["weight"] == 1 and G["a"]["b"]["k"]["last"] == D(2020, 1, 1)


def test_stats_by_hand():
    s = graph_stats(_toy())
    # pairs: a-b, b-c, c-d; e isolated -> components {a,b,c,d}, {e}
    assert (s["nodes"], s["edges"], s["components"], s["largest_component"]) == (5, 3, 2, 4)
    assert s["relationships"] == 5 and s["relationship_edges"] == 4
    assert s["density"] == pytest.approx(3 / 10)
    assert s["cross_border_share"] == pytest.approx(1 / 3)  # only b-c crosses a border
    assert s["sme_tie_share"] == pytest.approx(1 / 3)  # only a-b has an SME end
    assert s["top_degree"][:2] == [{"id": "b", "degree": 2}, {"id": "c", "degree": 2}]
    # path a-b-c-d: betweenness of b and c = 2 pairs each / C(4-1... ) normalised by (n-1)(n-2)/2 = 6
    exact = nx.betweenness_centrality(simple_graph(_toy()))
    assert {r["id"]: r["betweenness"] for r in s["betweenness"]["top"]} == pytest.approx(
        {k: v for k, v in exact.items() if v > 0}
    )
    assert s["betweenness"]["approximate"] is False


def test_new_ties_per_quarter_count_a_pairs_first_date():
    q = cross_border_by_quarter(_toy())
    # a-b first 2020-02-01 (2020Q1, domestic), b-c 2020-03-31 (2020Q1, cross-border); c-d undated
    assert q == [{"quarter": "2020Q1", "new_ties": 2, "cross_border": 1, "cross_border_share": 0.5}]


def test_council_view_holds_its_members_ties_and_their_partners():
    V = council_view(_toy(), "cork")
    assert set(V) == {"a", "b", "c"} and V.number_of_edges() == 3


def test_louvain_finds_two_cliques_joined_by_a_bridge():
    G = nx.Graph()
    G.add_edges_from(itertools.combinations(range(5), 2))
    G.add_edges_from(itertools.combinations(range(5, 10), 2))
    G.add_edge(4, 5)
    found = communities(G, seed=3)
    assert sorted(sorted(c) for c in found) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert communities(G, seed=3) == found  # seeded: reproducible


@pytest.mark.parametrize(
    ("method", "oracle"),
    [
        ("adamic_adar", nx.adamic_adar_index),
        ("resource_allocation", nx.resource_allocation_index),
        ("preferential_attachment", nx.preferential_attachment),
        (
            "common_neighbours",
            lambda G, pairs: ((u, v, len(list(nx.common_neighbors(G, u, v)))) for u, v in pairs),
        ),
    ],
)
def test_sparse_link_scores_equal_networkx(method, oracle):
    G = nx.gnm_random_graph(40, 90, seed=5)
    A = adjacency(G, list(G))
    scores = link_scores(A, np.arange(40), method)
    pairs = [(u, v) for u, v in itertools.combinations(range(40), 2) if not G.has_edge(u, v)]
    for u, v, expected in oracle(G, pairs):
        assert scores[u, v] == pytest.approx(expected)
        assert scores[v, u] == pytest.approx(expected)


def test_predictor_masks_existing_ties_and_names_shared_partners():
    G = nx.Graph([("x", "a"), ("x", "b"), ("x", "c"), ("y", "a"), ("y", "b"), ("z", "c")])
    with pytest.raises(NotFittedError):
        LinkPredictor().top_k("x")
    p = LinkPredictor(method="common_neighbours").fit(G)
    assert p.top_k("x", 3) == [("y", 2.0), ("z", 1.0)]
    assert p.shared_partners("x", "y") == ["a", "b"]
    assert np.isneginf(p.scores(["x"])[0][p.index_["a"]])
    assert p.scores(["unknown"]).tolist() == [[0.0] * G.number_of_nodes()]


def test_blend_weight_zero_is_content_and_filtered_stay_out():
    content = np.array([0.9, 0.5, -np.inf, 0.1])
    graph = np.array([0.0, 4.0, 8.0, 2.0])
    assert blend_scores(content, graph, weight=0.0).tolist() == content.tolist()
    out = blend_scores(content, graph, weight=0.5, novelty_share=0.0)
    # graph normalised by the largest among usable candidates (4.0): [0, 1, -, 0.5]
    assert out[0] == pytest.approx(0.45) and out[1] == pytest.approx(0.75) and out[3] == pytest.approx(0.3)
    assert np.isneginf(out[2])
    with pytest.raises(ValidationError):
        blend_scores(content, graph, weight=1.5)


def test_novelty_counts_community_and_border_bridges():
    got = novelty(1, np.array([1, 2, -1]), "IE", np.array(["IE", "FR", "FR"], dtype=object))
    assert got.tolist() == [0.0, 1.0, 0.5]


def test_graphml_contract_round_trips_through_networkx(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(export_graph(_toy(), "graphml"), encoding="utf-8")
    H = nx.read_graphml(path)
    assert set(H) == {"a", "b", "c", "d", "e"}
    assert H.nodes["c"] == {"kind": "research_group", "council": "paris", "country": "FR"}
    kinds = {d["kind"]: d for _, _, d in H.edges(data=True)}
    assert H.number_of_edges() == 4
    assert kinds["joint_eu_project"] is not None
    ab = [d for u, v, d in H.edges(data=True) if {u, v} == {"a", "b"} and d["kind"] == "joint_eu_project"]
    assert ab and ab[0]["weight"] == 2 and ab[0]["first"] == "2020-02-01" and ab[0]["last"] == "2021-05-01"
    cd = next(d for u, v, d in H.edges(data=True) if {u, v} == {"c", "d"})
    assert cd["first"] == "" and cd["last"] == ""


def test_other_formats_and_unknown_format():
    assert "<gexf" in export_graph(_toy(), "gexf")
    import json

    data = json.loads(export_graph(_toy(), "json"))
    assert len(data["nodes"]) == 5 and len(data["edges"]) == 4
    with pytest.raises(ValidationError):
        export_graph(_toy(), "dot")


@pytest.mark.parametrize("seed", [0, 1])
def test_sparse_betweenness_equals_networkx(seed):
    from matcher.graph.betweenness import betweenness

    G = nx.connected_watts_strogatz_graph(70, 4, 0.3, seed=seed)
    G.add_edges_from([(100, 101)])  # a second component
    assert betweenness(G) == pytest.approx(nx.betweenness_centrality(G))
    # sampled: the same estimator networkx uses (n/k scaling) -- close to exact on average
    approx = betweenness(G, k=60, seed=seed)
    exact = nx.betweenness_centrality(G)
    assert np.corrcoef(list(approx.values()), [exact[n] for n in approx])[0, 1] > 0.9
