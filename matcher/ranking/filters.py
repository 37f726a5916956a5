"""Hard filters and conflict-of-interest exclusions as boolean masks over (query, candidate) pairs.

Each builder returns an *allowed* mask of shape (n_queries, n_candidates), computed
by broadcasting (no loop over pairs).  :func:`combine_masks` ANDs the masks that
were given and records which filters applied; :func:`apply_mask` sets disallowed
scores to ``-inf`` so that :func:`~matcher.ranking.search.top_k_scores` never
returns them.  Filtering happens after scoring: it never changes a surviving
pair's score.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.exceptions import ValidationError

__all__ = [
    "FilterOutcome",
    "apply_mask",
    "availability_mask",
    "combine_masks",
    "cross_border_mask",
    "relationship_mask",
    "same_organisation_mask",
    "value_mask",
    "visibility_mask",
]


#: Per-query or per-candidate values: a sequence or a 1-D array.
Values = Sequence[Any] | np.ndarray


def _arr(values: Values) -> np.ndarray:
    return np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=object)


def value_mask(
    candidate_values: Values,
    allowed: Collection[object] | Sequence[Collection[object] | None] | None,
    n_queries: int,
    *,
    per_query: bool = False,
) -> np.ndarray:
    """Candidates whose attribute (council, country, language, organisation kind...) is allowed.

    Parameters
    ----------
    candidate_values : sequence of n_candidates values
    allowed : collection of values, or (``per_query=True``) a sequence of n_queries
        collections (``None`` = no restriction for that query); ``None`` allows all.
    n_queries : int
    per_query : bool, default False

    Returns
    -------
    ndarray of shape (n_queries, n_candidates), bool
    """
    vals = _arr(candidate_values)
    if allowed is None:
        return np.ones((n_queries, vals.size), dtype=bool)
    if not per_query:
        row = np.isin(vals, np.asarray(list(allowed), dtype=object))  # type: ignore[arg-type]
        return np.broadcast_to(row, (n_queries, vals.size)).copy()
    if len(allowed) != n_queries:  # type: ignore[arg-type]
        raise ValidationError(f"per-query allowed values: expected {n_queries}, got {len(allowed)}")  # type: ignore[arg-type]
    # Encode values as integers once; a sparse-free incidence test per distinct set.
    uniq, codes = np.unique(vals.astype(str), return_inverse=True)
    out = np.ones((n_queries, vals.size), dtype=bool)
    for qi, a in enumerate(allowed):  # loop over queries' *settings* (small), not over pairs
        if a is not None:
            ok = np.isin(uniq, np.asarray([str(x) for x in a], dtype=str))  # type: ignore[attr-defined,union-attr]
            out[qi] = ok[codes]
    return out


def cross_border_mask(query_country: Values, candidate_country: Values) -> np.ndarray:
    """Pairs whose countries differ (cross-border matches): shape (n_queries, n_candidates)."""
    q, c = _arr(query_country), _arr(candidate_country)
    return q[:, None] != c[None, :]


def same_organisation_mask(query_org: Values, candidate_org: Values) -> np.ndarray:
    """Conflict of interest: exclude a candidate of the query's own organisation.

    ``None`` on either side never conflicts.  Returns the allowed mask (n_queries, n_candidates).
    """
    q, c = _arr(query_org), _arr(candidate_org)
    conflict = (q[:, None] == c[None, :]) & (q[:, None] != None) & (c[None, :] != None)  # noqa: E711
    return ~conflict


def relationship_mask(
    query_ids: Values, candidate_ids: Values, existing: Iterable[tuple[str, str]]
) -> np.ndarray:
    """Exclude pairs that already work together (``existing`` holds ``(query_id, candidate_id)``).

    Returns the allowed mask (n_queries, n_candidates).
    """
    qpos = {q: i for i, q in enumerate(query_ids)}
    cpos = {c: j for j, c in enumerate(candidate_ids)}
    out = np.ones((len(qpos), len(cpos)), dtype=bool)
    pairs = np.array([(qpos[a], cpos[b]) for a, b in existing if a in qpos and b in cpos], dtype=np.int64)
    if pairs.size:
        out[pairs[:, 0], pairs[:, 1]] = False
    return out


def availability_mask(
    query_from: Values,
    query_to: Values,
    candidate_from: Values,
    candidate_to: Values,
) -> np.ndarray:
    """Windows ``[from, to]`` overlap; a missing bound (``None``) is open-ended.

    Dates are anything ``numpy.datetime64`` accepts (``datetime.date``, ISO strings), or
    ``datetime64`` arrays (``NaT`` open-ended), which callers can convert once and reuse.
    Returns the allowed mask (n_queries, n_candidates).
    """

    def dates(x: Values, fill: str) -> np.ndarray:
        if isinstance(x, np.ndarray) and x.dtype.kind == "M":  # already dates: NaT is open-ended
            d = x.astype("datetime64[D]")
            return np.where(np.isnat(d), np.datetime64(fill, "D"), d)
        return np.array([np.datetime64(v if v is not None else fill, "D") for v in x], dtype="datetime64[D]")  # type: ignore[call-overload]

    qf, qt = dates(query_from, "0001-01-01"), dates(query_to, "9999-12-31")
    cf, ct = dates(candidate_from, "0001-01-01"), dates(candidate_to, "9999-12-31")
    return (qf[:, None] <= ct[None, :]) & (cf[None, :] <= qt[:, None])


def visibility_mask(
    candidate_visibility: Values, candidate_council: Values, query_council: Values
) -> np.ndarray:
    """Public candidates, or private ones of the query's own council: shape (n_queries, n_candidates)."""
    vis = _arr(candidate_visibility).astype(str)
    q, c = _arr(query_council), _arr(candidate_council)
    return (vis[None, :] == "public") | (q[:, None] == c[None, :])


@dataclass(frozen=True)
class FilterOutcome:
    """The combined allowed mask and the names of the filters that took part.

    Attributes
    ----------
    mask : ndarray of shape (n_queries, n_candidates), bool
    applied : tuple of str
        Filters given (in order), for the match reasons.
    excluded : dict of str to int
        How many pairs each filter alone excluded.
    """

    mask: np.ndarray
    applied: tuple[str, ...]
    excluded: dict[str, int]


def combine_masks(shape: tuple[int, int], masks: Mapping[str, np.ndarray | None]) -> FilterOutcome:
    """AND the given masks (``None`` entries are skipped) into one allowed mask of ``shape``."""
    out = np.ones(shape, dtype=bool)
    applied, excluded = [], {}
    for name, m in masks.items():
        if m is None:
            continue
        m = np.asarray(m, dtype=bool)
        if m.shape != shape:
            raise ValidationError(f"filter {name!r} has shape {m.shape}, expected {shape}")
        out &= m
        applied.append(name)
        excluded[name] = int((~m).sum())
    return FilterOutcome(mask=out, applied=tuple(applied), excluded=excluded)


def apply_mask(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A copy of ``scores`` (n_queries, n_candidates) with disallowed pairs set to ``-inf``."""
    scores = np.asarray(scores)
    if mask.shape != scores.shape:
        raise ValidationError(f"mask {mask.shape} does not match scores {scores.shape}")
    return np.where(mask, scores, -np.inf)
