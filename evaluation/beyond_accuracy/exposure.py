"""Exposure concentration: position-discounted exposure, its Gini coefficient and
Lorenz curve (Singh & Joachims, "Fairness of exposure in rankings", KDD 2018; Gini 1912).

An item at rank ``r`` (1-based) of a list receives exposure ``1 / log2(r + 1)``; a group
receives the sum over its items.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from matcher.exceptions import Location, ValidationError

from ._topk import top_k


def exposure(
    run: Mapping[str, Mapping[str, float]],
    *,
    k: int | None = 10,
    groups: Mapping[str, str] | None = None,
    population: Collection[str] = (),
) -> dict[str, float]:
    """Total position-discounted exposure per item, or per group of items.

    Parameters
    ----------
    run : mapping ``{query_id: {doc_id: score}}``
    k : int or None
        Only the top ``k`` of each list are seen (``None``: the whole list).
    groups : mapping of str to str, optional
        Item -> group (council, organisation type, SME size...); items without a group
        fall in ``"(none)"``.
    population : collection of str
        Items (or groups) that exist but may receive no exposure; they appear with 0, as
        a Gini coefficient must count them.

    Returns
    -------
    dict of str to float
        Sorted by key.
    """
    totals: dict[str, float] = dict.fromkeys(population, 0.0)
    for docs in run.values():
        for rank, item in enumerate(top_k(docs, k), start=1):
            key = item if groups is None else groups.get(item, "(none)")
            totals[key] = totals.get(key, 0.0) + 1.0 / float(np.log2(rank + 1))
    return dict(sorted(totals.items()))


def _values(values: Sequence[float] | np.ndarray | Mapping[str, float]) -> np.ndarray:
    if isinstance(values, Mapping):
        values = list(values.values())
    array = np.array(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ValidationError("need a non-empty 1-d sequence", Location(field="values"))
    if np.any(array < 0) or not np.all(np.isfinite(array)):
        raise ValidationError("values must be finite and >= 0", Location(field="values"))
    return array


def gini(values: Sequence[float] | np.ndarray | Mapping[str, float]) -> float:
    """Gini coefficient ``sum_ij |x_i - x_j| / (2 n^2 mean)``.

    0 when everyone has the same; ``(n - 1) / n`` when one of ``n`` has everything.
    0 by convention when all values are 0.

    Parameters
    ----------
    values : array-like of shape (n,) or mapping to float
        Non-negative amounts (exposure per item or group).
    """
    x = np.sort(_values(values))
    n = x.size
    total = x.sum()
    if total == 0:
        return 0.0
    # sum_ij |x_i - x_j| = 2 * sum_i (2i - n - 1) x_(i) for sorted x, i = 1..n
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * x) / (n * total))


def lorenz_curve(values: Sequence[float] | np.ndarray | Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve: cumulative share of exposure held by the least-exposed share of holders.

    Returns
    -------
    population_share : ndarray of shape (n + 1,)
        ``0, 1/n, ..., 1``.
    exposure_share : ndarray of shape (n + 1,)
        Starts at 0 and ends at 1 (a straight line when all values are 0).
    """
    x = np.sort(_values(values))
    n = x.size
    population_share = np.linspace(0.0, 1.0, n + 1)
    total = x.sum()
    if total == 0:
        return population_share, population_share.copy()
    exposure_share = np.concatenate([[0.0], np.cumsum(x) / total])
    return population_share, exposure_share
