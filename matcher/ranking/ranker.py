"""Profile ranking: document similarities -> calibrated fusion -> pooling per profile -> top-k.

The whole pipeline of a named method from :data:`~matcher.ranking.config.METHODS`,
on embeddings and texts (the model-free twin of the ``rank`` service, STYLE rule 2):
exact dense cosines (matrix products), TF-IDF cosines, corpus-level calibration and
language-aware fusion (:class:`~matcher.ranking.fusion.HybridScorer`), then
multi-document pooling (:func:`~matcher.ranking.aggregate.aggregate_profiles`).
Queries are scored in independent batches: a query's scores never depend on the
other queries of the batch, nor on which candidates a filter allows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from matcher.exceptions import ModelMismatchError, NotFittedError, ValidationError
from matcher.ranking.aggregate import aggregate_profiles
from matcher.ranking.combiner import DEFAULT_COMBINER, LEARNED_FEATURES, LinearCombiner
from matcher.ranking.config import DEFAULT_METHOD, METHODS, RankingConfig
from matcher.ranking.fusion import FusedScores, HybridScorer, Languages, languages_array
from matcher.ranking.lexical import LexicalScorer
from matcher.ranking.search import top_k_scores

__all__ = ["POOL_FEATURES", "ProfileRanker"]

# Fixed settings of the learned method's features: its coefficients were fitted on these.
_LEARNED_LEXICAL_WEIGHT = 0.5
_LEARNED_TOPK = 2
_LEARNED_LSE_K = 10


class _Pool:
    """One query batch's profile-level features, each computed once (see :data:`POOL_FEATURES`)."""

    def __init__(self, ranker: ProfileRanker, fused: FusedScores, prof: np.ndarray) -> None:
        self.ranker, self.fused, self.prof = ranker, fused, prof
        self.dense, self.lexical = fused.signals["dense"], fused.signals["lexical"]
        self._done: dict[str, np.ndarray] = {}

    def agg(self, x: np.ndarray, method: str, **kw: float) -> np.ndarray:
        return aggregate_profiles(x, self.prof, method=method, n_profiles=self.ranker.n_profiles_, **kw)  # type: ignore[arg-type]

    def get(self, name: str) -> np.ndarray:
        if name not in self._done:
            self._done[name] = POOL_FEATURES[name](self)
        return self._done[name]


def _log_size(p: _Pool) -> np.ndarray:
    dense_max = p.get("dense_max")
    size = np.broadcast_to(np.log(np.maximum(p.ranker.profile_size_, 1))[None, :], dense_max.shape)
    return np.where(np.isfinite(dense_max), size, -np.inf)


def _capped_log_size(cap: int) -> Callable[[_Pool], np.ndarray]:
    def capped(p: _Pool) -> np.ndarray:
        return np.minimum(p.get("log_size"), np.log(cap))

    return capped


def _times(a: str, b: str) -> Callable[[_Pool], np.ndarray]:
    def product(p: _Pool) -> np.ndarray:
        x, y = p.get(a), p.get(b)
        return np.where(np.isfinite(x) & np.isfinite(y), x * y, -np.inf)

    return product


#: Profile-level features ``ProfileRanker.pool_features`` can compute, by name (dense = the
#: calibrated dense z-scores, lexical = the lexical probit scores, hybrid = their z-score fusion at
#: lexical weight 0.5).  The ``learned`` method uses :data:`LEARNED_FEATURES`; the others are
#: candidates measured by ``benchmarks/fit_combiner.py --features`` (docs/ranking.md).
POOL_FEATURES: dict[str, Callable[[_Pool], np.ndarray]] = {
    "dense_max": lambda p: p.agg(p.dense, "max"),
    # log-sum-exp over the 10 best documents: every further on-topic document adds evidence
    "dense_topk_lse": lambda p: p.agg(p.dense, "topk_lse", k=_LEARNED_LSE_K, temperature=1.0),
    "lexical_max": lambda p: p.agg(p.lexical, "max"),
    "hybrid_topk": lambda p: p.agg(p.fused.score, "topk_mean", k=_LEARNED_TOPK),
    "log_size": _log_size,
    # the mean of the 3 best dense documents (a profile needs several on-topic documents)
    "dense_top3": lambda p: p.agg(p.dense, "topk_mean", k=3),
    # size-fair log-MEAN-exp over the 10 best: dense_topk_lse - log(min(size, 10))
    "dense_topk_lme": lambda p: p.agg(p.dense, "topk_softmax", k=_LEARNED_LSE_K, temperature=1.0),
    # interactions with size: lets the weight of a signal grow or shrink with the profile's size
    "dense_topk_lse_x_log_size": _times("dense_topk_lse", "log_size"),
    "hybrid_topk_x_log_size": _times("hybrid_topk", "log_size"),
    # the same with size capped at 5 documents: a 20-document research group counts as 5
    "log_size_cap5": _capped_log_size(5),
    "dense_topk_lse_x_log_size_cap5": _times("dense_topk_lse", "log_size_cap5"),
}


class ProfileRanker:
    """Rank multi-document profiles for queries with a named method (estimator contract).

    Parameters
    ----------
    method : str, default :data:`DEFAULT_METHOD`
        A key of :data:`METHODS`.
    config : RankingConfig, optional
        Weights, pooling parameters and calibration settings; default ``RankingConfig()``.
    batch_size : int, default 512
        Queries scored together (bounds memory at ``batch_size * n_docs`` floats).
    stop_words : frozenset of str, optional
        Passed to :class:`~matcher.ranking.lexical.LexicalScorer`.
    combiner : LinearCombiner, optional
        Coefficients of the ``learned`` method over :data:`LEARNED_FEATURES`; default the
        shipped :data:`~matcher.ranking.combiner.DEFAULT_COMBINER` (fitted offline, never at
        run time).

    Attributes
    ----------
    n_docs_, n_profiles_ : int
    doc_profile_ : ndarray of shape (n_docs,), int
    doc_lang_ : ndarray of shape (n_docs,), object
    model_id_, multi_model_id_ : str or None
    lexical_ : LexicalScorer or None
    hybrid_ : HybridScorer
    """

    def __init__(
        self,
        *,
        method: str = DEFAULT_METHOD,
        config: RankingConfig | None = None,
        batch_size: int = 512,
        stop_words: frozenset[str] | None = None,
        combiner: LinearCombiner | None = None,
    ) -> None:
        self.method = method
        self.config = config
        self.batch_size = batch_size
        self.stop_words = stop_words
        self.combiner = combiner

    def fit(
        self,
        doc_profile: np.ndarray,
        *,
        doc_vectors: np.ndarray | None = None,
        doc_texts: Sequence[str] | None = None,
        doc_multi_vectors: np.ndarray | None = None,
        doc_lang: Languages = None,
        n_profiles: int | None = None,
        model_id: str | None = None,
        multi_model_id: str | None = None,
    ) -> ProfileRanker:
        """Learn the corpus: calibrators on random document pairs, TF-IDF vocabulary.

        Parameters
        ----------
        doc_profile : ndarray of shape (n_docs,), int
            Profile index of each document.
        doc_vectors : ndarray of shape (n_docs, dim)
            Unit vectors from the main encoder (needed by dense and hybrid methods).
        doc_texts : sequence of n_docs str
            Document texts (needed by lexical and hybrid methods).
        doc_multi_vectors : ndarray of shape (n_docs, dim_multi), optional
            Unit vectors from the multilingual encoder, used for cross-language pairs.
        doc_lang : sequence of n_docs language codes, optional
        n_profiles : int, optional
            Default ``doc_profile.max() + 1``.
        model_id, multi_model_id : str, optional
            Encoders of the vectors; :meth:`score` refuses vectors of other models.
        """
        if self.method not in METHODS:
            raise ValidationError(f"unknown method {self.method!r}; choose from {', '.join(METHODS)}")
        m = METHODS[self.method]
        cfg = self.config or RankingConfig()
        prof = np.asarray(doc_profile)
        if prof.ndim != 1 or prof.size == 0 or not np.issubdtype(prof.dtype, np.integer):
            raise ValidationError("doc_profile must be a non-empty 1-D integer array")
        nd = prof.shape[0]
        if m.uses_dense and doc_vectors is None:
            raise ValidationError(f"method {m.name} needs doc_vectors")
        if m.uses_lexical and doc_texts is None:
            raise ValidationError(f"method {m.name} needs doc_texts")
        for name, x in (("doc_vectors", doc_vectors), ("doc_multi_vectors", doc_multi_vectors)):
            if x is not None and x.shape[0] != nd:
                raise ValidationError(f"{name} has {x.shape[0]} rows for {nd} documents")
        if doc_texts is not None and len(doc_texts) != nd:
            raise ValidationError(f"doc_texts has {len(doc_texts)} texts for {nd} documents")
        self.doc_profile_ = prof
        self.n_docs_ = nd
        self.n_profiles_ = int(n_profiles if n_profiles is not None else prof.max() + 1)
        self.doc_lang_ = languages_array(doc_lang, nd)
        # the documents' languages as small integers, so a request compares ints, not strings
        self.lang_codes_ = {label: i for i, label in enumerate(sorted(set(self.doc_lang_.tolist())))}
        self.doc_lang_codes_ = np.array(
            [self.lang_codes_[x] for x in self.doc_lang_.tolist()], dtype=np.int32
        )
        self.model_id_, self.multi_model_id_ = model_id, multi_model_id
        lexical = LexicalScorer(stop_words=self.stop_words)
        self.lexical_ = lexical.fit(doc_texts) if m.uses_lexical else None  # type: ignore[arg-type]
        self.doc_vectors_ = np.asarray(doc_vectors, np.float32) if m.uses_dense else None
        use_multi = m.uses_dense and doc_multi_vectors is not None
        self.doc_multi_vectors_ = np.asarray(doc_multi_vectors, np.float32) if use_multi else None
        learned = m.aggregation == "learned"
        if learned:
            w, f = _LEARNED_LEXICAL_WEIGHT, cfg.cross_lexical_factor
        elif m.signal == "hybrid":
            w, f = cfg.lexical_weight, cfg.cross_lexical_factor
        else:
            w, f = (1.0, 1.0) if m.signal == "lexical" else (0.0, 0.0)
        self.hybrid_ = HybridScorer(
            lexical_weight=w,
            cross_lexical_factor=f,
            multi_blend=cfg.multi_blend,
            calibration="zscore" if learned else cfg.calibration,
            n_background=cfg.n_background,
            random_state=cfg.random_state,
        ).fit(
            self.doc_vectors_,
            doc_multi=self.doc_multi_vectors_,
            doc_lexical=self.lexical_.doc_matrix_ if self.lexical_ is not None else None,
            doc_lang=self.doc_lang_,
            doc_groups=prof,
        )
        self.profile_size_ = np.bincount(prof, minlength=self.n_profiles_)
        self.lexical_probit_ = None
        self.combiner_ = None
        if learned:
            # the lexical signal calibrated by ranks (probit), as the combiner's lexical feature
            self.lexical_probit_ = HybridScorer(
                lexical_weight=1.0,
                cross_lexical_factor=1.0,
                calibration="probit",
                n_background=cfg.n_background,
                random_state=cfg.random_state,
            ).fit(None, doc_lexical=self.lexical_.doc_matrix_, doc_lang=self.doc_lang_, doc_groups=prof)  # type: ignore[union-attr]
            comb = self.combiner or LinearCombiner.from_dict(DEFAULT_COMBINER)
            if not hasattr(comb, "coef_") or tuple(comb.feature_names) != LEARNED_FEATURES:
                raise ValidationError(f"the learned method needs a fitted combiner over {LEARNED_FEATURES}")
            self.combiner_ = comb
        self.config_ = cfg
        return self

    def _check(self, query_vectors, query_multi_vectors, model_id, multi_model_id) -> None:
        if not hasattr(self, "hybrid_"):
            raise NotFittedError("ProfileRanker is not fitted; call fit(...) first")
        if query_vectors is not None and model_id is not None and self.model_id_ not in (None, model_id):
            raise ModelMismatchError(f"documents embedded with {self.model_id_!r}, queries with {model_id!r}")
        if (
            query_multi_vectors is not None
            and multi_model_id is not None
            and self.multi_model_id_ not in (None, multi_model_id)
        ):
            raise ModelMismatchError(
                f"documents embedded with {self.multi_model_id_!r}, queries with {multi_model_id!r}"
            )

    def score_documents(
        self,
        *,
        query_vectors: np.ndarray | None = None,
        query_texts: Sequence[str] | None = None,
        query_multi_vectors: np.ndarray | None = None,
        query_lang: Languages = None,
        model_id: str | None = None,
        multi_model_id: str | None = None,
        docs: np.ndarray | None = None,
    ) -> FusedScores:
        """Calibrated, fused document-level scores of shape (n_queries, n_docs) and their parts.

        ``docs`` (int indices) restricts the columns to those documents: shape
        (n_queries, len(docs)), each entry equal to the full matrix's.
        """
        self._check(query_vectors, query_multi_vectors, model_id, multi_model_id)
        m = METHODS[self.method]
        if m.uses_dense and query_vectors is None:
            raise ValidationError(f"method {m.name} needs query_vectors")
        if m.uses_lexical and query_texts is None:
            raise ValidationError(f"method {m.name} needs query_texts")
        sel = slice(None) if docs is None else np.asarray(docs, dtype=np.int64)
        dense_main = query_vectors @ self.doc_vectors_[sel].T if m.uses_dense else None  # type: ignore[operator,index]
        dense_multi = None
        if m.uses_dense and self.doc_multi_vectors_ is not None and query_multi_vectors is not None:
            dense_multi = np.asarray(query_multi_vectors, np.float32) @ self.doc_multi_vectors_[sel].T
        lexical = None
        if self.lexical_ is not None:
            q = self.lexical_.transform(query_texts)  # type: ignore[arg-type]
            lexical = np.asarray((q @ self.lexical_.columns(docs)).toarray(), dtype=np.float32)
        nq = (dense_main if dense_main is not None else lexical).shape[0]  # type: ignore[union-attr]
        qcodes = np.array(
            [self.lang_codes_.get(x, -1) for x in languages_array(query_lang, nq).tolist()], dtype=np.int32
        )
        same = qcodes[:, None] == self.doc_lang_codes_[sel][None, :]
        fused = self.hybrid_.transform(
            dense_main=dense_main, dense_multi=dense_multi, lexical=lexical, same=same
        )
        if self.lexical_probit_ is None:
            return fused
        dense = self.hybrid_.transform(dense_main=dense_main, dense_multi=dense_multi, same=same).score
        lex = self.lexical_probit_.transform(dense_main=None, lexical=lexical).score
        return FusedScores(fused.score, fused.dense, fused.lexical, signals={"dense": dense, "lexical": lex})

    def score(
        self,
        *,
        query_vectors: np.ndarray | None = None,
        query_texts: Sequence[str] | None = None,
        query_multi_vectors: np.ndarray | None = None,
        query_lang: Languages = None,
        model_id: str | None = None,
        multi_model_id: str | None = None,
        profile_mask: np.ndarray | None = None,
    ) -> np.ndarray:
        """Profile scores.

        Parameters
        ----------
        query_vectors : ndarray of shape (n_queries, dim)
            Main-encoder unit vectors (dense and hybrid methods).
        query_texts : sequence of n_queries str
            Query texts (lexical and hybrid methods).
        query_multi_vectors : ndarray of shape (n_queries, dim_multi), optional
        query_lang : sequence of n_queries language codes, optional
        model_id, multi_model_id : str, optional
            Checked against the models the ranker was fitted with.
        profile_mask : ndarray of shape (n_queries, n_profiles), bool, optional
            Candidate profiles (e.g. from an approximate index); the others score
            ``-inf`` and only the documents of profiles allowed for some query of a batch
            are scored.  A candidate's score equals its unrestricted score.

        Returns
        -------
        ndarray of shape (n_queries, n_profiles), float64 (``-inf`` for a profile without documents)
        """
        if not hasattr(self, "hybrid_"):
            raise NotFittedError("ProfileRanker is not fitted; call fit(...) first")
        nq = self._n_queries(query_vectors, query_texts)
        out = np.empty((nq, self.n_profiles_), dtype=np.float64)
        qlang = languages_array(query_lang, nq)
        if profile_mask is not None and profile_mask.shape != (nq, self.n_profiles_):
            raise ValidationError(f"profile_mask {profile_mask.shape} != {(nq, self.n_profiles_)}")
        for s in range(0, nq, self.batch_size):
            sl = slice(s, s + self.batch_size)
            docs = None
            if profile_mask is not None:
                wanted = np.asarray(np.asarray(profile_mask[sl]).any(axis=0), dtype=bool)
                docs = np.flatnonzero(wanted[self.doc_profile_])
                if docs.size == 0:
                    out[sl] = -np.inf
                    continue
            fused = self.score_documents(
                query_vectors=None if query_vectors is None else np.asarray(query_vectors, np.float32)[sl],
                query_texts=None if query_texts is None else list(query_texts)[sl],
                query_multi_vectors=None if query_multi_vectors is None else query_multi_vectors[sl],
                query_lang=qlang[sl],
                model_id=model_id,
                multi_model_id=multi_model_id,
                docs=docs,
            )
            out[sl] = self.pool(fused, docs=docs)
        if profile_mask is not None:
            out[~profile_mask] = -np.inf
        return out

    def pool(self, doc_scores: FusedScores | np.ndarray, *, docs: np.ndarray | None = None) -> np.ndarray:
        """Profile scores from fused document scores (the method's pooling).

        Parameters
        ----------
        doc_scores : FusedScores or ndarray of shape (n_queries, n_docs) or (n_queries, len(docs))
            The output of :meth:`score_documents` (or its ``score``; the ``learned`` method
            needs the whole ``FusedScores``).
        docs : ndarray of int, optional
            The documents the columns belong to, when only some were scored.

        Returns
        -------
        ndarray of shape (n_queries, n_profiles)
        """
        if self.combiner_ is not None:
            if not isinstance(doc_scores, FusedScores):
                raise ValidationError(
                    "the learned method pools FusedScores from score_documents, not one matrix"
                )
            features = self.pool_features(doc_scores, docs=docs)
            out = self.combiner_.score(np.where(np.isfinite(features), features, 0.0))
            return np.where(np.isfinite(features[..., 0]), out, -np.inf)
        cfg = self.config_
        scores = doc_scores.score if isinstance(doc_scores, FusedScores) else doc_scores
        return aggregate_profiles(
            scores,
            self.doc_profile_ if docs is None else self.doc_profile_[docs],
            method=METHODS[self.method].aggregation,  # type: ignore[arg-type]
            n_profiles=self.n_profiles_,
            k=cfg.topk,
            temperature=cfg.temperature,
        )

    def pool_features(
        self, fused: FusedScores, *, docs: np.ndarray | None = None, names: Sequence[str] | None = None
    ) -> np.ndarray:
        """Profile-level features of :data:`POOL_FEATURES`, by default :data:`LEARNED_FEATURES`.

        Parameters
        ----------
        fused : FusedScores
            From :meth:`score_documents` of a ``learned`` ranker (carries the dense z-score and
            lexical probit signals).
        docs : ndarray of int, optional
            The documents the columns belong to, when only some were scored.
        names : sequence of str, optional
            Keys of :data:`POOL_FEATURES`, in the order wanted; default :data:`LEARNED_FEATURES`
            (the ``learned`` method's features).  Other sets are for fitting candidates offline
            (``benchmarks/fit_combiner.py --features``).

        Returns
        -------
        ndarray of shape (n_queries, n_profiles, len(names)), float64; ``-inf`` rows for a
        profile without (scored) documents.  The log size counts *all* the profile's documents,
        so a restricted scoring (``docs``) gives every candidate its unrestricted features.
        """
        if "dense" not in fused.signals or "lexical" not in fused.signals:
            raise ValidationError("the learned features need FusedScores from the learned method")
        wanted = LEARNED_FEATURES if names is None else tuple(names)
        unknown = [n for n in wanted if n not in POOL_FEATURES]
        if unknown:
            raise ValidationError(f"unknown pool features {unknown}; choose from {', '.join(POOL_FEATURES)}")
        pool = _Pool(self, fused, self.doc_profile_ if docs is None else self.doc_profile_[docs])
        return np.stack([pool.get(n) for n in wanted], axis=-1)

    def rank(
        self, k: int = 100, *, mask: np.ndarray | None = None, **queries: object
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` profiles per query.

        Parameters
        ----------
        k : int, default 100
            ``0`` lists every profile.
        mask : ndarray of shape (n_queries, n_profiles), bool, optional
            Allowed pairs (see :mod:`matcher.ranking.filters`); disallowed pairs are never returned.
        **queries
            The keyword arguments of :meth:`score`.

        Returns
        -------
        indices : ndarray of shape (n_queries, k'), int64; ``-1`` pads rows with fewer allowed profiles
        scores : ndarray of shape (n_queries, k'), float64
        """
        scores = self.score(**queries, profile_mask=mask)  # type: ignore[arg-type]
        if mask is not None:
            from matcher.ranking.filters import apply_mask

            scores = apply_mask(scores, mask)
        return top_k_scores(scores, k)

    @staticmethod
    def _n_queries(query_vectors, query_texts) -> int:
        if query_vectors is not None:
            return int(np.asarray(query_vectors).shape[0])
        if query_texts is not None:
            return len(query_texts)
        raise ValidationError("give query_vectors and/or query_texts")
