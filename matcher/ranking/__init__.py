"""Candidate retrieval, lexical + dense scoring, fusion, filters and explanations (pure computation).

numpy, scipy and scikit-learn only: no files, no database, no model loading,
no environment variables.  See ``docs/ranking.md``.
"""

from matcher.ranking.aggregate import AGGREGATIONS, aggregate_profiles
from matcher.ranking.calibration import ScoreCalibrator, background_pairs, pair_scores
from matcher.ranking.combiner import DEFAULT_COMBINER, LEARNED_FEATURES, LinearCombiner, preference_pairs
from matcher.ranking.config import DEFAULT_METHOD, METHODS, RankingConfig, RankingMethod
from matcher.ranking.filters import (
    FilterOutcome,
    apply_mask,
    availability_mask,
    combine_masks,
    cross_border_mask,
    relationship_mask,
    same_organisation_mask,
    value_mask,
    visibility_mask,
)
from matcher.ranking.fusion import FusedScores, HybridScorer, fuse, languages_array, same_language
from matcher.ranking.index import VectorIndex, candidate_profiles
from matcher.ranking.lexical import LexicalScorer
from matcher.ranking.ranker import ProfileRanker
from matcher.ranking.reasons import (
    MatchReasons,
    best_document,
    best_sentence,
    explain,
    key_terms,
    normalise_skill,
    skill_overlap,
)
from matcher.ranking.search import exact_top_k, top_k_scores
from matcher.ranking.sentences import split_sentences

__all__ = [
    "AGGREGATIONS",
    "DEFAULT_COMBINER",
    "DEFAULT_METHOD",
    "LEARNED_FEATURES",
    "METHODS",
    "FilterOutcome",
    "FusedScores",
    "HybridScorer",
    "LexicalScorer",
    "LinearCombiner",
    "MatchReasons",
    "ProfileRanker",
    "RankingConfig",
    "RankingMethod",
    "ScoreCalibrator",
    "VectorIndex",
    "aggregate_profiles",
    "apply_mask",
    "availability_mask",
    "background_pairs",
    "best_document",
    "best_sentence",
    "candidate_profiles",
    "combine_masks",
    "cross_border_mask",
    "exact_top_k",
    "explain",
    "fuse",
    "key_terms",
    "languages_array",
    "normalise_skill",
    "pair_scores",
    "preference_pairs",
    "relationship_mask",
    "same_language",
    "same_organisation_mask",
    "skill_overlap",
    "split_sentences",
    "top_k_scores",
    "value_mask",
    "visibility_mask",
]
