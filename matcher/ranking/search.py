"""Exact maximum-inner-product search: brute-force float32 matrix products + ``argpartition``.

The exact method scans the whole corpus for every query (Johnson, Douze & Jégou's
``IndexFlatIP`` does the same in FAISS).  On L2-normalised vectors the inner product
is the cosine.  Queries are processed in batches and the corpus in chunks, so peak
memory is ``batch_size * chunk_size * 4`` bytes whatever the corpus size, and the
corpus may be an ``np.memmap`` that never fits in RAM at once.
"""

from __future__ import annotations

import numpy as np

from matcher.exceptions import ValidationError

__all__ = ["exact_top_k", "top_k_scores"]


def _sorted_top(scores: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order each row's candidates by descending score, ties by ascending index."""
    order = np.lexsort((idx, -scores), axis=-1)
    return np.take_along_axis(idx, order, axis=1), np.take_along_axis(scores, order, axis=1)


def top_k_scores(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best columns of each row of a score matrix, best first.

    Parameters
    ----------
    scores : ndarray of shape (n_queries, n_items)
        Any real scores; ``-inf`` marks an excluded item (a filtered candidate).
    k : int
        How many to keep; ``0`` or ``k >= n_items`` keeps every item.

    Returns
    -------
    indices : ndarray of shape (n_queries, k'), int64
        Column indices, best first (ties broken by ascending index); ``-1`` where the
        score is ``-inf`` (fewer than ``k'`` items were allowed).
    values : ndarray of shape (n_queries, k'), same dtype as ``scores``
        The scores at those indices.
    """
    scores = np.asarray(scores)
    if scores.ndim != 2:
        raise ValidationError(f"scores must be 2-D, got shape {scores.shape}")
    if k < 0:
        raise ValidationError(f"k must be >= 0, got {k}")
    n_queries, n_items = scores.shape
    if k == 0 or k >= n_items:
        idx = np.broadcast_to(np.arange(n_items, dtype=np.int64), (n_queries, n_items))
    else:
        idx = np.argpartition(-scores, k - 1, axis=1)[:, :k].astype(np.int64, copy=False)
    vals = np.take_along_axis(scores, idx, axis=1)
    idx, vals = _sorted_top(vals, np.array(idx))
    idx[np.isneginf(vals)] = -1
    return idx, vals


def exact_top_k(
    queries: np.ndarray,
    corpus: np.ndarray,
    k: int,
    *,
    batch_size: int = 256,
    chunk_size: int = 65_536,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` corpus rows by inner product for every query.

    Parameters
    ----------
    queries : ndarray of shape (n_queries, dim)
        Query vectors (converted to float32); L2-normalised for cosine.
    corpus : ndarray or np.memmap of shape (n_items, dim)
        Corpus vectors, read chunk by chunk (converted to float32 per chunk).
    k : int
        Results per query; ``0`` or ``k >= n_items`` returns every item, sorted.
    batch_size : int, default 256
        Queries per matrix product.
    chunk_size : int, default 65536
        Corpus rows per matrix product; a running top-``k`` is merged across chunks.

    Returns
    -------
    indices : ndarray of shape (n_queries, k'), int64
        Corpus row indices, best first; ``k' = min(k, n_items)`` (``n_items`` if ``k == 0``).
    scores : ndarray of shape (n_queries, k'), float32
        Inner products at those indices.
    """
    q = np.asarray(queries, dtype=np.float32)
    if q.ndim == 1:
        q = q[None, :]
    if corpus.ndim != 2 or q.ndim != 2 or q.shape[1] != corpus.shape[1]:
        raise ValidationError(f"dimension mismatch: queries {q.shape}, corpus {corpus.shape}")
    if batch_size < 1 or chunk_size < 1:
        raise ValidationError("batch_size and chunk_size must be >= 1")
    n_items = corpus.shape[0]
    kk = n_items if (k == 0 or k >= n_items) else k
    out_idx = np.empty((q.shape[0], kk), dtype=np.int64)
    out_val = np.empty((q.shape[0], kk), dtype=np.float32)
    if kk == n_items:
        chunk_size = max(chunk_size, n_items)  # full sort needs the whole row anyway
    for b0 in range(0, q.shape[0], batch_size):
        qb = q[b0 : b0 + batch_size]
        best_idx = np.empty((qb.shape[0], 0), dtype=np.int64)
        best_val = np.empty((qb.shape[0], 0), dtype=np.float32)
        for c0 in range(0, n_items, chunk_size):
            chunk = np.asarray(corpus[c0 : c0 + chunk_size], dtype=np.float32)
            sims = qb @ chunk.T
            ci, cv = top_k_scores(sims, kk) if kk < sims.shape[1] else top_k_scores(sims, 0)
            cand_idx = np.concatenate([best_idx, ci + c0], axis=1)
            cand_val = np.concatenate([best_val, cv], axis=1)
            if cand_idx.shape[1] > kk:
                sel = np.argpartition(-cand_val, kk - 1, axis=1)[:, :kk]
                cand_idx = np.take_along_axis(cand_idx, sel, axis=1)
                cand_val = np.take_along_axis(cand_val, sel, axis=1)
            best_idx, best_val = cand_idx, cand_val
        best_idx, best_val = _sorted_top(best_val, best_idx)
        out_idx[b0 : b0 + qb.shape[0]] = best_idx
        out_val[b0 : b0 + qb.shape[0]] = best_val
    return out_idx, out_val
