"""Consensus clustering by evidence accumulation (Fred & Jain, IEEE TPAMI 27(6), 2005).

Many k-means partitions with ``k`` drawn from ``[ceil(sqrt(n) / 2), ceil(sqrt(n))]`` (the
over-partitioning range the paper recommends), each of a random 80 % of the items (the
resampling of Monti et al., Machine Learning 52, 2003), vote on every pair of items: the share
of the partitions holding both that put them together is their *co-association*.  Resampling
keeps a split that k-means makes the same way every time (a tight group cut in two because
``k`` is too large for the data) from looking like consensus.  An average-linkage
dendrogram on ``1 - co-association`` is cut at the number of clusters whose mean silhouette
(on the same distance) is highest, so the number of clusters comes from the data.  Every
random choice is drawn from ``random_state``: the same input and seed give the same clusters.

Why not k-means with a silhouette-chosen ``k``: on MiniLM embeddings of real paper abstracts
single k-means runs vary a lot with the seed and the silhouette curve is almost flat; the
vote of many runs is stable and tracks the topics better (docs/needs.md gives the figures).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["ConsensusClustering"]


class ConsensusClustering:
    """Evidence-accumulation clustering of row vectors (estimator contract).

    Parameters
    ----------
    n_partitions : int, default 180
        Base k-means partitions in the ensemble (spread evenly over the ``k`` range,
        at least 3 per ``k``).
    subsample : float, default 0.8
        Share of the items each base partition sees.
    max_clusters : int, optional
        Largest number of clusters considered for the cut; default ``2 * ceil(sqrt(n))``.
    random_state : int, default 0

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,), int
        Cluster of each row, numbered from 0 by decreasing cluster size (ties: first member).
    n_clusters_ : int
    coassociation_ : ndarray of shape (n_samples, n_samples)
    silhouettes_ : dict of int to float
        Mean silhouette of each candidate cut.
    """

    def __init__(
        self,
        *,
        n_partitions: int = 180,
        subsample: float = 0.8,
        max_clusters: int | None = None,
        random_state: int = 0,
    ):
        self.n_partitions = n_partitions
        self.subsample = subsample
        self.max_clusters = max_clusters
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> ConsensusClustering:
        """Cluster the rows of ``X`` (array of shape (n_samples, n_features))."""
        from sklearn.cluster import KMeans  # imported on use: a serving process never clusters
        from sklearn.metrics import silhouette_score

        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValidationError(f"expected a 2-D array, got shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValidationError("vectors hold NaN or infinite values")
        if self.n_partitions < 1:
            raise ValidationError("n_partitions must be >= 1")
        if not 0.0 < self.subsample <= 1.0:
            raise ValidationError("subsample must be in (0, 1]")
        n = X.shape[0]
        self.silhouettes_: dict[int, float] = {}
        distinct = len(np.unique(X, axis=0)) if n else 0
        if n < 3 or distinct < 3:
            # too few points (or distinct points) for a choice of k: identical rows together
            _, inverse = np.unique(X, axis=0, return_inverse=True) if n else (None, np.zeros(0, int))
            self.coassociation_ = (inverse[:, None] == inverse[None, :]).astype(float)
            self.labels_ = _renumber(np.asarray(inverse).reshape(-1))
            self.n_clusters_ = int(self.labels_.max()) + 1 if n else 0
            return self
        root = math.ceil(math.sqrt(n))
        lo = max(2, math.ceil(math.sqrt(n) / 2))
        hi = min(max(lo, root), distinct - 1) if distinct > 2 else 2
        lo = min(lo, hi)
        ks = list(range(lo, hi + 1))
        runs = max(3, math.ceil(self.n_partitions / len(ks)))
        rng = np.random.RandomState(self.random_state)
        together = np.zeros((n, n))
        sampled = np.zeros((n, n))
        for k in ks:
            size = min(n, max(k + 1, round(self.subsample * n)))
            for _ in range(runs):
                rows = np.sort(rng.choice(n, size, replace=False))
                part = KMeans(k, n_init=1, random_state=rng.randint(2**31 - 1)).fit_predict(X[rows])
                cell = np.ix_(rows, rows)
                together[cell] += part[:, None] == part[None, :]
                sampled[cell] += 1.0
        co = together / np.maximum(sampled, 1.0)
        dist = 1.0 - co
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(dist, checks=False), method="average")
        kmax = min(n - 1, self.max_clusters or 2 * root)
        best_k, best_s, best = 1, -np.inf, np.zeros(n, dtype=int)
        for k in range(2, max(2, kmax) + 1):
            part = fcluster(tree, k, criterion="maxclust")
            got = len(np.unique(part))
            if got < 2 or got >= n or got in self.silhouettes_:
                continue
            s = float(silhouette_score(dist, part, metric="precomputed"))
            self.silhouettes_[got] = s
            if s > best_s + 1e-12:
                best_k, best_s, best = got, s, part
        self.coassociation_ = co
        self.labels_ = _renumber(best)
        self.n_clusters_ = best_k
        return self

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        """``fit(X).labels_``."""
        return self.fit(X).labels_

    def _check(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError("ConsensusClustering is not fitted; call fit(X) first")


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 by decreasing size, ties broken by the first member's position."""
    labels = np.asarray(labels)
    if labels.size == 0:
        return labels.astype(int)
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(uniq)), key=lambda i: (-counts[i], first[i]))
    mapping = {uniq[i]: new for new, i in enumerate(order)}
    return np.array([mapping[v] for v in labels], dtype=int)
