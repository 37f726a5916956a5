"""Exact top-k against brute force; the vector index and its ANN backends."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.embeddings import l2_normalise
from matcher.exceptions import ModelMismatchError, NotFittedError
from matcher.ranking import VectorIndex, exact_top_k, top_k_scores


def _data(n=500, nq=20, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    return l2_normalise(rng.standard_normal((nq, dim))), l2_normalise(rng.standard_normal((n, dim)))


@pytest.mark.parametrize(
    ("k", "batch_size", "chunk_size"), [(5, 256, 65536), (7, 3, 50), (0, 4, 100), (600, 8, 64)]
)
def test_exact_top_k_equals_full_sort(k, batch_size, chunk_size):
    q, x = _data()
    idx, scores = exact_top_k(q, x, k, batch_size=batch_size, chunk_size=chunk_size)
    full = q @ x.T
    ref = np.argsort(-full, axis=1, kind="stable")
    kk = x.shape[0] if k in (0, 600) else k
    assert idx.shape == (q.shape[0], kk)
    np.testing.assert_array_equal(idx, ref[:, :kk])
    np.testing.assert_allclose(scores, np.take_along_axis(full, ref[:, :kk], axis=1), atol=1e-6)


def test_exact_top_k_on_memmap(tmp_path):
    q, x = _data()
    mm = np.lib.format.open_memmap(tmp_path / "v.npy", mode="w+", dtype=np.float32, shape=x.shape)
    mm[:] = x
    mm.flush()
    ro = np.load(tmp_path / "v.npy", mmap_mode="r")
    np.testing.assert_array_equal(exact_top_k(q, ro, 5, chunk_size=64)[0], exact_top_k(q, x, 5)[0])


def test_top_k_scores_skips_excluded():
    s = np.array([[0.2, -np.inf, 0.9, -np.inf]])
    idx, vals = top_k_scores(s, 3)
    assert idx.tolist() == [[2, 0, -1]]
    assert vals[0, :2].tolist() == [0.9, 0.2]


def test_ties_broken_by_index():
    idx, _ = top_k_scores(np.array([[0.5, 0.7, 0.5, 0.7]]), 0)
    assert idx.tolist() == [[1, 3, 0, 2]]


def test_index_contract():
    q, x = _data()
    index = VectorIndex(backend="exact")
    with pytest.raises(NotFittedError):
        index.search(q, 3, "m")
    assert index.fit(x, "m") is index
    with pytest.raises(ModelMismatchError):
        index.search(q, 3, "other")
    np.testing.assert_array_equal(index.search(q, 3, "m")[0], exact_top_k(q, x, 3)[0])


@pytest.mark.parametrize("backend", ["faiss", "usearch"])
def test_ann_recall(backend):
    pytest.importorskip(backend)
    q, x = _data(n=2000, nq=50, dim=32, seed=3)
    truth, _ = exact_top_k(q, x, 10)
    found, scores = VectorIndex(backend=backend, m=16, ef_search=64).fit(x, "m").search(q, 10, "m")
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)])
    assert recall >= 0.9
    np.testing.assert_allclose(scores[:, 0], (q * x[found[:, 0]]).sum(axis=1), atol=1e-4)
