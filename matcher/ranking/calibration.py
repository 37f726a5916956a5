"""Score calibration against a background of random pairs (corpus-level z-scores).

A raw cosine means different things for different encoders and languages (one
model's unrelated pairs sit at 0.05, another's at 0.35).  Following score
normalisation in distributed/meta search (Montague & Aslam, 2001, "Relevance score
normalization for metasearch"; z-score normalisation), each signal is mapped by a
*fixed* affine function learned on the distribution of scores of random pairs of
the corpus:

- ``method="zscore"``: ``(s - mean) / std`` of the background;
- ``method="quantile"``: ``(s - q_low) / (q_high - q_low)``, so the background's
  ``low`` quantile maps to 0 and its ``high`` quantile to 1;
- ``method="probit"``: ``Phi^-1(F(s))``, the standard-normal quantile of the score's
  rank among the background (a rank-based inverse normal transform), read off
  ``n_knots`` background quantiles with linear interpolation, and continued past the
  background's extremes with the slope ``1 / std`` so the order of the top pairs is
  kept.  Every signal then has the *same* null distribution, not just the same mean and
  spread: a TF-IDF cosine's background is a spike at 0 with a long tail, so its z-score
  gives a pair sharing one rare word z = 6 or more, which then outvotes the dense signal
  in a fusion (docs/ranking.md, "Why the defaults failed on real text").

The map is learned once per corpus and signal, never per query, so a pair's
calibrated score does not depend on which other queries or candidates are present.
:func:`background_pairs` draws the random pairs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["ScoreCalibrator", "background_pairs", "pair_scores"]


def background_pairs(
    n_items: int,
    n_pairs: int,
    *,
    groups: np.ndarray | None = None,
    different: np.ndarray | None = None,
    random_state: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs ``(i, j)`` of distinct items, for a background score distribution.

    Parameters
    ----------
    n_items : int
    n_pairs : int
        Pairs wanted (fewer may be returned when constraints leave few pairs).
    groups : ndarray of shape (n_items,), optional
        Pairs inside one group (e.g. two documents of one profile) are skipped.
    different : ndarray of shape (n_items,), optional
        Keep only pairs whose labels differ (e.g. document languages, for a
        cross-language background).
    random_state : int or Generator, default 0

    Returns
    -------
    i, j : ndarrays of shape (n_pairs',), int64
    """
    rng = np.random.default_rng(random_state)
    if n_items < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    draw = 4 * n_pairs
    i = rng.integers(0, n_items, draw)
    j = rng.integers(0, n_items, draw)
    keep = i != j
    if groups is not None:
        keep &= groups[i] != groups[j]
    if different is not None:
        keep &= different[i] != different[j]
    return i[keep][:n_pairs], j[keep][:n_pairs]


def pair_scores(
    a: np.ndarray | sp.spmatrix, b: np.ndarray | sp.spmatrix, i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """Row-wise inner products ``<a[i[t]], b[j[t]]>``: ndarray of shape (n_pairs,), float64."""
    if sp.issparse(a):
        prod = sp.csr_matrix(a)[i].multiply(sp.csr_matrix(b)[j])
        return np.asarray(prod.sum(axis=1), dtype=np.float64).ravel()
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float32)
    return np.einsum("ij,ij->i", a[i], b[j]).astype(np.float64)


class ScoreCalibrator:
    """Fixed affine map of a similarity onto a background-relative scale (estimator contract).

    Parameters
    ----------
    method : {"zscore", "quantile", "probit"}, default "zscore"
    low, high : float, default 0.5 and 0.99
        Background quantiles mapped to 0 and 1 by ``method="quantile"``.
    min_scale : float, default 1e-3
        Floor on the background spread (std or quantile gap), so a degenerate
        background (all zeros, as TF-IDF often is) cannot blow scores up.
    n_knots : int, default 513
        Background quantiles kept by ``method="probit"``.

    Attributes
    ----------
    loc_ : float
        Background value mapped to 0.
    scale_ : float
        Background spread mapped to 1.
    n_background_ : int
    knots_x_, knots_z_ : ndarray of shape (n_knots',), float64
        ``probit`` only: background quantiles and their normal scores (ties merged).
    """

    def __init__(
        self,
        *,
        method: Literal["zscore", "quantile", "probit"] = "zscore",
        low: float = 0.5,
        high: float = 0.99,
        min_scale: float = 1e-3,
        n_knots: int = 513,
    ) -> None:
        self.method = method
        self.low = low
        self.high = high
        self.min_scale = min_scale
        self.n_knots = n_knots

    def fit(self, background: np.ndarray) -> ScoreCalibrator:
        """Learn the map from ``background`` of shape (n_pairs,): scores of random pairs."""
        x = np.asarray(background, dtype=np.float64).ravel()
        x = x[np.isfinite(x)]
        if self.method not in ("zscore", "quantile", "probit"):
            raise ValidationError(f"unknown calibration method {self.method!r}")
        if x.size < 2:
            # No background (a one-document corpus): identity map, still well defined.
            self.loc_, self.scale_ = 0.0, 1.0
        elif self.method in ("zscore", "probit"):
            self.loc_, self.scale_ = float(x.mean()), float(x.std())
        else:
            lo, hi = np.quantile(x, [self.low, self.high])
            self.loc_, self.scale_ = float(lo), float(hi - lo)
        self.scale_ = max(self.scale_, self.min_scale)
        self.n_background_ = int(x.size)
        if self.method == "probit":
            self._fit_knots(x)
        return self

    def _fit_knots(self, x: np.ndarray) -> None:
        from scipy.special import ndtri  # inverse of the standard normal CDF

        if x.size < 2:
            self.knots_x_, self.knots_z_ = np.array([0.0]), np.array([0.0])
            return
        srt = np.sort(x)
        n = srt.size
        probs = np.linspace(0.0, 1.0, max(2, min(self.n_knots, n)))
        xs = np.quantile(srt, probs)
        # mid-rank of each knot among the background: ties (a spike of zeros) share one value
        lo = np.searchsorted(srt, xs, side="left")
        hi = np.searchsorted(srt, xs, side="right")
        zs = ndtri((lo + hi) / 2.0 / n * (n / (n + 1.0)) + 0.5 / (n + 1.0))
        xs, first = np.unique(xs, return_index=True)
        self.knots_x_, self.knots_z_ = xs, zs[first]

    def transform(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated scores, same shape as ``scores``, float32."""
        if not hasattr(self, "loc_"):
            raise NotFittedError("ScoreCalibrator is not fitted; call fit(background) first")
        x = np.asarray(scores, dtype=np.float32)
        if self.method != "probit":
            return ((x - np.float32(self.loc_)) / np.float32(self.scale_)).astype(np.float32, copy=False)
        kx, kz = self.knots_x_, self.knots_z_
        z = np.interp(x, kx, kz)
        slope = 1.0 / self.scale_
        z = np.where(x > kx[-1], kz[-1] + (x - kx[-1]) * slope, z)
        z = np.where(x < kx[0], kz[0] + (x - kx[0]) * slope, z)
        return z.astype(np.float32)
