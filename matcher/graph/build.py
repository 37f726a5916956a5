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
    for n in nodes:
        G.add_node(n.id, node_type=n.node_type, kind=n.kind, council=n.council, country=n.country)
    for e in edges:
        if e.source == e.target or e.source not in G or e.target not in G:
            continue
        if as_of is not None and e.date is not None and e.date > as_of:
            continue
        data = G.get_edge_data(e.source, e.target, key=e.kind)
        if data is None:
            G.add_edge(e.source, e.target, key=e.kind, kind=e.kind, weight=1, first=e.date, last=e.date)
            continue
        data["weight"] += 1
        if e.date is not None:
            data["first"] = e.date if data["first"] is None else min(data["first"], e.date)
            data["last"] = e.date if data["last"] is None else max(data["last"], e.date)
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
    for u, v, d in G.edges(data=True):
        if H.has_edge(u, v):
            h = H[u][v]
            h[weight] += d.get(weight, 1)
            h["kinds"].append(d["kind"])
            if d["first"] is not None:
                h["first"] = d["first"] if h["first"] is None else min(h["first"], d["first"])
                h["last"] = d["last"] if h["last"] is None else max(h["last"], d["last"])
        else:
            H.add_edge(
                u, v, **{weight: d.get(weight, 1)}, kinds=[d["kind"]], first=d["first"], last=d["last"]
            )
    return H
