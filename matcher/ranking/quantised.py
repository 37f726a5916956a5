"""Exact top-k that reads a quarter of the bytes: an int8 scan, a proven error bound, a float32 re-rank.

A float32 scan of 1M × 384 vectors reads 1.5 GB per query, so its speed is bounded by memory
bandwidth.  Here the corpus is also kept as int8 codes, ``c[i, d] = round(x[i, d] / s[d])``
with one scale per dimension (``s[d]`` = that dimension's largest ``|x|`` / 127), and a query
is scored against them with an integer dot product (numkong's SIMD kernels; integer sums are
exact).  The query is quantised too: ``q'[d] = q[d] s[d]``, ``qc = round(q' / a)`` with
``a = max |q'| / 127``, so the approximate score is ``a · (qc · c[i])``.  It is then made exact:

* When the index is fitted, the reconstruction error of every stored vector is measured:
  ``err_dim_[d]`` is the largest ``|x[i, d] - c[i, d] s[d]|`` over the corpus, ``err_norm_``
  the largest ``||x[i] - c[i] s||`` and ``code_norm_`` the largest ``||c[i]||``.  The query's
  own rounding ``f = q' - a qc`` is known exactly.  So every approximate score is within
  ``b = min(Σ_d |q_d| err_dim_[d], ||q|| err_norm_) + min(127 Σ_d |f_d|, ||f|| code_norm_)``
  of the true inner product (Hölder and Cauchy–Schwarz on both error terms), plus a float32
  rounding slack.
* The k-th best true score is at least ``a_(k) - b`` (``a_(k)``: the k-th best approximate
  score), so no row whose approximate score is below ``a_(k) - 2b`` can be in the top k.
  Every row above that threshold is re-scored in float32 and the best k are kept.

The answer is therefore the float32 top-k, as :func:`~matcher.ranking.search.exact_top_k`
returns it, by construction (recall 1.0 is proven, not measured).  Large batches of queries
go to the float32 matrix product instead, which is compute-bound there and faster than any
scan.  numkong comes with usearch (``pip install cluster-match[ann]``) and is imported on ``fit``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matcher.exceptions import ConfigurationError, NotFittedError, ValidationError
from matcher.ranking.search import exact_top_k

__all__ = ["QuantisedExactSearch"]

# Float32 accumulation over 384 products of numbers below 1 errs by ~1e-6; this is generous.
_ROUNDING_SLACK = 1e-4
_CHUNK = 65_536


class QuantisedExactSearch:
    """Exact maximum-inner-product top-k with an int8 first stage and a certified re-rank.

    Parameters
    ----------
    scan_fraction : float, default 0.125
        When more than this fraction of the corpus would need re-scoring (a query whose top
        scores all lie within the error bound of each other), that query is answered by the
        float32 scan instead.
    batch_threshold : int, default 16
        Batches of at least this many queries use the float32 matrix product.
    threads : int, default 1
        Threads of the int8 scan.

    Attributes
    ----------
    scales_ : ndarray of shape (dim,)
        Per-dimension quantisation step.
    err_dim_, err_norm_, code_norm_ :
        The measured reconstruction error bounds (see the module docstring).
    candidates_ : ndarray of shape (n_queries,)
        Rows re-scored in float32 for each query of the last :meth:`search` (``n_items`` for a
        query answered by the full scan).
    """

    def __init__(self, *, scan_fraction: float = 0.125, batch_threshold: int = 16, threads: int = 1) -> None:
        self.scan_fraction = scan_fraction
        self.batch_threshold = batch_threshold
        self.threads = threads

    def fit(self, vectors: np.ndarray) -> QuantisedExactSearch:
        """Quantise ``vectors`` (n_items, dim) and measure the reconstruction error bounds."""
        if self.batch_threshold < 1 or self.threads < 1 or not 0 < self.scan_fraction <= 1:
            raise ValidationError("batch_threshold and threads must be >= 1, scan_fraction in (0, 1]")
        x = np.asarray(vectors)
        if x.ndim != 2 or x.shape[0] == 0:
            raise ValidationError(f"vectors must be a non-empty 2-D array, got shape {x.shape}")
        try:
            import numkong
        except ImportError as exc:  # pragma: no cover - the [ann] extra is part of the install
            raise ConfigurationError(
                "QuantisedExactSearch needs numkong: pip install cluster-match[ann]"
            ) from exc
        n, dim = x.shape
        peak = np.zeros(dim, dtype=np.float32)
        for c0 in range(0, n, _CHUNK):
            chunk = np.asarray(x[c0 : c0 + _CHUNK], dtype=np.float32)
            if not np.isfinite(chunk).all():
                raise ValidationError(
                    f"vectors hold a NaN or infinite value in rows {c0}..{c0 + len(chunk) - 1}"
                )
            np.maximum(peak, np.abs(chunk).max(axis=0), out=peak)
        scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        codes = np.empty((n, dim), dtype=np.int8)
        err_dim = np.zeros(dim, dtype=np.float64)
        err_norm = code_norm = 0.0
        for c0 in range(0, n, _CHUNK):
            chunk = np.asarray(x[c0 : c0 + _CHUNK], dtype=np.float64)
            code = np.clip(np.rint(chunk / scales), -127, 127)
            codes[c0 : c0 + len(chunk)] = code
            diff = chunk - code * scales
            np.maximum(err_dim, np.abs(diff).max(axis=0), out=err_dim)
            err_norm = max(err_norm, float(np.sqrt(np.einsum("ij,ij->i", diff, diff)).max()))
            code_norm = max(code_norm, float(np.sqrt(np.einsum("ij,ij->i", code, code)).max()))
        self._numkong: Any = numkong
        self._codes = codes
        self._vectors = x
        self.scales_ = scales
        self.err_dim_ = err_dim
        self.err_norm_ = err_norm
        self.code_norm_ = code_norm
        self.n_items_ = n
        return self

    def approximate(self, query: np.ndarray) -> tuple[np.ndarray, float]:
        """Every row's approximate score for one ``query`` and the proven bound on its error."""
        q = np.asarray(query, dtype=np.float64)
        scaled = q * self.scales_
        step = float(np.abs(scaled).max()) / 127.0
        if step == 0.0:
            return np.zeros(self.n_items_), _ROUNDING_SLACK
        code = np.rint(scaled / step)
        rounding = scaled - code * step
        dots = self._numkong.cdist(
            code.astype(np.int8)[None, :], self._codes, metric="dot", threads=self.threads
        )
        data_side = min(float(np.abs(q) @ self.err_dim_), float(np.linalg.norm(q)) * self.err_norm_)
        query_side = min(
            127.0 * float(np.abs(rounding).sum()), float(np.linalg.norm(rounding)) * self.code_norm_
        )
        return np.asarray(dots, dtype=np.float64)[0] * step, data_side + query_side + _ROUNDING_SLACK

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-``k`` rows for each query: ``(indices, scores)`` as :func:`exact_top_k` returns."""
        if not hasattr(self, "_codes"):
            raise NotFittedError("QuantisedExactSearch is not fitted: call fit(vectors) first")
        q = np.asarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if q.ndim != 2 or q.shape[1] != self._vectors.shape[1]:
            raise ValidationError(f"dimension mismatch: queries {q.shape}, corpus {self._vectors.shape}")
        if k < 1:
            raise ValidationError(f"k must be >= 1, got {k}")
        kk = min(k, self.n_items_)
        limit = int(self.n_items_ * self.scan_fraction)
        if q.shape[0] >= self.batch_threshold or kk > limit:
            self.candidates_ = np.full(q.shape[0], self.n_items_)
            return exact_top_k(q, self._vectors, kk)
        out_idx = np.empty((q.shape[0], kk), dtype=np.int64)
        out_val = np.empty((q.shape[0], kk), dtype=np.float32)
        self.candidates_ = np.empty(q.shape[0], dtype=np.int64)
        for row, query in enumerate(q):
            approx, bound = self.approximate(query)
            kth = np.partition(approx, self.n_items_ - kk)[self.n_items_ - kk]
            cand = np.flatnonzero(
                approx >= kth - 2.0 * bound
            )  # ascending rows: ties break as in the full scan
            if len(cand) > limit:
                idx, val = exact_top_k(query[None, :], self._vectors, kk)
                self.candidates_[row] = self.n_items_
            else:
                idx, val = exact_top_k(query[None, :], self._vectors[cand], kk)
                idx = cand[idx]
                self.candidates_[row] = len(cand)
            out_idx[row], out_val[row] = idx[0], val[0]
        return out_idx, out_val
