"""Offline match-quality evaluation: qrels and runs, metrics with uncertainty, reports.

Pure computation (metrics, uncertainty, pairwise loss, beyond-accuracy, split) takes
dictionaries and arrays; ``io``, ``report``, ``benchmark`` and ``cli`` are the edges.
See ``docs/evaluation.md``.
"""

from matcher.formats.trec import read_qrels, read_run, write_qrels

from .benchmark import BenchmarkResult, MethodChoice, run_benchmark, write_benchmark
from .beyond_accuracy import (
    GroupScore,
    catalogue_coverage,
    cross_border_share,
    exposure,
    gini,
    intra_list_diversity,
    language_pairs,
    lorenz_curve,
    quality_by_language_pair,
)
from .io import metadata_path, read_mapping, read_ratings, read_run_metadata, write_run
from .metrics import DEFAULT_METRICS, RunScores, check_comparable, evaluate_run, parse_metrics
from .pairwise import PairwiseLoss, weighted_pairwise_loss
from .report import EvaluationReport, build_report, compute_report, render_tables, write_report
from .split import split_queries
from .uncertainty import ConfidenceInterval, PairedComparison, bootstrap_ci, paired_comparison

__all__ = [
    "DEFAULT_METRICS",
    "BenchmarkResult",
    "ConfidenceInterval",
    "EvaluationReport",
    "GroupScore",
    "MethodChoice",
    "PairedComparison",
    "PairwiseLoss",
    "RunScores",
    "bootstrap_ci",
    "build_report",
    "catalogue_coverage",
    "check_comparable",
    "compute_report",
    "cross_border_share",
    "evaluate_run",
    "exposure",
    "gini",
    "intra_list_diversity",
    "language_pairs",
    "lorenz_curve",
    "metadata_path",
    "paired_comparison",
    "parse_metrics",
    "quality_by_language_pair",
    "read_mapping",
    "read_qrels",
    "read_ratings",
    "read_run",
    "read_run_metadata",
    "render_tables",
    "run_benchmark",
    "split_queries",
    "weighted_pairwise_loss",
    "write_benchmark",
    "write_qrels",
    "write_report",
    "write_run",
]
