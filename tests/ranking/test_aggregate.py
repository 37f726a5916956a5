"""Profile pooling checked by hand on tiny matrices."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import ValidationError
from matcher.ranking import aggregate_profiles

S = np.array([[0.1, 0.9, 0.5, 0.3, 0.2], [1.0, 2.0, 3.0, 4.0, 5.0]])
P = np.array([1, 0, 1, 1, 0])  # profile 0: docs 1, 4; profile 1: docs 0, 2, 3


def test_max_mean_topk_by_hand():
    np.testing.assert_allclose(aggregate_profiles(S, P, method="max"), [[0.9, 0.5], [5.0, 4.0]])
    np.testing.assert_allclose(aggregate_profiles(S, P, method="mean"), [[0.55, 0.3], [3.5, 8 / 3]])
    np.testing.assert_allclose(aggregate_profiles(S, P, method="topk_mean", k=2), [[0.55, 0.4], [3.5, 3.5]])
    np.testing.assert_allclose(aggregate_profiles(S, P, method="topk_mean", k=1), [[0.9, 0.5], [5.0, 4.0]])
    np.testing.assert_allclose(
        aggregate_profiles(S, P, method="topk_mean", k=10), [[0.55, 0.3], [3.5, 8 / 3]]
    )


def test_softmax_is_log_mean_exp_between_mean_and_max():
    t = 0.5
    got = aggregate_profiles(S, P, method="softmax", temperature=t)
    expected00 = t * np.log(np.mean(np.exp(np.array([0.9, 0.2]) / t)))
    assert got[0, 0] == pytest.approx(expected00)
    mean, mx = aggregate_profiles(S, P, method="mean"), aggregate_profiles(S, P, method="max")
    assert np.all((got >= mean - 1e-12) & (got <= mx + 1e-12))
    np.testing.assert_allclose(aggregate_profiles(S, P, method="softmax", temperature=1e-4), mx, atol=1e-3)
    np.testing.assert_allclose(aggregate_profiles(S, P, method="softmax", temperature=1e4), mean, atol=1e-3)


def test_empty_profile_is_minus_inf_and_validation():
    out = aggregate_profiles(S, P, method="max", n_profiles=3)
    assert np.all(np.isneginf(out[:, 2]))
    with pytest.raises(ValidationError):
        aggregate_profiles(S, P[:3])
    with pytest.raises(ValidationError):
        aggregate_profiles(S, P, method="median")  # type: ignore[arg-type]


def test_matches_python_reference_on_random_data():
    rng = np.random.default_rng(1)
    s = rng.standard_normal((7, 40))
    p = rng.integers(0, 9, 40)
    for method in ("max", "mean", "topk_mean", "softmax", "topk_lse"):
        got = aggregate_profiles(s, p, method=method, n_profiles=9, k=3, temperature=0.7)
        for q in range(7):
            for j in range(9):
                x = s[q, p == j]
                if x.size == 0:
                    assert np.isneginf(got[q, j])
                    continue
                ref = {
                    "max": x.max(),
                    "mean": x.mean(),
                    "topk_mean": np.sort(x)[::-1][:3].mean(),
                    "softmax": 0.7 * np.log(np.mean(np.exp(x / 0.7))),
                    "topk_lse": 0.7 * np.log(np.sum(np.exp(np.sort(x)[::-1][:3] / 0.7))),
                }[method]
                assert got[q, j] == pytest.approx(ref)


def test_topk_softmax_pools_only_the_best_k_documents_by_hand() -> None:
    scores = np.array([[1.0, 0.0, -5.0, 2.0]])
    profiles = np.array([0, 0, 0, 1])
    pooled = aggregate_profiles(scores, profiles, method="topk_softmax", k=2, temperature=1.0)
    # profile 0: log((e^1 + e^0) / 2), the -5 document is outside its top 2; profile 1: its only document
    np.testing.assert_allclose(pooled, [[np.log((np.e + 1) / 2), 2.0]])
    # plain softmax over all three documents sits lower: the size penalty topk_softmax avoids
    plain = aggregate_profiles(scores, profiles, method="softmax", temperature=1.0)
    assert plain[0, 0] < pooled[0, 0]


def test_topk_lse_adds_evidence_up_to_k_documents_and_ignores_the_rest() -> None:
    # profile 0: one matching paper and four off-topic ones; profile 1: three matching papers;
    # profile 2: a single matching paper.
    scores = np.array([[2.0, -3.0, -3.0, -3.0, -3.0, 2.0, 2.0, 2.0, 2.0]])
    profiles = np.array([0, 0, 0, 0, 0, 1, 1, 1, 2])
    pooled = aggregate_profiles(scores, profiles, method="topk_lse", k=2, temperature=1.0)
    # by hand: log(e^2 + e^-3), log(e^2 + e^2) = 2 + log 2, and 2
    np.testing.assert_allclose(pooled, [[np.log(np.e**2 + np.e**-3), 2 + np.log(2), 2.0]])
    assert pooled[0, 1] > pooled[0, 0] > pooled[0, 2]  # more matching papers rank higher, capped at k
    # mean-based soft pooling charges the off-topic papers: the one-paper profile wins instead
    soft = aggregate_profiles(scores, profiles, method="softmax", temperature=1.0)
    assert soft[0, 2] > soft[0, 0]


def test_one_sort_on_a_64_bit_key_is_the_two_stable_sorts():
    """float32 scores take the one-pass key; the permutation (and so every pooled value) is
    the two stable sorts' exactly, ties, signed zeros and -inf included, profiles in any order."""
    from matcher.ranking.aggregate import _by_profile_best_first

    rng = np.random.default_rng(4)
    n = 400
    prof = rng.integers(0, 60, n)
    s32 = rng.choice(np.array([-1.5, -0.0, 0.0, 0.25, 0.25, 2.0, -np.inf], dtype=np.float32), size=(3, n))
    s32[1] = rng.normal(size=n).astype(np.float32)
    s64 = s32.astype(np.float64)
    fast = _by_profile_best_first(s32, s64, prof)
    slow = _by_profile_best_first(s64, s64, prof)  # float64 input: the two-sort path
    assert np.array_equal(fast, slow)
    for method in ("topk_mean", "topk_softmax", "topk_lse"):
        finite32 = np.where(np.isfinite(s32), s32, np.float32(-5.0))
        a = aggregate_profiles(finite32, prof, method=method, n_profiles=60, k=3)
        b = aggregate_profiles(finite32.astype(np.float64), prof, method=method, n_profiles=60, k=3)
        assert np.array_equal(a, b), method  # bit for bit
