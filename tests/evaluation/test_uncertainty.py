"""Bootstrap intervals and paired comparisons."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ttest_rel

from evaluation.uncertainty import bootstrap_ci, paired_comparison
from matcher.exceptions import ValidationError

RNG = np.random.default_rng(3)
SCORES = RNG.random(40)


def test_ci_contains_estimate_and_is_reproducible():
    ci = bootstrap_ci(SCORES, n_resamples=500, random_state=7)
    assert ci.low <= ci.estimate <= ci.high
    assert ci.estimate == pytest.approx(SCORES.mean())
    assert bootstrap_ci(SCORES, n_resamples=500, random_state=7) == ci
    assert bootstrap_ci(SCORES, n_resamples=500, random_state=8) != ci


def test_ci_of_constant_scores_is_a_point():
    ci = bootstrap_ci([0.5, 0.5, 0.5], n_resamples=50)
    assert (ci.low, ci.estimate, ci.high) == (0.5, 0.5, 0.5)


def test_ci_accepts_mappings_and_reports_progress():
    seen = []
    ci = bootstrap_ci({"q1": 1.0, "q2": 0.0}, n_resamples=30, progress=seen.append)
    assert sum(seen) == 30 and 0.0 <= ci.low <= ci.high <= 1.0


def test_ci_does_not_mutate_input():
    values = SCORES.copy()
    bootstrap_ci(values, n_resamples=20)
    assert np.array_equal(values, SCORES)


def test_paired_comparison_of_a_run_with_itself():
    for test in ("student", "fisher"):
        result = paired_comparison(SCORES, SCORES, n_resamples=100, test=test)
        assert result.mean_difference == 0.0
        assert (result.ci.low, result.ci.high) == (0.0, 0.0)
        assert result.p_value == 1.0
        assert (result.wins, result.ties, result.losses) == (0, 40, 0)


def test_paired_comparison_difference_and_tests():
    better = SCORES + RNG.normal(0.1, 0.05, SCORES.size)
    student = paired_comparison(SCORES, better, n_resamples=300, random_state=1)
    assert student.mean_difference == pytest.approx((better - SCORES).mean())
    assert student.ci.low <= student.mean_difference <= student.ci.high
    assert student.ci.low > 0
    assert student.p_value == pytest.approx(ttest_rel(SCORES, better).pvalue)
    fisher = paired_comparison(SCORES, better, n_resamples=50, test="fisher", n_permutations=500)
    assert fisher.p_value < 0.01
    again = paired_comparison(SCORES, better, n_resamples=50, test="fisher", n_permutations=500)
    assert again == fisher


def test_fisher_by_hand():
    # differences (+1, +1): the 4 sign patterns give |mean| 1, 0, 0, 1 -> p ~ 1/2
    result = paired_comparison([0.0, 0.0], [1.0, 1.0], test="fisher", n_permutations=4000, n_resamples=10)
    assert result.p_value == pytest.approx(0.5, abs=0.03)


def test_paired_comparison_rejects_mismatched_queries():
    with pytest.raises(ValidationError, match="different queries"):
        paired_comparison({"q1": 1.0}, {"q2": 1.0})
    with pytest.raises(ValidationError, match="different numbers"):
        paired_comparison([1.0, 0.0], [1.0])
    with pytest.raises(ValidationError, match="unknown test"):
        paired_comparison([1.0], [0.0], test="wilcoxon")
