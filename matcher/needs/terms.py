"""Distinctive terms of each cluster: class-based TF-IDF (Grootendorst, BERTopic, 2022).

All texts of a cluster form one document; a term's frequency there is the number of the
cluster's texts that use it, and its weight is ``(frequency / cluster size) * log(1 + n_texts /
texts using the term anywhere)``: the share of the cluster that uses the word times how rare
the word is overall, so words shared by every cluster lose to words that mark one.  A term
must occur in two texts of the cluster where it can, so one text's rare word does not name
a cluster.
Tokens are accent-stripped, lower-cased words of 3+ letters (any script), minus the given
stop words; the terms stay in the language they were written in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["distinctive_terms"]

_TOKEN = r"(?u)\b[^\W\d_][^\W_]{2,}\b"


def distinctive_terms(
    texts: Sequence[str],
    labels: np.ndarray,
    *,
    n_terms: int = 8,
    stop_words: frozenset[str] | None = None,
) -> list[list[str]]:
    """Top ``n_terms`` distinctive terms per cluster.

    Parameters
    ----------
    texts : sequence of str, length n_samples
    labels : ndarray of shape (n_samples,), int in ``0..k-1``
    n_terms : int
    stop_words : frozenset of str, optional
        Lower-cased, accent-stripped words to drop.

    Returns
    -------
    list of list of str
        ``terms[c]`` for cluster ``c``, best first; ties broken alphabetically.
    """
    from sklearn.feature_extraction.text import CountVectorizer  # imported on use, not by a server

    labels = np.asarray(labels, dtype=int)
    k = int(labels.max()) + 1 if labels.size else 0
    if k == 0:
        return []
    vec = CountVectorizer(
        token_pattern=_TOKEN, strip_accents="unicode", lowercase=True,
        stop_words=sorted(stop_words) if stop_words else None, binary=True,
    )  # fmt: skip
    try:
        counts = vec.fit_transform(list(texts))
    except ValueError:  # empty vocabulary: nothing but stop words
        return [[] for _ in range(k)]
    vocab = np.asarray(vec.get_feature_names_out())
    member = np.zeros((k, len(labels)))
    member[labels, np.arange(len(labels))] = 1.0
    tf = np.asarray(member @ counts.toarray())  # (k, n_terms)
    idf = np.log1p(len(labels) / np.maximum(tf.sum(axis=0), 1.0))
    sizes = member.sum(axis=1)
    weight = tf / sizes[:, None] * idf
    out = []
    for c in range(k):
        row = weight[c]
        keep = np.flatnonzero((row > 0) & (tf[c] >= 2))
        if keep.size == 0:
            keep = np.flatnonzero(row > 0)
        order = sorted(keep, key=lambda j: (-row[j], vocab[j]))
        out.append([str(vocab[j]) for j in order[:n_terms]])
    return out
