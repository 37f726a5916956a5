"""Beyond-accuracy measures: pure functions over runs and item attributes."""

from .coverage import catalogue_coverage
from .cross_border import cross_border_share
from .diversity import intra_list_diversity
from .exposure import exposure, gini, lorenz_curve
from .language import GroupScore, language_pairs, quality_by_language_pair

__all__ = [
    "GroupScore",
    "catalogue_coverage",
    "cross_border_share",
    "exposure",
    "gini",
    "intra_list_diversity",
    "language_pairs",
    "lorenz_curve",
    "quality_by_language_pair",
]
