"""Top-k by inner product in two stages: a low-dimensional scan, then an exact float32 re-rank.

Stage one scores every item on its projection onto the data's top ``r`` principal
directions (``x ~ P P^T x``, so ``q . x ~ (P^T q) . (P^T x)``): ``r / dim`` of the float32
bytes to read for one query, ``r / dim`` of the multiply-adds for a batch.  Stage two
re-scores the best ``n_candidates`` of them exactly from the full vectors (a gather of a
few hundred rows) and keeps the top ``k``.  This is the "reduced representation, then
refine" scheme of product-quantisation search (Jégou, Douze & Schmid, 2011, "Product
quantization for nearest neighbor search", re-ranking with exact distances) with PCA as
the reduction.  It is exact whenever the true top ``k`` are among the candidates; the
benchmark measures how often that holds on real sentence embeddings (recall@10 against
a float32 scan), and each call also reports how many queries it can *certify* exact
with the Cauchy–Schwarz bound ``|q_r . x_r| <= |q_r| |x_r|`` on the residuals.
"""

from __future__ import annotations

import numpy as np

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["ProjectedSearch"]

#: Slack added to every bound to cover float32 rounding in the partial products.
_SLACK = 1e-4


def _residual_norms(x: np.ndarray, basis: np.ndarray, proj: np.ndarray) -> np.ndarray:
    """``|x - proj @ basis.T|`` per row, float32."""
    resid = x - proj @ basis.T
    return np.sqrt(np.einsum("ij,ij->i", resid, resid)).astype(np.float32)


class ProjectedSearch:
    """Top-``k`` inner-product search: projected scan, exact re-rank of the best candidates.

    Parameters
    ----------
    n_components : int, default 128
        Principal directions of the scan (``r``).
    n_candidates : int, default 200
        Items per query re-scored exactly (at least ``k`` are).
    sample_size : int, default 20000
        Rows used to find the directions (an SVD of a random sample).
    batch_size : int, default 256
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
        The fitted vectors (a reference, not a copy), for the exact re-rank.
    certified_ : int
        Queries of the last :meth:`search` whose answer the residual bound proves exact.
    """

    def __init__(
        self,
        *,
        n_components: int = 128,
        n_candidates: int = 200,
        sample_size: int = 20_000,
        batch_size: int = 256,
        chunk_size: int = 131_072,
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.n_candidates = n_candidates
        self.sample_size = sample_size
        self.batch_size = batch_size
        self.chunk_size = chunk_size
        self.random_state = random_state

    def fit(self, vectors: np.ndarray) -> ProjectedSearch:
        """Find the directions, project ``vectors`` of shape (n_items, dim); returns ``self``."""
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValidationError(f"vectors must be a non-empty 2-D array, got shape {vectors.shape}")
        n, dim = vectors.shape
        if not 1 <= self.n_components <= dim:
            raise ValidationError(f"n_components must be in [1, {dim}], got {self.n_components}")
        if min(self.batch_size, self.chunk_size, self.sample_size, self.n_candidates) < 1:
            raise ValidationError("batch_size, chunk_size, sample_size and n_candidates must be >= 1")
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
        self.certified_ = 0
        return self

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` fitted rows for each query.

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
            raise NotFittedError("ProjectedSearch is not fitted; call fit(vectors) first")
        q = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if q.ndim != 2 or q.shape[1] != self.basis_.shape[0]:
            raise ValidationError(f"queries have shape {q.shape}, index has dimension {self.basis_.shape[0]}")
        if k < 1:
            raise ValidationError(f"k must be >= 1, got {k}")
        n = self.proj_.shape[0]
        kk = min(k, n)
        n_cand = min(n, max(self.n_candidates, kk))
        out_idx = np.empty((q.shape[0], kk), dtype=np.int64)
        out_val = np.empty((q.shape[0], kk), dtype=np.float32)
        self.certified_ = 0
        for b0 in range(0, q.shape[0], self.batch_size):
            qb = q[b0 : b0 + self.batch_size]
            qp = qb @ self.basis_
            qr = np.sqrt(np.maximum(np.einsum("ij,ij->i", qb, qb) - np.einsum("ij,ij->i", qp, qp), 0.0))
            cand, rest_upper = self._scan(qp, qr.astype(np.float32), n_cand)
            for row in range(qb.shape[0]):
                c = cand[row]
                exact = np.asarray(self.vectors_[c], dtype=np.float32) @ qb[row]
                top = np.argpartition(-exact, kk - 1)[:kk] if len(c) > kk else np.arange(len(c))
                order = np.lexsort((c[top], -exact[top]))
                out_idx[b0 + row] = c[top][order]
                out_val[b0 + row] = exact[top][order]
                self.certified_ += int(out_val[b0 + row, -1] >= rest_upper[row])
        return out_idx, out_val

    def _scan(self, qp: np.ndarray, qr: np.ndarray, n_cand: int) -> tuple[np.ndarray, np.ndarray]:
        """Best ``n_cand`` rows by projected score, and the largest upper bound among the others.

        Returns
        -------
        candidates : ndarray of shape (b, n_cand), int64
        rest_upper : ndarray of shape (b,), float32
            ``max`` over non-candidates of ``projected + |q_r| |x_r|`` (``-inf`` if none).
        """
        b, n = qp.shape[0], self.proj_.shape[0]
        best_idx = np.empty((b, 0), dtype=np.int64)
        best_val = np.empty((b, 0), dtype=np.float32)
        best_up = np.empty((b, 0), dtype=np.float32)
        rest_upper = np.full(b, -np.inf, dtype=np.float32)
        rows = np.arange(b)[:, None]
        for s in range(0, n, self.chunk_size):
            coarse = qp @ self.proj_[s : s + self.chunk_size].T  # (b, chunk)
            upper = coarse + qr[:, None] * self.resid_[s : s + self.chunk_size][None, :]
            m = min(n_cand, coarse.shape[1])
            sel = np.argpartition(-coarse, m - 1, axis=1)[:, :m] if m < coarse.shape[1] else None
            if sel is None:
                sel = np.broadcast_to(np.arange(coarse.shape[1]), coarse.shape)
            else:  # the rows not selected here can only raise the bound of the rest
                left = upper.copy()
                left[rows, sel] = -np.inf
                rest_upper = np.maximum(rest_upper, left.max(axis=1))
            pool_idx = np.concatenate([best_idx, sel + s], axis=1)
            pool_val = np.concatenate([best_val, np.take_along_axis(coarse, sel, axis=1)], axis=1)
            pool_up = np.concatenate([best_up, np.take_along_axis(upper, sel, axis=1)], axis=1)
            if pool_idx.shape[1] > n_cand:
                keep = np.argpartition(-pool_val, n_cand - 1, axis=1)[:, :n_cand]
                drop = np.ones(pool_idx.shape, dtype=bool)
                drop[rows, keep] = False
                rest_upper = np.maximum(rest_upper, np.where(drop, pool_up, -np.inf).max(axis=1))
                pool_idx = np.take_along_axis(pool_idx, keep, axis=1)
                pool_val = np.take_along_axis(pool_val, keep, axis=1)
                pool_up = np.take_along_axis(pool_up, keep, axis=1)
            best_idx, best_val, best_up = pool_idx, pool_val, pool_up
        return best_idx, rest_upper + np.float32(_SLACK)
