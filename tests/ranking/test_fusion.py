"""Calibration against a random-pair background, and language-aware fusion."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.embeddings import l2_normalise
from matcher.exceptions import NotFittedError, ValidationError
from matcher.ranking import HybridScorer, ScoreCalibrator, background_pairs, fuse, same_language


def test_zscore_and_quantile_maps():
    bg = np.array([0.0, 0.1, 0.2, 0.3, 0.4])
    z = ScoreCalibrator().fit(bg)
    assert z.loc_ == pytest.approx(0.2) and z.scale_ == pytest.approx(np.std(bg))
    assert z.transform(np.array([0.2]))[0] == pytest.approx(0.0)
    q = ScoreCalibrator(method="quantile", low=0.0, high=1.0).fit(bg)
    np.testing.assert_allclose(q.transform(np.array([0.0, 0.4])), [0.0, 1.0], atol=1e-6)
    with pytest.raises(NotFittedError):
        ScoreCalibrator().transform(bg)


def test_probit_map_is_the_normal_score_of_the_background_rank():
    from scipy.stats import norm

    rng = np.random.default_rng(0)
    bg = rng.exponential(0.05, 20_000)  # heavy-tailed, like TF-IDF cosines of random pairs
    cal = ScoreCalibrator(method="probit").fit(bg)
    med, q99 = np.quantile(bg, [0.5, 0.99])
    z = cal.transform(np.array([med, q99]))
    np.testing.assert_allclose(z, [0.0, norm.ppf(0.99)], atol=0.02)
    # past the background's maximum the order is kept (slope 1 / std), and the map is monotone
    top = bg.max()
    far = cal.transform(np.array([top, top + 0.1, top + 0.2]))
    assert far[0] < far[1] < far[2]
    grid = np.linspace(-0.1, 1.0, 500)
    assert np.all(np.diff(cal.transform(grid)) >= 0)
    # a spike of ties (random pairs sharing no word) maps to one value, its mid-rank
    spiky = ScoreCalibrator(method="probit").fit(np.r_[np.zeros(800), np.linspace(0.01, 1, 200)])
    assert spiky.transform(np.array([0.0]))[0] == pytest.approx(norm.ppf(0.4), abs=0.01)


def test_degenerate_background_is_floored():
    cal = ScoreCalibrator(min_scale=1e-3).fit(np.zeros(100))
    assert cal.scale_ == 1e-3
    assert np.isfinite(cal.transform(np.array([0.5]))).all()


def test_background_pairs_respect_groups_and_labels():
    groups = np.array([0, 0, 1, 1, 2, 2])
    labels = np.array(["en", "es", "en", "es", "en", "es"])
    i, j = background_pairs(6, 200, groups=groups, different=labels, random_state=0)
    assert i.size > 0
    assert np.all(groups[i] != groups[j]) and np.all(labels[i] != labels[j]) and np.all(i != j)


def test_calibration_puts_two_encoders_on_one_scale():
    """Two encoders with different raw cosine levels give the same calibrated score to the same evidence."""
    rng = np.random.default_rng(0)
    raw = rng.normal(0.0, 1.0, 5000)
    enc_a, enc_b = 0.10 + 0.05 * raw, 0.40 + 0.02 * raw  # same ordering, different level and spread
    za = ScoreCalibrator().fit(enc_a).transform(np.array([0.10 + 0.05 * 3]))
    zb = ScoreCalibrator().fit(enc_b).transform(np.array([0.40 + 0.02 * 3]))
    assert za[0] == pytest.approx(zb[0], abs=0.1)


def test_fuse_is_convex_combination():
    d, lex = np.array([[2.0, 0.0]]), np.array([[0.0, 4.0]])
    np.testing.assert_allclose(fuse(d, lex, weight=0.25), [[1.5, 1.0]])
    with pytest.raises(ValidationError):
        fuse(d, lex, weight=1.5)


def test_same_language_matrix():
    q = np.array(["es", "en", "und"], dtype=object)
    d = np.array(["en", "es", "und", "en"], dtype=object)
    got = same_language(q, d)
    assert got.tolist() == [
        [False, True, False, False],
        [True, False, False, True],
        [False, False, True, False],
    ]


def test_hybrid_routes_cross_language_pairs_to_multilingual_and_drops_lexical():
    rng = np.random.default_rng(0)
    main = l2_normalise(rng.standard_normal((50, 8)))
    multi = l2_normalise(rng.standard_normal((50, 8)))
    scorer = HybridScorer(lexical_weight=0.4, cross_lexical_factor=0.0, n_background=500).fit(
        main, doc_multi=multi
    )
    dm, dx, lx = np.full((1, 2), 0.5), np.full((1, 2), 0.3), np.full((1, 2), 0.9)
    out = scorer.transform(
        dense_main=dm, dense_multi=dx, lexical=None, query_lang=["es"], doc_lang=["es", "en"]
    )
    z_main, z_multi = scorer.main_.transform(dm)[0, 0], scorer.multi_.transform(dx)[0, 1]
    assert out.score[0, 0] == pytest.approx(z_main) and out.score[0, 1] == pytest.approx(z_multi)
    # With lexical: same-language pair gets the lexical share, cross-language pair none.
    scorer2 = HybridScorer(lexical_weight=0.4, n_background=500).fit(main, doc_multi=multi, doc_lexical=None)
    with pytest.raises(NotFittedError):
        scorer2.transform(dense_main=dm, lexical=lx)
    assert out.lexical.sum() == 0.0


def test_same_language_equals_comparing_every_pair():
    rng = np.random.default_rng(5)
    labels = np.array(["en", "es", "it", "und", "tr"], dtype=object)
    q, d = labels[rng.integers(0, 5, 7)], labels[rng.integers(0, 4, 50)]
    want = [[a == b for b in d] for a in q]
    assert same_language(q, d).tolist() == want


def test_languages_array_normalises_once_and_then_passes_through():
    from matcher.ranking import languages_array

    raw = ["EN", None, "es", "", "Tr"]
    once = languages_array(raw, 5)
    assert once.tolist() == ["en", "und", "es", "und", "tr"]
    assert languages_array(once, 5) is once  # already normalised: no per-document pass
    assert languages_array(None, 2).tolist() == ["und", "und"]
    with pytest.raises(ValidationError):
        languages_array(["en"], 2)


def test_a_given_same_language_matrix_is_used_and_checked():
    rng = np.random.default_rng(2)
    docs = l2_normalise(rng.normal(size=(30, 8)).astype(np.float32))
    import scipy.sparse as sp

    terms = sp.csr_matrix(l2_normalise(rng.random((30, 12)).astype(np.float32)))
    hs = HybridScorer(lexical_weight=0.4, cross_lexical_factor=0.0).fit(docs, doc_lexical=terms)
    dense = (docs[:2] @ docs.T).astype(np.float32)
    lex = (terms[:2] @ terms.T).toarray().astype(np.float32)
    q, d = np.array(["en", "es"], dtype=object), np.array(["en", "es"] * 15, dtype=object)
    by_labels = hs.transform(dense_main=dense, lexical=lex, query_lang=q, doc_lang=d)
    given = hs.transform(dense_main=dense, lexical=lex, same=same_language(q, d))
    assert np.array_equal(by_labels.score, given.score)
    with pytest.raises(ValidationError):
        hs.transform(dense_main=dense, same=np.ones((2, 3), dtype=bool))
