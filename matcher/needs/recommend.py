"""Training suggestions: needs (challenges, weak management areas) against training modules.

A *need* is one of an SME's open challenges or one of its weak self-assessment areas.  A
module's score for the SME is its best need's score, where a need–module score is the cosine
of their embeddings plus ``area_weight * weakness`` when the module says it trains that area
(``weakness = (5 - score) / 4`` for an area scored 1..5, else 0).  The reason is the need that
gave the score.  Demand without supply: need clusters whose best module cosine is below a
threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.exceptions import ValidationError

__all__ = ["ModuleSuggestion", "best_modules", "uncovered_clusters"]


@dataclass(frozen=True)
class ModuleSuggestion:
    """``module`` (column index) with its score and the index of the need that answers it."""

    module: int
    score: float
    need: int
    similarity: float
    area_bonus: float


def best_modules(
    need_vectors: np.ndarray,
    module_vectors: np.ndarray,
    *,
    area_bonus: np.ndarray | None = None,
    k: int = 10,
) -> list[ModuleSuggestion]:
    """The ``k`` best modules for one SME's needs.

    Parameters
    ----------
    need_vectors : ndarray of shape (n_needs, dim), L2-normalised
    module_vectors : ndarray of shape (n_modules, dim), L2-normalised
    area_bonus : ndarray of shape (n_needs, n_modules), optional
        Added to the cosine (e.g. ``area_weight * weakness`` where the module trains the area).
    k : int
        ``0``: every module.

    Returns
    -------
    list of ModuleSuggestion
        Best first; ties by module index.
    """
    need_vectors = np.asarray(need_vectors, dtype=float)
    module_vectors = np.asarray(module_vectors, dtype=float)
    if need_vectors.size == 0 or module_vectors.size == 0:
        return []
    if need_vectors.shape[1] != module_vectors.shape[1]:
        raise ValidationError("need and module vectors differ in dimension")
    sim = need_vectors @ module_vectors.T
    bonus = np.zeros_like(sim) if area_bonus is None else np.asarray(area_bonus, dtype=float)
    if bonus.shape != sim.shape:
        raise ValidationError(f"area_bonus has shape {bonus.shape}, expected {sim.shape}")
    total = sim + bonus
    best_need = total.argmax(axis=0)
    cols = np.arange(total.shape[1])
    score = total[best_need, cols]
    order = np.lexsort((cols, -score))
    if k > 0:
        order = order[:k]
    return [
        ModuleSuggestion(int(j), float(score[j]), int(best_need[j]), float(sim[best_need[j], j]),
                         float(bonus[best_need[j], j]))
        for j in order
    ]  # fmt: skip


def uncovered_clusters(
    cluster_vectors: np.ndarray, module_vectors: np.ndarray, *, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Best module cosine per cluster centroid, and which clusters fall below ``threshold``.

    Parameters
    ----------
    cluster_vectors : ndarray of shape (n_clusters, dim), L2-normalised centroids
    module_vectors : ndarray of shape (n_modules, dim)
    threshold : float

    Returns
    -------
    best : ndarray of shape (n_clusters,)  (``-1`` when there is no module)
    uncovered : ndarray of shape (n_clusters,), bool
    """
    cluster_vectors = np.asarray(cluster_vectors, dtype=float)
    if len(module_vectors) == 0:
        best = np.full(len(cluster_vectors), -1.0)
    else:
        best = (cluster_vectors @ np.asarray(module_vectors, dtype=float).T).max(axis=1)
    return best, best < threshold
