"""Weighted pairwise ordering loss for graded judgements per profile.

A pairwise disagreement measure in the spirit of Kendall's tau with weights
(Kumar & Vassilvitskii, "Generalized distances between rankings", WWW 2010) and of the
pairwise ranking error minimised by RankNet/LambdaRank: for each profile, every pair of
challenges that the profile rated *differently* is a constraint whose weight is the
rating difference.

* the run orders the pair the wrong way: the pair costs its weight;
* the run gives both the same score (a tie): it costs half its weight;
* a pair with a missing score (the run did not score one or both challenges for this
  profile) counts as a tie: the run expressed no preference.

``loss = total cost / total weight``, pooled over profiles: 0 is a perfect order, 0.5 is
uninformative (all ties, or random), 1 is the exact reverse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from matcher.exceptions import Location, ValidationError

__all__ = ["PairwiseLoss", "weighted_pairwise_loss"]


@dataclass(frozen=True)
class PairwiseLoss:
    """Result of :func:`weighted_pairwise_loss`.

    Attributes
    ----------
    loss : float
        Total cost over total weight, pooled over profiles.
    total_cost, total_weight : float
    n_pairs : int
        Differently-rated pairs counted.
    n_missing : int
        Pairs with at least one missing score (scored as ties).
    per_profile : dict of str to float
        Each profile's own cost / weight (profiles with no differently-rated pair omitted).
    """

    loss: float
    total_cost: float
    total_weight: float
    n_pairs: int
    n_missing: int
    per_profile: dict[str, float]


def _profile_cost(ratings: np.ndarray, scores: np.ndarray) -> tuple[float, float, int, int]:
    """Cost, weight, pair count and missing-pair count of one profile.

    ``ratings`` and ``scores`` have shape (n_challenges,); ``scores`` holds NaN where missing.
    """
    i, j = np.triu_indices(ratings.size, k=1)
    rating_diff = ratings[i] - ratings[j]
    keep = rating_diff != 0
    i, j, rating_diff = i[keep], j[keep], rating_diff[keep]
    weight = np.abs(rating_diff)
    score_i, score_j = scores[i], scores[j]
    missing = np.isnan(score_i) | np.isnan(score_j)
    with np.errstate(invalid="ignore"):
        score_diff = np.where(missing, 0.0, score_i - score_j)
    wrong = np.sign(score_diff) * np.sign(rating_diff) < 0
    tie = score_diff == 0
    cost = weight * (wrong + 0.5 * tie)
    return float(cost.sum()), float(weight.sum()), int(weight.size), int(missing.sum())


def weighted_pairwise_loss(
    ratings: Mapping[str, Mapping[str, int]],
    scores: Mapping[str, Mapping[str, float]],
) -> PairwiseLoss:
    """Weighted pairwise ordering loss of a run's scores against graded ratings.

    Parameters
    ----------
    ratings : mapping ``{profile_id: {challenge_id: rating}}``
        Integer ratings from 1 to 5.
    scores : mapping ``{profile_id: {challenge_id: score}}``
        The run's score of each pair; profiles absent from ``ratings`` are ignored.

    Returns
    -------
    PairwiseLoss

    Raises
    ------
    ValidationError
        A rating outside 1..5, or no profile rated two challenges differently.
    """
    total_cost = total_weight = 0.0
    n_pairs = n_missing = 0
    per_profile: dict[str, float] = {}
    for profile_id in sorted(ratings):
        rated = ratings[profile_id]
        for challenge_id, rating in rated.items():
            if isinstance(rating, bool) or not isinstance(rating, int | np.integer) or not 1 <= rating <= 5:
                raise ValidationError(
                    f"rating must be an integer from 1 to 5, got {rating!r}",
                    Location(field=f"{profile_id}/{challenge_id}"),
                )
        challenge_ids = sorted(rated)
        profile_scores = scores.get(profile_id, {})
        r = np.array([rated[c] for c in challenge_ids], dtype=np.float64)
        s = np.array([profile_scores.get(c, np.nan) for c in challenge_ids], dtype=np.float64)
        cost, weight, pairs, missing = _profile_cost(r, s)
        if weight == 0:
            continue
        per_profile[profile_id] = cost / weight
        total_cost += cost
        total_weight += weight
        n_pairs += pairs
        n_missing += missing
    if total_weight == 0:
        raise ValidationError(
            "no profile rated two challenges differently: the loss is undefined", Location(field="rating")
        )
    return PairwiseLoss(
        loss=total_cost / total_weight,
        total_cost=total_cost,
        total_weight=total_weight,
        n_pairs=n_pairs,
        n_missing=n_missing,
        per_profile=per_profile,
    )
