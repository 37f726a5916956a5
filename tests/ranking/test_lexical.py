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
