"""The in-house TF-IDF gives what scikit-learn's TfidfVectorizer gives, to the bit.

scikit-learn is the oracle: it stays a dependency (offline features), so every case is
computed by both and compared value for value (the same float32 arithmetic, so equality is
exact, not approximate).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, strip_accents_unicode
from sklearn.feature_extraction.text import TfidfVectorizer as SklearnTfidf

from matcher.embeddings.language import stop_words
from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking import LexicalScorer
from matcher.ranking.tfidf import EmptyVocabularyError, TfidfVectorizer, strip_accents

DBLP = Path(__file__).resolve().parents[2] / "data" / "expert-finding-dblp" / "profiles.jsonl"

MULTILINGUAL = [
    "Energía solar en Málaga: almacenamiento térmico y redes inteligentes",
    "Ingegneria dei materiali a Genova, saldatura laser e qualità delle giunzioni",
    "Réseaux de capteurs à faible consommation pour l'agriculture, naïve Bayes",
    "İstanbul'da yenilenebilir enerji ve akıllı şebeke, Işık ve ğüşöç harfleri",
    "Straßenbahn-Überwachung mit Kameras, Großstädte und Fußgänger",
    "The ﬁrst ﬂow simulation of ﬁre spread (ligatures), Œuvre and ½ and ²",
    "déjà vu, DÉJÀ VU, Déjà Vu: e\u0301te\u0301 in decomposed form",
    "",
    "!!! ... ---",  # no token at all
    "a b c",  # only one-letter words: no token of 2+ characters
    "energia solare, energía solar, énergie solaire, solar energy",
]

QUERIES = [
    "energia solar malaga",
    "Istanbul akilli sebeke",
    "naive bayes capteurs",
    "first flow fire",
    "zzzz qqqq unknownword",  # only unknown words: a zero row
    "",
    "the and of",  # only stop words (or unknown)
]


def _dblp(n: int = 600) -> list[str]:
    texts: list[str] = []
    with DBLP.open(encoding="utf-8") as fh:
        for line in fh:
            texts += [d["text"] for d in json.loads(line)["documents"]]
    return texts[:n]


def _pair(**kw: Any) -> tuple[TfidfVectorizer, Any]:
    """Ours and scikit-learn's, configured alike (LexicalScorer's fixed options)."""
    sw = kw.get("stop_words")
    sk = SklearnTfidf(
        sublinear_tf=True,
        strip_accents="unicode",
        lowercase=True,
        token_pattern=kw.get("token_pattern", r"(?u)\b\w\w+\b"),
        stop_words=sorted(sw) if sw else None,
        ngram_range=kw.get("ngram_range", (1, 1)),
        min_df=kw.get("min_df", 1),
        max_df=kw.get("max_df", 1.0),
        max_features=kw.get("max_features"),
        dtype=kw.get("dtype", np.float32),
    )
    return TfidfVectorizer(**kw), sk


def assert_same_matrix(ours: sp.csr_matrix, theirs: sp.spmatrix) -> None:
    assert sp.isspmatrix_csr(ours) and ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)  # the same order within rows
    np.testing.assert_array_equal(ours.data, theirs.data)


def assert_same_fit(texts: list[str], queries: list[str], **kw: Any) -> TfidfVectorizer:
    ours, sk = _pair(**kw)
    assert_same_matrix(ours.fit_transform(texts), sk.fit_transform(texts))
    assert list(ours.terms_) == list(sk.get_feature_names_out())
    assert ours.vocabulary_ == {t: int(j) for t, j in sk.vocabulary_.items()}
    assert ours.idf_.dtype == sk.idf_.dtype
    np.testing.assert_array_equal(ours.idf_, sk.idf_)
    assert_same_matrix(ours.transform(queries), sk.transform(queries))
    return ours


CONFIGS = [
    pytest.param({}, id="defaults"),
    pytest.param({"stop_words": "programme"}, id="stop-words"),
    pytest.param({"ngram_range": (1, 2), "stop_words": "programme"}, id="bigrams"),
    pytest.param({"ngram_range": (2, 3)}, id="bigrams-trigrams-only"),
    pytest.param({"min_df": 2}, id="min_df=2"),
    pytest.param({"max_df": 0.5}, id="max_df=0.5"),
    pytest.param({"max_df": 20, "min_df": 0.01}, id="max_df=20,min_df=0.01"),
    pytest.param({"dtype": np.float64}, id="float64"),
]


def _config(cfg: dict[str, Any]) -> dict[str, Any]:
    return {**cfg, "stop_words": stop_words()} if cfg.get("stop_words") == "programme" else dict(cfg)


@pytest.mark.parametrize("cfg", CONFIGS)
def test_same_as_sklearn_on_dblp_abstracts(cfg):
    texts = _dblp()
    assert_same_fit(texts, [*QUERIES, *_dblp(700)[600:]], **_config(cfg))


@pytest.mark.parametrize("cfg", CONFIGS)
def test_same_as_sklearn_on_multilingual_accented_text(cfg):
    assert_same_fit(MULTILINGUAL * 2 + MULTILINGUAL[:3], QUERIES + MULTILINGUAL, **_config(cfg))


def test_max_features_without_ties_keeps_the_same_terms():
    texts = _dblp()
    counts = CountVectorizer(strip_accents="unicode").fit_transform(texts)  # the same tokens
    totals = np.sort(np.asarray(counts.sum(axis=0)).ravel())[::-1]
    limit = next(n for n in range(50, len(totals)) if totals[n - 1] > totals[n])  # no tie at the cut
    ours = assert_same_fit(texts, QUERIES + texts[:20], max_features=limit)
    assert len(ours.terms_) == limit


def test_max_features_ties_go_to_the_earlier_term():
    ours = TfidfVectorizer(max_features=2).fit(["beta alpha gamma", "delta gamma"])
    assert list(ours.terms_) == ["alpha", "gamma"]  # gamma: 2; alpha, beta, delta: 1 each


def test_strip_accents_is_sklearns_unicode_stripping():
    for text in [*MULTILINGUAL, "İ", "ı", "ﬁ", "e\u0301", "ǅ", "Å", "ASCII only"]:
        assert strip_accents(text) == strip_accents_unicode(text)


def test_terms_are_sorted_and_unknown_words_are_ignored():
    vec = TfidfVectorizer().fit(["zeta alpha beta", "beta gamma alpha zeta zeta"])
    assert list(vec.terms_) == ["alpha", "beta", "gamma", "zeta"]
    q = vec.transform(["zeta unknown", "nothing known here"])
    assert q.shape == (2, 4) and q[1].nnz == 0
    np.testing.assert_allclose(q[0].toarray(), [[0, 0, 0, 1]])


def test_empty_vocabulary_and_pruning_everything_raise():
    with pytest.raises(EmptyVocabularyError):
        TfidfVectorizer().fit(["a b", "", "!"])
    with pytest.raises(EmptyVocabularyError):
        TfidfVectorizer(min_df=3).fit(["solar energy", "wind energy"])
    with pytest.raises(EmptyVocabularyError):
        TfidfVectorizer(min_df=2, max_df=1).fit(["solar energy", "wind energy"])
    for sk_kw in ({}, {"min_df": 3}, {"min_df": 2, "max_df": 1}):  # where sklearn raises too
        with pytest.raises(ValueError):
            SklearnTfidf(**sk_kw).fit(["a b", "", "!"] if not sk_kw else ["solar energy", "wind energy"])


@pytest.mark.parametrize(
    "bad", [{"min_df": -1}, {"max_df": 1.5}, {"ngram_range": (2, 1)}, {"max_features": 0}]
)
def test_invalid_parameters_are_validation_errors(bad):
    with pytest.raises(ValidationError):
        TfidfVectorizer(**bad).fit(["solar energy"])


def test_unfitted():
    with pytest.raises(NotFittedError):
        TfidfVectorizer().transform(["x"])


# -- LexicalScorer: the same matrices as when it used scikit-learn ---------------------------


def _old_lexical(documents: list[str], **kw: Any) -> tuple[Any, sp.spmatrix]:
    """LexicalScorer.fit as it was with scikit-learn (the fallback included)."""
    sw = kw.pop("stop_words", None)
    vec = SklearnTfidf(
        sublinear_tf=True, strip_accents="unicode", lowercase=True, token_pattern=r"(?u)\b\w\w+\b",
        stop_words=sorted(sw) if sw else None, dtype=np.float32, **kw,
    )  # fmt: skip
    try:
        return vec, vec.fit_transform(list(documents)).tocsr()
    except ValueError:
        vec = SklearnTfidf(sublinear_tf=True, strip_accents="unicode", token_pattern=r"(?u)\w+")
        return vec, vec.fit_transform([*documents, "_"]).tocsr()[:-1]


@pytest.mark.parametrize(
    ("documents", "kw"),
    [
        pytest.param(MULTILINGUAL, {"stop_words": "programme"}, id="multilingual"),
        pytest.param(["a b", "c", "!", ""], {}, id="fallback-no-word-of-2-chars"),
        pytest.param(["solar energy", "wind power"], {"min_df": 2}, id="fallback-all-pruned"),
    ],
)
def test_lexical_scorer_matches_its_sklearn_version(documents, kw):
    kw = _config(kw)
    lex = LexicalScorer(**kw).fit(documents)
    vec, old = _old_lexical(documents, **kw)
    assert_same_matrix(lex.doc_matrix_, old)
    assert list(lex.terms_) == list(vec.get_feature_names_out())
    np.testing.assert_array_equal(lex.idf_, vec.idf_)
    queries = [*QUERIES, "a", "b c _", "solar"]
    assert_same_matrix(lex.transform(queries), vec.transform(queries))
    np.testing.assert_array_equal(
        lex.score(queries), np.asarray((vec.transform(queries) @ old.T).toarray(), dtype=np.float32)
    )
