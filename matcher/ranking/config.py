"""Ranking settings and the registry of named ranking methods, with their defaults in one place.

The defaults were chosen on the *dev* splits of the demo programme and of the real data set
``data/expert-finding-dblp`` by one rule -- the mean over data sets of the mean dev nDCG@10 of
each data set's match types -- never on the test splits that are reported (figures in
docs/ranking.md); re-run ``matcher evaluate benchmark`` to revisit them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["DEFAULT_METHOD", "METHODS", "RankingConfig", "RankingMethod"]


@dataclass(frozen=True)
class RankingConfig:
    """Tunable parameters of every ranking method.

    Attributes
    ----------
    lexical_weight : float
        Share of the calibrated lexical score in hybrid methods, same-language pairs
        (``score = (1 - w) * dense + w * lexical``).
    cross_lexical_factor : float
        Multiplies ``lexical_weight`` for cross-language pairs.  Default 1: the same
        fusion for every pair, because programme texts mix languages (English skill
        lists, acronyms and jargon inside Spanish or Turkish texts) and a calibrated
        lexical score with no shared word sits near the background for both kinds of
        pair; 0 drops the lexical part of cross-language pairs (docs/ranking.md).
    multi_blend : float
        Share of the multilingual encoder's calibrated score in the dense part of
        same-language pairs (cross-language pairs always use the multilingual encoder
        when one is given).
    topk : int
        Documents averaged by ``topk_mean`` aggregation.
    temperature : float
        Temperature of ``softmax`` pooling, in calibrated units.
    calibration : {"zscore", "quantile", "probit"}
        Background map of :class:`~matcher.ranking.calibration.ScoreCalibrator`.
    n_background : int
        Random document pairs drawn to fit each calibrator.
    random_state : int
        Seed of the background sample.
    """

    lexical_weight: float = 0.5
    cross_lexical_factor: float = 1.0
    multi_blend: float = 0.0
    topk: int = 2
    temperature: float = 0.5
    calibration: Literal["zscore", "quantile", "probit"] = "zscore"
    n_background: int = 20_000
    random_state: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RankingMethod:
    """A named ranking method: which signals, and how documents pool into a profile score."""

    name: str
    signal: Literal["dense", "lexical", "hybrid"]
    aggregation: Literal["max", "mean", "topk_mean", "softmax", "topk_softmax", "topk_lse", "learned"]
    description: str

    @property
    def uses_dense(self) -> bool:
        return self.signal in ("dense", "hybrid")

    @property
    def uses_lexical(self) -> bool:
        return self.signal in ("lexical", "hybrid")


METHODS: dict[str, RankingMethod] = {
    m.name: m
    for m in (
        RankingMethod("dense-max", "dense", "max", "calibrated cosine of the best document"),
        RankingMethod("dense-mean", "dense", "mean", "mean calibrated cosine over all documents"),
        RankingMethod("dense-topk", "dense", "topk_mean", "mean calibrated cosine of the top-k documents"),
        RankingMethod("dense-softmax", "dense", "softmax", "log-mean-exp pooling of calibrated cosines"),
        RankingMethod("lexical", "lexical", "max", "calibrated TF-IDF cosine of the best document"),
        RankingMethod("lexical-topk", "lexical", "topk_mean", "calibrated TF-IDF cosine, top-k mean"),
        RankingMethod("hybrid-max", "hybrid", "max", "dense + lexical fusion, best document"),
        RankingMethod("hybrid-topk", "hybrid", "topk_mean", "dense + lexical fusion, top-k documents mean"),
        RankingMethod("hybrid-softmax", "hybrid", "softmax", "dense + lexical fusion, log-mean-exp pooling"),
        RankingMethod(
            "hybrid-topk-softmax",
            "hybrid",
            "topk_softmax",
            "dense + lexical fusion, log-mean-exp over the top-k",
        ),
        RankingMethod(
            "dense-topk-lse",
            "dense",
            "topk_lse",
            "log-sum-exp of calibrated cosines over the top-k documents",
        ),
        RankingMethod(
            "hybrid-topk-lse", "hybrid", "topk_lse", "dense + lexical fusion, log-sum-exp over the top-k"
        ),
        RankingMethod(
            "learned",
            "hybrid",
            "learned",
            "linear combiner of dense max, dense top-k lse, lexical probit max, hybrid top-k, log size",
        ),
    )
}

DEFAULT_METHOD = "learned"
