"""Quality per language pair: a metric averaged within (query language, doc language) groups.

A query's *doc language* is the majority language of its relevant (grade >= 1) judged
documents; ties go to the alphabetically first language.  Taking it from the qrels rather
than from a run keeps the groups identical for every run, so methods compare on the same
queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

UNKNOWN = "?"


@dataclass(frozen=True)
class GroupScore:
    """Mean of a metric over the queries of a group."""

    mean: float
    n_queries: int


def language_pairs(
    qrels: Mapping[str, Mapping[str, int]],
    query_languages: Mapping[str, str],
    doc_languages: Mapping[str, str],
) -> dict[str, tuple[str, str]]:
    """``{query_id: (query language, majority language of its relevant docs)}``.

    Unknown languages are ``"?"``.
    """
    out: dict[str, tuple[str, str]] = {}
    for query_id, docs in qrels.items():
        counts = Counter(doc_languages.get(doc, UNKNOWN) for doc, rel in docs.items() if rel >= 1)
        if counts:
            best = max(counts.values())
            doc_language = min(lang for lang, c in counts.items() if c == best)
        else:
            doc_language = UNKNOWN
        out[query_id] = (query_languages.get(query_id, UNKNOWN), doc_language)
    return out


def quality_by_language_pair(
    per_query: Mapping[str, float],
    qrels: Mapping[str, Mapping[str, int]],
    query_languages: Mapping[str, str],
    doc_languages: Mapping[str, str],
) -> dict[tuple[str, str], GroupScore]:
    """Average a metric's per-query scores within each language pair.

    Parameters
    ----------
    per_query : mapping ``{query_id: score}``
        One metric of one run (e.g. ``RunScores.as_dict()["ndcg@10"]``).
    qrels : mapping ``{query_id: {doc_id: relevance}}``
    query_languages, doc_languages : mapping of str to str

    Returns
    -------
    dict of (str, str) to GroupScore
        Sorted by language pair.
    """
    pairs = language_pairs({q: qrels[q] for q in per_query if q in qrels}, query_languages, doc_languages)
    grouped: dict[tuple[str, str], list[float]] = {}
    for query_id, score in per_query.items():
        grouped.setdefault(pairs.get(query_id, (UNKNOWN, UNKNOWN)), []).append(float(score))
    return {
        pair: GroupScore(mean=float(np.mean(scores)), n_queries=len(scores))
        for pair, scores in sorted(grouped.items())
    }
