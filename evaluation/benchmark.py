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
from matcher.formats.trec import write_qrels

from .io import write_run
from .metrics import evaluate_run, evaluated_queries, parse_metrics
from .split import split_queries

RankFn = Callable[..., Mapping[str, Mapping[str, float]]]
Qrels = Mapping[str, Mapping[str, int]]
Run = dict[str, dict[str, float]]

__all__ = [
    "BenchmarkResult",
    "GlobalChoice",
    "MethodChoice",
    "dataset_rule",
    "run_benchmark",
    "write_benchmark",
]


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
class GlobalChoice:
    """One setting per method for every data set, chosen on dev by the stated rule.

    Attributes
    ----------
    settings : dict
        The setting with the best ``rule_score`` (the first listed wins ties).
    dev_by_type : dict of str to float
        Its dev score per match type.
    rule_score : float
        The rule: the mean over data sets of the mean dev score of each data set's types.
    """

    method: str
    settings: dict[str, Any]
    dev_by_type: dict[str, float]
    rule_score: float


@dataclass(frozen=True)
class BenchmarkResult:
    """Chosen settings (on dev) and test-split runs and qrels, per match type.

    With ``datasets`` given to :func:`run_benchmark`, ``test_runs`` hold each method's
    run at its :class:`GlobalChoice` setting (what a product with one setting returns),
    and ``default_method`` is the method the rule ranks first.
    """

    dev_ids: list[str]
    test_ids: list[str]
    selection_metric: str
    seed: int
    choices: dict[tuple[str, str], MethodChoice]
    test_qrels: dict[str, dict[str, dict[str, int]]]
    test_runs: dict[str, dict[str, Run]]
    skipped: dict[str, str] = field(default_factory=dict)
    datasets: dict[str, str] = field(default_factory=dict)
    global_choices: dict[str, GlobalChoice] = field(default_factory=dict)
    default_method: str | None = None
    splits: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def _id(record: Any) -> str:
    return record if isinstance(record, str) else str(record.id)


def _restrict(mapping: Mapping[str, Mapping[str, Any]], ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {q: dict(mapping[q]) for q in ids if q in mapping}


def dataset_rule(dev_by_type: Mapping[str, float], datasets: Mapping[str, str]) -> float:
    """The rule that picks one setting for every data set: mean over data sets of the mean over its types.

    Each data set weighs the same whatever its number of match types (the demo's four
    types count as one data set, next to each real one), so generated text cannot
    outvote real text.
    """
    by_set: dict[str, list[float]] = {}
    for match_type, score in dev_by_type.items():
        by_set.setdefault(datasets.get(match_type, match_type), []).append(score)
    return sum(sum(v) / len(v) for v in by_set.values()) / max(1, len(by_set))


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
    query_sets: Mapping[str, Sequence[Any]] | None = None,
    datasets: Mapping[str, str] | None = None,
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
    query_sets : mapping of match type to sequence of challenges, optional
        The queries of a match type that has its own (e.g. a real data set); it is split
        on its own, so adding a data set never moves another's split.  Other types use
        ``challenges``.
    datasets : mapping of match type to data set name, optional
        When given, each method also gets one setting for all types, chosen on dev by
        :func:`dataset_rule`; the test runs are those of that setting, and the method with
        the best rule score is ``default_method``.

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
    sets = dict(query_sets or {})
    choices: dict[tuple[str, str], MethodChoice] = {}
    test_qrels: dict[str, dict[str, dict[str, int]]] = {}
    skipped: dict[str, str] = {}
    splits: dict[str, tuple[list[str], list[str]]] = {}
    dev_qrels_by: dict[str, dict[str, dict[str, int]]] = {}
    queries_by: dict[str, Sequence[Any]] = {}
    for match_type in sorted(qrels_by_type):
        qrels = qrels_by_type[match_type]
        if match_type in sets:
            dev, test = split_queries(
                [_id(c) for c in sets[match_type]], dev_fraction=dev_fraction, seed=seed
            )
        else:
            dev, test = dev_ids, test_ids
        dev_qrels = _restrict(qrels, dev)
        type_test_qrels = _restrict(qrels, test)
        if not evaluated_queries(dev_qrels) or not evaluated_queries(type_test_qrels):
            skipped[match_type] = "no judged relevant challenge in the dev or the test split"
            continue
        splits[match_type] = (dev, test)
        test_qrels[match_type] = type_test_qrels
        dev_qrels_by[match_type] = dev_qrels
        queries_by[match_type] = sets.get(match_type, challenges)
    types = list(test_qrels)
    # every (method, setting) is ranked once per type; methods outermost, so a ranker that
    # caches one fitted setting refits once per setting, not once per type
    tried: dict[tuple[str, str], list[tuple[dict[str, Any], float, Run]]] = {}
    for method in methods:
        for settings in grid.get(method, [{}]):
            for match_type in types:
                run = rank(
                    method, queries_by[match_type], profiles, settings=dict(settings), match_type=match_type
                )
                dev_qrels = dev_qrels_by[match_type]
                dev_run = _restrict(run, sorted(dev_qrels))
                score = (
                    evaluate_run(dev_qrels, dev_run, [metric]).mean[metric] if any(dev_run.values()) else 0.0
                )
                test_run = _restrict(run, sorted(test_qrels[match_type]))
                tried.setdefault((match_type, method), []).append((dict(settings), score, test_run))
    test_runs: dict[str, dict[str, Run]] = {t: {} for t in types}
    for (match_type, method), rows in tried.items():
        best = max(range(len(rows)), key=lambda i: (rows[i][1], -i))
        choices[match_type, method] = MethodChoice(
            method, match_type, rows[best][0], rows[best][1], [(st, sc) for st, sc, _ in rows]
        )
        test_runs[match_type][method] = rows[best][2]
    global_choices: dict[str, GlobalChoice] = {}
    default_method = None
    if datasets is not None and types:
        for method in methods:
            n = len(tried[types[0], method])
            per_setting = [{t: tried[t, method][i][1] for t in types} for i in range(n)]
            rule = [dataset_rule(d, datasets) for d in per_setting]
            best = max(range(n), key=lambda i: (rule[i], -i))
            global_choices[method] = GlobalChoice(
                method, tried[types[0], method][best][0], per_setting[best], rule[best]
            )
            for t in types:
                test_runs[t][method] = tried[t, method][best][2]
        default_method = max(methods, key=lambda m: (global_choices[m].rule_score, -list(methods).index(m)))
    return BenchmarkResult(
        dev_ids=dev_ids,
        test_ids=test_ids,
        selection_metric=metric,
        seed=seed,
        choices=choices,
        test_qrels=test_qrels,
        test_runs=test_runs,
        skipped=skipped,
        datasets=dict(datasets or {}),
        global_choices=global_choices,
        default_method=default_method,
        splits=splits,
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
    if result.global_choices:
        lines.extend(_global_table(result, n_resamples=n_resamples, seed=seed))
    for match_type, runs in result.test_runs.items():
        type_dir = out / match_type
        write_qrels(type_dir / "qrels.test.trec", result.test_qrels[match_type])
        metadata = {}
        for method, run in runs.items():
            choice = result.choices[match_type, method]
            chosen, dev_score = choice.settings, choice.dev_score
            rule = "on this match type"
            if method in result.global_choices:
                g = result.global_choices[method]
                chosen, dev_score, rule = (
                    g.settings,
                    g.dev_by_type[match_type],
                    "one setting for every data set",
                )
            metadata[method] = {
                "method": method,
                "model": model,
                "settings": chosen,
                "match_type": match_type,
                "dataset": result.datasets.get(match_type),
                "split": "test",
                "split_seed": result.seed,
                "selected_on": f"dev {result.selection_metric} = {dev_score:.4f} ({rule})",
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


def _global_table(result: BenchmarkResult, *, n_resamples: int, seed: int) -> list[str]:
    """Markdown: each method at its one setting, its rule score on dev and its test figures."""
    from .uncertainty import bootstrap_ci

    metric = result.selection_metric
    types = list(result.test_qrels)
    lines = [
        "",
        "## One setting for every data set",
        "",
        f"Rule (dev only): mean over data sets of the mean dev {metric} of each data set's match types "
        f"({', '.join(f'{t} → {result.datasets.get(t, t)}' for t in types)}). "
        f"Test {metric} with 95 % bootstrap CIs ({n_resamples} resamples).",
        "",
        "| method | setting | dev rule | " + " | ".join(f"{t} test" for t in types) + " |",
        "|---|---|---|" + "---|" * len(types),
    ]
    ranked = sorted(result.global_choices.values(), key=lambda g: -g.rule_score)
    for g in ranked:
        cells = []
        for t in types:
            per_query = evaluate_run(result.test_qrels[t], result.test_runs[t][g.method], [metric, "map"])
            ci = bootstrap_ci(per_query.per_query[metric], n_resamples=n_resamples, random_state=seed)
            cells.append(f"{ci.estimate:.3f} [{ci.low:.3f}, {ci.high:.3f}]")
        name = f"**{g.method}** (rule's choice)" if g.method == result.default_method else g.method
        lines.append(f"| {name} | `{g.settings}` | {g.rule_score:.4f} | " + " | ".join(cells) + " |")
    return lines
