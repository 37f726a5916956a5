"""Weighted pairwise ordering loss, worked by hand."""

from __future__ import annotations

import pytest

from evaluation.pairwise import weighted_pairwise_loss
from matcher.exceptions import ValidationError


def test_perfect_order_costs_nothing():
    # ratings a=5 > b=3 > c=1; scores agree: pairs (a,b) w2, (a,c) w4, (b,c) w2 all right.
    result = weighted_pairwise_loss({"p": {"a": 5, "b": 3, "c": 1}}, {"p": {"a": 0.9, "b": 0.5, "c": 0.1}})
    assert result.loss == 0.0
    assert (result.total_weight, result.n_pairs) == (8.0, 3)


def test_reverse_order_costs_everything():
    result = weighted_pairwise_loss({"p": {"a": 5, "b": 3, "c": 1}}, {"p": {"a": 0.1, "b": 0.5, "c": 0.9}})
    assert result.loss == 1.0


def test_all_ties_are_uninformative():
    result = weighted_pairwise_loss({"p": {"a": 5, "b": 3, "c": 1}}, {"p": {"a": 1.0, "b": 1.0, "c": 1.0}})
    assert result.loss == 0.5


def test_mixed_case_by_hand():
    # ratings a=5, b=4, c=2, d=2 (c and d rated the same: no pair).
    # scores  a=0.2, b=0.8, c=0.5, d=0.5
    # (a,b) w1: a rated higher, scored lower  -> wrong, cost 1
    # (a,c) w3: a higher, scored lower        -> wrong, cost 3
    # (a,d) w3: a higher, scored lower        -> wrong, cost 3
    # (b,c) w2: b higher, scored higher       -> right, cost 0
    # (b,d) w2: right, cost 0
    # total cost 7, total weight 11 -> 7/11
    result = weighted_pairwise_loss(
        {"p": {"a": 5, "b": 4, "c": 2, "d": 2}}, {"p": {"a": 0.2, "b": 0.8, "c": 0.5, "d": 0.5}}
    )
    assert result.loss == pytest.approx(7 / 11)
    assert result.n_pairs == 5


def test_ties_and_missing_scores_cost_half_pooled_over_profiles():
    # profile p: x=4, y=1 (w3); scores tie             -> cost 1.5
    # profile q: x=2, y=3, z=5
    #   (x,y) w1: y higher, y missing a score          -> tie, cost 0.5
    #   (x,z) w3: z higher, scored higher              -> cost 0
    #   (y,z) w2: z higher, y missing                  -> tie, cost 1
    # pooled: (1.5 + 0.5 + 0 + 1) / (3 + 1 + 3 + 2) = 3 / 9
    result = weighted_pairwise_loss(
        {"p": {"x": 4, "y": 1}, "q": {"x": 2, "y": 3, "z": 5}},
        {"p": {"x": 0.3, "y": 0.3}, "q": {"x": 0.1, "z": 0.9}, "unrated": {"x": 1.0}},
    )
    assert result.loss == pytest.approx(3 / 9)
    assert result.per_profile == pytest.approx({"p": 0.5, "q": 1.5 / 6})
    assert result.n_missing == 2


def test_profile_missing_from_run_is_all_ties():
    result = weighted_pairwise_loss({"p": {"a": 1, "b": 5}}, {})
    assert result.loss == 0.5


def test_errors():
    with pytest.raises(ValidationError, match="1 to 5"):
        weighted_pairwise_loss({"p": {"a": 6, "b": 1}}, {})
    with pytest.raises(ValidationError, match="undefined"):
        weighted_pairwise_loss({"p": {"a": 3, "b": 3}}, {"p": {"a": 1.0, "b": 0.0}})
