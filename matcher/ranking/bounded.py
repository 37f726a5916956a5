"""Exact top-k by inner product with a low-dimensional scan and Cauchy–Schwarz bounds.

The lower-bounding ("GEMINI") scheme of Faloutsos, Ranganathan & Manolopoulos (1994,
"Fast subsequence matching in time-series databases"), applied to maximum inner
product: split every vector into its projection on an orthonormal basis ``P`` of the
data's top ``r`` principal directions and a residual, ``x = P P^T x + x_r``.  Then for a
query ``q``

    q . x = (P^T q) . (P^T x) + q_r . x_r,      |q_r . x_r| <= |q_r| |x_r|,

so one scan of the ``r``-dimensional projections (``r / dim`` of the float32 bytes)
gives, for every item, a lower and an upper bound of its exact score.  The ``k``-th
largest lower bound ``L`` is a lower bound of the ``k``-th exact score; an item whose
upper bound is below ``L`` cannot be in the top ``k``.  The few items left are re-scored
exactly in float32 from the full vectors.  The answer is exact by construction (not
"recall 1.0 on the data we tried"): nothing is pruned that could reach the top ``k``.
How many items survive depends on how much of the data's energy the ``r`` directions
hold; sentence embeddings are strongly anisotropic, so few do.
"""

from __future__ import annotations

import numpy as np

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["BoundedExactSearch"]

#: Slack added to every bound to cover float32 rounding in the two partial products.
_SLACK = 1e-4


def _residual_norms(x: np.ndarray, basis: np.ndarray, proj: np.ndarray) -> np.ndarray:
    """``|x - proj @ basis.T|`` per row, float32."""
    resid = x - proj @ basis.T
    return np.sqrt(np.einsum("ij,ij->i", resid, resid)).astype(np.float32)


class BoundedExactSearch:
    """Exact top-``k`` inner-product search that scans ``n_components`` dimensions, not all.

    Parameters
    ----------
    n_components : int, default 64
        Principal directions kept for the scan (``r``).
    sample_size : int, default 20000
        Rows used to find the directions (an SVD of a random sample).
    batch_size : int, default 64
        Queries per scan.
    chunk_size : int, default 131072
        Corpus rows per matrix product of the scan.
    random_state : int, default 0
        Seed of the sample.

    Attributes
    ----------
    basis_ : ndarray of shape (dim, n_components), float32
        Orthonormal columns.
    proj_ : ndarray of shape (n_items, n_components), float32
        ``vectors @ basis_``.
    resid_ : ndarray of shape (n_items,), float32
        Norm of each row's residual.
    vectors_ : ndarray or np.memmap of shape (n_items, dim)
        The fitted vectors (a reference, not a copy), for the exact re-score.
    candidates_ : int
        Items re-scored exactly in the last :meth:`search`, summed over its queries.
    """

    def __init__(
        self,
        *,
        n_components: int = 64,
        sample_size: int = 20_000,
        batch_size: int = 64,
        chunk_size: int = 131_072,
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.sample_size = sample_size
        self.batch_size = batch_size
        self.chunk_size = chunk_size
        self.random_state = random_state

    def fit(self, vectors: np.ndarray) -> BoundedExactSearch:
        """Find the directions, project ``vectors`` of shape (n_items, dim); returns ``self``."""
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValidationError(f"vectors must be a non-empty 2-D array, got shape {vectors.shape}")
        n, dim = vectors.shape
        if not 1 <= self.n_components <= dim:
            raise ValidationError(f"n_components must be in [1, {dim}], got {self.n_components}")
        if self.batch_size < 1 or self.chunk_size < 1 or self.sample_size < 1:
            raise ValidationError("batch_size, chunk_size and sample_size must be >= 1")
        rng = np.random.default_rng(self.random_state)
        rows = np.sort(rng.choice(n, size=min(n, self.sample_size), replace=False))
        sample = np.asarray(vectors[rows], dtype=np.float64)
        # uncentred: the mean direction of anisotropic embeddings is the first one kept
        _, _, vt = np.linalg.svd(sample, full_matrices=False)
        basis = np.ascontiguousarray(vt[: self.n_components].T, dtype=np.float32)
        proj = np.empty((n, self.n_components), dtype=np.float32)
        resid = np.empty(n, dtype=np.float32)
        for s in range(0, n, self.chunk_size):
            x = np.asarray(vectors[s : s + self.chunk_size], dtype=np.float32)
            proj[s : s + len(x)] = x @ basis
            resid[s : s + len(x)] = _residual_norms(x, basis, proj[s : s + len(x)])
        self.vectors_ = vectors
        self.basis_, self.proj_, self.resid_ = basis, proj, resid
        self.candidates_ = 0
        return self

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-``k`` fitted rows for each query.

        Parameters
        ----------
        queries : ndarray of shape (n_queries, dim) or (dim,)
        k : int
            ``1 <= k``; capped at ``n_items``.

        Returns
        -------
        indices : ndarray of shape (n_queries, k'), int64
            Best first, ties by ascending index.
        scores : ndarray of shape (n_queries, k'), float32
            Exact float32 inner products.
        """
        if not hasattr(self, "proj_"):
            raise NotFittedError("BoundedExactSearch is not fitted; call fit(vectors) first")
        q = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if q.ndim != 2 or q.shape[1] != self.basis_.shape[0]:
            raise ValidationError(f"queries have shape {q.shape}, index has dimension {self.basis_.shape[0]}")
        if k < 1:
            raise ValidationError(f"k must be >= 1, got {k}")
        n = self.proj_.shape[0]
        kk = min(k, n)
        out_idx = np.empty((q.shape[0], kk), dtype=np.int64)
        out_val = np.empty((q.shape[0], kk), dtype=np.float32)
        self.candidates_ = 0
        for b0 in range(0, q.shape[0], self.batch_size):
            qb = q[b0 : b0 + self.batch_size]
            for row, cand in enumerate(self._candidates(qb, kk)):
                exact = np.asarray(self.vectors_[cand], dtype=np.float32) @ qb[row]
                self.candidates_ += len(cand)
                top = np.argpartition(-exact, kk - 1)[:kk] if len(cand) > kk else np.arange(len(cand))
                order = np.lexsort((cand[top], -exact[top]))
                out_idx[b0 + row] = cand[top][order]
                out_val[b0 + row] = exact[top][order]
        return out_idx, out_val

    def _candidates(self, qb: np.ndarray, k: int) -> list[np.ndarray]:
        """Per query, the sorted rows whose upper bound reaches the ``k``-th lower bound."""
        qp = qb @ self.basis_
        qr = np.sqrt(np.maximum(np.einsum("ij,ij->i", qb, qb) - np.einsum("ij,ij->i", qp, qp), 0.0))
        qr = qr.astype(np.float32)[:, None]
        n = self.proj_.shape[0]
        floor = np.full(qb.shape[0], -np.inf, dtype=np.float32)  # running k-th best lower bound
        best_low = np.empty((qb.shape[0], 0), dtype=np.float32)
        kept: list[list[np.ndarray]] = [[] for _ in range(qb.shape[0])]
        for s in range(0, n, self.chunk_size):
            coarse = qp @ self.proj_[s : s + self.chunk_size].T  # (b, chunk)
            spread = qr * self.resid_[s : s + self.chunk_size][None, :] + np.float32(_SLACK)
            low = coarse - spread
            pool = np.concatenate([best_low, low], axis=1)
            best_low = -np.partition(-pool, k - 1, axis=1)[:, :k] if pool.shape[1] > k else pool
            if best_low.shape[1] >= k:
                floor = best_low.min(axis=1)
            coarse += spread  # now the upper bound
            for row in range(qb.shape[0]):
                kept[row].append(np.flatnonzero(coarse[row] >= floor[row]) + s)
        # the floor only rises: drop what the final floor rules out, re-checked exactly later
        out = []
        for row in range(qb.shape[0]):
            cand = np.concatenate(kept[row]) if kept[row] else np.empty(0, dtype=np.int64)
            upper = self.proj_[cand] @ qp[row] + qr[row, 0] * self.resid_[cand] + np.float32(_SLACK)
            out.append(cand[upper >= floor[row]].astype(np.int64))
        return out
