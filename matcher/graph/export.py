"""Serialise the collaboration graph for Gephi and networkx: GraphML, GEXF, node-link JSON.

The contract (``docs/graph.md``): one node per organisation or person (``id`` = the
record id; attributes ``kind``, ``council``, ``country``), one undirected edge per
connected pair and relationship kind (attributes ``kind``, ``weight`` = number of
relationships, ``first``, ``last`` = ISO dates, empty when undated).
"""

from __future__ import annotations

import json

import networkx as nx

from matcher.exceptions import ValidationError

__all__ = ["FORMATS", "export_graph"]

FORMATS = ("graphml", "gexf", "json")


def _portable(G: nx.MultiGraph) -> nx.MultiGraph:
    """A copy with only the contract's attributes, as strings and integers."""
    H = nx.MultiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, kind=str(d.get("kind", "")), council=str(d.get("council", "")),
                   country=str(d.get("country", "")))  # fmt: skip
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(
            u, v, key=k, kind=str(d["kind"]), weight=int(d["weight"]),
            first=d["first"].isoformat() if d["first"] else "", last=d["last"].isoformat() if d["last"] else "",
        )  # fmt: skip
    return H


def export_graph(G: nx.MultiGraph, fmt: str) -> str:
    """The text of ``G`` in ``fmt`` (one of :data:`FORMATS`)."""
    H = _portable(G)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(H, named_key_ids=True)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(H)) + "\n"
    if fmt == "json":
        return json.dumps(nx.node_link_data(H, edges="edges"), ensure_ascii=False) + "\n"
    raise ValidationError(f"unknown graph format {fmt!r}; choose from {', '.join(FORMATS)}")
