"""Text that many profiles share carries no match and is never its reason (issue #8, item 4).

Known by construction: 30 firms and two candidates all end their description with the same
boilerplate sentence, and the query repeats it. Candidate A holds little else, so on the raw
texts its bag of words is the closest to the query; candidate B shares the query's *specific*
sentence (titanium gearbox housings). Once the common text is stripped, B must rank first,
and its reasons must quote its specific sentence and cite none of the boilerplate's words.
"""

from __future__ import annotations

import numpy as np
import pytest

from matcher.embeddings import l2_normalise
from matcher.ranking import ProfileRanker, explain, split_sentences
from matcher.ranking.reasons import generic_terms
from matcher.ranking.rules import common_sentences, strip_common_sentences

BOILER = "We supply customers across Europe and are open to joint projects."
FIRMS = [f"Firm {i} repairs item{i} units. {BOILER}" for i in range(30)]
A = f"{BOILER} Fences."
B = (
    f"{BOILER} We machine titanium gearbox housings, rail bogies, marine pumps, wind turbine hubs "
    "and robotic arms in small series."
)
QUERY = f"{BOILER} Looking for titanium gearbox housings."
A_ID, B_ID = 30, 31
BOILER_WORDS = {"supply", "customers", "across", "europe", "open", "joint", "projects"}


def bag_of_words(texts: list[str], vocabulary_from: list[str]) -> np.ndarray:
    """Unit count vectors: a model-free stand-in for an encoder that sees every word alike."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer().fit(vocabulary_from)
    return l2_normalise(vec.transform(texts).toarray().astype(np.float32))


def test_on_raw_text_the_boilerplate_profile_is_closest():  # the construction holds
    docs = [*FIRMS, A, B]
    v = bag_of_words([QUERY, *docs], [QUERY, *docs])
    sims = v[1:] @ v[0]
    assert int(np.argmax(sims)) == A_ID


@pytest.mark.parametrize("method", ["lexical", "dense-topk", "hybrid-topk", "learned"])
def test_the_specific_profile_ranks_first_once_common_text_is_stripped(method: str):
    raw = [*FIRMS, A, B]
    groups = np.arange(len(raw))
    common = common_sentences(raw, groups)
    docs = strip_common_sentences(raw, common)
    (query,) = strip_common_sentences([QUERY], common)
    assert BOILER not in docs[B_ID] and BOILER not in query
    vectors = bag_of_words([query, *docs], [QUERY, *raw])
    ranker = ProfileRanker(method=method).fit(groups, doc_vectors=vectors[1:], doc_texts=docs)
    idx, _ = ranker.rank(3, query_vectors=vectors[:1], query_texts=[query])
    assert idx[0, 0] == B_ID

    fused = ranker.score_documents(query_vectors=vectors[:1], query_texts=[query])
    sentences = split_sentences(docs[B_ID])
    lexical = ranker.lexical_
    tfidf = {}
    if lexical is not None:
        tfidf = {
            "query_tfidf": lexical.transform([query]),
            "doc_tfidf": lexical.doc_matrix_,
            "terms": lexical.terms_,
            "exclude_terms": generic_terms(lexical.doc_matrix_, groups),
        }
    reasons = explain(
        doc_scores=fused.score[0],
        dense_part=fused.dense[0],
        lexical_part=fused.lexical[0],
        doc_profile=groups,
        profile=B_ID,
        score=1.0,
        query_vector=vectors[0],
        sentence_vectors=bag_of_words(sentences, [QUERY, *raw]),
        sentences=sentences,
        **tfidf,
    )
    assert "titanium gearbox housings" in (reasons.best_sentence_text or "")
    assert "Europe" not in (reasons.best_sentence_text or "")
    if lexical is not None:
        assert {"titanium", "gearbox", "housings"} <= set(reasons.key_terms)
        assert not BOILER_WORDS & set(reasons.key_terms)


def _common_by_brute_force(texts: list[str], groups: list[int], need: float) -> frozenset[str]:
    """The definition, spelled out: every 3-word window of every sentence, with its profiles."""
    import re

    holders: dict[str, set[int]] = {}
    for text, g in zip(texts, groups, strict=True):
        for sentence in split_sentences(text):
            words = [w.casefold() for w in re.findall(r"\w+", sentence)]
            wins = [" ".join(words[i : i + 3]) for i in range(len(words) - 2)] or (
                [" ".join(words)] if words else []
            )
            for w in wins:
                holders.setdefault(w, set()).add(g)
    return frozenset(w for w, gs in holders.items() if len(gs) >= need)


def test_common_windows_count_profiles_not_documents_in_any_order():
    """A window repeated in one profile's many documents counts once; documents need not come grouped."""
    rng = np.random.default_rng(3)
    phrases = [
        "open to joint projects",
        "laser welding of aluminium",
        "Das Team ist klein",
        "se habla español",
    ]
    texts, groups = [], []
    for g in range(40):
        for _ in range(int(rng.integers(1, 4))):
            chosen = rng.choice(len(phrases), size=2, replace=False)
            texts.append(". ".join(phrases[int(i)] for i in chosen) + f". Unique note {g}.")
            groups.append(g)
    texts.append("open to joint projects. open to joint projects.")  # one profile, twice
    groups.append(40)
    perm = rng.permutation(len(texts))
    shuffled, shuffled_groups = [texts[i] for i in perm], [groups[i] for i in perm]
    want = _common_by_brute_force(texts, groups, need=5)
    assert want and not any("unique" in w for w in want)
    assert common_sentences(texts, np.array(groups), min_count=5, min_share=0.0) == want
    assert common_sentences(shuffled, np.array(shuffled_groups), min_count=5, min_share=0.0) == want
    # one profile holding a window in every document still counts once
    solo = ["open to joint projects."] * 6
    assert common_sentences(solo, np.zeros(6, dtype=int), min_count=2, min_share=0.0) == frozenset()
    assert common_sentences([], np.array([], dtype=int)) == frozenset()


@pytest.mark.parametrize("max_windows", [0, 3, 50])
def test_the_bounded_count_finds_the_same_common_windows(max_windows):
    """Past ``max_windows`` distinct windows the count runs in two passes over hash buckets:
    the same answer as the exact one-pass count (and as the definition)."""
    rng = np.random.default_rng(11)
    phrases = [
        "open to joint projects",
        "laser welding of aluminium",
        "we are a small company",
        "see our site",
    ]
    texts, groups = [], []
    for g in range(60):
        for _ in range(int(rng.integers(1, 3))):
            picked = [phrases[int(i)] for i in rng.choice(len(phrases), size=2, replace=False)]
            texts.append(". ".join(p.capitalize() for p in picked) + f". Own topic {g} number {g * 7}.")
            groups.append(int(rng.integers(0, 60)))
    want = _common_by_brute_force(texts, groups, need=5)
    assert want
    exact = common_sentences(texts, np.array(groups), min_count=5, min_share=0.0)
    bounded = common_sentences(texts, np.array(groups), min_count=5, min_share=0.0, max_windows=max_windows)
    assert exact == bounded == want


def test_the_bounded_count_on_real_abstracts():
    """DBLP abstracts (72 % of windows distinct): both counts agree at a low threshold."""
    import json
    from pathlib import Path

    rows = [
        json.loads(x) for x in Path("data/expert-finding-dblp/profiles.jsonl").read_text().splitlines()[:80]
    ]
    texts = [d["text"] for r in rows for d in r["documents"]]
    groups = np.array([i for i, r in enumerate(rows) for _ in r["documents"]])
    exact = common_sentences(texts, groups, min_count=3, min_share=0.0)
    assert exact  # "in this paper we" and the like
    assert common_sentences(texts, groups, min_count=3, min_share=0.0, max_windows=1000) == exact
