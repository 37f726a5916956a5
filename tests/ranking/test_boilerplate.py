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
