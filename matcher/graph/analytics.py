"""What councils read off the collaboration graph: size, structure, brokers, communities, trends.

- size and structure: nodes, edges (connected pairs), connected components, density;
- degree and betweenness centrality (Brandes 2001; on large graphs approximated from
  ``k`` sampled sources, Brandes & Pich 2007) -- the top brokers;
- communities: Louvain (Blondel et al. 2008, ``networkx.community.louvain_communities``)
  with a seed, and their modularity;
- the cross-border share of ties (both ends in different countries), overall and of the
  *new* ties of each quarter (by an edge's first date);
- the SMEs' share of ties (ties with an SME at either end).

Every function takes the graph first and returns plain Python numbers (STYLE.md rule 4).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import networkx as nx

from matcher.graph.betweenness import betweenness
from matcher.graph.build import simple_graph

__all__ = [
    "communities",
    "council_view",
    "cross_border_by_quarter",
    "graph_stats",
    "quarter",
    "top_betweenness",
    "top_degree",
]

#: Above this many nodes betweenness is approximated from a sample of sources.
EXACT_BETWEENNESS_MAX = 2_000
DEFAULT_SAMPLE = 256
#: Louvain runs by default up to this many connected pairs (about 10 s); beyond, on request.
COMMUNITIES_MAX_EDGES = 200_000
SME_KINDS = frozenset({"sme"})


def council_view(G: nx.MultiGraph, council: str) -> nx.MultiGraph:
    """The council's nodes, their ties, and the nodes at the other end of those ties."""
    own = {n for n, c in G.nodes(data="council") if c == council}
    H = nx.MultiGraph()
    H.add_nodes_from((n, G.nodes[n]) for n in own)
    for u, v, k, d in G.edges(own, keys=True, data=True):
        H.add_node(u, **G.nodes[u])
        H.add_node(v, **G.nodes[v])
        H.add_edge(u, v, key=k, **d)
    return H


def quarter(day: dt.date) -> str:
    """``"2024Q3"``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _cross_border(G: nx.Graph, u: Any, v: Any) -> bool:
    return bool(G.nodes[u].get("country") != G.nodes[v].get("country"))


def cross_border_by_quarter(G: nx.MultiGraph, *, simple: nx.Graph | None = None) -> list[dict[str, Any]]:
    """New ties per quarter (a pair's first dated relationship) and the cross-border share of them.

    Returns
    -------
    list of ``{"quarter", "new_ties", "cross_border", "cross_border_share"}``, in time order.
    """
    S = simple if simple is not None else simple_graph(G)
    new: Counter[str] = Counter()
    cross: Counter[str] = Counter()
    for u, v, first in S.edges(data="first"):
        if first is None:
            continue
        q = quarter(first)
        new[q] += 1
        cross[q] += _cross_border(S, u, v)
    return [
        {"quarter": q, "new_ties": new[q], "cross_border": cross[q], "cross_border_share": cross[q] / new[q]}
        for q in sorted(new)
    ]


def top_degree(G: nx.Graph, k: int = 10) -> list[dict[str, Any]]:
    """The ``k`` nodes with most partners: ``{"id", "degree"}``."""
    ranked = sorted(G.degree(), key=lambda item: (-item[1], str(item[0])))[:k]
    return [{"id": n, "degree": int(d)} for n, d in ranked]


def top_betweenness(G: nx.Graph, k: int = 10, *, sample: int | None = None, seed: int = 0) -> dict[str, Any]:
    """The ``k`` top brokers by betweenness centrality (normalised).

    Parameters
    ----------
    sample : int, optional
        Number of sampled sources; default exact up to :data:`EXACT_BETWEENNESS_MAX` nodes,
        else :data:`DEFAULT_SAMPLE` sources (:func:`matcher.graph.betweenness.betweenness`).
    """
    n = G.number_of_nodes()
    if sample is None:
        sample = None if n <= EXACT_BETWEENNESS_MAX else DEFAULT_SAMPLE
    if sample is not None and sample >= n:
        sample = None
    bc = betweenness(G, k=sample, seed=seed) if n else {}
    ranked = sorted(bc.items(), key=lambda item: (-item[1], str(item[0])))[:k]
    return {
        "approximate": sample is not None,
        "sample": sample,
        "top": [{"id": node, "betweenness": float(b)} for node, b in ranked if b > 0],
    }


def communities(G: nx.Graph, *, seed: int = 0, weight: str = "weight") -> list[set[Any]]:
    """Louvain communities, largest first (ties broken by the smallest member id)."""
    if G.number_of_edges() == 0:
        return [{n} for n in G]
    found = nx.community.louvain_communities(G, weight=weight, seed=seed)
    return sorted(found, key=lambda c: (-len(c), min(str(x) for x in c)))


def graph_stats(
    G: nx.MultiGraph,
    *,
    seed: int = 0,
    betweenness_sample: int | None = None,
    top_k: int = 10,
    with_communities: bool | None = None,
) -> dict[str, Any]:
    """Summary of a collaboration graph (the ``matcher graph stats --json`` object).

    Keys: ``nodes``, ``edges`` (connected pairs), ``relationship_edges`` (pair x kind
    edges), ``relationships`` (sum of weights), ``components``, ``largest_component``,
    ``density``, ``cross_border_share`` (of connected pairs), ``sme_tie_share``,
    ``edges_by_kind``, ``nodes_by_kind``, ``top_degree``, ``betweenness``, ``communities``,
    ``modularity``, ``new_ties_by_quarter``.  Communities (Louvain) are computed when
    ``with_communities`` is true, by default up to :data:`COMMUNITIES_MAX_EDGES` pairs
    (``communities`` is ``None`` otherwise).
    """
    S = simple_graph(G)
    n, m = S.number_of_nodes(), S.number_of_edges()
    comps = list(nx.connected_components(S)) if n else []
    cross = sum(_cross_border(S, u, v) for u, v in S.edges())
    sme_kinds = SME_KINDS
    sme = sum(
        S.nodes[u].get("kind") in sme_kinds or S.nodes[v].get("kind") in sme_kinds for u, v in S.edges()
    )
    out: dict[str, Any] = {
        "nodes": n,
        "edges": m,
        "relationship_edges": G.number_of_edges(),
        "relationships": int(sum(w for _, _, w in G.edges(data="weight"))),
        "components": len(comps),
        "largest_component": max((len(c) for c in comps), default=0),
        "density": float(nx.density(S)) if n > 1 else 0.0,
        "cross_border_share": cross / m if m else 0.0,
        "sme_tie_share": sme / m if m else 0.0,
        "edges_by_kind": dict(sorted(Counter(k for _, _, k in G.edges(keys=True)).items())),
        "nodes_by_kind": dict(sorted(Counter(str(k) for _, k in S.nodes(data="kind")).items())),
        "top_degree": top_degree(S, top_k),
        "betweenness": top_betweenness(S, top_k, sample=betweenness_sample, seed=seed),
        "new_ties_by_quarter": cross_border_by_quarter(G, simple=S),
    }
    if with_communities is None:
        with_communities = m <= COMMUNITIES_MAX_EDGES
    out["communities"] = None
    if with_communities:
        found = communities(S, seed=seed)
        out["communities"] = sum(1 for c in found if len(c) > 1)
        out["modularity"] = float(nx.community.modularity(S, found)) if m else 0.0
        out["largest_communities"] = [len(c) for c in found[:10]]
    return out
