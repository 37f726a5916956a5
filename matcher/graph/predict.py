"""Link prediction on the collaboration graph with sparse matrices (no loops over node pairs).

For a binary symmetric adjacency ``A`` (CSR) with degrees ``d``, the scores of every pair
``(u, v)`` for the query rows ``U`` are rows of a sparse product (Liben-Nowell & Kleinberg,
"The link-prediction problem for social networks", 2007):

- common neighbours  ``CN = A[U] @ A``
- Adamic-Adar        ``AA = A[U] @ diag(1 / log d) @ A``     (Adamic & Adar 2003)
- resource allocation ``RA = A[U] @ diag(1 / d) @ A``        (Zhou, Lü & Zhang 2009)
- preferential attachment ``PA = d[U] d^T``                  (Barabási & Albert 1999)

:class:`LinkPredictor` follows the estimator contract: ``fit(G)`` learns the node order,
the adjacency and the degrees; queries before ``fit`` raise :class:`NotFittedError`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["METHODS", "LinkPredictor", "adjacency", "link_scores"]

METHODS = ("adamic_adar", "resource_allocation", "common_neighbours", "preferential_attachment")


def adjacency(G: nx.Graph, nodes: Sequence[Hashable] | None = None) -> sp.csr_matrix:
    """Binary symmetric adjacency (CSR, float64) of ``G`` in ``nodes`` order (default ``list(G)``)."""
    nodes = list(G) if nodes is None else list(nodes)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    n = len(nodes)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    A = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    A.data[:] = 1.0  # parallel edges (several kinds) count once
    return A


def link_scores(A: sp.csr_matrix, rows: Sequence[int] | np.ndarray, method: str) -> np.ndarray:
    """Scores of every pair ``(rows[i], j)``.

    Parameters
    ----------
    A : sparse matrix of shape (n, n)
        Binary symmetric adjacency.
    rows : sequence of int, length q
    method : str
        One of :data:`METHODS`.

    Returns
    -------
    ndarray of shape (q, n), float64. Existing edges and the node itself are *not* masked.
    """
    rows = np.asarray(rows, dtype=np.int64)
    deg = np.asarray(A.sum(axis=1)).ravel()
    if method == "preferential_attachment":
        return np.outer(deg[rows], deg)
    if method == "common_neighbours":
        w = np.ones_like(deg)
    elif method == "adamic_adar":
        with np.errstate(divide="ignore"):
            w = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
    elif method == "resource_allocation":
        w = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
    else:
        raise ValidationError(f"unknown link-prediction method {method!r}; choose from {', '.join(METHODS)}")
    return np.asarray((A[rows].multiply(w[None, :]).tocsr() @ A).todense())


class LinkPredictor:
    """Graph scores for unconnected pairs.

    Parameters
    ----------
    method : str
        One of :data:`METHODS` (default ``"adamic_adar"``).
    """

    def __init__(self, *, method: str = "adamic_adar") -> None:
        self.method = method

    def fit(self, G: nx.Graph) -> LinkPredictor:
        if self.method not in METHODS:
            raise ValidationError(f"unknown link-prediction method {self.method!r}")
        self.nodes_ = list(G)
        self.index_ = {n: i for i, n in enumerate(self.nodes_)}
        self.adjacency_ = adjacency(G, self.nodes_)
        self.degree_ = np.asarray(self.adjacency_.sum(axis=1)).ravel()
        return self

    def _check(self) -> None:
        if not hasattr(self, "adjacency_"):
            raise NotFittedError("LinkPredictor is not fitted; call fit(G) first")

    def scores(self, sources: Sequence[Hashable]) -> np.ndarray:
        """Scores (len(sources), n_nodes) with existing ties and self-pairs set to ``-inf``.

        A source that is not a node of the graph gets a row of zeros (no evidence).
        """
        self._check()
        known = [s in self.index_ for s in sources]
        rows = np.array([self.index_[s] for s, k in zip(sources, known, strict=True) if k], dtype=np.int64)
        out = np.zeros((len(sources), len(self.nodes_)))
        if rows.size:
            block = link_scores(self.adjacency_, rows, self.method)
            tied = self.adjacency_[rows].toarray() > 0
            block[tied] = -np.inf
            block[np.arange(rows.size), rows] = -np.inf
            out[np.flatnonzero(known)] = block
        return out

    def top_k(self, source: Hashable, k: int = 10) -> list[tuple[Any, float]]:
        """The ``k`` best unconnected nodes for ``source``: ``[(node, score)]``, best first, score > 0."""
        row = self.scores([source])[0]
        k = min(k, row.size)
        if k <= 0:
            return []
        top = np.argpartition(-row, k - 1)[:k]
        top = top[np.argsort(-row[top], kind="stable")]
        return [(self.nodes_[j], float(row[j])) for j in top if row[j] > 0]

    def shared_partners(self, u: Hashable, v: Hashable) -> list[Any]:
        """Common neighbours of ``u`` and ``v`` (in node order); empty when either is unknown."""
        self._check()
        if u not in self.index_ or v not in self.index_:
            return []
        A = self.adjacency_
        both = A[self.index_[u]].multiply(A[self.index_[v]])
        return [self.nodes_[j] for j in sorted(both.indices)]
