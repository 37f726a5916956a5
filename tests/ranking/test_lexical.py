"""TF-IDF cosine: bounded, accent-insensitive, independent of the other queries."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import NotFittedError
from matcher.ranking import LexicalScorer

DOCS = ["Energía solar en Málaga", "packaging machinery for food", "solar energy storage systems"]


def test_bounded_and_accent_insensitive():
    lex = LexicalScorer().fit(DOCS)
    s = lex.score(["energia solar malaga", "Energía solar en Málaga"])
    assert s.shape == (2, 3)
    assert np.all((s >= 0) & (s <= 1 + 1e-6))
    assert s[0, 0] > s[0, 2] > s[0, 1] == 0
    assert s[1, 0] == pytest.approx(1.0, abs=1e-5)


def test_scores_comparable_across_queries():
    lex = LexicalScorer().fit(DOCS)
    alone = lex.score(["solar storage"])
    together = lex.score(["packaging", "solar storage", "machinery food"])
    np.testing.assert_allclose(alone[0], together[1])


def test_unfitted():
    with pytest.raises(NotFittedError):
        LexicalScorer().score(["x"])


def test_columns_give_the_same_products_as_the_transposed_rows():
    lex = LexicalScorer().fit(DOCS)
    q = lex.transform(["welding robots for aluminium", "nothing known here"])
    full = (q @ lex.columns()).toarray()
    assert np.array_equal(full, (q @ lex.doc_matrix_.T).toarray())  # bit for bit
    assert lex.columns() is lex.columns()  # transposed once, then kept
    docs = np.array([2, 0])
    assert np.array_equal((q @ lex.columns(docs)).toarray(), full[:, docs])
    lex.fit(DOCS[:2])  # a refit drops the kept transpose
    assert lex.columns().shape == (lex.doc_matrix_.shape[1], 2)
