"""Uncertainty of metric means: bootstrap confidence intervals and paired comparisons.

The percentile bootstrap (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993)
resamples *queries* with replacement: the mean of a metric over the resampled queries is
recomputed ``n_resamples`` times and the interval is read off its percentiles.  A paired
comparison resamples the per-query *differences* of two runs on the same queries; its
p-value comes from ranx's paired Student's t-test or from Fisher's randomisation test
(Smucker et al., CIKM 2007), the latter written here with a seeded generator so that it
is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.exceptions import Location, ValidationError

ProgressCallback = Callable[[int], None]

__all__ = [
    "ConfidenceInterval",
    "PairedComparison",
    "bootstrap_ci",
    "paired_comparison",
]

_MAX_CELLS = 2_000_000  # resample indices held in memory at once


@dataclass(frozen=True)
class ConfidenceInterval:
    """A point estimate (the mean over queries) and its bootstrap interval."""

    estimate: float
    low: float
    high: float
    confidence: float
    n_resamples: int


@dataclass(frozen=True)
class PairedComparison:
    """``candidate - baseline`` over the same queries.

    Attributes
    ----------
    mean_difference : float
        Mean over queries of the per-query difference.
    ci : ConfidenceInterval
        Bootstrap interval of ``mean_difference``.
    p_value : float
        Two-sided p-value of ``test`` (1.0 when the runs agree on every query).
    test : str
        ``"fisher"`` or ``"student"``.
    wins, ties, losses : int
        Queries where the candidate scores higher, equal, lower.
    """

    mean_difference: float
    ci: ConfidenceInterval
    p_value: float
    test: str
    wins: int
    ties: int
    losses: int


def _as_array(values: Sequence[float] | np.ndarray | Mapping[str, float], name: str) -> np.ndarray:
    if isinstance(values, Mapping):
        values = [values[key] for key in sorted(values)]
    array = np.array(values, dtype=np.float64)  # a copy: inputs are never mutated
    if array.ndim != 1 or array.size == 0:
        raise ValidationError("need a non-empty 1-d sequence of per-query scores", Location(field=name))
    if not np.all(np.isfinite(array)):
        raise ValidationError("per-query scores must be finite", Location(field=name))
    return array


def _bootstrap_means(
    values: np.ndarray,
    n_resamples: int,
    rng: np.random.Generator,
    progress: ProgressCallback | None,
) -> np.ndarray:
    """Means of ``n_resamples`` resamples (with replacement) of ``values``, in chunks."""
    n = values.size
    chunk = max(1, _MAX_CELLS // n)
    means = np.empty(n_resamples, dtype=np.float64)
    for start in range(0, n_resamples, chunk):
        stop = min(n_resamples, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = values[idx].mean(axis=1)
        if progress is not None:
            progress(stop - start)
    return means


def _check_params(n_resamples: int, confidence: float) -> None:
    if n_resamples < 1:
        raise ValidationError("n_resamples must be >= 1", Location(field="n_resamples"))
    if not 0 < confidence < 1:
        raise ValidationError("confidence must lie strictly between 0 and 1", Location(field="confidence"))


def bootstrap_ci(
    per_query: Sequence[float] | np.ndarray | Mapping[str, float],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
    progress: ProgressCallback | None = None,
) -> ConfidenceInterval:
    """Percentile bootstrap confidence interval of the mean over queries.

    Parameters
    ----------
    per_query : array-like of shape (n_queries,) or mapping ``{query_id: score}``
        One metric's per-query scores.
    n_resamples : int
        Number of bootstrap resamples.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    random_state : int or None
        Seed; the same seed gives the same interval.
    progress : callable, optional
        Called with the number of resamples completed since the last call.

    Returns
    -------
    ConfidenceInterval
    """
    _check_params(n_resamples, confidence)
    values = _as_array(per_query, "per_query")
    rng = np.random.default_rng(random_state)
    means = _bootstrap_means(values, n_resamples, rng, progress)
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])
    return ConfidenceInterval(
        estimate=float(values.mean()),
        low=float(low),
        high=float(high),
        confidence=confidence,
        n_resamples=n_resamples,
    )


def _fisher_randomisation(
    baseline: np.ndarray, candidate: np.ndarray, n_permutations: int, seed: int
) -> float:
    """Two-sided paired randomisation test: flip the sign of each query's difference at random.

    The same test as ``ranx.statistical_tests.fisher_randomization_test`` (swapping a
    query's two scores negates its difference), written with a seeded numpy generator:
    ranx's numba-parallel version draws from per-thread generators, so its p-value varies
    between identical calls despite the seed.
    """
    diff = candidate - baseline
    observed = abs(diff.mean())
    rng = np.random.default_rng(seed)
    chunk = max(1, _MAX_CELLS // diff.size)
    hits = 0
    for start in range(0, n_permutations, chunk):
        size = min(chunk, n_permutations - start)
        signs = rng.choice(np.array([-1.0, 1.0]), size=(size, diff.size))
        hits += int(np.sum(np.abs((signs * diff).mean(axis=1)) >= observed - 1e-12))
    return hits / n_permutations


def _p_value(baseline: np.ndarray, candidate: np.ndarray, test: str, n_permutations: int, seed: int) -> float:
    if np.array_equal(baseline, candidate):
        return 1.0
    if test == "student":
        diff = candidate - baseline
        if np.all(diff == diff[0]):  # a constant shift: zero variance, t is infinite
            return 0.0
        from ranx.statistical_tests import paired_student_t_test

        p_value, _ = paired_student_t_test(baseline, candidate)
        return float(p_value) if np.isfinite(p_value) else 1.0
    return _fisher_randomisation(baseline, candidate, n_permutations, seed)


def paired_comparison(
    baseline: Sequence[float] | np.ndarray | Mapping[str, float],
    candidate: Sequence[float] | np.ndarray | Mapping[str, float],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    test: str = "student",
    n_permutations: int = 10000,
    random_state: int = 0,
    progress: ProgressCallback | None = None,
) -> PairedComparison:
    """Compare two runs' per-query scores on the same queries.

    Parameters
    ----------
    baseline, candidate : array-like of shape (n_queries,) or mapping ``{query_id: score}``
        One metric's per-query scores of each run, aligned (mappings must share keys).
    n_resamples, confidence, random_state, progress
        As in :func:`bootstrap_ci`, applied to the per-query differences.
    test : {"student", "fisher"}
        ranx's paired two-sided Student's t-test, or Fisher's randomisation test
        (seeded, reproducible; see :func:`_fisher_randomisation`).
    n_permutations : int
        Permutations of the randomisation test (seeded by ``random_state``).

    Returns
    -------
    PairedComparison
        ``candidate - baseline``.
    """
    if isinstance(baseline, Mapping) != isinstance(candidate, Mapping):
        raise ValidationError("pass both as mappings or both as sequences", Location(field="candidate"))
    if isinstance(baseline, Mapping) and isinstance(candidate, Mapping) and set(baseline) != set(candidate):
        raise ValidationError("the two runs were scored on different queries", Location(field="candidate"))
    base = _as_array(baseline, "baseline")
    cand = _as_array(candidate, "candidate")
    if base.shape != cand.shape:
        raise ValidationError(
            f"different numbers of queries: {base.size} and {cand.size}", Location(field="candidate")
        )
    if test not in {"fisher", "student"}:
        raise ValidationError(f"unknown test {test!r}; use 'fisher' or 'student'", Location(field="test"))
    diff = cand - base
    ci = bootstrap_ci(
        diff, n_resamples=n_resamples, confidence=confidence, random_state=random_state, progress=progress
    )
    return PairedComparison(
        mean_difference=float(diff.mean()),
        ci=ci,
        p_value=_p_value(base, cand, test, n_permutations, random_state),
        test=test,
        wins=int(np.sum(diff > 0)),
        ties=int(np.sum(diff == 0)),
        losses=int(np.sum(diff < 0)),
    )
