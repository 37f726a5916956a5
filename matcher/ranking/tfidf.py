"""TF-IDF vectors (Salton & Buckley, 1988): scikit-learn's ``TfidfVectorizer``, reproduced.

Numpy, scipy and the standard library only, so that a serving process does not import
scikit-learn (and, through it, pandas).  For the options it has it gives the same
vocabulary, idf and matrices as ``TfidfVectorizer(sublinear_tf=True, strip_accents="unicode",
lowercase=True, dtype=...)`` with the same ``token_pattern``, ``stop_words``,
``ngram_range``, ``min_df``, ``max_df`` and ``max_features`` (tests/ranking/test_tfidf.py
checks it against scikit-learn), step by step:

- a text is lower-cased, then accent-stripped unless it is ASCII (NFKD, combining
  characters dropped), then split by ``token_pattern``; stop words are removed before
  n-grams of ``ngram_range`` are formed (tokens joined by one space);
- counts, in ``dtype``; terms are kept whose document count is in ``[min_df, max_df]`` (an
  int is a count, a float a share of the documents), then, if ``max_features`` is set, the
  most frequent terms in the whole corpus.  Ties in that count go to the earlier term in
  sorted order (scikit-learn breaks them by an unstable sort, so it may keep another);
- terms are numbered in sorted (code point) order; weights are ``(1 + log tf) * idf`` with
  the smooth ``idf = log((n_docs + 1) / (df + 1)) + 1``, both computed in ``dtype``;
- rows are scaled to unit L2 norm as scikit-learn's ``inplace_csr_row_normalize_l2``
  does: squares in ``dtype``, summed in float64 in row order, the division in float64.
  A fitted row keeps its terms in order of their first appearance in the corpus (as
  scikit-learn leaves them; the order decides the rounding of the norm); a transformed
  row has them sorted.  Terms unseen in fitting are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp

from matcher.exceptions import NotFittedError, ValidationError

__all__ = ["EmptyVocabularyError", "TfidfVectorizer", "strip_accents"]


class EmptyVocabularyError(ValidationError):
    """No term is left: no token in any document, or all pruned by ``min_df``/``max_df``."""


def strip_accents(text: str) -> str:
    """``text`` with accents removed: NFKD, then combining characters dropped; ASCII as is."""
    if text.isascii():
        return text
    return "".join([c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)])


class TfidfVectorizer:
    """Sublinear, smooth-idf, L2-normalised TF-IDF of texts (estimator contract).

    Parameters
    ----------
    token_pattern : str, default ``r"(?u)\\b\\w\\w+\\b"``
        Regular expression whose matches are the tokens (no capturing group).
    stop_words : frozenset of str, optional
        Tokens to drop, as they come out of the tokeniser (lower-cased, accent-stripped).
    ngram_range : tuple of int, default (1, 1)
    min_df, max_df : int or float, default 1 and 1.0
        Bounds on a term's document count: an int is a count, a float in ``[0, 1]`` a share
        of the documents.
    max_features : int, optional
        Keep only this many terms, the most frequent over the corpus.
    dtype : numpy float dtype, default float32

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Column of each term.
    terms_ : ndarray of shape (n_terms,), object (str)
        The terms in column order (sorted).
    idf_ : ndarray of shape (n_terms,), ``dtype``
    """

    def __init__(
        self,
        *,
        token_pattern: str = r"(?u)\b\w\w+\b",
        stop_words: frozenset[str] | None = None,
        ngram_range: tuple[int, int] = (1, 1),
        min_df: float = 1,
        max_df: float = 1.0,
        max_features: int | None = None,
        dtype: type = np.float32,
    ) -> None:
        self.token_pattern = token_pattern
        self.stop_words = stop_words
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.dtype = dtype

    # -- analysis -------------------------------------------------------------------------

    def _validate(self) -> None:
        lo, hi = self.ngram_range
        if not 1 <= lo <= hi:
            raise ValidationError(
                f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, got {self.ngram_range}"
            )
        for name in ("min_df", "max_df"):
            v = getattr(self, name)
            ok = (isinstance(v, Integral) and int(v) >= 0) or (isinstance(v, Real) and 0.0 <= float(v) <= 1.0)
            if isinstance(v, bool) or not ok:
                raise ValidationError(f"{name} must be an int >= 0 or a float in [0, 1], got {v!r}")
        if self.max_features is not None and not (
            isinstance(self.max_features, Integral) and self.max_features >= 1
        ):
            raise ValidationError(f"max_features must be a positive int or None, got {self.max_features!r}")
        if np.dtype(self.dtype) not in (np.float32, np.float64):
            raise ValidationError(f"dtype must be float32 or float64, got {self.dtype!r}")

    def build_analyzer(self) -> Callable[[str], list[str]]:
        """The function from a text to its terms (tokens and n-grams, in text order)."""
        findall = re.compile(self.token_pattern).findall
        stop = self.stop_words or None
        min_n, max_n = self.ngram_range

        def analyze(text: str) -> list[str]:
            tokens: list[str] = findall(strip_accents(text.lower()))
            if stop is not None:
                tokens = [w for w in tokens if w not in stop]
            if max_n == 1:
                return tokens
            # unigrams (if asked) in text order, then all bigrams, trigrams, ...
            terms = list(tokens) if min_n == 1 else []
            for n in range(max(min_n, 2), min(max_n + 1, len(tokens) + 1)):
                terms += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
            return terms

        return analyze

    def _count(self, texts: Sequence[str], vocabulary: dict[str, int], *, grow: bool) -> sp.csr_matrix:
        """Term counts of ``texts`` (``dtype``); ``grow`` numbers unseen terms, else skips them."""
        analyze = self.build_analyzer()
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for text in texts:
            if not isinstance(text, str):
                raise ValidationError(f"texts must be str, got {type(text).__name__}")
            c = Counter(analyze(text))  # terms in order of first occurrence in the text
            if grow:
                setdefault = vocabulary.setdefault
                indices += [setdefault(t, len(vocabulary)) for t in c]
                counts += c.values()
            else:
                known = [(vocabulary[t], n) for t, n in c.items() if t in vocabulary]
                indices += [j for j, _ in known]
                counts += [n for _, n in known]
            indptr.append(len(indices))
        itype = np.int32 if len(indices) <= np.iinfo(np.int32).max else np.int64
        x = sp.csr_matrix(
            (
                np.asarray(counts, dtype=self.dtype),
                np.asarray(indices, dtype=itype),
                np.asarray(indptr, dtype=itype),
            ),
            shape=(len(texts), len(vocabulary)),
        )
        x.sort_indices()
        return x

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """``(1 + log tf) * idf``, rows scaled to unit L2 norm (in place on ``counts``)."""
        data = counts.data
        np.log(data, out=data)
        data += 1.0
        data *= self.idf_[counts.indices]
        _normalize_rows_l2(counts)
        return counts

    # -- estimator --------------------------------------------------------------------------

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn vocabulary and idf; return the TF-IDF of ``texts``, shape (n_texts, n_terms).

        Raises
        ------
        EmptyVocabularyError
            When no term is left (no token at all, or all pruned), or when ``max_df``
            corresponds to fewer documents than ``min_df``.
        """
        self._validate()
        seen: dict[str, int] = {}  # term -> number in order of first appearance
        x = self._count(texts, seen, grow=True)
        if not seen:
            raise EmptyVocabularyError("empty vocabulary: the texts have no token (or only stop words)")
        n_docs = x.shape[0]
        high = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n_docs
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n_docs
        if high < low:
            raise EmptyVocabularyError("max_df corresponds to fewer documents than min_df")

        terms = np.array(list(seen), dtype=object)
        rank = np.empty(len(terms), dtype=np.intp)  # place of each first-seen term in sorted order
        rank[np.argsort(terms, kind="stable")] = np.arange(len(terms))
        df = np.bincount(x.indices, minlength=len(terms))
        keep = (df <= high) & (df >= low)
        if self.max_features is not None and keep.sum() > self.max_features:
            candidates = np.flatnonzero(keep)
            candidates = candidates[np.argsort(rank[candidates], kind="stable")]  # sorted by term
            total = np.bincount(x.indices, weights=x.data, minlength=len(terms))  # exact integers
            best = candidates[np.argsort(-total[candidates], kind="stable")[: self.max_features]]
            keep = np.zeros(len(terms), dtype=bool)
            keep[best] = True
        if not keep.any():
            raise EmptyVocabularyError("no term left after pruning: lower min_df or raise max_df")

        kept = np.flatnonzero(keep)
        kept = kept[np.argsort(rank[kept], kind="stable")]  # first-seen numbers, in sorted term order
        column = np.full(len(terms), -1, dtype=x.indices.dtype)
        column[kept] = np.arange(len(kept), dtype=x.indices.dtype)
        x = _select_columns(x, column, len(kept))

        self.terms_ = terms[kept]
        self.vocabulary_ = {str(t): j for j, t in enumerate(self.terms_)}
        df_kept: np.ndarray = np.bincount(x.indices, minlength=len(kept)).astype(self.dtype)
        df_kept += 1.0  # smooth idf: as if one more document held every term
        idf: np.ndarray = np.full_like(df_kept, fill_value=n_docs + 1, dtype=self.dtype)
        idf /= df_kept
        np.log(idf, out=idf)
        idf += 1.0
        self.idf_ = idf
        return self._weigh(x)

    def fit(self, texts: Sequence[str]) -> TfidfVectorizer:
        """Learn vocabulary and idf on ``texts``; returns ``self``."""
        self.fit_transform(texts)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF of ``texts`` with the fitted vocabulary: shape (n_texts, n_terms), unit rows
        (a text with no known term is a zero row)."""
        if not hasattr(self, "idf_"):
            raise NotFittedError("TfidfVectorizer is not fitted; call fit(texts) first")
        return self._weigh(self._count(texts, self.vocabulary_, grow=False))


def _select_columns(x: sp.csr_matrix, column: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """``x`` restricted to the entries whose ``column[j] >= 0``, renumbered; row order kept."""
    new = column[x.indices]
    keep = new >= 0
    ends = np.concatenate([[0], np.cumsum(keep)]).astype(x.indptr.dtype)
    return sp.csr_matrix((x.data[keep], new[keep], ends[x.indptr]), shape=(x.shape[0], n_columns))


def _normalize_rows_l2(x: sp.csr_matrix) -> None:
    """Scale the rows of ``x`` to unit L2 norm in place; zero rows stay zero.

    The arithmetic of scikit-learn's ``inplace_csr_row_normalize_l2``: each square in the
    data's dtype, accumulated in float64 in storage order (``np.add.at`` adds in index
    order), then each value divided by the float64 norm and rounded back.
    """
    lengths = np.diff(x.indptr)
    sums = np.zeros(x.shape[0], dtype=np.float64)
    np.add.at(sums, np.repeat(np.arange(x.shape[0]), lengths), (x.data * x.data).astype(np.float64))
    norms = np.sqrt(sums)
    norms[sums == 0.0] = 1.0
    x.data[:] = x.data.astype(np.float64) / np.repeat(norms, lengths)
