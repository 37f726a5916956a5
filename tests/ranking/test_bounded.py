"""BoundedExactSearch must return exactly what a brute-force float32 scan returns."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking.bounded import BoundedExactSearch
from matcher.ranking.search import exact_top_k


def _anisotropic(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors with a decaying spectrum and a shared mean, like sentence embeddings."""
    rng = np.random.default_rng(seed)
    scales = 1.0 / np.arange(1, dim + 1) ** 0.7
    x = rng.standard_normal((n, dim)) * scales + 0.3
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("n_components", [1, 8, 32])
@pytest.mark.parametrize("k", [1, 10, 50])
def test_same_top_k_as_brute_force(n_components: int, k: int) -> None:
    corpus = _anisotropic(3000, 48, seed=1)
    queries = _anisotropic(40, 48, seed=2)
    index = BoundedExactSearch(n_components=n_components, chunk_size=700, batch_size=16, sample_size=500)
    idx, val = index.fit(corpus).search(queries, k)
    want_idx, want_val = exact_top_k(queries, corpus, k)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(val, want_val, atol=1e-5)
    assert index.candidates_ >= len(queries) * k


def test_prunes_most_items_on_anisotropic_data() -> None:
    corpus = _anisotropic(5000, 48, seed=3)
    index = BoundedExactSearch(n_components=24).fit(corpus)
    index.search(corpus[:10], 5)
    assert index.candidates_ < 10 * 5000 / 2


def test_duplicates_tie_by_index_and_k_above_n() -> None:
    corpus = np.repeat(_anisotropic(3, 16, seed=4), 2, axis=0)  # rows 0,1 equal, 2,3 equal ...
    index = BoundedExactSearch(n_components=4).fit(corpus)
    idx, _ = index.search(corpus[0], 10)
    want, _ = exact_top_k(corpus[:1], corpus, 10)
    np.testing.assert_array_equal(idx, want)
    assert idx.shape == (1, 6)


def test_memmap_corpus(tmp_path) -> None:
    corpus = _anisotropic(1000, 32, seed=5)
    mm = np.lib.format.open_memmap(tmp_path / "v.npy", mode="w+", dtype=np.float32, shape=corpus.shape)
    mm[:] = corpus
    idx, _ = BoundedExactSearch(n_components=8).fit(mm).search(corpus[:5], 3)
    np.testing.assert_array_equal(idx, exact_top_k(corpus[:5], corpus, 3)[0])


def test_errors() -> None:
    with pytest.raises(NotFittedError):
        BoundedExactSearch().search(np.ones((1, 4), np.float32), 1)
    with pytest.raises(ValidationError):
        BoundedExactSearch(n_components=9).fit(np.ones((3, 8), np.float32))
    index = BoundedExactSearch(n_components=2).fit(_anisotropic(10, 8, seed=6))
    with pytest.raises(ValidationError):
        index.search(np.ones((1, 7), np.float32), 1)
    with pytest.raises(ValidationError):
        index.search(np.ones((1, 8), np.float32), 0)
