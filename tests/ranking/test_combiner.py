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
