"""Betweenness centrality by level-synchronous Brandes with sparse matrices, exact or sampled.

Brandes (2001) accumulates, for each source ``s``, the dependency
``delta_s(v) = sum_{w : v is a predecessor of w} sigma_sv / sigma_sw * (1 + delta_s(w))``.
On an unweighted graph the breadth-first search and the accumulation run level by level as
sparse products ``A @ X`` over a block of sources at once (one column per source), so no
Python loop visits nodes or edges.  With ``k`` sampled sources the sum is scaled by
``n / k`` (Brandes & Pich 2007), as :func:`networkx.betweenness_centrality` does; with all
sources the result equals it (normalised, undirected).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from matcher.graph.predict import adjacency

__all__ = ["betweenness"]

BLOCK = 32


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    """Normalised betweenness centrality of every node (``k`` sampled sources, or all when None)."""
    nodes = list(G)
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    A = adjacency(G, nodes)
    if k is None or k >= n:
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    total = np.zeros(n)
    for start in range(0, sources.size, BLOCK):
        batch = sources[start : start + BLOCK]
        cols = np.arange(batch.size)
        sigma = np.zeros((n, batch.size))
        sigma[batch, cols] = 1.0
        seen = sigma > 0
        levels = [seen.copy()]
        frontier = sigma.copy()
        while True:
            reach = np.asarray(A @ frontier)
            reach[seen] = 0.0
            new = reach > 0
            if not new.any():
                break
            sigma[new] = reach[new]
            seen |= new
            levels.append(new)
            frontier = np.where(new, reach, 0.0)
        delta = np.zeros_like(sigma)
        safe = np.where(sigma > 0, sigma, 1.0)
        for depth in range(len(levels) - 1, 0, -1):
            coef = np.where(levels[depth], (1.0 + delta) / safe, 0.0)
            back = np.asarray(A @ coef)
            prev = levels[depth - 1]
            delta[prev] += (sigma * back)[prev]
        delta[batch, cols] = 0.0
        total += delta.sum(axis=1)
    scale = 1.0 / ((n - 1) * (n - 2))
    if sources.size < n:
        scale *= n / sources.size
    return {node: float(v) for node, v in zip(nodes, total * scale, strict=True)}
