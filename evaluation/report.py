"""Evaluation report: a terminal table, ``report.md``, a self-contained ``report.html``
and PNG plots, for several named runs over the same qrels.

:func:`compute_report` does the arithmetic (no files); :func:`write_report` renders it;
:func:`build_report` does both and prints the table.  The first run is the baseline
every other run is compared with.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.exceptions import Location, ValidationError
from matcher.reporting import ReportDocument

from .beyond_accuracy import GroupScore, catalogue_coverage, exposure, gini, lorenz_curve
from .beyond_accuracy.language import quality_by_language_pair
from .metrics import DEFAULT_METRICS, RunScores, evaluate_run, parse_metrics
from .report_plots import write_plots
from .uncertainty import ConfidenceInterval, PairedComparison, bootstrap_ci, paired_comparison

__all__ = ["EvaluationReport", "build_report", "compute_report", "render_tables", "write_report"]

ProgressFactory = Callable[[int], Callable[[int], None]]


@dataclass(frozen=True)
class EvaluationReport:
    """Everything a report shows.

    Attributes
    ----------
    metrics : list of str
    names : list of str
        Run names, baseline first.
    scores : dict of str to RunScores
    intervals : dict of (str, str) to ConfidenceInterval
        Keyed by (run, metric).
    comparisons : dict of (str, str) to PairedComparison
        Keyed by (run, metric), each run against the baseline.
    metadata : dict of str to (dict or None)
        Each run's sidecar.
    coverage : dict of str to float
        Catalogue coverage at ``k``.
    exposure_gini : dict of str to float
        Gini of exposure over ``exposure_unit`` (items, or item groups).
    lorenz : dict of str to (ndarray, ndarray)
    language_quality : dict of str to dict of (str, str) to GroupScore
        First metric per language pair; empty without languages.
    """

    metrics: list[str]
    names: list[str]
    scores: dict[str, RunScores]
    intervals: dict[tuple[str, str], ConfidenceInterval]
    comparisons: dict[tuple[str, str], PairedComparison]
    metadata: dict[str, dict[str, Any] | None]
    coverage: dict[str, float]
    exposure_gini: dict[str, float]
    lorenz: dict[str, tuple[np.ndarray, np.ndarray]]
    language_quality: dict[str, dict[tuple[str, str], GroupScore]]
    k: int
    exposure_unit: str
    n_resamples: int
    seed: int
    test: str
    n_queries: int
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @property
    def confidence_label(self) -> str:
        """The confidence level of the intervals, e.g. ``95%``."""
        return f"{next(iter(self.intervals.values())).confidence:.0%}"


def compute_report(
    qrels: Mapping[str, Mapping[str, int]],
    runs: Mapping[str, Mapping[str, Mapping[str, float]]],
    *,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    metadata: Mapping[str, dict[str, Any] | None] | None = None,
    query_languages: Mapping[str, str] | None = None,
    doc_languages: Mapping[str, str] | None = None,
    item_groups: Mapping[str, str] | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
    test: str = "student",
    k: int = 10,
    progress: ProgressFactory | None = None,
) -> EvaluationReport:
    """Evaluate named runs with confidence intervals, comparisons and beyond-accuracy measures.

    Parameters
    ----------
    qrels : mapping ``{query_id: {doc_id: relevance}}``
    runs : mapping of run name to ``{query_id: {doc_id: score}}``
        The first run is the baseline.
    metrics : str or sequence of str
    metadata : mapping of run name to dict, optional
        Sidecars, shown verbatim.
    query_languages, doc_languages : mapping of str to str, optional
        Both needed for the per-language-pair table.
    item_groups : mapping of str to str, optional
        Item -> group for exposure; without it exposure is per item.
    n_resamples, seed : int
        Bootstrap resamples and seed (also the randomisation test's seed).
    test : {"student", "fisher"}
    k : int
        Cut-off of coverage and exposure.
    progress : callable, optional
        ``progress(total)`` returns a callback advanced by completed resamples.
    """
    if not runs:
        raise ValidationError("no run given", Location(field="runs"))
    names = list(runs)
    metric_names = parse_metrics(metrics)
    scores = {name: evaluate_run(qrels, runs[name], metric_names, source=name) for name in names}
    n_boot = len(names) * len(metric_names) * (2 if len(names) > 1 else 1) - len(metric_names)
    advance = progress(n_boot * n_resamples) if progress is not None else None
    intervals: dict[tuple[str, str], ConfidenceInterval] = {}
    comparisons: dict[tuple[str, str], PairedComparison] = {}
    baseline = names[0]
    for name in names:
        for metric in metric_names:
            intervals[name, metric] = bootstrap_ci(
                scores[name].per_query[metric], n_resamples=n_resamples, random_state=seed, progress=advance
            )
            if name != baseline:
                comparisons[name, metric] = paired_comparison(
                    scores[baseline].per_query[metric],
                    scores[name].per_query[metric],
                    n_resamples=n_resamples,
                    random_state=seed,
                    test=test,
                    progress=advance,
                )
    catalogue = set(item_groups) if item_groups else set()
    catalogue |= {d for docs in qrels.values() for d in docs}
    catalogue |= {d for run in runs.values() for docs in run.values() for d in docs}
    population = set(item_groups.values()) if item_groups else catalogue
    coverage, exposure_gini, lorenz = {}, {}, {}
    for name in names:
        coverage[name] = catalogue_coverage(runs[name], catalogue, k=k)
        exposed = exposure(runs[name], k=k, groups=item_groups, population=population)
        exposure_gini[name] = gini(exposed)
        lorenz[name] = lorenz_curve(exposed)
    language_quality: dict[str, dict[tuple[str, str], GroupScore]] = {}
    if query_languages and doc_languages:
        first = metric_names[0]
        for name in names:
            language_quality[name] = quality_by_language_pair(
                scores[name].as_dict()[first], qrels, query_languages, doc_languages
            )
    return EvaluationReport(
        metrics=metric_names,
        names=names,
        scores=scores,
        intervals=intervals,
        comparisons=comparisons,
        metadata={name: (metadata or {}).get(name) for name in names},
        coverage=coverage,
        exposure_gini=exposure_gini,
        lorenz=lorenz,
        language_quality=language_quality,
        k=k,
        exposure_unit="item group" if item_groups else "item",
        n_resamples=n_resamples,
        seed=seed,
        test=test,
        n_queries=len(next(iter(scores.values())).query_ids),
    )


# ----------------------------------------------------------------------------- text


def _ci_text(ci: ConfidenceInterval) -> str:
    return f"{ci.estimate:.3f} [{ci.low:.3f}, {ci.high:.3f}]"


def _rows(report: EvaluationReport) -> tuple[list[str], list[list[str]]]:
    """Main table: one row per run, each metric's mean with its CI, then beyond-accuracy."""
    header = ["run", *report.metrics, f"coverage@{report.k}", f"exposure Gini ({report.exposure_unit})"]
    rows = []
    for name in report.names:
        row = [name]
        row += [_ci_text(report.intervals[name, metric]) for metric in report.metrics]
        row += [f"{report.coverage[name]:.3f}", f"{report.exposure_gini[name]:.3f}"]
        rows.append(row)
    return header, rows


def _comparison_rows(report: EvaluationReport) -> tuple[list[str], list[list[str]]]:
    header = ["run", "metric", "difference", f"{report.confidence_label} CI", f"p ({report.test})", "W/T/L"]
    rows = []
    for (name, metric), c in report.comparisons.items():
        rows.append(
            [
                f"{name} − {report.names[0]}",
                metric,
                f"{c.mean_difference:+.4f}",
                f"[{c.ci.low:+.4f}, {c.ci.high:+.4f}]",
                f"{c.p_value:.4g}",
                f"{c.wins}/{c.ties}/{c.losses}",
            ]
        )
    return header, rows


def _language_rows(report: EvaluationReport) -> tuple[list[str], list[list[str]]]:
    pairs = sorted({pair for q in report.language_quality.values() for pair in q})
    header = ["query lang → doc lang", "queries", *report.names]
    rows = []
    for pair in pairs:
        cells = [report.language_quality[n].get(pair) for n in report.names]
        n_queries = next(c.n_queries for c in cells if c is not None)
        rows.append(
            [f"{pair[0]} → {pair[1]}", str(n_queries)] + [f"{c.mean:.3f}" if c else "–" for c in cells]
        )
    return header, rows


def render_tables(report: EvaluationReport) -> list[Any]:
    """The results table and, with several runs, the comparisons table (:class:`rich.table.Table`)."""
    from rich.table import Table

    titles = [
        f"{report.n_queries} queries: mean [{report.confidence_label} bootstrap CI]",
        f"Paired differences with {report.names[0]} (bootstrap CI, {report.test} test)",
    ]
    tables = []
    for title, (header, rows) in zip(titles, [_rows(report), _comparison_rows(report)], strict=True):
        if not rows:
            continue
        table = Table(title=title)
        for column in header:
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        tables.append(table)
    return tables


# ----------------------------------------------------------------------------- files

_CAPTIONS = {
    "metrics": "Metric by method with bootstrap confidence intervals",
    "languages": "Quality per language pair",
    "exposure": "Exposure Lorenz curves",
}


def _sections(report: EvaluationReport) -> list[tuple[str, tuple[list[str], list[list[str]]] | None, str]]:
    """(title, table, plot key) in report order."""
    sections: list[tuple[str, tuple[list[str], list[list[str]]] | None, str]] = [
        ("Results", _rows(report), "metrics"),
    ]
    if report.comparisons:
        sections.append((f"Paired comparisons with {report.names[0]}", _comparison_rows(report), ""))
    if report.language_quality:
        sections.append((f"{report.metrics[0]} per language pair", _language_rows(report), "languages"))
    sections.append(("Exposure", None, "exposure"))
    return sections


_EXPLANATION = (
    "Each cell is the mean over the {n} judged queries with its {conf} percentile bootstrap "
    "confidence interval ({r} resamples of the queries, seed {seed}). A paired comparison "
    "gives the mean per-query difference with the baseline (first run), its bootstrap "
    "interval and the p-value of the {test} test; an interval that excludes 0 and a small "
    "p-value both say the difference is unlikely to come from the choice of queries alone. "
    "Coverage is the share of the catalogue shown in any top {k}; the exposure Gini is 0 "
    "when every {unit} is shown equally and near 1 when a few take all the exposure."
)


def write_report(report: EvaluationReport, out_dir: str | Path, *, command: str) -> dict[str, Path]:
    """Write ``report.md``, ``report.html`` (images embedded) and the PNG plots.

    Parameters
    ----------
    report : EvaluationReport
    out_dir : str or Path
        Created if missing.
    command : str
        The exact command that reproduces the report, quoted at its top.

    Returns
    -------
    dict of str to Path
        ``markdown``, ``html`` and one entry per plot.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plots = write_plots(report, out)
    explanation = _EXPLANATION.format(
        n=report.n_queries,
        conf=report.confidence_label,
        r=report.n_resamples,
        seed=report.seed,
        test={"fisher": "Fisher randomisation", "student": "paired Student's t"}[report.test],
        k=report.k,
        unit=report.exposure_unit,
    )
    meta = {name: report.metadata.get(name) for name in report.names}
    doc = ReportDocument("Match-quality evaluation report", command=command)
    doc.paragraph(f"Date: {report.created}")
    doc.heading("Runs")
    doc.paragraph("Each run's sidecar metadata (model, method, settings; `null`: the run has none):")
    doc.code(json.dumps(meta, indent=2, sort_keys=True, default=str), "json")
    doc.paragraph(explanation)
    for title, table, plot in _sections(report):
        doc.heading(title)
        if table is not None:
            doc.table(*table)
        if plot in plots:
            doc.figure(plots[plot], _CAPTIONS[plot])
    return {**doc.write(out), **plots}


def build_report(
    qrels: Mapping[str, Mapping[str, int]],
    runs: Mapping[str, Mapping[str, Mapping[str, float]]],
    *,
    out_dir: str | Path | None,
    command: str,
    console: Any = None,
    show_progress: bool = True,
    **options: Any,
) -> tuple[EvaluationReport, dict[str, Path]]:
    """Compute a report, print its table and write its files (``out_dir=None``: print only).

    ``options`` are passed to :func:`compute_report`.
    """
    from rich.console import Console
    from rich.progress import Progress

    console = console or Console()
    if show_progress:
        with Progress(console=Console(stderr=True), transient=True) as bar:

            def factory(total: int) -> Callable[[int], None]:
                task = bar.add_task("bootstrap", total=total)
                return lambda n: bar.advance(task, n)

            report = compute_report(qrels, runs, progress=factory, **options)
    else:
        report = compute_report(qrels, runs, **options)
    for table in render_tables(report):
        console.print(table)
    paths = write_report(report, out_dir, command=command) if out_dir is not None else {}
    if paths:
        console.print(f"report written to {paths['markdown']} and {paths['html']}")
    return report, paths
