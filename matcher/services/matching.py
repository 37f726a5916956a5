"""Matching on the stored programme: the four match types, both directions, with reasons.

This orchestration layer reads the programme from the store, embeds every
profile document once (through the cached encoders, so only new texts are ever
embedded), fits a :class:`~matcher.ranking.ProfileRanker` over all profiles, and
answers:

- :meth:`ProgrammeMatcher.suggest` -- a challenge's best candidates for a match type;
- :meth:`ProgrammeMatcher.fits` -- the challenges a capability profile fits best;
- :meth:`ProgrammeMatcher.partners` -- cross-border partners for an organisation.

Candidate sets and rules per match type (``docs/matching.md``):

- ``consultancy``: research groups, academics, students; a student's availability
  must overlap the challenge's window; the SME's own staff never appear.
- ``placement`` (Change of Perspective): academics, to go into the SME (SME staff going
  into research groups is a placement round: :mod:`matcher.services.allocation_rounds`).
- ``partner``: HEIs, research groups and SMEs in *another country*; organisations that
  already have a relationship with the SME are left out.
- ``facility``: facilities, optionally of given kinds, with capacity for the team and
  an availability window overlapping the challenge's.

On every type: only candidates that consented and are public (or private within the
query's council), never the query's own organisation, and the caller's filters
(council, country, language, organisation type).  The freshness check
(:meth:`ProgrammeMatcher.ensure_fresh`) refits when profiles or documents changed, so a
new or edited profile is matchable at once without re-embedding what did not change.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.domain.matches import Suggestion
from matcher.embeddings.base import Encoder
from matcher.embeddings.language import stop_words
from matcher.embeddings.shared import encode_shared
from matcher.exceptions import NotFoundError, ValidationError
from matcher.ranking import METHODS, ProfileRanker, RankingConfig
from matcher.ranking import filters as F
from matcher.ranking.rules import (
    CANDIDATE_KINDS,
    CandidateTable,
    MatchFilters,
    QueryRules,
    candidate_mask,
    common_sentences,
    strip_common_sentences,
)
from matcher.services.fit_disclosure import fit_suggestions
from matcher.services.graph import PartnerGraph
from matcher.services.serving import AnswerCache, filters_key
from matcher.services.suggestions import MatchExplainer, MatchRow, QueryScores, availability_note
from matcher.store import Session
from matcher.store import challenges as challenges_store
from matcher.store import corpus as corpus_store
from matcher.store import graph as graph_store
from matcher.store.changes import corpus_generation

log = logging.getLogger(__name__)


__all__ = ["CANDIDATE_KINDS", "MatchFilters", "ProgrammeMatcher", "Suggestion"]  # rules re-exported


def give_back_free_heap() -> bool:
    """Hand the heap that a fit freed back to the system (glibc ``malloc_trim``); False elsewhere.

    glibc keeps freed memory for reuse. After a fit that embedded a new corpus, that is the
    encoders' batches and the copies made while loading: at 10k profiles with the real
    encoders, 186 of 272 MB that embedding added to the process (docs/performance.md).
    """
    try:
        import ctypes

        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0) >= 0)
    except (OSError, AttributeError):  # not glibc
        return False


class ProgrammeMatcher:
    """Fitted ranking state over the stored programme; thread-safe refresh.

    Parameters
    ----------
    encoder : Encoder
        Main encoder (cached), e.g. all-MiniLM-L6-v2.
    multi_encoder : Encoder, optional
        Multilingual encoder for cross-language pairs.
    method : str
        A key of :data:`matcher.ranking.METHODS`.
    config : RankingConfig, optional
    answer_cache : int
        Answers kept materialised (:class:`~matcher.services.serving.AnswerCache`), keyed by
        the freshness stamp and every input of the answer; ``0`` computes every answer afresh.
    freshness_interval : float
        Seconds for which a freshness check stands while this process commits no change to
        profiles, documents or their owners (:func:`~matcher.store.changes.corpus_generation`);
        ``0`` (the default) reads the stamp on every request.  Changes written by other
        processes are then seen within this many seconds.
    shared_vectors : Path, optional
        Directory of the document matrices shared by every process that fits the same
        documents (:func:`matcher.embeddings.shared.encode_shared`: one read-only memory-mapped
        file per model and corpus); ``None`` (the default) keeps them in this process.
    """

    def __init__(
        self,
        *,
        encoder: Encoder,
        multi_encoder: Encoder | None = None,
        method: str | None = None,
        config: RankingConfig | None = None,
        progress: bool = False,
        graph_weight: float = 0.0,
        answer_cache: int = 8192,
        freshness_interval: float = 0.0,
        shared_vectors: Path | None = None,
    ) -> None:
        from matcher.ranking import DEFAULT_METHOD

        self.encoder = encoder
        self.multi_encoder = multi_encoder
        self.method = method or DEFAULT_METHOD
        if self.method not in METHODS:
            raise ValidationError(f"unknown method {self.method!r}; choose from {', '.join(METHODS)}")
        self.config = config
        self.progress = progress
        self.graph_weight = graph_weight
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self.answers = AnswerCache(answer_cache)
        self.freshness_interval = freshness_interval
        self.shared_vectors = shared_vectors
        self._checked: tuple[int, float] = (-1, 0.0)  # (corpus generation, monotonic time) of the last check
        self._prepared: set[tuple[str, str]] | None = None  # (challenge id, query text) embedded by prepare()

    # ------------------------------------------------------------------ fitting
    def ensure_fresh(self, *, session: Session) -> None:
        """(Re)fit when the stored profiles or documents changed since the last fit."""
        generation, now = corpus_generation(), time.monotonic()
        checked_generation, checked_at = self._checked
        if (
            self._stamp is not None
            and generation == checked_generation
            and now - checked_at < self.freshness_interval
        ):
            return  # nothing committed here since a check that is recent enough
        stamp = corpus_store.corpus_stamp(session=session)
        if stamp == self._stamp:
            self._checked = (generation, now)
            return
        with self._lock:
            if stamp != self._stamp:
                self._fit(session=session)
                self._stamp = stamp
            self._checked = (generation, now)

    def _fit(self, *, session: Session) -> None:
        corpus = corpus_store.load_corpus(session=session)
        self.answers.clear()  # answers of the previous fit can never be asked for again (their stamp is gone)
        if not corpus.documents:
            raise NotFoundError("no capability profiles with documents are stored; import some first")
        self.candidates_ = corpus.candidates
        self.profile_index_ = {c.profile_id: i for i, c in enumerate(corpus.candidates)}
        self.doc_ids_ = [d.id for d in corpus.documents]
        self.doc_profile_ = np.array(
            [self.profile_index_[d.profile_id] for d in corpus.documents], dtype=np.int64
        )
        self.doc_originals_ = [d.text for d in corpus.documents]
        # boilerplate that many profiles share neither carries a match nor is cited as its reason
        self.common_ = common_sentences(self.doc_originals_, self.doc_profile_)
        # what is embedded and indexed; needed only to fit, so not kept (the originals are cited)
        doc_texts = strip_common_sentences(self.doc_originals_, self.common_)
        self.doc_lang_ = [d.language for d in corpus.documents]
        del corpus  # the records are in the arrays above now
        log.info("embedding %d documents of %d profiles", len(doc_texts), len(self.candidates_))
        shared = self.shared_vectors
        self.doc_vectors_ = encode_shared(self.encoder, doc_texts, shared, progress=self.progress)
        self.doc_multi_ = (
            encode_shared(self.multi_encoder, doc_texts, shared, progress=self.progress)
            if self.multi_encoder
            else None
        )
        self.ranker_ = ProfileRanker(method=self.method, config=self.config, stop_words=stop_words()).fit(
            self.doc_profile_,
            doc_vectors=self.doc_vectors_,
            doc_texts=doc_texts,
            doc_multi_vectors=self.doc_multi_,
            doc_lang=self.doc_lang_,
            n_profiles=len(self.candidates_),
            model_id=self.encoder.model_id,
            multi_model_id=self.multi_encoder.model_id if self.multi_encoder else None,
        )
        self._table = CandidateTable.from_records(self.candidates_)  # what the match rules read
        self._available_from = [c.available_from for c in self.candidates_]
        self._available_to = [c.available_to for c in self.candidates_]
        self.explainer_ = MatchExplainer(
            encoder=self.encoder, multi_encoder=self.multi_encoder, ranker=self.ranker_,
            doc_profile=self.doc_profile_, doc_ids=self.doc_ids_,
            doc_originals=self.doc_originals_, doc_lang=self.doc_lang_, common=self.common_,
        )  # fmt: skip
        give_back_free_heap()  # what loading, stripping and embedding freed (docs/performance.md)

    # ------------------------------------------------------------------ scoring helpers
    def _query_scores(self, texts: Sequence[str], languages: Sequence[str]) -> QueryScores:
        """Profile scores (n_queries, n_profiles), fused document scores and the query vectors."""
        texts = strip_common_sentences(texts, self.common_)
        qv = self.encoder.encode(list(texts))
        qm = self.multi_encoder.encode(list(texts)) if self.multi_encoder else None
        kwargs: dict[str, Any] = dict(
            query_vectors=qv, query_texts=list(texts), query_multi_vectors=qm, query_lang=list(languages),
            model_id=self.encoder.model_id,
            multi_model_id=self.multi_encoder.model_id if self.multi_encoder else None,
        )  # fmt: skip
        fused = self.ranker_.score_documents(**kwargs)
        scores = self.ranker_.pool(fused)  # the same numbers as ranker_.score, computed once
        return QueryScores(scores, fused, qv, qm, list(texts), list(languages))

    def _mask(
        self, match_type: t.Programme, query: corpus_store.QueryContext, filters: MatchFilters
    ) -> F.FilterOutcome:
        """The match rules (:func:`matcher.ranking.rules.candidate_mask`) for one query: shape (1, n)."""
        rules = QueryRules(
            query.council, query.country, query.organisation_id, query.related, query.start, query.end
        )
        return candidate_mask(match_type, [rules], self._table, filters)

    def _suggestions(
        self,
        qs: QueryScores,
        outcome: F.FilterOutcome,
        k: int,
        query: corpus_store.QueryContext,
        extra_filters: list[str],
    ) -> list[Suggestion]:
        masked = np.where(outcome.mask[0], qs.scores[0], -np.inf)
        allowed = int(np.isfinite(masked).sum())
        k = allowed if k <= 0 else min(k, allowed)
        if k == 0:
            return []
        top = np.argpartition(-masked, k - 1)[:k] if k < masked.size else np.arange(masked.size)
        top = top[np.argsort(-masked[top], kind="stable")][:k]
        filters = list(outcome.applied) + extra_filters
        rows = [
            MatchRow(0, int(j), float(masked[j]), tuple(query.skills), filters,
                 availability_note(query.start, query.end, self._available_from[j], self._available_to[j]))
            for j in top
        ]  # fmt: skip
        reasons = self.explainer_.explain_all(
            qs, rows, profile_skills=[self.candidates_[r.profile].skills for r in rows]
        )
        out = []
        for rank, (r, why) in enumerate(zip(rows, reasons, strict=True), start=1):
            c = self.candidates_[r.profile]
            out.append(
                Suggestion(t.NodeType(c.owner_type), c.owner_id, r.score, why, rank=rank, name=c.name,
                           kind=c.kind, council=c.council, country=c.country, profile_id=c.profile_id)
            )  # fmt: skip
        return out

    def prepare(self, *, session: Session) -> list[str]:
        """Do now, after a write, what the next read would otherwise do first; the ids prepared.

        Refits when profiles or documents changed (new documents are embedded here), embeds
        the query text of every open challenge in one batch through the vector cache (a text
        embedded before costs a lookup), and, for each challenge that is new or whose text
        changed since the previous call, computes its suggestions for every match type it
        asks for (which embeds the sentences its reasons quote), so that its first read only
        scores from memory.  The first call records the challenges it finds without
        computing their suggestions: that is the warm-up, and reads then fill the answers.
        Call it from a background job (:class:`api.matching.Refresher`), never from a request.
        """
        self.ensure_fresh(session=session)
        found = challenges_store.open_challenges(session=session)
        seen = {(c.challenge_id, c.text) for c in found}
        first, before = self._prepared is None, self._prepared or set()
        fresh = [c for c in found if (c.challenge_id, c.text) not in before]
        if fresh:
            texts = strip_common_sentences([c.text for c in fresh], self.common_)
            self.encoder.encode(list(texts), progress=self.progress)
            if self.multi_encoder is not None:
                self.multi_encoder.encode(list(texts), progress=self.progress)
            give_back_free_heap()  # the encoders' batches
        self._prepared = seen
        if first:
            return []
        for c in fresh:
            for match_type in [t.Programme(p) for p in c.programmes] or list(t.Programme):
                self.suggest(c.challenge_id, match_type, session=session)
        return [c.challenge_id for c in fresh]

    # ------------------------------------------------------------------ queries
    def suggest(
        self,
        challenge_id: str,
        match_type: t.Programme | str,
        *,
        session: Session,
        k: int = 10,
        filters: MatchFilters | None = None,
    ) -> list[Suggestion]:
        """The best candidates of ``match_type`` for a stored challenge.

        Raises
        ------
        NotFoundError
            Unknown challenge.
        ValidationError
            Unknown match type.
        """
        match_type = _programme(match_type)
        filters = filters or MatchFilters()
        self.ensure_fresh(session=session)
        query = corpus_store.challenge_context(challenge_id, session=session)
        key = ("suggest", self._stamp, query, match_type, filters_key(filters), k)
        return self.answers.get_or_compute(key, lambda: self._suggest(query, match_type, filters, k))

    def _suggest(
        self, query: corpus_store.QueryContext, match_type: t.Programme, filters: MatchFilters, k: int
    ) -> list[Suggestion]:
        qs = self._query_scores([query.text], [query.language])
        outcome = self._mask(match_type, query, filters)
        return self._suggestions(qs, outcome, k, query, filters.describe())

    def partners(
        self, organisation_id: str, *, session: Session, k: int = 10, filters: MatchFilters | None = None
    ) -> list[Suggestion]:
        """Cross-border partners for an organisation, from its profile and its challenges' texts."""
        filters = filters or MatchFilters()
        self.ensure_fresh(session=session)
        query = corpus_store.organisation_context(organisation_id, session=session)
        key = (
            "partners",
            self._stamp,
            graph_store.graph_stamp(session=session),
            query,
            filters_key(filters),
            k,
        )
        return self.answers.get_or_compute(
            key, lambda: self._partners(organisation_id, query, filters, k, session)
        )

    def _partners(
        self,
        organisation_id: str,
        query: corpus_store.QueryContext,
        filters: MatchFilters,
        k: int,
        session: Session,
    ) -> list[Suggestion]:
        qs = self._query_scores([query.text], [query.language])
        outcome = self._mask(t.Programme.PARTNER, query, filters)
        # the collaboration graph (docs/graph.md): link prediction + novelty, blended with graph_weight
        graph = PartnerGraph.for_query(
            organisation_id, self._table.owner_id, self._table.country, query.country, session=session
        )
        qs.scores[0] = graph.blend(qs.scores[0], weight=self.graph_weight)
        return graph.explain(self._suggestions(qs, outcome, k, query, filters.describe()))

    def fits(
        self,
        profile_id: str,
        *,
        session: Session,
        k: int = 10,
        include_private_of: str | None = None,
        reveal: Callable[[Ownership], bool] | None = None,
    ) -> list[Suggestion]:
        """The open challenges that a capability profile fits best (the reverse direction).

        Scores are the same numbers as :meth:`suggest` gives for the pair, because the
        ranker's scores do not depend on the other queries or candidates.  Listed are
        open challenges, public and private, not of the profile's own organisation, that
        ask for a match type whose candidates include the profile's kind (a challenge
        without programmes asks for any), and that opened before the candidate's
        availability ended.

        A private challenge is shown in full only when the caller may read it --
        ``reveal(ownership)`` is true, or it is of council ``include_private_of`` -- or when
        its side approved contact with the profile's owner.  Otherwise it is *anonymised*:
        no id, SME, title or text; ``candidate_id`` and ``match_id`` name the match record
        between the challenge and the profile's owner (stored as ``proposed`` in
        ``session`` when new, under the first match type, in :class:`~matcher.types.Programme`
        order, that the challenge asks for and the profile's kind serves), ``summary`` holds
        sector, council, country, language, skills and programmes, and the reasons keep only
        :data:`~matcher.services.outcomes.disclosure.ANONYMISED_REASONS`.  The caller commits.
        """
        self.ensure_fresh(session=session)
        if profile_id not in self.profile_index_:
            raise NotFoundError(f"no capability profile with id {profile_id!r} (or it has no documents)")
        j = self.profile_index_[profile_id]
        cand = self.candidates_[j]
        serves = [p for p in t.Programme if cand.kind in CANDIDATE_KINDS[p]]
        types = {p.value for p in serves}
        challenges = [
            c for c in challenges_store.open_challenges(session=session)
            if c.organisation_id != cand.organisation_id
            and (not c.programmes or types & set(c.programmes))
            and (c.opened is None or cand.available_to is None or cand.available_to >= c.opened)
        ]  # fmt: skip
        if not challenges:
            return []
        key = ("fits", self._stamp, profile_id, tuple(challenges), k)
        rows, reasons = self.answers.get_or_compute(key, lambda: self._fit_rows(j, challenges, k))

        return fit_suggestions(
            rows, reasons, challenges, cand, serves, session=session,
            include_private_of=include_private_of, reveal=reveal,
        )  # fmt: skip

    def _fit_rows(
        self, j: int, challenges: Sequence[challenges_store.ChallengeSummary], k: int
    ) -> tuple[list[MatchRow], list[dict[str, Any]]]:
        """The best ``k`` of ``challenges`` for profile ``j``, with their reasons (before disclosure)."""
        cand = self.candidates_[j]
        qs = self._query_scores([c.text for c in challenges], [c.language for c in challenges])
        col = qs.scores[:, j]
        k = len(challenges) if k <= 0 else min(k, len(challenges))
        order = np.argsort(-col, kind="stable")[:k]
        rows = [
            MatchRow(int(i), j, float(col[i]), challenges[int(i)].skills, [],
                 availability_note(challenges[int(i)].opened, challenges[int(i)].deadline,
                               cand.available_from, cand.available_to))
            for i in order
        ]  # fmt: skip
        return rows, self.explainer_.explain_all(qs, rows, profile_skills=[cand.skills] * len(rows))


def _programme(value: t.Programme | str) -> t.Programme:
    try:
        return t.Programme(value)
    except ValueError:
        raise ValidationError(
            f"unknown match type {value!r}; choose from {', '.join(p.value for p in t.Programme)}"
        ) from None
