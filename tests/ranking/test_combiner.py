"""LinearCombiner: toy data whose right ordering is known by construction."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking import LinearCombiner, preference_pairs


def _toy(n_queries: int = 30, n_profiles: int = 20, seed: int = 0):
    """Feature 0 carries relevance (relevant profiles score +3), feature 1 is pure noise."""
    rng = np.random.default_rng(seed)
    rel = np.zeros((n_queries, n_profiles), dtype=np.int8)
    rel[np.arange(n_queries), rng.integers(0, n_profiles, n_queries)] = 1
    signal = rng.normal(size=(n_queries, n_profiles)) + 3.0 * rel
    noise = rng.normal(size=(n_queries, n_profiles))
    return np.stack([signal, noise], axis=-1), rel


def test_learns_the_informative_feature_and_ranks_relevant_first():
    x, rel = _toy()
    comb = LinearCombiner(feature_names=["signal", "noise"], random_state=0).fit(x, rel)
    assert comb.coef_[0] > 0
    assert abs(comb.coef_[1]) < 0.25 * comb.coef_[0]
    x_new, rel_new = _toy(seed=1)
    top = comb.score(x_new).argmax(axis=1)
    assert (rel_new[np.arange(len(top)), top] == 1).mean() >= 0.8  # the +3 shift makes it easy


def test_same_random_state_same_coefficients():
    x, rel = _toy()
    a = LinearCombiner(feature_names=["a", "b"], random_state=3).fit(x, rel).coef_
    b = LinearCombiner(feature_names=["a", "b"], random_state=3).fit(x, rel).coef_
    np.testing.assert_array_equal(a, b)


def test_score_is_linear_per_pair_so_comparable_across_queries():
    comb = LinearCombiner.from_dict({"feature_names": ["a", "b"], "coef": [2.0, -1.0]})
    x = np.array([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [3.0, 3.0]]])
    np.testing.assert_allclose(comb.score(x), [[2.0, -1.0], [2.0, 3.0]])
    # the same features give the same score whatever the other profiles of the query
    assert comb.score(x)[0, 0] == comb.score(x)[1, 0]


def test_round_trip_through_json_gives_the_same_scores():
    x, rel = _toy()
    comb = LinearCombiner(feature_names=["signal", "noise"]).fit(x, rel)
    again = LinearCombiner.from_dict(json.loads(json.dumps(comb.to_dict())))
    np.testing.assert_array_equal(comb.score(x), again.score(x))
    assert again.to_dict()["feature_names"] == ["signal", "noise"]


def test_unfitted_and_bad_input_raise_clear_errors():
    comb = LinearCombiner(feature_names=["a"])
    with pytest.raises(NotFittedError, match="not fitted"):
        comb.score(np.zeros((1, 2, 1)))
    with pytest.raises(NotFittedError):
        comb.to_dict()
    with pytest.raises(ValidationError, match="features"):
        comb.fit(np.zeros((2, 3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValidationError, match="coefficients"):
        LinearCombiner.from_dict({"feature_names": ["a", "b"], "coef": [1.0]})
    with pytest.raises(ValidationError, match="no query"):
        comb.fit(np.zeros((2, 3, 1)), np.zeros((2, 3)))


def test_preference_pairs_respect_the_mask_and_the_grades():
    x = np.arange(12, dtype=float).reshape(1, 4, 3)
    rel = np.array([[2, 0, 0, 0]])
    mask = np.array([[True, True, False, False]])  # only profile 1 may be the negative
    d, w = preference_pairs(x, rel, mask=mask, pairs_per_query=5)
    np.testing.assert_array_equal(d, np.tile(x[0, 0] - x[0, 1], (5, 1)))
    np.testing.assert_allclose(w, np.full(5, 2 / 5))


def test_shipped_coefficients_match_the_json_the_fit_command_wrote():
    from pathlib import Path

    from matcher.ranking import DEFAULT_COMBINER, LEARNED_FEATURES

    shipped = json.loads((Path(__file__).parents[2] / "data/ranking/learned-combiner.json").read_text())
    assert shipped["feature_names"] == DEFAULT_COMBINER["feature_names"] == list(LEARNED_FEATURES)
    assert shipped["coef"] == DEFAULT_COMBINER["coef"]
    assert shipped["C"] == DEFAULT_COMBINER["C"]


@pytest.mark.parametrize(
    ("coef", "oracle", "settings"),
    [
        ([1, 0, 0, 0, 0, 0], "dense-max", {}),
        ([0, 1, 0, 0, 0, 0], "dense-topk-lse", {"topk": 10, "temperature": 1.0}),
        ([0, 0, 1, 0, 0, 0], "lexical", {"calibration": "probit"}),
        ([0, 0, 0, 1, 0, 0], "hybrid-topk", {"lexical_weight": 0.5, "topk": 2, "calibration": "zscore"}),
    ],
)
def test_learned_with_one_unit_coefficient_is_that_feature_s_method(checkerboard, coef, oracle, settings):
    """Each feature is an existing method's score: a unit coefficient must reproduce it exactly."""
    from matcher.ranking import LEARNED_FEATURES, ProfileRanker, RankingConfig

    q = {"query_vectors": checkerboard.query_vectors, "query_texts": checkerboard.query_texts}
    comb = LinearCombiner.from_dict({"feature_names": list(LEARNED_FEATURES), "coef": coef})
    fit = {"doc_vectors": checkerboard.doc_vectors, "doc_texts": checkerboard.doc_texts}
    learned = ProfileRanker(method="learned", combiner=comb).fit(checkerboard.doc_profile, **fit).score(**q)
    expected = ProfileRanker(method=oracle, config=RankingConfig(**settings)).fit(
        checkerboard.doc_profile, **fit
    )
    np.testing.assert_allclose(learned, expected.score(**q), rtol=0, atol=1e-5)


def test_learned_size_interaction_is_dense_topk_lse_times_log_size(checkerboard):
    """A unit coefficient on the interaction: dense-topk-lse's score times log(documents)."""
    from matcher.ranking import LEARNED_FEATURES, ProfileRanker, RankingConfig

    prof = checkerboard.doc_profile.copy()
    prof[prof == 1] = 0  # profile 0 holds 6 documents, the others 3
    fit = {"doc_vectors": checkerboard.doc_vectors, "doc_texts": checkerboard.doc_texts}
    q = {"query_vectors": checkerboard.query_vectors, "query_texts": checkerboard.query_texts}
    comb = LinearCombiner.from_dict({"feature_names": list(LEARNED_FEATURES), "coef": [0, 0, 0, 0, 0, 1]})
    n = int(prof.max()) + 1
    learned = ProfileRanker(method="learned", combiner=comb).fit(prof, n_profiles=n, **fit).score(**q)
    lse = ProfileRanker(method="dense-topk-lse", config=RankingConfig(topk=10, temperature=1.0))
    sizes = np.bincount(prof, minlength=n)
    has = sizes > 0
    expected = lse.fit(prof, n_profiles=n, **fit).score(**q)[:, has] * np.log(sizes[has])[None, :]
    np.testing.assert_allclose(learned[:, has], expected, rtol=0, atol=1e-5)
    assert np.isneginf(learned[:, ~has]).all()


def test_learned_size_feature_counts_all_documents_even_when_scoring_a_subset(checkerboard):
    """log-size only: the profile with most documents wins; a candidate mask never changes its score."""
    from matcher.ranking import LEARNED_FEATURES, ProfileRanker

    prof = checkerboard.doc_profile.copy()
    prof[prof == 1] = 0  # profile 0 now holds the documents of profiles 0 and 1
    comb = LinearCombiner.from_dict({"feature_names": list(LEARNED_FEATURES), "coef": [0, 0, 0, 0, 1, 0]})
    r = ProfileRanker(method="learned", combiner=comb).fit(
        prof,
        doc_vectors=checkerboard.doc_vectors,
        doc_texts=checkerboard.doc_texts,
        n_profiles=int(prof.max()) + 1,
    )
    q = {"query_vectors": checkerboard.query_vectors, "query_texts": checkerboard.query_texts}
    full = r.score(**q)
    assert np.isneginf(full[:, 1]).all()  # profile 1 has no documents left
    sizes = np.bincount(prof, minlength=full.shape[1])
    np.testing.assert_allclose(full[:, sizes > 0], np.log(sizes[sizes > 0])[None, :].repeat(len(full), 0))
    mask = np.zeros(full.shape, bool)
    mask[:, 0] = True
    np.testing.assert_array_equal(r.score(**q, profile_mask=mask)[:, 0], full[:, 0])
    with pytest.raises(ValidationError, match="FusedScores"):
        r.pool(r.score_documents(**q).score)


def test_learned_refuses_a_combiner_over_other_features(checkerboard):
    from matcher.ranking import ProfileRanker

    comb = LinearCombiner.from_dict({"feature_names": ["x"], "coef": [1.0]})
    with pytest.raises(ValidationError, match="learned method needs"):
        ProfileRanker(method="learned", combiner=comb).fit(
            checkerboard.doc_profile, doc_vectors=checkerboard.doc_vectors, doc_texts=checkerboard.doc_texts
        )
