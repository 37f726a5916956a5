"""Lexical similarity: TF-IDF cosine (Salton & Buckley, 1988) with sublinear tf.

Term weights are ``(1 + log tf) * idf`` with smoothed idf learned on the profile
documents; vectors are L2-normalised, so a query–document score is a cosine in
``[0, 1]``.  The score depends only on the query, the document and the fitted
vocabulary/idf — never on the other candidates or queries — so scores are
comparable across queries (unlike BM25, whose scale grows with query length, or
any per-query normalisation).  Accents are stripped (unicode) and text lower-cased,
so "Málaga" and "malaga" meet.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking.tfidf import EmptyVocabularyError, TfidfVectorizer

__all__ = ["LexicalScorer"]


class LexicalScorer:
    """TF-IDF cosine between query texts and the fitted documents (estimator contract).

    Parameters
    ----------
    ngram_range : tuple of int, default (1, 1)
    min_df : int, default 1
    max_df : float, default 1.0
    max_features : int, optional
    stop_words : frozenset of str, optional
        Words to ignore, lower-cased and accent-stripped like the texts (e.g.
        :func:`matcher.embeddings.language.stop_words` for the programme's languages):
        without them, function words shared by related languages ("un", "con" in
        Spanish and Italian) count as evidence across languages.

    Attributes
    ----------
    tfidf_ : matcher.ranking.tfidf.TfidfVectorizer
        The in-house TF-IDF (scikit-learn's ``TfidfVectorizer`` reproduced, without
        importing scikit-learn).
    doc_matrix_ : scipy.sparse.csr_matrix of shape (n_docs, n_terms), float32, rows L2-normalised
    terms_ : ndarray of shape (n_terms,), str
    idf_ : ndarray of shape (n_terms,), float32

    When no document has a word of 2+ characters (or ``min_df``/``max_df`` prune every
    term), the vocabulary is every word of 1+ characters, learnt on the documents plus the
    document ``"_"``, in float64.
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 1),
        min_df: int = 1,
        max_df: float = 1.0,
        max_features: int | None = None,
        stop_words: frozenset[str] | None = None,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.stop_words = stop_words

    def fit(self, documents: Sequence[str]) -> LexicalScorer:
        """Learn vocabulary and idf on ``documents`` (n_docs texts); returns ``self``."""
        if len(documents) == 0:
            raise ValidationError("LexicalScorer needs at least one document")
        tfidf = TfidfVectorizer(
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            stop_words=self.stop_words or None,
            dtype=np.float32,
        )
        try:
            self.doc_matrix_ = tfidf.fit_transform(documents)
        except EmptyVocabularyError:  # no document has a word of 2+ characters (or all pruned)
            # every word of 1+ characters, nothing pruned, float64; the extra document "_"
            # makes the vocabulary non-empty whatever the documents hold (and counts in idf)
            tfidf = TfidfVectorizer(token_pattern=r"(?u)\w+", dtype=np.float64)
            self.doc_matrix_ = tfidf.fit_transform([*documents, "_"])[:-1]
        self.tfidf_ = tfidf
        self.columns_: sp.csr_matrix | None = None  # the transpose, made on first use (columns)
        self.terms_ = tfidf.terms_
        self.idf_ = tfidf.idf_
        return self

    def _check(self) -> None:
        if not hasattr(self, "tfidf_"):
            raise NotFittedError("LexicalScorer is not fitted; call fit(documents) first")

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF vectors of ``texts``: sparse matrix of shape (n_texts, n_terms), unit rows."""
        self._check()
        return self.tfidf_.transform(texts)

    def columns(self, docs: np.ndarray | None = None) -> sp.csr_matrix:
        """The documents' TF-IDF as columns, shape (n_terms, n_docs or len(docs)), for ``q @ columns``.

        The full matrix is transposed once and kept (a request would otherwise convert all
        of it: ~20 ms and a 28 MB temporary at 250k documents); a subset is cut from the rows.
        The product is the same, entry for entry, as ``q @ doc_matrix_[docs].T``.
        """
        self._check()
        if docs is not None:
            return self.doc_matrix_[docs].T
        if self.columns_ is None:
            self.columns_ = self.doc_matrix_.T.tocsr()
        return self.columns_

    def score(self, queries: Sequence[str] | sp.spmatrix) -> np.ndarray:
        """Cosine of each query to each fitted document.

        Parameters
        ----------
        queries : sequence of str, or sparse matrix of shape (n_queries, n_terms) from :meth:`transform`

        Returns
        -------
        ndarray of shape (n_queries, n_docs), float32, values in ``[0, 1]``
        """
        q = queries if sp.issparse(queries) else self.transform(queries)  # type: ignore[arg-type]
        return np.asarray((q @ self.doc_matrix_.T).toarray(), dtype=np.float32)
