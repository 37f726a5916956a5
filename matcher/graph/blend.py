"""Blend content scores with graph scores for partner suggestions, with a novelty bonus.

``blended = (1 - w) * content + w * ((1 - b) * graph / max(graph) + b * novelty)``

where ``w`` is the graph weight (``MATCHER_GRAPH_WEIGHT``; 0 gives the content score
unchanged), ``graph`` the link-prediction score of each candidate (normalised by the
largest among the candidates, so that the two parts share the [0, 1] scale of
calibrated content scores), ``b`` the novelty share and ``novelty`` in [0, 1] the share
of the two bridges a pair makes: across Louvain communities and across borders.
"""

from __future__ import annotations

import numpy as np

from matcher.exceptions import ValidationError

__all__ = ["blend_scores", "novelty"]


def novelty(
    query_community: int | None,
    communities: np.ndarray,
    query_country: str,
    countries: np.ndarray,
) -> np.ndarray:
    """Per candidate: 0.5 for bridging communities (known and different) + 0.5 for bridging borders.

    Parameters
    ----------
    communities : ndarray of int, shape (n,)
        Community of each candidate, ``-1`` when unknown (not in the graph).
    countries : ndarray of str, shape (n,)
    """
    communities = np.asarray(communities)
    bridge = np.zeros(communities.shape, dtype=np.float64)
    if query_community is not None and query_community >= 0:
        bridge = ((communities >= 0) & (communities != query_community)).astype(np.float64)
    border = (np.asarray(countries, dtype=object) != query_country).astype(np.float64)
    return 0.5 * bridge + 0.5 * border


def blend_scores(
    content: np.ndarray,
    graph: np.ndarray,
    *,
    weight: float,
    novelty: np.ndarray | None = None,
    novelty_share: float = 0.2,
) -> np.ndarray:
    """The blended score of each candidate (see the module docstring).

    Parameters
    ----------
    content : ndarray of shape (n,)
        Content scores (``-inf`` for candidates filtered out: they stay ``-inf``).
    graph : ndarray of shape (n,)
        Link-prediction scores (``-inf`` or negative values count as 0).
    weight : float in [0, 1]
    novelty : ndarray of shape (n,) in [0, 1], optional
    novelty_share : float in [0, 1]
    """
    if not 0.0 <= weight <= 1.0:
        raise ValidationError(f"the graph weight is between 0 and 1, not {weight}")
    if not 0.0 <= novelty_share <= 1.0:
        raise ValidationError(f"the novelty share is between 0 and 1, not {novelty_share}")
    content = np.asarray(content, dtype=np.float64)
    if weight == 0.0:
        return content.copy()
    g = np.where(np.isfinite(graph) & (graph > 0), graph, 0.0).astype(np.float64)
    usable = np.isfinite(content)
    top = g[usable].max() if usable.any() else 0.0
    g = g / top if top > 0 else g
    part = (1.0 - novelty_share) * g
    if novelty is not None:
        part = part + novelty_share * np.asarray(novelty, dtype=np.float64)
    with np.errstate(invalid="ignore"):  # filtered (-inf) candidates are put back below
        out = (1.0 - weight) * content + weight * part
    return np.where(usable, out, content)
