"""Needs clustering, coverage gaps and training recommendation (pure: numpy, scipy, scikit-learn)."""

from matcher.needs.clusters import NeedCluster, cluster_needs, label_of
from matcher.needs.consensus import ConsensusClustering
from matcher.needs.gap import ClusterCoverage, cluster_coverage, reference_coverage
from matcher.needs.recommend import ModuleSuggestion, best_modules, uncovered_clusters
from matcher.needs.terms import distinctive_terms

__all__ = [
    "ClusterCoverage",
    "ConsensusClustering",
    "ModuleSuggestion",
    "NeedCluster",
    "best_modules",
    "cluster_coverage",
    "cluster_needs",
    "distinctive_terms",
    "label_of",
    "reference_coverage",
    "uncovered_clusters",
]
