"""The gap of a need cluster: how well the best available capabilities cover its challenges.

For each challenge the best score over the capabilities of its own council (local), of the
other councils (cross-border) and of all of them; a cluster's coverage is the mean over its
challenges.  Scores are the calibrated match scores of
:class:`matcher.services.matching.ProgrammeMatcher` (z-scores against a background: comparable
across challenges, but not bounded), so the gap is relative: ``reference - best coverage``,
with the reference the median best score of every challenge in the programme
(:func:`reference_coverage`).  A positive gap is a cluster covered worse than the typical
challenge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.exceptions import ValidationError

__all__ = ["ClusterCoverage", "cluster_coverage", "reference_coverage"]


@dataclass(frozen=True)
class ClusterCoverage:
    """Mean best scores of one cluster's challenges (``None`` where no capability of that kind)."""

    local: float | None
    cross_border: float | None
    best: float | None

    def gap(self, reference: float) -> float | None:
        """``reference - best`` (positive: covered worse than the reference)."""
        return None if self.best is None else reference - self.best


def _mean_best(scores: np.ndarray, mask: np.ndarray) -> float | None:
    masked = np.where(mask, scores, -np.inf)
    best = masked.max(axis=1) if masked.shape[1] else np.full(len(masked), -np.inf)
    ok = np.isfinite(best)
    return float(best[ok].mean()) if ok.any() else None


def cluster_coverage(
    scores: np.ndarray,
    labels: np.ndarray,
    challenge_council: np.ndarray,
    capability_council: np.ndarray,
) -> list[ClusterCoverage]:
    """Coverage of every cluster.

    Parameters
    ----------
    scores : ndarray of shape (n_challenges, n_capabilities)
        Match scores in ``[0, 1]``; ``-inf`` or NaN for pairs not allowed.
    labels : ndarray of shape (n_challenges,), int in ``0..k-1``
    challenge_council : ndarray of shape (n_challenges,), str
    capability_council : ndarray of shape (n_capabilities,), str

    Returns
    -------
    list of ClusterCoverage, one per cluster
    """
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=int)
    if scores.ndim != 2 or scores.shape[0] != len(labels):
        raise ValidationError(f"scores of shape {scores.shape} do not match {len(labels)} challenges")
    if scores.shape[1] != len(capability_council) or len(challenge_council) != len(labels):
        raise ValidationError("council arrays do not match the score matrix")
    scores = np.where(np.isnan(scores), -np.inf, scores)
    same = np.asarray(challenge_council)[:, None] == np.asarray(capability_council)[None, :]
    allowed = np.isfinite(scores)
    out = []
    k = int(labels.max()) + 1 if labels.size else 0
    for c in range(k):
        rows = labels == c
        s = scores[rows]
        out.append(
            ClusterCoverage(
                local=_mean_best(s, same[rows] & allowed[rows]),
                cross_border=_mean_best(s, ~same[rows] & allowed[rows]),
                best=_mean_best(s, allowed[rows]),
            )
        )
    return out


def reference_coverage(scores: np.ndarray) -> float:
    """Median over challenges of their best allowed score (``-inf``/NaN: not allowed); 0 when none."""
    scores = np.asarray(scores, dtype=float)
    if scores.size == 0:
        return 0.0
    best = np.where(np.isnan(scores), -np.inf, scores).max(axis=1)
    best = best[np.isfinite(best)]
    return float(np.median(best)) if best.size else 0.0
