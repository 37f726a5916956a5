"""ProjectedSearch against a brute-force float32 scan."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking.projected import ProjectedSearch
from matcher.ranking.search import exact_top_k


def _anisotropic(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors with a decaying spectrum and a shared mean, like sentence embeddings."""
    rng = np.random.default_rng(seed)
    scales = 1.0 / np.arange(1, dim + 1) ** 0.7
    x = rng.standard_normal((n, dim)) * scales + 0.3
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("k", [1, 10])
def test_full_dimension_scan_is_exact_and_certified(k: int) -> None:
    # r = dim: the projection loses nothing, so the scan ranks exactly and every answer is certified
    corpus, queries = _anisotropic(2000, 24, seed=1), _anisotropic(30, 24, seed=2)
    index = ProjectedSearch(n_components=24, n_candidates=k, chunk_size=300, batch_size=7, sample_size=400)
    idx, val = index.fit(corpus).search(queries, k)
    want_idx, want_val = exact_top_k(queries, corpus, k)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(val, want_val, atol=1e-5)
    # certified unless the k-th and (k+1)-th scores are within the float slack of each other
    _, next_val = exact_top_k(queries, corpus, k + 1)
    clear_gap = int(np.sum(next_val[:, k - 1] - next_val[:, k] > 1e-3))
    assert clear_gap <= index.certified_ <= len(queries)


def test_every_item_a_candidate_is_exact_whatever_r() -> None:
    corpus, queries = _anisotropic(500, 32, seed=3), _anisotropic(20, 32, seed=4)
    index = ProjectedSearch(n_components=2, n_candidates=500, chunk_size=128).fit(corpus)
    idx, _ = index.search(queries, 10)
    np.testing.assert_array_equal(idx, exact_top_k(queries, corpus, 10)[0])
    assert index.certified_ == len(queries)  # nothing left outside the candidates


def test_certified_answers_are_exact() -> None:
    # the Cauchy-Schwarz certificate must never vouch for a wrong answer
    corpus, queries = _anisotropic(3000, 32, seed=5), _anisotropic(200, 32, seed=6)
    want, _ = exact_top_k(queries, corpus, 5)
    for r in (4, 12, 24):
        index = ProjectedSearch(n_components=r, n_candidates=40, chunk_size=700).fit(corpus)
        certified = 0
        for i, q in enumerate(queries):
            idx, _ = index.search(q, 5)
            if index.certified_:
                certified += 1
                np.testing.assert_array_equal(idx[0], want[i])
        assert certified == sum(1 for q in queries if index.search(q, 5) and index.certified_)


def test_memmap_and_k_above_n(tmp_path) -> None:
    corpus = _anisotropic(50, 16, seed=7)
    mm = np.lib.format.open_memmap(tmp_path / "v.npy", mode="w+", dtype=np.float32, shape=corpus.shape)
    mm[:] = corpus
    idx, _ = ProjectedSearch(n_components=4, n_candidates=100).fit(mm).search(corpus[:3], 80)
    np.testing.assert_array_equal(idx, exact_top_k(corpus[:3], corpus, 0)[0])


def test_errors() -> None:
    with pytest.raises(NotFittedError):
        ProjectedSearch().search(np.ones((1, 4), np.float32), 1)
    with pytest.raises(ValidationError):
        ProjectedSearch(n_components=9).fit(np.ones((3, 8), np.float32))
    index = ProjectedSearch(n_components=2).fit(_anisotropic(10, 8, seed=8))
    with pytest.raises(ValidationError):
        index.search(np.ones((1, 7), np.float32), 1)
    with pytest.raises(ValidationError):
        index.search(np.ones((1, 8), np.float32), 0)
