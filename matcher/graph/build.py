"""Build the collaboration graph: typed, dated edges between organisations and people.

The graph is an undirected :class:`networkx.MultiGraph` with **one edge per connected
pair and relationship kind** (the edge key is the kind).  Each edge carries ``kind``,
``weight`` (the number of relationships of that kind between the pair), ``first`` and
``last`` (the earliest and latest dates, ``None`` when no relationship was dated).
Nodes carry ``kind``, ``council``, ``country`` and ``node_type`` (``organisation`` or
``person``).  :func:`snapshot` restricts a graph to what existed on a date (``as_of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = ["GraphEdge", "GraphNode", "build_graph", "simple_graph", "snapshot"]


@dataclass(frozen=True)
class GraphNode:
    """An organisation or a person of the programme."""

    id: str
    node_type: str  # organisation | person
    kind: str
    council: str
    country: str


@dataclass(frozen=True)
class GraphEdge:
    """One stored relationship, its ends already resolved to node ids."""

    source: str
    target: str
    kind: str
    date: dt.date | None = None


def build_graph(
    nodes: Iterable[GraphNode], edges: Iterable[GraphEdge], *, as_of: dt.date | None = None
) -> nx.MultiGraph:
    """The collaboration graph of ``nodes`` and ``edges`` (only those dated on or before ``as_of``).

    Relationships whose ends are not among ``nodes`` and self-loops are left out; an
    undated relationship counts at every date (it is known to exist, not when it began).
    """
    G = nx.MultiGraph()
    G.add_nodes_from(
        (n.id, {"node_type": n.node_type, "kind": n.kind, "council": n.council, "country": n.country})
        for n in nodes
    )
    agg: dict[tuple[str, str, str], list[Any]] = {}  # (u, v, kind) -> [weight, first, last]
    known = G._node  # the node dict: membership tests without the view's overhead
    for e in edges:
        u, v = e.source, e.target
        if u == v or u not in known or v not in known:
            continue
        if as_of is not None and e.date is not None and e.date > as_of:
            continue
        key = (u, v, e.kind) if u < v else (v, u, e.kind)
        found = agg.get(key)
        if found is None:
            agg[key] = [1, e.date, e.date]
            continue
        found[0] += 1
        if e.date is not None:
            found[1] = e.date if found[1] is None or e.date < found[1] else found[1]
            found[2] = e.date if found[2] is None or e.date > found[2] else found[2]
    G.add_edges_from(
        (u, v, k, {"kind": k, "weight": w, "first": first, "last": last})
        for (u, v, k), (w, first, last) in agg.items()
    )
    return G


def snapshot(G: nx.MultiGraph, as_of: dt.date) -> nx.MultiGraph:
    """A copy of ``G`` holding the edges that existed on ``as_of`` (first date on or before it).

    Weights are not re-counted (an edge's relationships are aggregated); use
    :func:`build_graph` with ``as_of`` for exact weights.  All nodes are kept.
    """
    H = nx.MultiGraph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if d["first"] is None or d["first"] <= as_of
    )
    return H


def simple_graph(G: nx.MultiGraph, weight: str = "weight") -> nx.Graph:
    """Collapse the kinds: one edge per pair, ``weight`` summed, ``first``/``last`` over the kinds."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    done: set[Any] = set()
    pairs = []
    for u, nbrs in G._adj.items():  # the adjacency dict directly: ~5x faster than the edge view
        for v, by_kind in nbrs.items():
            if v in done or v == u:
                continue
            data = list(by_kind.values())
            if len(data) == 1:
                d = data[0]
                pairs.append((u, v, {weight: d.get(weight, 1), "kinds": [d["kind"]], "first": d["first"],
                                     "last": d["last"]}))  # fmt: skip
                continue
            firsts = [d["first"] for d in data if d["first"] is not None]
            lasts = [d["last"] for d in data if d["last"] is not None]
            pairs.append((u, v, {weight: sum(d.get(weight, 1) for d in data), "kinds": [d["kind"] for d in data],
                                 "first": min(firsts, default=None), "last": max(lasts, default=None)}))  # fmt: skip
        done.add(u)
    H.add_edges_from(pairs)
    return H
