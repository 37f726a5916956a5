"""Language-aware linear fusion of calibrated dense and lexical scores (CombSUM-style).

Score fusion as a weighted sum of *normalised* scores (Fox & Shaw, 1994, CombSUM;
Montague & Aslam, 2001) — not rank fusion, so the result of a pair never depends on
the other candidates.  Each signal is first calibrated against a background of
random document pairs (:class:`~matcher.ranking.calibration.ScoreCalibrator`), so
that 0 means "as similar as random pairs" whatever the encoder or the language.

Per (query, document) pair, with calibrated scores ``z_main``, ``z_multi``, ``z_lex``:

- same language: ``dense = (1 - multi_blend) * z_main + multi_blend * z_multi``,
  lexical share ``w = lexical_weight``;
- different languages: ``dense = z_multi`` (the main encoder is monolingual),
  lexical share ``w = lexical_weight * cross_lexical_factor`` (words rarely match
  across languages);
- ``score = (1 - w) * dense + w * z_lex``: a convex combination, so both kinds of
  pair stay on the same scale.

Without a multilingual encoder, ``z_main`` serves every pair.  A missing language
(``None`` or ``""``) is the label ``"und"``, which only matches itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking.calibration import ScoreCalibrator, background_pairs, pair_scores

#: Language labels: a sequence of ISO 639-1 codes (``None`` = unknown) or an array of them.
Languages = Sequence[str | None] | np.ndarray | None

__all__ = ["FusedScores", "HybridScorer", "fuse", "languages_array", "same_language"]


@dataclass(frozen=True)
class FusedScores:
    """Document-level fused scores and their weighted parts.

    Attributes
    ----------
    score : ndarray of shape (n_queries, n_docs), float32
        ``dense + lexical``.
    dense : ndarray of shape (n_queries, n_docs), float32
        Weighted dense contribution ``(1 - w) * dense``.
    lexical : ndarray of shape (n_queries, n_docs), float32
        Weighted lexical contribution ``w * z_lex``.
    signals : dict of str to ndarray of shape (n_queries, n_docs), optional
        Further calibrated document-level signals a method pools on its own (the
        ``learned`` method's dense z-scores and lexical probit scores); empty otherwise.
    """

    score: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    signals: dict[str, np.ndarray] = field(default_factory=dict)


def fuse(dense: np.ndarray, lexical: np.ndarray, *, weight: float | np.ndarray) -> np.ndarray:
    """Weighted sum ``(1 - weight) * dense + weight * lexical`` of calibrated scores.

    Parameters
    ----------
    dense, lexical : ndarray of shape (n_queries, n_docs)
    weight : float or ndarray broadcastable to (n_queries, n_docs)
        Lexical share in ``[0, 1]``.

    Returns
    -------
    ndarray of shape (n_queries, n_docs), float32
    """
    w = np.asarray(weight, dtype=np.float32)
    if np.any((w < 0) | (w > 1)):
        raise ValidationError("fusion weight must lie in [0, 1]")
    return ((1 - w) * np.asarray(dense, np.float32) + w * np.asarray(lexical, np.float32)).astype(np.float32)


def languages_array(langs: Languages, n: int) -> np.ndarray:
    """Language labels as an object array of shape (n,), lower-cased; missing ones become ``"und"``.

    An object array that is already in that form is returned as it is, so labels normalised
    once at fit cost nothing per request (at 250k documents a per-element pass was ~10 ms).
    """
    if langs is None:
        return np.full(n, "und", dtype=object)
    arr = (
        langs
        if isinstance(langs, np.ndarray) and langs.dtype == object
        else np.array(list(langs), dtype=object)
    )
    if arr.shape != (n,):
        raise ValidationError(f"expected {n} language labels, got {arr.shape[0] if arr.ndim else 0}")
    # one string object per distinct label, not one per document
    labels = {x: (str(x).lower() if x else "und") for x in set(arr.tolist())}
    if all(type(k) is str and k == v for k, v in labels.items()):
        return arr
    return np.array([labels[x] for x in arr.tolist()], dtype=object)


def same_language(query_lang: np.ndarray, doc_lang: np.ndarray) -> np.ndarray:
    """Boolean matrix of shape (n_queries, n_docs): the two sides share a language label."""
    query_lang, doc_lang = np.asarray(query_lang, dtype=object), np.asarray(doc_lang, dtype=object)
    out = np.empty((len(query_lang), len(doc_lang)), dtype=bool)
    for label in set(query_lang.tolist()):  # one pass over the documents per distinct query label
        out[query_lang == label] = doc_lang == label
    return out


class HybridScorer:
    """Calibrate dense (main, multilingual) and lexical scores on a corpus, then fuse them.

    Parameters
    ----------
    lexical_weight, cross_lexical_factor, multi_blend : float
        See :class:`~matcher.ranking.config.RankingConfig`.
    calibration : {"zscore", "quantile"}, default "zscore"
    n_background : int, default 20000
        Random document pairs per calibrator.
    random_state : int, default 0

    Attributes
    ----------
    main_ : ScoreCalibrator or None
    multi_ : ScoreCalibrator or None
        Fitted on cross-language document pairs when the corpus has at least 100 of
        them, else on all pairs.
    lexical_ : ScoreCalibrator or None
    """

    def __init__(
        self,
        *,
        lexical_weight: float = 0.3,
        cross_lexical_factor: float = 0.0,
        multi_blend: float = 0.0,
        calibration: str = "zscore",
        n_background: int = 20_000,
        random_state: int = 0,
    ) -> None:
        self.lexical_weight = lexical_weight
        self.cross_lexical_factor = cross_lexical_factor
        self.multi_blend = multi_blend
        self.calibration = calibration
        self.n_background = n_background
        self.random_state = random_state

    def fit(
        self,
        doc_main: np.ndarray | None,
        *,
        doc_multi: np.ndarray | None = None,
        doc_lexical: sp.spmatrix | None = None,
        doc_lang: Languages = None,
        doc_groups: np.ndarray | None = None,
    ) -> HybridScorer:
        """Fit one calibrator per given signal on random document pairs.

        Parameters
        ----------
        doc_main : ndarray of shape (n_docs, dim) or None
            Unit vectors of the documents from the main encoder.
        doc_multi : ndarray of shape (n_docs, dim_multi), optional
            Unit vectors from the multilingual encoder.
        doc_lexical : sparse matrix of shape (n_docs, n_terms), optional
            Unit TF-IDF rows of the documents.
        doc_lang : sequence of str of length n_docs, optional
        doc_groups : ndarray of shape (n_docs,), optional
            Profile of each document; pairs within a profile are left out of the background.
        """
        sizes = {x.shape[0] for x in (doc_main, doc_multi, doc_lexical) if x is not None}
        if len(sizes) != 1:
            raise ValidationError(f"give at least one signal, all with one number of documents (got {sizes})")
        n = sizes.pop()
        langs = languages_array(doc_lang, n)
        i, j = background_pairs(n, self.n_background, groups=doc_groups, random_state=self.random_state)

        def calib(a, ii, jj):
            return ScoreCalibrator(method=self.calibration).fit(pair_scores(a, a, ii, jj))  # type: ignore[arg-type]

        self.main_ = calib(doc_main, i, j) if doc_main is not None else None
        self.lexical_ = calib(doc_lexical, i, j) if doc_lexical is not None else None
        self.multi_ = None
        if doc_multi is not None:
            ci, cj = background_pairs(
                n, self.n_background, groups=doc_groups, different=langs, random_state=self.random_state
            )
            self.multi_ = calib(doc_multi, ci, cj) if ci.size >= 100 else calib(doc_multi, i, j)
        return self

    def transform(
        self,
        *,
        dense_main: np.ndarray | None,
        dense_multi: np.ndarray | None = None,
        lexical: np.ndarray | None = None,
        query_lang: Languages = None,
        doc_lang: Languages = None,
        same: np.ndarray | None = None,
    ) -> FusedScores:
        """Fuse raw similarity matrices into calibrated document-level scores.

        Parameters
        ----------
        dense_main : ndarray of shape (n_queries, n_docs) or None
            Cosines from the main encoder; ``None`` for a lexical-only score.
        dense_multi : ndarray of shape (n_queries, n_docs), optional
            Cosines from the multilingual encoder.
        lexical : ndarray of shape (n_queries, n_docs), optional
            TF-IDF cosines; ``None`` for a dense-only score.
        query_lang : sequence of n_queries language codes, optional
        doc_lang : sequence of n_docs language codes, optional
        same : ndarray of shape (n_queries, n_docs), bool, optional
            :func:`same_language` of the two, when the caller has it already (then
            ``query_lang`` and ``doc_lang`` are not read).

        Returns
        -------
        FusedScores
        """
        if not hasattr(self, "main_"):
            raise NotFittedError("HybridScorer is not fitted; call fit(...) first")
        present = [x for x in (dense_main, dense_multi, lexical) if x is not None]
        if not present:
            raise ValidationError("no score matrix given")
        nq, nd = present[0].shape
        if any(x.shape != (nq, nd) for x in present):
            raise ValidationError("score matrices must share one shape (n_queries, n_docs)")
        if same is not None and same.shape != (nq, nd):
            raise ValidationError(f"same has shape {same.shape}, the scores {(nq, nd)}")

        def same_lang() -> np.ndarray:  # only the blends read it
            nonlocal same
            if same is None:
                same = same_language(languages_array(query_lang, nq), languages_array(doc_lang, nd))
            return same

        zero = np.zeros((nq, nd), dtype=np.float32)

        dense = None
        if dense_main is not None or dense_multi is not None:
            z_main = self._calibrate(self.main_, dense_main, "main")
            z_multi = self._calibrate(self.multi_, dense_multi, "multilingual")
            if z_multi is None:
                dense = z_main
            elif z_main is None:
                dense = z_multi
            else:
                b = np.float32(self.multi_blend)
                dense = np.where(same_lang(), (1 - b) * z_main + b * z_multi, z_multi).astype(np.float32)
        z_lex = self._calibrate(self.lexical_, lexical, "lexical")

        if dense is None:
            return FusedScores(score=z_lex, dense=zero, lexical=z_lex)  # type: ignore[arg-type]
        if z_lex is None:
            return FusedScores(score=dense, dense=dense, lexical=zero)
        w_same, w_cross = self.lexical_weight, self.lexical_weight * self.cross_lexical_factor
        w = np.where(same_lang(), np.float32(w_same), np.float32(w_cross)).astype(np.float32)
        dense_part = ((1 - w) * dense).astype(np.float32)
        lex_part = (w * z_lex).astype(np.float32)
        return FusedScores(score=dense_part + lex_part, dense=dense_part, lexical=lex_part)

    @staticmethod
    def _calibrate(cal: ScoreCalibrator | None, x: np.ndarray | None, name: str) -> np.ndarray | None:
        if x is None:
            return None
        if cal is None:
            raise NotFittedError(f"HybridScorer was fitted without the {name} signal")
        return cal.transform(x)
