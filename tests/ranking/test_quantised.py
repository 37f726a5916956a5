"""The 8-bit first stage with a certified re-rank returns exactly the float32 top-k.

The oracle is a full numpy sort of ``corpus @ query``: independent of FAISS and of the
chunked scan in ``exact_top_k``.
"""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking.quantised import QuantisedExactSearch
from matcher.ranking.search import exact_top_k

pytest.importorskip("numkong")


def _anisotropic(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors with a few dominant directions, like sentence embeddings (mean cosine far from 0)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, dim)).astype(np.float32) / np.sqrt(np.arange(1, dim + 1, dtype=np.float32))
    x[:, 0] += 2.0
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _oracle(corpus: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    scores = corpus.astype(np.float64) @ query.astype(np.float64)
    return np.argsort(-scores, kind="stable")[:k]


def test_single_queries_return_the_exact_top_k() -> None:
    corpus = _anisotropic(20_000, 48, seed=1)
    rng = np.random.default_rng(2)
    queries = corpus[rng.choice(len(corpus), 12)] + 0.05 * rng.standard_normal((12, 48)).astype(np.float32)
    search = QuantisedExactSearch().fit(corpus)
    for query in queries:
        idx, val = search.search(query, 10)
        assert idx[0].tolist() == _oracle(corpus, query, 10).tolist()
        np.testing.assert_allclose(val[0], corpus[idx[0]] @ query, rtol=0, atol=1e-5)
    # The first stage really pruned: far fewer rows re-scored than the corpus holds.
    assert search.candidates_.max() < len(corpus) // 8


def test_the_bound_holds_for_every_stored_vector() -> None:
    corpus = _anisotropic(3_000, 32, seed=3)
    search = QuantisedExactSearch().fit(corpus)
    query = _anisotropic(1, 32, seed=4)[0] * 3.0  # not unit: the bound scales with the query
    approx, bound = search.approximate(query)
    exact = corpus.astype(np.float64) @ query.astype(np.float64)
    assert np.abs(approx - exact).max() <= bound
    assert bound < 0.1  # and it is tight enough to prune


def test_near_duplicates_within_the_bound_fall_back_to_the_full_scan_and_stay_exact() -> None:
    rng = np.random.default_rng(5)
    base = _anisotropic(1, 32, seed=6)[0]
    # 5,000 vectors whose scores all lie within the rounding slack: no pruning is possible.
    corpus = base + 1e-3 * rng.standard_normal((5_000, 32)).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    search = QuantisedExactSearch().fit(corpus)
    idx, _ = search.search(base, 10)
    assert search.candidates_[0] == len(corpus)
    # Score gaps here are near float32 resolution, so the reference is the float32 scan itself.
    assert idx[0].tolist() == exact_top_k(base, corpus, 10)[0][0].tolist()


def test_a_large_batch_takes_the_matrix_product_and_agrees_with_single_queries() -> None:
    corpus = _anisotropic(5_000, 32, seed=7)
    queries = _anisotropic(20, 32, seed=8)
    search = QuantisedExactSearch(batch_threshold=16).fit(corpus)
    batch_idx, batch_val = search.search(queries, 5)
    assert (search.candidates_ == len(corpus)).all()
    for row, query in enumerate(queries):
        idx, val = search.search(query, 5)
        assert idx[0].tolist() == batch_idx[row].tolist()
        np.testing.assert_allclose(val[0], batch_val[row], atol=1e-5)


def test_errors_are_clear() -> None:
    with pytest.raises(NotFittedError):
        QuantisedExactSearch().search(np.ones(4, dtype=np.float32), 1)
    with pytest.raises(ValidationError, match="NaN"):
        QuantisedExactSearch().fit(np.array([[0.0, np.nan], [1.0, 0.0]], dtype=np.float32))
    fitted = QuantisedExactSearch().fit(np.eye(4, dtype=np.float32))
    with pytest.raises(ValidationError, match="dimension"):
        fitted.search(np.ones(5, dtype=np.float32), 1)
    with pytest.raises(ValidationError, match="k must be"):
        fitted.search(np.ones(4, dtype=np.float32), 0)


def test_the_vector_index_backend_answers_as_the_exact_one() -> None:
    from matcher.ranking.index import VectorIndex

    corpus = _anisotropic(4_000, 32, seed=9)
    queries = _anisotropic(5, 32, seed=10)
    exact = VectorIndex(backend="exact").fit(corpus, "m")
    int8 = VectorIndex(backend="exact-int8").fit(corpus, "m")
    for query in queries:
        assert int8.search(query, 7, "m")[0].tolist() == exact.search(query, 7, "m")[0].tolist()
    assert int8.search(queries, 0, "m")[0].shape == (5, 4_000)  # k = 0: every item, as exact
