"""Intra-list diversity (Ziegler et al., "Improving recommendation lists through topic
diversification", WWW 2005): mean pairwise ``1 - cosine`` among a list's items."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from matcher.exceptions import Location, ValidationError

from ._topk import top_k


def intra_list_diversity(
    run: Mapping[str, Mapping[str, float]],
    item_vectors: Mapping[str, np.ndarray],
    *,
    k: int = 10,
) -> dict[str, float]:
    """Mean pairwise cosine distance within each query's top-``k`` list.

    Parameters
    ----------
    run : mapping ``{query_id: {doc_id: score}}``
    item_vectors : mapping of str to ndarray of shape (dim,)
        One vector per item (need not be normalised).
    k : int

    Returns
    -------
    dict of str to float
        Per query; lists with fewer than two items are left out.
    """
    out: dict[str, float] = {}
    for query_id in sorted(run):
        items = top_k(run[query_id], k)
        if len(items) < 2:
            continue
        missing = [item for item in items if item not in item_vectors]
        if missing:
            raise ValidationError(f"no vector for item {missing[0]!r}", Location(field="item_vectors"))
        matrix = np.array([np.asarray(item_vectors[item], dtype=np.float64) for item in items])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise ValidationError("an item vector is all zeros", Location(field="item_vectors"))
        unit = matrix / norms
        i, j = np.triu_indices(len(items), k=1)
        similarity = np.einsum("pd,pd->p", unit[i], unit[j])
        out[query_id] = float(np.mean(1.0 - similarity))
    return out
