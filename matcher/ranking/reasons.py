"""Match reasons: why a profile was suggested for a query (pure, model-free).

For one (query, profile) pair: the best document (arg-max of the fused document
scores inside the profile), the best sentence (arg-max cosine between the query
vector and given sentence vectors: the model-free twin of "encode the sentences"),
the key terms both sides share (largest products of TF-IDF weights, as in the
explanation of vector-space scores), the skills both sides list (set intersection
after case folding and accent stripping), the dense and lexical parts of the score,
the languages of both sides and the filters that applied.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "MatchReasons",
    "best_document",
    "best_sentence",
    "explain",
    "generic_terms",
    "key_terms",
    "normalise_skill",
    "skill_overlap",
]


@dataclass(frozen=True)
class MatchReasons:
    """Why a profile matched a query; :meth:`to_dict` gives JSON-ready native types."""

    score: float
    dense: float
    lexical: float
    best_document: int | None = None
    best_document_id: str | None = None
    best_document_score: float | None = None
    best_sentence: int | None = None
    best_sentence_text: str | None = None
    best_sentence_score: float | None = None
    key_terms: tuple[str, ...] = ()
    skill_overlap: tuple[str, ...] = ()
    query_language: str | None = None
    profile_languages: tuple[str, ...] = ()
    filters_applied: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` of ``str``, ``int``, ``float``, ``None`` and ``list`` only."""

        def native(v: Any) -> Any:
            if isinstance(v, np.generic):
                return v.item()
            if isinstance(v, tuple | list):
                return [native(x) for x in v]
            return v

        return {k: native(v) for k, v in asdict(self).items()}


def best_document(doc_scores: np.ndarray, doc_profile: np.ndarray, profile: int) -> tuple[int, float]:
    """Index (into all documents) and score of the profile's best document.

    Parameters
    ----------
    doc_scores : ndarray of shape (n_docs,)
        One query's document scores.
    doc_profile : ndarray of shape (n_docs,), int
    profile : int
    """
    idx = np.flatnonzero(np.asarray(doc_profile) == profile)
    if idx.size == 0:
        raise ValueError(f"profile {profile} has no documents")
    j = int(idx[np.argmax(np.asarray(doc_scores)[idx])])
    return j, float(doc_scores[j])


def best_sentence(query_vector: np.ndarray, sentence_vectors: np.ndarray) -> tuple[int, float]:
    """Index and cosine of the sentence closest to the query.

    Parameters
    ----------
    query_vector : ndarray of shape (dim,), unit norm
    sentence_vectors : ndarray of shape (n_sentences, dim), unit rows
    """
    sims = np.asarray(sentence_vectors, np.float32) @ np.asarray(query_vector, np.float32)
    j = int(np.argmax(sims))
    return j, float(sims[j])


def generic_terms(
    doc_tfidf: sp.spmatrix,
    groups: Sequence[int] | np.ndarray | None = None,
    *,
    terms: Sequence[str] | None = None,
    frame_words: Iterable[str] = (),
    max_share: float = 0.2,
    min_count: int = 20,
) -> np.ndarray:
    """Boolean mask of shape (n_terms,): terms too widespread to explain a match.

    A term is widespread when more than ``max_share`` of the profiles, and at least
    ``min_count`` of them, hold it (document frequency counted once per profile, so a
    profile repeating a word over its many documents does not make it common; the count
    keeps a topic word of a ten-profile corpus from counting as widespread).  "study",
    "approach", "year" or "team" are found this way on the corpus itself -- no list of
    words, no language assumed.  Frame words of templated sentences are already gone
    from texts stripped by :func:`~matcher.ranking.rules.strip_common_sentences`.

    Parameters
    ----------
    doc_tfidf : sparse matrix of shape (n_docs, n_terms)
    groups : sequence of n_docs int, optional
        Profile of each document; default every document its own profile.
    terms, frame_words : sequence of n_terms str, iterable of str, optional
        With both, the terms that are words of the common frames
        (:func:`~matcher.ranking.rules.frame_words`, compared case-folded and accent-stripped)
        are generic too.
    """
    m = sp.csr_matrix(doc_tfidf)
    m.eliminate_zeros()
    if groups is None:
        holders = sp.csr_matrix(m, copy=True)
        n_groups = m.shape[0]
    else:
        g = np.asarray(groups, dtype=np.int64)
        if g.shape != (m.shape[0],):
            raise ValueError(f"groups has shape {g.shape} for {m.shape[0]} documents")
        n_groups = int(np.unique(g).size)
        member = sp.csr_matrix((np.ones(g.size), (g, np.arange(g.size))), shape=(int(g.max()) + 1, g.size))
        holders = sp.csr_matrix(member @ m)
    holders.eliminate_zeros()
    count = np.bincount(holders.indices, minlength=m.shape[1])
    wide = (count > max_share * n_groups) & (count >= min_count)
    framed = {normalise_skill(w) for w in frame_words}
    if terms is not None and framed:
        wide |= np.array([normalise_skill(str(x)) in framed for x in terms], dtype=bool)
    return wide


def key_terms(
    query_tfidf: sp.spmatrix,
    doc_tfidf: sp.spmatrix,
    terms: Sequence[str],
    *,
    top_n: int = 5,
    exclude: np.ndarray | None = None,
) -> tuple[str, ...]:
    """Terms present on both sides, by decreasing contribution ``w_query * w_doc`` to the cosine.

    ``exclude`` (bool, shape (n_terms,), e.g. :func:`generic_terms`) names terms never cited.

    Parameters
    ----------
    query_tfidf : sparse matrix of shape (1, n_terms)
    doc_tfidf : sparse matrix of shape (n, n_terms)
        One document, or several (their weights are summed).
    terms : sequence of n_terms str
    """
    q = np.asarray(sp.csr_matrix(query_tfidf).toarray()).ravel()
    d = np.asarray(sp.csr_matrix(doc_tfidf).sum(axis=0)).ravel()
    contrib = q * d
    if exclude is not None:
        contrib = np.where(exclude, 0.0, contrib)
    nz = np.flatnonzero(contrib > 0)
    top = nz[np.lexsort((nz, -contrib[nz]))][:top_n]
    return tuple(str(terms[i]) for i in top)


def normalise_skill(skill: str) -> str:
    """Case-folded, accent-stripped, whitespace-collapsed form of a skill."""
    decomposed = unicodedata.normalize("NFKD", skill.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def skill_overlap(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    """Skills listed on both sides (compared normalised), in ``a``'s spelling and order, without repeats."""
    other = {normalise_skill(s) for s in b}
    seen: set[str] = set()
    out = []
    for s in a:
        n = normalise_skill(s)
        if n and n in other and n not in seen:
            seen.add(n)
            out.append(s)
    return tuple(out)


def explain(
    *,
    doc_scores: np.ndarray,
    dense_part: np.ndarray,
    lexical_part: np.ndarray,
    doc_profile: np.ndarray,
    profile: int,
    score: float,
    doc_ids: Sequence[str] | None = None,
    query_language: str | None = None,
    doc_languages: Sequence[str] | None = None,
    query_tfidf: sp.spmatrix | None = None,
    doc_tfidf: sp.spmatrix | None = None,
    terms: Sequence[str] | None = None,
    query_vector: np.ndarray | None = None,
    sentence_vectors: np.ndarray | None = None,
    sentences: Sequence[str] | None = None,
    query_skills: Iterable[str] = (),
    profile_skills: Iterable[str] = (),
    filters_applied: Sequence[str] = (),
    top_terms: int = 5,
    exclude_terms: np.ndarray | None = None,
) -> MatchReasons:
    """Reasons for one (query, profile) pair.

    Parameters
    ----------
    doc_scores, dense_part, lexical_part : ndarray of shape (n_docs,)
        The query's fused document scores and their weighted parts
        (a row of :class:`~matcher.ranking.fusion.FusedScores`).
    doc_profile : ndarray of shape (n_docs,), int
    profile : int
    score : float
        The profile score that was ranked.
    doc_ids : sequence of n_docs str, optional
    query_language : str, optional
    doc_languages : sequence of n_docs str, optional
    query_tfidf : sparse matrix of shape (1, n_terms), optional
    doc_tfidf : sparse matrix of shape (n_docs, n_terms), optional
        With ``terms``: key terms of the best document.
    terms : sequence of n_terms str, optional
    query_vector : ndarray of shape (dim,), optional
    sentence_vectors : ndarray of shape (n_sentences, dim), optional
        Vectors of the best document's sentences (with ``sentences``, their texts).
    sentences : sequence of n_sentences str, optional
    query_skills, profile_skills : iterables of str
    filters_applied : sequence of str
    top_terms : int, default 5
    exclude_terms : ndarray of shape (n_terms,), bool, optional
        Terms never cited (:func:`generic_terms`).

    Returns
    -------
    MatchReasons
        ``dense`` and ``lexical`` are the parts of the best document's score.
    """
    j, s = best_document(doc_scores, doc_profile, profile)
    sent_i = sent_s = None
    sent_text = None
    if query_vector is not None and sentence_vectors is not None and len(sentence_vectors):
        sent_i, sent_s = best_sentence(query_vector, sentence_vectors)
        sent_text = sentences[sent_i] if sentences is not None else None
    terms_out: tuple[str, ...] = ()
    if query_tfidf is not None and doc_tfidf is not None and terms is not None:
        terms_out = key_terms(
            query_tfidf, sp.csr_matrix(doc_tfidf)[j], terms, top_n=top_terms, exclude=exclude_terms
        )
    langs: tuple[str, ...] = ()
    if doc_languages is not None:
        idx = np.flatnonzero(np.asarray(doc_profile) == profile)
        langs = tuple(sorted({str(doc_languages[int(i)]) for i in idx}))
    return MatchReasons(
        score=float(score),
        dense=float(dense_part[j]),
        lexical=float(lexical_part[j]),
        best_document=j,
        best_document_id=None if doc_ids is None else str(doc_ids[j]),
        best_document_score=s,
        best_sentence=sent_i,
        best_sentence_text=sent_text,
        best_sentence_score=sent_s,
        key_terms=terms_out,
        skill_overlap=skill_overlap(query_skills, profile_skills),
        query_language=query_language,
        profile_languages=langs,
        filters_applied=tuple(filters_applied),
    )
