"""Overlapping token windows for texts longer than a model's input window.

A transformer encoder sees at most ``max_seq_length`` word pieces; truncating
a long capability document (a CV, a project summary) would silently drop
everything after its first few hundred words.  Instead a long text is split into
windows of ``size`` tokens that overlap by ``overlap`` tokens, each window is
embedded, and the text's vector is the re-normalised mean of its windows' unit
vectors (the sliding-window "chunk and average" scheme used for long documents
with Sentence-BERT style models).

These functions are pure: token ids and arrays in, token ids and arrays out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.embeddings.base import l2_normalise


def token_windows(ids: Sequence[int], size: int, overlap: int) -> list[list[int]]:
    """Split one token sequence into windows of at most ``size`` tokens.

    Consecutive windows overlap by at least ``overlap`` tokens (stride
    ``size - overlap``); the last window is aligned to the end of the sequence,
    so every window but a lone short one holds exactly ``size`` tokens and no
    token is dropped.

    Parameters
    ----------
    ids : sequence of int
        Token ids of one text, without special tokens.
    size : int
        Window length in tokens (the model window minus its special tokens).
    overlap : int
        Tokens shared by consecutive windows, ``0 <= overlap < size``.

    Returns
    -------
    list of list of int
        ``[]`` for an empty sequence, ``[list(ids)]`` when it fits in one window.
    """
    if size < 1:
        raise ValueError(f"window size must be positive, got {size}")
    if not 0 <= overlap < size:
        raise ValueError(f"overlap must be in [0, {size}), got {overlap}")
    ids = list(ids)
    n = len(ids)
    if n == 0:
        return []
    if n <= size:
        return [ids]
    stride = size - overlap
    starts = [*range(0, n - size, stride), n - size]
    return [ids[s : s + size] for s in starts]


def plan_windows(
    token_ids: Sequence[Sequence[int]], size: int, overlap: int
) -> tuple[list[list[int]], np.ndarray]:
    """Windows of every text, flattened, with the index of the text each came from.

    Parameters
    ----------
    token_ids : sequence of sequences of int, length n_texts
    size, overlap : int
        See :func:`token_windows`.

    Returns
    -------
    windows : list of list of int, length n_windows
    owners : ndarray of shape (n_windows,), dtype int64
        ``owners[k]`` is the index in ``token_ids`` of the text of ``windows[k]``.
        A text without tokens owns no window.
    """
    windows: list[list[int]] = []
    owners: list[int] = []
    for i, ids in enumerate(token_ids):
        parts = token_windows(ids, size, overlap)
        windows.extend(parts)
        owners.extend([i] * len(parts))
    return windows, np.asarray(owners, dtype=np.int64)


def pool_windows(vectors: np.ndarray, owners: np.ndarray, n_texts: int) -> np.ndarray:
    """Mean-pool window vectors per text and re-normalise.

    Parameters
    ----------
    vectors : ndarray of shape (n_windows, dim)
        One vector per window (normalised here before averaging, so every window
        weighs the same).
    owners : ndarray of shape (n_windows,), dtype int
        Text index of each window, in ``[0, n_texts)``.
    n_texts : int

    Returns
    -------
    ndarray of shape (n_texts, dim), dtype float32
        Unit rows; a text that owns no window gets the zero vector.
    """
    vectors = l2_normalise(vectors)
    owners = np.asarray(owners, dtype=np.int64)
    if vectors.shape[0] != owners.shape[0]:
        raise ValueError(f"{vectors.shape[0]} window vectors but {owners.shape[0]} owners")
    sums = np.zeros((n_texts, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, owners, vectors)
    return l2_normalise(sums)
