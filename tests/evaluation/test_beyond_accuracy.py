"""Beyond-accuracy measures with answers known by construction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaluation.beyond_accuracy import (
    catalogue_coverage,
    cross_border_share,
    exposure,
    gini,
    intra_list_diversity,
    language_pairs,
    lorenz_curve,
    quality_by_language_pair,
)
from matcher.exceptions import ValidationError

RUN = {"q1": {"a": 0.9, "b": 0.8, "c": 0.1}, "q2": {"a": 0.7, "d": 0.6}}


def test_gini_equal_exposure_is_zero():
    assert gini([2.0, 2.0, 2.0, 2.0]) == 0.0


@pytest.mark.parametrize("n", [2, 5, 10])
def test_gini_all_to_one(n):
    values = [0.0] * (n - 1) + [3.0]
    assert gini(values) == pytest.approx((n - 1) / n)


def test_gini_by_hand():
    # sum over ordered pairs |xi - xj| for (1, 2, 3) = 2 * (1 + 2 + 1) = 8; 2 n^2 mean = 2 * 9 * 2 = 36
    assert gini({"x": 3.0, "y": 1.0, "z": 2.0}) == pytest.approx(8 / 36)
    assert gini([0.0, 0.0]) == 0.0
    with pytest.raises(ValidationError):
        gini([-1.0, 1.0])


def test_lorenz_curve():
    xs, ys = lorenz_curve([1.0, 0.0, 3.0])
    assert np.allclose(xs, [0, 1 / 3, 2 / 3, 1])
    assert np.allclose(ys, [0, 0, 1 / 4, 1])
    xs, ys = lorenz_curve([0.0, 0.0])
    assert np.allclose(xs, ys)


def test_exposure_is_position_discounted():
    # q1: a rank 1 -> 1, b rank 2 -> 1/log2(3), c rank 3 -> 1/2; q2: a rank 1 -> 1, d rank 2 -> 1/log2(3)
    result = exposure(RUN, k=None, population=["e"])
    assert result == pytest.approx(
        {"a": 2.0, "b": 1 / math.log2(3), "c": 0.5, "d": 1 / math.log2(3), "e": 0.0}
    )
    # top 1 only, grouped: a in group G twice
    assert exposure(RUN, k=1, groups={"a": "G"}) == {"G": 2.0}
    assert exposure(RUN, k=2, groups={"a": "G", "b": "H"}) == pytest.approx(
        {"G": 2.0, "H": 1 / math.log2(3), "(none)": 1 / math.log2(3)}
    )


def test_catalogue_coverage():
    # top 2: q1 -> a, b; q2 -> a, d: {a, b, d} of 5 items
    assert catalogue_coverage(RUN, ["a", "b", "c", "d", "e"], k=2) == pytest.approx(3 / 5)
    assert catalogue_coverage(RUN, ["a"], k=1) == 1.0
    with pytest.raises(ValidationError):
        catalogue_coverage(RUN, [])


def test_intra_list_diversity():
    vectors = {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 2.0]), "c": np.array([3.0, 0.0]), "d": [1, 0]}
    # q1 top 3: (a,b) orthogonal 1, (a,c) same direction 0, (b,c) 1 -> 2/3; q2: (a,d) identical -> 0
    assert intra_list_diversity(RUN, vectors, k=3) == pytest.approx({"q1": 2 / 3, "q2": 0.0})
    assert intra_list_diversity(RUN, vectors, k=1) == {}
    with pytest.raises(ValidationError, match="no vector"):
        intra_list_diversity(RUN, {"a": [1.0, 0.0]}, k=2)


def test_cross_border_share():
    items = {"a": "ES", "b": "IT", "c": "IT", "d": "FR"}
    # top 2: q1 (ES) -> a ES, b IT; q2 (FR) -> a ES, d FR: 2 of 4 cross the border
    assert cross_border_share(RUN, items, {"q1": "ES", "q2": "FR"}, k=2) == 0.5
    with pytest.raises(ValidationError, match="no country"):
        cross_border_share(RUN, items, {"q1": "ES"}, k=2)


def test_quality_by_language_pair():
    qrels = {"q1": {"a": 1, "b": 2, "c": 0}, "q2": {"d": 1}, "q3": {"a": 1, "d": 1}}
    docs = {"a": "it", "b": "it", "c": "es", "d": "en"}
    queries = {"q1": "es", "q2": "es", "q3": "fr"}
    # q3 relevant docs: a (it), d (en): a tie goes to "en"
    assert language_pairs(qrels, queries, docs) == {
        "q1": ("es", "it"),
        "q2": ("es", "en"),
        "q3": ("fr", "en"),
    }
    groups = quality_by_language_pair({"q1": 1.0, "q2": 0.5, "q3": 0.0}, qrels, queries, docs)
    assert {pair: (g.mean, g.n_queries) for pair, g in groups.items()} == {
        ("es", "en"): (0.5, 1),
        ("es", "it"): (1.0, 1),
        ("fr", "en"): (0.0, 1),
    }
