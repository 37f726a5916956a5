"""The PNG plots of an evaluation report (:mod:`evaluation.report`): metrics with their
confidence intervals, quality per language pair, exposure Lorenz curves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .beyond_accuracy import GroupScore

if TYPE_CHECKING:
    from .report import EvaluationReport

__all__ = ["write_plots"]


def _plot_metrics(report: EvaluationReport, path: Path) -> None:
    """One panel per metric, one horizontal bar per run with its bootstrap CI (readable for many runs)."""
    import matplotlib.pyplot as plt

    n_runs, n_metrics = len(report.names), len(report.metrics)
    ncols = min(3, n_metrics)
    nrows = int(np.ceil(n_metrics / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.4 * ncols, (0.32 * n_runs + 1.3) * nrows), squeeze=False, sharey=True
    )
    y = np.arange(n_runs)[::-1]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, metric in enumerate(report.metrics):
        ax = axes[k // ncols][k % ncols]
        cis = [report.intervals[name, metric] for name in report.names]
        means = np.array([c.estimate for c in cis])
        errors = np.clip([[c.estimate - c.low for c in cis], [c.high - c.estimate for c in cis]], 0, None)
        ax.barh(y, means, xerr=errors, capsize=2, color=[colours[i % len(colours)] for i in range(n_runs)])
        ax.set_yticks(y, report.names)
        ax.set_xlim(0, 1.0)
        ax.set_title(metric)
        ax.grid(axis="x", alpha=0.3)
    for k in range(n_metrics, nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    fig.suptitle(f"Metric by method ({report.confidence_label} bootstrap CI)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_languages(report: EvaluationReport, path: Path) -> None:
    import matplotlib.pyplot as plt

    pairs = sorted({pair for q in report.language_quality.values() for pair in q})
    n_runs = len(report.names)
    x = np.arange(len(pairs))
    width = 0.8 / n_runs
    fig, ax = plt.subplots(figsize=(min(14.0, max(5.0, 0.35 * len(pairs) * n_runs + 2)), 4.0))
    for i, name in enumerate(report.names):
        values = [report.language_quality[name].get(p, GroupScore(0.0, 0)).mean for p in pairs]
        ax.bar(x + (i - (n_runs - 1) / 2) * width, values, width, label=name)
    ax.set_xticks(x, [f"{q}→{d}" for q, d in pairs])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(report.metrics[0])
    ax.set_title("Quality per language pair (query → majority of relevant docs)")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_lorenz(report: EvaluationReport, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.6, 4.2))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="equal exposure")
    for name in report.names:
        xs, ys = report.lorenz[name]
        ax.plot(xs, ys, label=f"{name} (Gini {report.exposure_gini[name]:.2f})")
    ax.set_xlabel(f"share of {report.exposure_unit}s (least exposed first)")
    ax.set_ylabel("share of exposure")
    ax.set_title(f"Exposure Lorenz curves (top {report.k})")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_plots(report: EvaluationReport, out_dir: Path) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    plots = {"metrics": out_dir / "metrics.png", "exposure": out_dir / "exposure_lorenz.png"}
    _plot_metrics(report, plots["metrics"])
    _plot_lorenz(report, plots["exposure"])
    if report.language_quality:
        plots["languages"] = out_dir / "language_pairs.png"
        _plot_languages(report, plots["languages"])
    return plots
