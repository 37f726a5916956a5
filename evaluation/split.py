"""Deterministic dev/test split of queries by hashing their ids.

Each id is ranked by ``sha256(f"{seed}:{id}")``; the first ``round(n * dev_fraction)``
in that order form the dev split.  The result depends only on the *set* of ids and the
seed, never on their order, so every machine and every run sees the same split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from matcher.exceptions import Location, ValidationError


def _key(seed: int, query_id: str) -> bytes:
    return hashlib.sha256(f"{seed}:{query_id}".encode()).digest()


def split_queries(
    query_ids: Iterable[str], dev_fraction: float = 0.5, seed: int = 13
) -> tuple[list[str], list[str]]:
    """Split query ids into dev and test.

    Parameters
    ----------
    query_ids : iterable of str
        Duplicates are ignored.
    dev_fraction : float
        Share of queries in dev, in [0, 1].
    seed : int

    Returns
    -------
    dev, test : list of str
        Disjoint, each sorted, together all ids.
    """
    if not 0.0 <= dev_fraction <= 1.0:
        raise ValidationError("dev_fraction must lie in [0, 1]", Location(field="dev_fraction"))
    ids = sorted(set(query_ids), key=lambda q: (_key(seed, q), q))
    n_dev = round(len(ids) * dev_fraction)
    return sorted(ids[:n_dev]), sorted(ids[n_dev:])
