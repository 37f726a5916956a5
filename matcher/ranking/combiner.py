"""A small learned combiner of calibrated profile-level signals (linear, pairwise logistic).

Learning to rank with a linear model fitted on preference pairs (RankSVM / RankNet
family: Joachims, 2002; Burges et al., 2005): for every query of the training data,
pairs (relevant profile, non-relevant profile) are drawn and a logistic regression
without intercept is fitted on the feature *differences*, so ``score = features @ coef_``
orders relevant profiles first.  The score is a fixed linear function of a pair's own
features, so it stays comparable across queries (no per-query normalisation, no ranks).

Features are profile-level signals the ranker already computes -- e.g. dense max,
dense top-k log-sum-exp, lexical (probit) max, the default hybrid top-k, log profile
size, the top-k log-sum-exp times log size -- stacked into an array of shape
(n_queries, n_profiles, n_features).

Fitted parameters are plain numbers (:meth:`LinearCombiner.to_dict` /
:meth:`LinearCombiner.from_dict`), so they can ship as a small JSON file and be
applied at run time without refitting.  Measured on the dev splits of the demo and
of dblp in docs/ranking.md; the rule chose it as the default method, and its feature set and
coefficients in "Refit on the fixed document order".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["DEFAULT_COMBINER", "LEARNED_FEATURES", "LinearCombiner", "preference_pairs"]

#: The profile-level features of the ``learned`` ranking method, in order (computed by
#: ``ProfileRanker.pool_features``, see ``matcher.ranking.ranker.POOL_FEATURES``): dense z-score
#: max; dense z-score log-sum-exp over the top 10 documents (temperature 1); lexical probit max;
#: the hybrid top-2 mean at lexical weight 0.5 (z-scores); log of the profile's number of
#: documents; the top-10 log-sum-exp times the log size (so the weight of "several on-topic
#: documents" grows with the profile's size: dblp's many-paper researchers vs the demo's 1-20
#: document profiles; chosen by the rule among six candidate sets, docs/ranking.md "Refit on the
#: fixed document order").
LEARNED_FEATURES: tuple[str, ...] = (
    "dense_max",
    "dense_topk_lse",
    "lexical_max",
    "hybrid_topk",
    "log_size",
    "dense_topk_lse_x_log_size",
)

#: Coefficients of the ``learned`` method, fitted on the dev splits (seed 13) of the demo and of
#: data/expert-finding-dblp only, on the document order of ``build_corpus``; the same numbers as
#: data/ranking/learned-combiner.json, written by ``benchmarks/fit_combiner.py`` with the command
#: recorded in that file (tests/ranking/test_combiner.py checks that the two agree).
DEFAULT_COMBINER: dict[str, Any] = {
    "feature_names": list(LEARNED_FEATURES),
    "coef": [
        0.3361577162551867,
        -0.15377704959658114,
        0.09923122039998003,
        0.9764158304076829,
        -0.8488733524360148,
        0.46955759063113783,
    ],
    "C": 1.0,
    "pairs_per_query": 60,
    "random_state": 0,
    "n_pairs": 23580,
}


def preference_pairs(
    features: np.ndarray,
    relevance: np.ndarray,
    *,
    mask: np.ndarray | None = None,
    query_weight: np.ndarray | None = None,
    pairs_per_query: int = 40,
    random_state: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature differences of random (relevant, non-relevant) profile pairs per query.

    Parameters
    ----------
    features : ndarray of shape (n_queries, n_profiles, n_features)
    relevance : ndarray of shape (n_queries, n_profiles), int
        Graded relevance; ``> 0`` is relevant.
    mask : ndarray of shape (n_queries, n_profiles), bool, optional
        Allowed pairs (the match rules); others are never drawn.
    query_weight : ndarray of shape (n_queries,), optional
        Weight of each query's pairs (default 1); a pair also weighs its positive's grade.
    pairs_per_query : int, default 40
    random_state : int or Generator, default 0

    Returns
    -------
    diffs : ndarray of shape (n_pairs, n_features), float64
    weights : ndarray of shape (n_pairs,), float64
    """
    x = np.asarray(features, dtype=np.float64)
    rel = np.asarray(relevance)
    if x.ndim != 3 or rel.shape != x.shape[:2]:
        raise ValidationError(f"features {x.shape} and relevance {rel.shape} do not agree")
    allowed = np.ones(rel.shape, bool) if mask is None else np.asarray(mask, bool)
    qw = np.ones(rel.shape[0]) if query_weight is None else np.asarray(query_weight, np.float64)
    rng = np.random.default_rng(random_state)
    diffs, weights = [], []
    for i in range(rel.shape[0]):
        ok = allowed[i] & np.all(np.isfinite(x[i]), axis=1)
        pos = np.flatnonzero(ok & (rel[i] > 0))
        neg = np.flatnonzero(ok & (rel[i] <= 0))
        if pos.size == 0 or neg.size == 0 or qw[i] <= 0:
            continue
        p = rng.choice(pos, pairs_per_query)
        n = rng.choice(neg, pairs_per_query)
        diffs.append(x[i, p] - x[i, n])
        weights.append(qw[i] * rel[i, p].astype(np.float64) / pairs_per_query)
    if not diffs:
        raise ValidationError("no query has both a relevant and a non-relevant allowed profile")
    return np.concatenate(diffs), np.concatenate(weights)


class LinearCombiner:
    """Linear scorer of stacked profile-level signals, fitted on preference pairs (estimator contract).

    Parameters
    ----------
    feature_names : sequence of str
        Names of the features, in the order of the last axis of the arrays.
    C : float, default 1.0
        Inverse L2 regularisation of the logistic regression.
    pairs_per_query : int, default 40
    random_state : int, default 0

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,), float64
    n_pairs_ : int
    """

    def __init__(
        self,
        *,
        feature_names: Sequence[str],
        C: float = 1.0,
        pairs_per_query: int = 40,
        random_state: int = 0,
    ) -> None:
        self.feature_names = feature_names
        self.C = C
        self.pairs_per_query = pairs_per_query
        self.random_state = random_state

    def fit(
        self,
        features: np.ndarray | Sequence[np.ndarray],
        relevance: np.ndarray | Sequence[np.ndarray],
        *,
        mask: np.ndarray | Sequence[np.ndarray | None] | None = None,
        query_weight: np.ndarray | Sequence[np.ndarray | None] | None = None,
    ) -> LinearCombiner:
        """Learn ``coef_`` from judged queries (training folds only); see :func:`preference_pairs`.

        ``features``, ``relevance``, ``mask`` and ``query_weight`` may each be a list with one
        entry per data set (data sets differ in their number of profiles); the pairs of all of
        them are pooled into one fit.
        """
        from sklearn.linear_model import LogisticRegression

        many = isinstance(features, list | tuple)
        xs: list[Any] = list(features) if many else [features]
        rels: list[Any] = list(relevance) if many else [relevance]
        masks: list[Any] = list(mask) if many and mask is not None else [mask] * len(xs)  # type: ignore[arg-type]
        weights: list[Any] = (
            list(query_weight) if many and query_weight is not None else [query_weight] * len(xs)  # type: ignore[arg-type]
        )
        if not (len(xs) == len(rels) == len(masks) == len(weights)):
            raise ValidationError("give one relevance, mask and query_weight per features array")
        if self.C <= 0:
            raise ValidationError("C must be > 0")
        rng = np.random.default_rng(self.random_state)
        diffs, pair_w = [], []
        for x, rel, m, qw in zip(xs, rels, masks, weights, strict=True):
            x = np.asarray(x, dtype=np.float64)
            if x.ndim != 3 or x.shape[2] != len(self.feature_names):
                raise ValidationError(f"features {x.shape} do not carry {len(self.feature_names)} features")
            try:
                d, w = preference_pairs(
                    x, rel, mask=m, query_weight=qw, pairs_per_query=self.pairs_per_query, random_state=rng
                )
            except ValidationError:
                if not many:
                    raise
                continue  # a data set without usable queries adds no pairs
            diffs.append(d)
            pair_w.append(w)
        if not diffs:
            raise ValidationError("no query has both a relevant and a non-relevant allowed profile")
        d, w = np.concatenate(diffs), np.concatenate(pair_w)
        both = np.concatenate([d, -d])
        y = np.r_[np.ones(len(d)), np.zeros(len(d))]
        sw = np.r_[w, w]
        clf = LogisticRegression(C=self.C, fit_intercept=False, max_iter=5000)
        clf.fit(both, y, sample_weight=sw * sw.size / sw.sum())
        self.coef_ = clf.coef_[0].astype(np.float64)
        self.n_pairs_ = len(d)
        return self

    def score(self, features: np.ndarray) -> np.ndarray:
        """``features @ coef_``: ndarray of shape (n_queries, n_profiles), float64."""
        if not hasattr(self, "coef_"):
            raise NotFittedError("LinearCombiner is not fitted; call fit(...) or from_dict(...) first")
        x = np.asarray(features, dtype=np.float64)
        if x.ndim < 1 or x.shape[-1] != self.coef_.size:
            raise ValidationError(f"features {x.shape} do not carry {self.coef_.size} features")
        return x @ self.coef_

    def to_dict(self) -> dict[str, Any]:
        """The fitted parameters as native Python numbers (for a JSON file)."""
        if not hasattr(self, "coef_"):
            raise NotFittedError("LinearCombiner is not fitted; call fit(...) first")
        return {
            "feature_names": list(self.feature_names),
            "coef": [float(c) for c in self.coef_],
            "C": float(self.C),
            "pairs_per_query": int(self.pairs_per_query),
            "random_state": int(self.random_state),
            "n_pairs": self.n_pairs_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearCombiner:
        """A fitted combiner from :meth:`to_dict`'s output, without refitting."""
        try:
            names, coef = list(data["feature_names"]), np.asarray(data["coef"], dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"combiner parameters need feature_names and coef ({exc})") from exc
        if coef.shape != (len(names),):
            raise ValidationError(f"{coef.size} coefficients for {len(names)} features")
        out = cls(
            feature_names=names,
            C=float(data.get("C", 1.0)),
            pairs_per_query=int(data.get("pairs_per_query", 40)),
            random_state=int(data.get("random_state", 0)),
        )
        out.coef_ = coef
        out.n_pairs_ = int(data.get("n_pairs", 0))
        return out
