"""Need clusters of challenges: consensus clusters of their vectors, labelled by their terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.exceptions import ValidationError
from matcher.needs.consensus import ConsensusClustering
from matcher.needs.terms import distinctive_terms

__all__ = ["NeedCluster", "cluster_needs", "label_of"]


@dataclass(frozen=True)
class NeedCluster:
    """One cluster: ``id`` (``"n1"``, ``"n2"``, ... by decreasing size), label, terms, member ids."""

    id: str
    label: str
    terms: tuple[str, ...]
    members: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "terms": list(self.terms), "members": list(self.members)}


def label_of(terms: Sequence[str], n: int = 3) -> str:
    """A short label: the first ``n`` terms joined by ``" / "``; ``"(no terms)"`` when none."""
    return " / ".join(terms[:n]) if terms else "(no terms)"


def cluster_needs(
    ids: Sequence[str],
    texts: Sequence[str],
    vectors: np.ndarray,
    *,
    stop_words: frozenset[str] | None = None,
    n_terms: int = 8,
    random_state: int = 0,
) -> tuple[list[NeedCluster], np.ndarray]:
    """Cluster challenges by need; every challenge lands in exactly one cluster.

    Parameters
    ----------
    ids, texts : sequences of str, length n
    vectors : ndarray of shape (n, dim)
        L2-normalised embeddings of ``texts``.
    stop_words : frozenset of str, optional
        Dropped from the terms.
    n_terms : int
        Terms kept per cluster.
    random_state : int

    Returns
    -------
    clusters : list of NeedCluster
        Largest first; members in input order.
    labels : ndarray of shape (n,), int
        ``labels[i]`` is the index in ``clusters`` of challenge ``i``.
    """
    if not (len(ids) == len(texts) == len(vectors)):
        raise ValidationError(
            f"ids, texts and vectors differ in length: {len(ids)}, {len(texts)}, {len(vectors)}"
        )
    if len(set(ids)) != len(ids):
        raise ValidationError("challenge ids must be unique")
    if len(ids) == 0:
        return [], np.zeros(0, dtype=int)
    labels = ConsensusClustering(random_state=random_state).fit_predict(vectors)
    terms = distinctive_terms(texts, labels, n_terms=n_terms, stop_words=stop_words)
    clusters = []
    for c, words in enumerate(terms):
        members = tuple(ids[int(i)] for i in np.flatnonzero(labels == c))
        clusters.append(NeedCluster(f"n{c + 1}", label_of(words), tuple(words), members))
    return clusters, labels
