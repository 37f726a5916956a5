"""The built-in benchmark's inputs: the demo programme, its ground truth, and a ranker.

Every text is embedded once (through the cached encoders, so later runs embed
nothing); each (method, settings) pair then fits a
:class:`~matcher.ranking.ProfileRanker` over all demo profiles and scores every
challenge in one batch.  For a match type, candidates are restricted exactly as the
product restricts them (the kinds of :data:`matcher.services.matching.CANDIDATE_KINDS`,
and another country for ``partner``), so the benchmark measures the ranking that
users get.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .io import read_qrels

MATCH_TYPES = ("consultancy", "placement", "partner", "facility")
TOP_K = 100

#: Settings tried on the dev split for each family of methods (RankingConfig fields).
SETTINGS_GRID: dict[str, list[dict[str, Any]]] = {
    "dense-topk": [{"topk": 1}, {"topk": 2}, {"topk": 3}, {"topk": 5}],
    "dense-softmax": [{"temperature": 0.5}, {"temperature": 1.0}, {"temperature": 2.0}],
    "lexical-topk": [{"topk": 2}, {"topk": 3}],
    "hybrid-max": [{"lexical_weight": w} for w in (0.2, 0.3, 0.5, 0.7)],
    "hybrid-topk": [{"lexical_weight": w, "topk": k} for w in (0.2, 0.3, 0.5, 0.7) for k in (2, 3)],
    "hybrid-topk-softmax": [
        {"lexical_weight": w, "temperature": tau, "topk": k}
        for w in (0.4, 0.5, 0.6, 0.7)
        for tau in (0.5, 1.0)
        for k in (2, 3)
    ],
    "hybrid-softmax": [
        {"lexical_weight": w, "temperature": tau}
        for w in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
        for tau in (0.5, 1.0)
    ],
}


@dataclass
class DemoCorpus:
    """Embedded demo profiles and challenges, ready for any ranking method."""

    profile_ids: list[str]
    profile_kind: np.ndarray  # (n_profiles,) object
    profile_country: np.ndarray  # (n_profiles,) object
    doc_profile: np.ndarray  # (n_docs,) int
    doc_texts: list[str]
    doc_lang: list[str]
    doc_vectors: np.ndarray
    doc_multi: np.ndarray | None
    challenge_ids: list[str]
    challenge_texts: list[str]
    challenge_lang: list[str]
    challenge_country: np.ndarray
    challenge_vectors: np.ndarray
    challenge_multi: np.ndarray | None
    model_id: str
    multi_model_id: str | None


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_demo_corpus(data: Path, encoder: Any, multi_encoder: Any | None) -> DemoCorpus:
    """Read the demo files in ``data`` and embed every document and challenge."""
    from matcher.store.matching_repository import challenge_text_of

    orgs = {o["id"]: o for o in _jsonl(data / "organisations.jsonl")}
    people = {p["id"]: p for p in _jsonl(data / "people.jsonl")}
    facilities = {f["id"]: f for f in _jsonl(data / "facilities.jsonl")}
    profiles = sorted(_jsonl(data / "profiles.jsonl"), key=lambda p: p["id"])
    docs = _jsonl(data / "documents.jsonl")
    index = {p["id"]: i for i, p in enumerate(profiles)}
    kinds, countries = [], []
    for p in profiles:
        owner = p["owner_id"]
        if p["owner_type"] == "organisation":
            kinds.append(orgs[owner]["kind"])
            countries.append(orgs[owner]["country"])
        elif p["owner_type"] == "person":
            kinds.append(people[owner]["kind"])
            countries.append(orgs[people[owner]["organisation_id"]]["country"])
        else:
            kinds.append(facilities[owner]["kind"])
            countries.append(facilities[owner]["country"])
    docs = [d for d in docs if d["profile_id"] in index]
    challenges = sorted(_jsonl(data / "challenges.jsonl"), key=lambda c: c["id"])
    ch_texts = [
        challenge_text_of(c["title"], c["description"], c.get("required_skills", [])) for c in challenges
    ]
    doc_texts = [d["text"] for d in docs]
    return DemoCorpus(
        profile_ids=[p["id"] for p in profiles],
        profile_kind=np.array(kinds, dtype=object),
        profile_country=np.array(countries, dtype=object),
        doc_profile=np.array([index[d["profile_id"]] for d in docs], dtype=np.int64),
        doc_texts=doc_texts,
        doc_lang=[d.get("language", "en") for d in docs],
        doc_vectors=encoder.encode(doc_texts, progress=True),
        doc_multi=multi_encoder.encode(doc_texts, progress=True) if multi_encoder else None,
        challenge_ids=[c["id"] for c in challenges],
        challenge_texts=ch_texts,
        challenge_lang=[c.get("language", "en") for c in challenges],
        challenge_country=np.array([orgs[c["sme_id"]]["country"] for c in challenges], dtype=object),
        challenge_vectors=encoder.encode(ch_texts, progress=True),
        challenge_multi=multi_encoder.encode(ch_texts, progress=True) if multi_encoder else None,
        model_id=encoder.model_id,
        multi_model_id=multi_encoder.model_id if multi_encoder else None,
    )


def make_rank(corpus: DemoCorpus):  # type: ignore[no-untyped-def]
    """The ``rank(method, challenges, profiles, *, settings, match_type)`` callable of the benchmark."""
    from matcher.embeddings.language import stop_words
    from matcher.ranking import ProfileRanker, RankingConfig, top_k_scores
    from matcher.services.matching import CANDIDATE_KINDS
    from matcher.types import Programme

    fitted: dict[tuple[str, str], Any] = {}

    def scores_for(method: str, settings: Mapping[str, Any]) -> np.ndarray:
        key = (method, json.dumps(dict(settings), sort_keys=True))
        if key not in fitted:
            ranker = ProfileRanker(
                method=method, config=RankingConfig(**settings), stop_words=stop_words()
            ).fit(
                corpus.doc_profile, doc_vectors=corpus.doc_vectors, doc_texts=corpus.doc_texts,
                doc_multi_vectors=corpus.doc_multi, doc_lang=corpus.doc_lang,
                n_profiles=len(corpus.profile_ids), model_id=corpus.model_id, multi_model_id=corpus.multi_model_id,
            )  # fmt: skip
            fitted.clear()  # keep one fitted score matrix at a time
            fitted[key] = ranker.score(
                query_vectors=corpus.challenge_vectors, query_texts=corpus.challenge_texts,
                query_multi_vectors=corpus.challenge_multi, query_lang=corpus.challenge_lang,
                model_id=corpus.model_id, multi_model_id=corpus.multi_model_id,
            )  # fmt: skip
        return fitted[key]

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ) -> dict[str, dict[str, float]]:
        scores = scores_for(method, settings)
        allowed = np.isin(corpus.profile_kind, list(CANDIDATE_KINDS[Programme(match_type)]))[None, :]
        if match_type == "partner":
            allowed = allowed & (corpus.challenge_country[:, None] != corpus.profile_country[None, :])
        wanted = {c if isinstance(c, str) else c["id"] for c in challenges}
        rows = [i for i, cid in enumerate(corpus.challenge_ids) if cid in wanted]
        masked = np.where(np.broadcast_to(allowed, scores.shape), scores, -np.inf)[rows]
        idx, top = top_k_scores(masked, TOP_K)
        run: dict[str, dict[str, float]] = {}
        for r, i in enumerate(rows):
            run[corpus.challenge_ids[i]] = {
                corpus.profile_ids[j]: float(s) for j, s in zip(idx[r], top[r], strict=True) if j >= 0
            }
        return run

    return rank


def benchmark_inputs(data: Path | None, var_dir: Path) -> tuple[Any, Any, Any, Any, Any, Any, Any]:
    """``(challenges, profiles, qrels_by_type, rank, methods, settings_grid, model)`` for the CLI."""
    from matcher.config import load_settings
    from matcher.demo import generate
    from matcher.ranking import METHODS
    from matcher.services.engine import make_encoders

    if data is None:
        data = var_dir / "demo"
    if not (data / "ground_truth").exists():
        generate(data)
    qrels_by_type = {}
    for match_type in MATCH_TYPES:
        path = data / "ground_truth" / f"{match_type}.qrels"
        if path.exists():
            qrels_by_type[match_type] = read_qrels(path)
    encoder, multi = make_encoders(load_settings())
    corpus = load_demo_corpus(data, encoder, multi)
    model = {"model": corpus.model_id, "multilingual_model": corpus.multi_model_id, "data": str(data)}
    return (
        corpus.challenge_ids, corpus.profile_ids, qrels_by_type, make_rank(corpus), list(METHODS),
        SETTINGS_GRID, model,
    )  # fmt: skip
