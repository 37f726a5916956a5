"""Why a suggestion was made: key terms, the best sentence, the evidence excerpt.

:class:`MatchExplainer` holds what :class:`~matcher.services.matching.ProgrammeMatcher`
fitted (the ranker, the documents and their texts) and builds the reasons of the
(query, profile) pairs it returns, with :func:`matcher.ranking.explain`.  Sentences of a
request are embedded in one ``encode`` call per encoder, through the vector cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.embeddings.base import Encoder
from matcher.ranking import ProfileRanker, best_document, explain
from matcher.ranking.reasons import generic_terms
from matcher.ranking.rules import frame_words, specific_sentences

__all__ = ["MatchExplainer", "MatchRow", "QueryScores", "availability_note", "excerpt"]


@dataclass(frozen=True)
class QueryScores:
    """What one scoring pass over some queries produced ."""

    scores: np.ndarray  # (n_queries, n_profiles)
    fused: Any  # FusedScores, (n_queries, n_docs)
    main: np.ndarray  # (n_queries, dim) main-encoder query vectors
    multi: np.ndarray | None  # (n_queries, dim_multi) multilingual query vectors
    texts: list[str]
    languages: list[str]


@dataclass(frozen=True)
class MatchRow:
    """One returned (query, profile) pair before its reasons are computed ."""

    query: int
    profile: int
    score: float
    query_skills: tuple[str, ...]
    filters: list[str]
    availability: str | None = None


def availability_note(
    start: dt.date | None, end: dt.date | None, available_from: dt.date | None, available_to: dt.date | None
) -> str | None:
    """How a candidate's availability window meets the challenge's ``[opened, deadline]``, for the reasons.

    ``None`` when either side states no window; else ``"within the challenge's window"``,
    ``"from <date>, after the deadline"`` or ``"until <date>, before the challenge opened"``.
    """
    if available_from is None and available_to is None:
        return None
    if start is None and end is None:
        return None
    if end is not None and available_from is not None and available_from > end:
        return f"from {available_from.isoformat()}, after the deadline {end.isoformat()}"
    if start is not None and available_to is not None and available_to < start:
        return f"until {available_to.isoformat()}, before the challenge opened {start.isoformat()}"
    return "within the challenge's window"


def excerpt(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class MatchExplainer:
    """Reasons for returned pairs, over one fit's documents (memoises sentences and generic terms)."""

    def __init__(
        self,
        *,
        encoder: Encoder,
        multi_encoder: Encoder | None,
        ranker: ProfileRanker,
        doc_profile: np.ndarray,
        doc_ids: Sequence[str],
        doc_originals: Sequence[str],
        doc_lang: Sequence[str],
        common: Any,
    ) -> None:
        self.encoder = encoder
        self.multi_encoder = multi_encoder
        self.ranker = ranker
        self.doc_profile = doc_profile
        self.doc_ids = doc_ids
        self.doc_originals = doc_originals
        self.doc_lang = doc_lang
        self.common = common
        self._doc_sentences: dict[int, list[tuple[str, str]]] = {}
        self._generic: np.ndarray | None = None

    def tfidf(self, texts: Sequence[str]) -> dict[str, Any]:
        """TF-IDF inputs of :func:`explain` (shared key terms), when the method has a lexical part."""
        lexical = getattr(self.ranker, "lexical_", None)
        if lexical is None:
            return {}
        if self._generic is None:
            frames = frame_words(self.doc_originals, self.common)  # words of shared templates
            self._generic = generic_terms(
                lexical.doc_matrix_, self.doc_profile, terms=lexical.terms_, frame_words=frames
            )
        return {
            "query_tfidf": lexical.transform(list(texts)),
            "doc_tfidf": lexical.doc_matrix_,
            "terms": lexical.terms_,
            "exclude_terms": self._generic,
        }

    def sentences(self, doc: int) -> list[tuple[str, str]]:
        """Document ``doc``'s sentences as written, each with its specific part, memoised per fit.

        (:func:`~matcher.ranking.rules.specific_sentences`: the specific part is embedded and
        scored, the sentence as written is quoted.)
        """
        cached = self._doc_sentences.get(doc)
        if cached is None:
            cached = specific_sentences(self.doc_originals[doc], self.common)
            self._doc_sentences[doc] = cached
        return cached

    def sentence_vectors(
        self, pairs: Sequence[tuple[int, int]], qs: QueryScores
    ) -> list[tuple[list[str], np.ndarray, np.ndarray]]:
        """Sentences of each pair's best document, their vectors and the matching query vector.

        ``pairs`` holds ``(query row, best document index)`` for the returned suggestions
        only.  A pair is embedded with the encoder that scored it: the main encoder, or
        the multilingual one when the two sides' languages differ and one is configured
        (as in :class:`~matcher.ranking.HybridScorer`).  All sentences of a request go
        to each encoder in **one** ``encode`` call, through the vector cache, so a repeated
        request embeds nothing.
        """
        use_multi = [
            self.multi_encoder is not None and qs.multi is not None and qs.languages[qi] != self.doc_lang[d]
            for qi, d in pairs
        ]
        wanted: dict[bool, list[int]] = {False: [], True: []}
        for (_, d), multi in zip(pairs, use_multi, strict=True):
            if d not in wanted[multi]:
                wanted[multi].append(d)
        vectors: dict[tuple[bool, int], np.ndarray] = {}
        for multi, docs in wanted.items():
            if not docs:
                continue
            encoder = self.multi_encoder if multi else self.encoder
            assert encoder is not None
            texts = [specific for d in docs for _, specific in self.sentences(d)]
            encoded = encoder.encode(texts)
            start = 0
            for d in docs:
                n = len(self.sentences(d))
                vectors[multi, d] = encoded[start : start + n]
                start += n
        out = []
        for (qi, d), multi in zip(pairs, use_multi, strict=True):
            query_vector = qs.multi[qi] if multi else qs.main[qi]  # type: ignore[index]
            out.append(([written for written, _ in self.sentences(d)], vectors[multi, d], query_vector))
        return out

    def explain_all(
        self, qs: QueryScores, rows: Sequence[MatchRow], *, profile_skills: Sequence[Sequence[str]]
    ) -> list[dict[str, Any]]:
        """Reasons (``MatchReasons.to_dict()`` plus an excerpt) for each returned (query, profile) pair."""
        fused = qs.fused
        best = [best_document(fused.score[r.query], self.doc_profile, r.profile)[0] for r in rows]
        evidence = self.sentence_vectors([(r.query, d) for r, d in zip(rows, best, strict=True)], qs)
        tfidf_by_query: dict[int, dict[str, Any]] = {}
        out = []
        for r, d, (sentences, sent_vectors, query_vector), skills in zip(
            rows, best, evidence, profile_skills, strict=True
        ):
            if r.query not in tfidf_by_query:
                tfidf_by_query[r.query] = self.tfidf([qs.texts[r.query]])
            reasons = explain(
                doc_scores=fused.score[r.query], dense_part=fused.dense[r.query],
                lexical_part=fused.lexical[r.query], doc_profile=self.doc_profile, profile=r.profile,
                score=r.score, doc_ids=self.doc_ids, query_language=qs.languages[r.query],
                doc_languages=self.doc_lang, query_vector=query_vector, sentence_vectors=sent_vectors,
                sentences=sentences, query_skills=r.query_skills, profile_skills=skills,
                filters_applied=r.filters, **tfidf_by_query[r.query],
            ).to_dict()  # fmt: skip
            reasons.pop("best_document", None)
            reasons.pop("best_sentence", None)
            reasons["best_document_excerpt"] = excerpt(self.doc_originals[d])
            if r.availability is not None:
                reasons["availability"] = r.availability
            out.append(reasons)
        return out
