"""Benchmark every ranking method on graded ground truth, with a dev/test split.

Protocol (STYLE.md: never tune on the data that is reported):

1. split the challenges (queries) into dev and test with :func:`~evaluation.split.split_queries`;
2. for each match type and method, rank every challenge once per candidate setting;
3. choose each method's setting by the selection metric on **dev** only;
4. report the chosen settings' runs on **test** (with bootstrap CIs and paired tests,
   through :mod:`evaluation.report`).

The ranker is injected as a callable so that this module stays free of the database and
of models (and is testable with fakes)::

    rank(method, challenges, profiles, *, settings, match_type) -> {challenge_id: {profile_id: score}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.exceptions import Location, ValidationError

from .io import write_qrels, write_run
from .metrics import evaluate_run, evaluated_queries, parse_metrics
from .split import split_queries

RankFn = Callable[..., Mapping[str, Mapping[str, float]]]
Qrels = Mapping[str, Mapping[str, int]]
Run = dict[str, dict[str, float]]

__all__ = ["BenchmarkResult", "MethodChoice", "run_benchmark", "write_benchmark"]


@dataclass(frozen=True)
class MethodChoice:
    """The setting chosen for one method on one match type, and why.

    Attributes
    ----------
    settings : dict
        The chosen setting (best dev score; the first listed wins ties).
    dev_score : float
        Its selection metric on dev.
    candidates : list of (dict, float)
        Every setting tried with its dev score.
    """

    method: str
    match_type: str
    settings: dict[str, Any]
    dev_score: float
    candidates: list[tuple[dict[str, Any], float]]


@dataclass(frozen=True)
class BenchmarkResult:
    """Chosen settings (on dev) and test-split runs and qrels, per match type."""

    dev_ids: list[str]
    test_ids: list[str]
    selection_metric: str
    seed: int
    choices: dict[tuple[str, str], MethodChoice]
    test_qrels: dict[str, dict[str, dict[str, int]]]
    test_runs: dict[str, dict[str, Run]]
    skipped: dict[str, str] = field(default_factory=dict)


def _id(record: Any) -> str:
    return record if isinstance(record, str) else str(record.id)


def _restrict(mapping: Mapping[str, Mapping[str, Any]], ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {q: dict(mapping[q]) for q in ids if q in mapping}


def run_benchmark(
    challenges: Sequence[Any],
    profiles: Sequence[Any],
    qrels_by_type: Mapping[str, Qrels],
    rank: RankFn,
    *,
    methods: Sequence[str],
    settings_grid: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    selection_metric: str = "ndcg@10",
    dev_fraction: float = 0.5,
    seed: int = 13,
) -> BenchmarkResult:
    """Choose each method's setting on dev and keep its test run.

    Parameters
    ----------
    challenges : sequence of records with ``id`` (or of str)
        The queries.
    profiles : sequence
        The candidates; passed to ``rank`` untouched.
    qrels_by_type : mapping of match type to ``{challenge_id: {profile_id: relevance}}``
        Graded ground truth, e.g. ``{"consultancy": ..., "partner": ...}``.
    rank : callable
        ``rank(method, challenges, profiles, *, settings, match_type)`` returning a run
        keyed by challenge id then profile id.
    methods : sequence of str
        Method names understood by ``rank``.
    settings_grid : mapping of method to sequence of dict, optional
        Candidate settings per method; a method absent here is tried with ``{}`` only.
    selection_metric : str
        Metric that picks the setting on dev.
    dev_fraction, seed : float, int
        See :func:`~evaluation.split.split_queries`.

    Returns
    -------
    BenchmarkResult
    """
    if not methods:
        raise ValidationError("no ranking method given", Location(field="methods"))
    metric = parse_metrics(selection_metric)[0]
    challenge_ids = [_id(c) for c in challenges]
    dev_ids, test_ids = split_queries(challenge_ids, dev_fraction=dev_fraction, seed=seed)
    grid = settings_grid or {}
    choices: dict[tuple[str, str], MethodChoice] = {}
    test_qrels: dict[str, dict[str, dict[str, int]]] = {}
    test_runs: dict[str, dict[str, Run]] = {}
    skipped: dict[str, str] = {}
    for match_type in sorted(qrels_by_type):
        qrels = qrels_by_type[match_type]
        dev_qrels = _restrict(qrels, dev_ids)
        type_test_qrels = _restrict(qrels, test_ids)
        if not evaluated_queries(dev_qrels) or not evaluated_queries(type_test_qrels):
            skipped[match_type] = "no judged relevant challenge in the dev or the test split"
            continue
        test_qrels[match_type] = type_test_qrels
        test_runs[match_type] = {}
        for method in methods:
            candidates: list[tuple[dict[str, Any], float]] = []
            best: tuple[float, dict[str, Any], Run] | None = None
            for settings in grid.get(method, [{}]):
                run = rank(method, challenges, profiles, settings=dict(settings), match_type=match_type)
                dev_run = _restrict(run, sorted(dev_qrels))
                score = (
                    evaluate_run(dev_qrels, dev_run, [metric]).mean[metric] if any(dev_run.values()) else 0.0
                )
                candidates.append((dict(settings), score))
                if best is None or score > best[0]:
                    best = (score, dict(settings), _restrict(run, sorted(type_test_qrels)))
            assert best is not None
            choices[match_type, method] = MethodChoice(method, match_type, best[1], best[0], candidates)
            test_runs[match_type][method] = best[2]
    return BenchmarkResult(
        dev_ids=dev_ids,
        test_ids=test_ids,
        selection_metric=metric,
        seed=seed,
        choices=choices,
        test_qrels=test_qrels,
        test_runs=test_runs,
        skipped=skipped,
    )


def write_benchmark(
    result: BenchmarkResult,
    out_dir: str | Path,
    *,
    command: str,
    model: str | None = None,
    metrics: str | Sequence[str] = ("ndcg@10", "map", "mrr", "recall@10", "precision@10"),
    n_resamples: int = 1000,
    seed: int = 0,
    console: Any = None,
    show_progress: bool = True,
    report_options: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write test runs (with sidecars), test qrels and one report per match type.

    ``report_options`` go to every report (e.g. ``query_languages``, ``doc_languages``,
    ``item_groups`` for the per-language bars and exposure curves).

    Layout: ``OUT/<match type>/{qrels.test.trec, runs/<method>.trec(.json), report.*}``
    and ``OUT/benchmark.md`` (the settings chosen on dev).

    Returns
    -------
    dict of str to Path
        ``benchmark`` and, per match type, its ``report.md``.
    """
    from .report import build_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    lines = [
        "# Ranking benchmark",
        "",
        "Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Challenges split with seed {result.seed}: {len(result.dev_ids)} dev, {len(result.test_ids)} test. "
        f"Settings chosen by {result.selection_metric} on dev only; every report quotes test.",
        "",
        "| match type | method | chosen settings | dev score | candidates tried |",
        "|---|---|---|---|---|",
    ]
    for (match_type, method), choice in sorted(result.choices.items()):
        lines.append(
            f"| {match_type} | {method} | `{choice.settings}` | {choice.dev_score:.4f} "
            f"| {len(choice.candidates)} |"
        )
    for match_type, reason in sorted(result.skipped.items()):
        lines.append(f"| {match_type} | – | skipped: {reason} | – | – |")
    for match_type, runs in result.test_runs.items():
        type_dir = out / match_type
        write_qrels(type_dir / "qrels.test.trec", result.test_qrels[match_type])
        metadata = {}
        for method, run in runs.items():
            choice = result.choices[match_type, method]
            metadata[method] = {
                "method": method,
                "model": model,
                "settings": choice.settings,
                "match_type": match_type,
                "split": "test",
                "split_seed": result.seed,
                "selected_on": f"dev {result.selection_metric} = {choice.dev_score:.4f}",
            }
            run_path = write_run(type_dir / "runs" / f"{method}.trec", run, metadata=metadata[method])
            metadata[method] = {**metadata[method], "run_file": str(run_path)}
        if console is not None:
            console.print(f"[bold]{match_type}[/bold] (test split)")
        _, paths = build_report(
            result.test_qrels[match_type],
            runs,
            out_dir=type_dir,
            command=command,
            console=console,
            show_progress=show_progress,
            metrics=metrics,
            metadata=metadata,
            n_resamples=n_resamples,
            seed=seed,
            **dict(report_options or {}),
        )
        written[match_type] = paths["markdown"]
        lines.append("")
        lines.append(f"- {match_type}: [report]({match_type}/report.md)")
    written["benchmark"] = out / "benchmark.md"
    written["benchmark"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written
