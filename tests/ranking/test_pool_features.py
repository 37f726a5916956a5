"""ProfileRanker.pool_features: every named feature hand-computed on a 3-profile toy."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import ValidationError
from matcher.ranking import LEARNED_FEATURES, FusedScores, ProfileRanker
from matcher.ranking.ranker import POOL_FEATURES

# profile 0 holds 1 document, profile 1 two, profile 2 four; profile 3 none
PROFILE = np.array([0, 1, 1, 2, 2, 2, 2])
DENSE = np.array([[2.0, 1.0, 3.0, 0.0, 1.0, 2.0, 4.0]])  # dense z-scores of one query
LEXICAL = np.array([[0.5, -1.0, 0.0, 2.0, 0.0, 0.0, 0.0]])  # lexical probit scores
HYBRID = np.array([[1.0, 2.0, 0.0, 3.0, 1.0, 0.0, 5.0]])  # fused score (hybrid_topk pools it)


@pytest.fixture(scope="module")
def ranker() -> ProfileRanker:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(PROFILE.size, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"document {i} about topic{i % 3} methods" for i in range(PROFILE.size)]
    return ProfileRanker(method="learned").fit(PROFILE, doc_vectors=vectors, doc_texts=texts, n_profiles=4)


def _fused() -> FusedScores:
    zeros = np.zeros_like(DENSE)
    return FusedScores(HYBRID, zeros, zeros, signals={"dense": DENSE, "lexical": LEXICAL})


def _lse(*x: float) -> float:
    return float(np.log(np.sum(np.exp(x))))


EXPECTED = {  # by hand, per profile 0, 1, 2
    "dense_max": [2.0, 3.0, 4.0],
    "dense_topk_lse": [2.0, _lse(1, 3), _lse(0, 1, 2, 4)],
    "lexical_max": [0.5, 0.0, 2.0],
    "hybrid_topk": [1.0, 1.0, 4.0],  # mean of the 2 best: (1), (2 + 0) / 2, (5 + 3) / 2
    "log_size": [0.0, np.log(2), np.log(4)],
    "dense_top3": [2.0, 2.0, 7 / 3],  # a 2-document profile: the mean of both
    "dense_topk_lme": [2.0, _lse(1, 3) - np.log(2), _lse(0, 1, 2, 4) - np.log(4)],
    "dense_topk_lse_x_log_size": [0.0, np.log(2) * _lse(1, 3), np.log(4) * _lse(0, 1, 2, 4)],
    "hybrid_topk_x_log_size": [0.0, np.log(2) * 1.0, np.log(4) * 4.0],
    "log_size_cap5": [0.0, np.log(2), np.log(4)],  # no profile here is above the cap (below: one is)
    "dense_topk_lse_x_log_size_cap5": [0.0, np.log(2) * _lse(1, 3), np.log(4) * _lse(0, 1, 2, 4)],
}


def test_the_table_is_what_the_toy_checks():
    assert set(POOL_FEATURES) == set(EXPECTED)
    assert set(LEARNED_FEATURES) <= set(POOL_FEATURES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_feature_matches_its_hand_computed_value(ranker, name):
    got = ranker.pool_features(_fused(), names=[name])
    assert got.shape == (1, 4, 1)
    np.testing.assert_allclose(got[0, :3, 0], EXPECTED[name], rtol=0, atol=1e-9)
    assert np.isneginf(got[0, 3, 0])  # a profile without documents has no features


def test_default_is_the_learned_method_s_features_in_order(ranker):
    got = ranker.pool_features(_fused())
    want = np.array([EXPECTED[n] for n in LEARNED_FEATURES]).T
    np.testing.assert_allclose(got[0, :3], want, rtol=0, atol=1e-9)


def test_a_subset_of_documents_keeps_the_log_size_of_all(ranker):
    docs = np.array([0, 2, 6])  # one document of each profile scored
    fused = FusedScores(
        HYBRID[:, docs], DENSE[:, docs] * 0, DENSE[:, docs] * 0,
        signals={"dense": DENSE[:, docs], "lexical": LEXICAL[:, docs]},
    )  # fmt: skip
    got = ranker.pool_features(fused, docs=docs, names=["log_size", "dense_topk_lse_x_log_size"])
    np.testing.assert_allclose(got[0, :3, 0], [0.0, np.log(2), np.log(4)])
    np.testing.assert_allclose(got[0, :3, 1], [0.0, 3.0 * np.log(2), 4.0 * np.log(4)])


def test_unknown_feature_names_are_refused(ranker):
    with pytest.raises(ValidationError, match="unknown pool features"):
        ranker.pool_features(_fused(), names=["dense_max", "no_such_feature"])


def test_the_capped_size_counts_a_large_profile_as_five_documents():
    prof = np.array([0] * 7 + [1])
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(prof.size, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"document {i} about welding" for i in range(prof.size)]
    r = ProfileRanker(method="learned").fit(prof, doc_vectors=vectors, doc_texts=texts, n_profiles=2)
    dense = np.array([[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]])
    zeros = np.zeros_like(dense)
    fused = FusedScores(dense, zeros, zeros, signals={"dense": dense, "lexical": zeros})
    got = r.pool_features(fused, names=["log_size", "log_size_cap5", "dense_topk_lse_x_log_size_cap5"])
    np.testing.assert_allclose(got[0, 0], [np.log(7), np.log(5), np.log(5) * _lse(1, 0, 0, 0, 0, 0, 0)])
    np.testing.assert_allclose(got[0, 1], [0.0, 0.0, 0.0])
