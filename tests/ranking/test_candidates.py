"""Two-stage retrieval: candidate profiles from a vector index, then exact re-scoring."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.embeddings import l2_normalise
from matcher.ranking import ProfileRanker, VectorIndex, candidate_profiles


@pytest.fixture
def corpus():
    rng = np.random.default_rng(0)
    centres = l2_normalise(rng.standard_normal((40, 32)).astype(np.float32))
    doc_profile = np.repeat(np.arange(40), 5)
    docs = l2_normalise(centres[doc_profile] + 0.3 * rng.standard_normal((200, 32)).astype(np.float32))
    queries = l2_normalise(
        centres[rng.integers(0, 40, 25)] + 0.3 * rng.standard_normal((25, 32)).astype(np.float32)
    )
    ranker = ProfileRanker(method="dense-softmax").fit(doc_profile, doc_vectors=docs, model_id="m")
    return ranker, doc_profile, docs, queries


def test_exact_index_with_every_document_gives_the_full_ranking(corpus):
    ranker, doc_profile, docs, queries = corpus
    mask = candidate_profiles([(VectorIndex().fit(docs, "m"), queries, "m")], doc_profile, 40, 200)
    assert mask.all()
    full = ranker.rank(10, query_vectors=queries, model_id="m")
    masked = ranker.rank(10, mask=mask, query_vectors=queries, model_id="m")
    np.testing.assert_array_equal(full[0], masked[0])
    np.testing.assert_allclose(full[1], masked[1])


def test_candidates_keep_their_exact_scores(corpus):
    ranker, doc_profile, docs, queries = corpus
    mask = candidate_profiles([(VectorIndex().fit(docs, "m"), queries, "m")], doc_profile, 40, 20)
    assert mask.sum(axis=1).min() > 0 and mask.sum(axis=1).max() < 40
    full = ranker.score(query_vectors=queries, model_id="m")
    part = ranker.score(query_vectors=queries, model_id="m", profile_mask=mask)
    np.testing.assert_allclose(part[mask], full[mask])
    assert np.isneginf(part[~mask]).all()


@pytest.mark.parametrize("backend", ["faiss", "usearch"])
def test_ann_candidates_overlap_the_exact_top_k(corpus, backend):
    pytest.importorskip(backend)
    ranker, doc_profile, docs, queries = corpus
    index = VectorIndex(backend=backend).fit(docs, "m")
    mask = candidate_profiles([(index, queries, "m")], doc_profile, 40, 50)
    exact, _ = ranker.rank(5, query_vectors=queries, model_id="m")
    approx, _ = ranker.rank(5, mask=mask, query_vectors=queries, model_id="m")
    overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(exact, approx, strict=True)])
    assert overlap >= 0.9
