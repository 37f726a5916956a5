"""The benchmark's ``rank`` callables: fit a ranker per (method, settings) and score every challenge.

Every text is embedded once (through the cached encoders, so later runs embed nothing); each
(method, settings) pair then fits a :class:`~matcher.ranking.ProfileRanker` over all profiles
and scores every challenge in one batch.  On the demo, candidates are restricted by the
product's own match rules (:func:`evaluation.corpora.rules_mask`), so the benchmark measures the
ranking that ``matcher match`` returns; a real data set is ranked at full depth, every profile
for every challenge, as ``matcher rank --top-k 0``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .corpora import DemoCorpus, FileDataset, rules_mask

__all__ = ["REFERENCES", "TOP_K", "make_file_rank", "make_rank"]

TOP_K = 100

#: Fixed references the benchmark can run next to the methods: a name, the method and its
#: exact settings (no grid).  ``previous-default`` is the product default before real data
#: entered the loop (hybrid-softmax, lexical weight 0.6, temperature 0.5, z-scores).
REFERENCES: dict[str, tuple[str, dict[str, Any]]] = {
    "previous-default": (
        "hybrid-softmax",
        {"lexical_weight": 0.6, "temperature": 0.5, "topk": 3, "calibration": "zscore"},
    ),
}


def _resolve(method: str, settings: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A reference name becomes its method and settings; a method keeps its own."""
    if method in REFERENCES:
        base, fixed = REFERENCES[method]
        return base, dict(fixed)
    return method, dict(settings)


def _scorer(fit: Mapping[str, Any], query: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    """``scores_for(method, settings)``: fit a ranker on ``fit`` and score ``query``, one setting cached."""
    from matcher.embeddings.language import stop_words
    from matcher.ranking import ProfileRanker, RankingConfig

    fitted: dict[str, np.ndarray] = {}

    def scores_for(method: str, settings: Mapping[str, Any]) -> np.ndarray:
        method, settings = _resolve(method, settings)
        key = json.dumps([method, dict(settings)], sort_keys=True)
        if key not in fitted:
            ranker = ProfileRanker(method=method, config=RankingConfig(**settings), stop_words=stop_words())
            ranker.fit(**fit)
            fitted.clear()  # keep one fitted score matrix at a time
            fitted[key] = ranker.score(**query)
        return fitted[key]

    return scores_for


def make_rank(corpus: DemoCorpus):  # type: ignore[no-untyped-def]
    """The ``rank(method, challenges, profiles, *, settings, match_type)`` callable of the benchmark."""
    from matcher.ranking import top_k_scores

    masks: dict[str, np.ndarray] = {}
    scores_for = _scorer(
        dict(doc_profile=corpus.doc_profile, doc_vectors=corpus.doc_vectors, doc_texts=corpus.doc_texts,
             doc_multi_vectors=corpus.doc_multi, doc_lang=corpus.doc_lang, n_profiles=len(corpus.profile_ids),
             model_id=corpus.model_id, multi_model_id=corpus.multi_model_id),
        dict(query_vectors=corpus.challenge_vectors, query_texts=corpus.challenge_texts,
             query_multi_vectors=corpus.challenge_multi, query_lang=corpus.challenge_lang,
             model_id=corpus.model_id, multi_model_id=corpus.multi_model_id),
    )  # fmt: skip

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ) -> dict[str, dict[str, float]]:
        scores = scores_for(method, settings)
        if match_type not in masks:
            masks[match_type] = rules_mask(corpus, match_type)
        wanted = {c if isinstance(c, str) else c["id"] for c in challenges}
        rows = [i for i, cid in enumerate(corpus.challenge_ids) if cid in wanted]
        masked = np.where(masks[match_type], scores, -np.inf)[rows]
        idx, top = top_k_scores(masked, TOP_K)
        run: dict[str, dict[str, float]] = {}
        for r, i in enumerate(rows):
            run[corpus.challenge_ids[i]] = {
                corpus.profile_ids[j]: float(s) for j, s in zip(idx[r], top[r], strict=True) if j >= 0
            }
        return run

    return rank


def make_file_rank(dataset: FileDataset):  # type: ignore[no-untyped-def]
    """``rank(...)`` over a file data set: every profile for every challenge, as ``matcher rank --top-k 0``."""
    from matcher.ranking import top_k_scores

    inp = dataset.inputs
    scores_for = _scorer(
        dict(doc_profile=inp.doc_profile, doc_vectors=inp.doc_vectors, doc_texts=inp.doc_texts,
             doc_multi_vectors=inp.doc_multi, doc_lang=inp.doc_lang, n_profiles=len(inp.profile_ids),
             model_id=inp.model_id, multi_model_id=inp.multi_model_id),
        dict(query_vectors=inp.query_vectors, query_texts=inp.query_texts, query_multi_vectors=inp.query_multi,
             query_lang=inp.query_lang, model_id=inp.model_id, multi_model_id=inp.multi_model_id),
    )  # fmt: skip

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ) -> dict[str, dict[str, float]]:
        scores = scores_for(method, settings)
        wanted = {c if isinstance(c, str) else c["id"] for c in challenges}
        rows = [i for i, cid in enumerate(inp.query_ids) if cid in wanted]
        idx, top = top_k_scores(scores[rows], 0)
        return {
            inp.query_ids[i]: {
                inp.profile_ids[j]: float(x) for j, x in zip(idx[r], top[r], strict=True) if j >= 0
            }
            for r, i in enumerate(rows)
        }

    return rank
