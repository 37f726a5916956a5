"""Ranking metrics per query and aggregated, computed by ranx.

ranx (Bassani, "ranx: A Blazing-Fast Python Library for Ranking Evaluation and
Comparison", ECIR 2022) implements the trec_eval definitions in numba; see
``docs/evaluation.md`` for why it was chosen over ir-measures.

Supported metric names: ``ndcg``, ``map``, ``mrr``, ``recall``, ``precision``, each
optionally cut off as ``name@k`` (``ndcg@10``).  nDCG uses the relevance grade as gain
(``rel / log2(rank + 1)``, Järvelin & Kekäläinen 2002); the binary metrics count a
document as relevant when its grade is >= 1.

Conventions
-----------
* Queries are those of the qrels that have at least one relevant (grade >= 1)
  document; queries judged all-irrelevant cannot tell methods apart and are left out.
* A qrels query that the run does not answer scores 0 (the run failed on it).
* A run query that the qrels never mention is an error: the run was made for other
  judgements.
* Inputs are never mutated: ranx receives copies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.exceptions import Location, ValidationError

DEFAULT_METRICS: tuple[str, ...] = ("ndcg@10", "map", "mrr", "recall@10", "precision@10")
SUPPORTED_METRICS: tuple[str, ...] = ("ndcg", "map", "mrr", "recall", "precision")
_METRIC_RE = re.compile(r"^(?P<name>[a-z_]+)(?:@(?P<k>[1-9][0-9]*))?$")

__all__ = [
    "DEFAULT_METRICS",
    "SUPPORTED_METRICS",
    "RunScores",
    "check_comparable",
    "evaluate_run",
    "evaluated_queries",
    "parse_metrics",
]


@dataclass(frozen=True)
class RunScores:
    """Metric scores of one run.

    Attributes
    ----------
    query_ids : tuple of str, length n_queries
        The evaluated queries, sorted.
    per_query : dict of str to ndarray of shape (n_queries,)
        Each metric's score per query, aligned with ``query_ids``.
    """

    query_ids: tuple[str, ...]
    per_query: dict[str, np.ndarray]

    @property
    def mean(self) -> dict[str, float]:
        """Each metric averaged over queries (native floats)."""
        return {m: float(v.mean()) if v.size else 0.0 for m, v in self.per_query.items()}

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{metric: {query_id: score}}`` with native floats."""
        return {
            m: {q: float(s) for q, s in zip(self.query_ids, v, strict=True)}
            for m, v in self.per_query.items()
        }


def parse_metrics(metrics: str | Sequence[str]) -> list[str]:
    """Normalise and validate metric names.

    Parameters
    ----------
    metrics : str or sequence of str
        Names such as ``"ndcg@10,map"`` or ``["ndcg@10", "map"]`` (case-insensitive).

    Returns
    -------
    list of str
        Lower-case names in the given order, without duplicates.
    """
    items = metrics.split(",") if isinstance(metrics, str) else list(metrics)
    out: list[str] = []
    for raw in items:
        name = raw.strip().lower()
        if not name:
            continue
        match = _METRIC_RE.match(name)
        if not match or match["name"] not in SUPPORTED_METRICS:
            raise ValidationError(
                f"unknown metric {raw.strip()!r}; use {', '.join(SUPPORTED_METRICS)} with an optional @k",
                Location(field="metrics"),
            )
        if name not in out:
            out.append(name)
    if not out:
        raise ValidationError("no metric given", Location(field="metrics"))
    return out


def evaluated_queries(qrels: Mapping[str, Mapping[str, int]]) -> tuple[str, ...]:
    """Sorted ids of the qrels queries with at least one relevant (grade >= 1) document."""
    return tuple(sorted(q for q, docs in qrels.items() if any(v >= 1 for v in docs.values())))


def check_comparable(
    qrels: Mapping[str, Mapping[str, int]],
    run: Mapping[str, Mapping[str, float]],
    *,
    source: str | None = None,
) -> None:
    """Raise unless ``run`` can be evaluated against ``qrels``.

    Raises
    ------
    ValidationError
        The run is empty, or answers a query that the qrels never mention, or the qrels
        hold no relevant judgement at all.
    """
    if not run or not any(run.values()):
        raise ValidationError("the run is empty", Location(source))
    unknown = sorted(set(run) - set(qrels))
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise ValidationError(
            f"{len(unknown)} run query id(s) never mentioned in the qrels: {shown}",
            Location(source, None, "query_id"),
        )
    if not evaluated_queries(qrels):
        raise ValidationError(
            "the qrels hold no relevant (grade >= 1) judgement", Location(field="relevance")
        )


def evaluate_run(
    qrels: Mapping[str, Mapping[str, int]],
    run: Mapping[str, Mapping[str, float]],
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    *,
    source: str | None = None,
) -> RunScores:
    """Score a run against graded judgements, per query.

    Parameters
    ----------
    qrels : mapping ``{query_id: {doc_id: relevance}}``
    run : mapping ``{query_id: {doc_id: score}}``
    metrics : str or sequence of str
        See :func:`parse_metrics`.
    source : str, optional
        Name of the run (e.g. its file) used in error locations.

    Returns
    -------
    RunScores
        Scores over :func:`evaluated_queries` of ``qrels``.
    """
    from ranx import Qrels as RanxQrels
    from ranx import Run as RanxRun
    from ranx import evaluate

    names = parse_metrics(metrics)
    check_comparable(qrels, run, source=source)
    query_ids = evaluated_queries(qrels)
    qrels_copy = {q: {d: int(v) for d, v in qrels[q].items()} for q in query_ids}
    run_copy = {q: {d: float(s) for d, s in run.get(q, {}).items()} for q in query_ids}
    # ranx 0.3 returns per-query scores of a single "name@k" metric under a wrong key, so
    # always ask for at least two metrics.
    asked = names if len(names) > 1 else [*names, "map" if names[0] == "mrr" else "mrr"]
    result = evaluate(
        RanxQrels(qrels_copy),
        RanxRun(run_copy),
        asked,
        return_mean=False,
        save_results_in_run=False,
        threads=1,
    )
    per_query = {m: np.asarray(result[m], dtype=np.float64).copy() for m in names}
    return RunScores(query_ids=query_ids, per_query=per_query)
