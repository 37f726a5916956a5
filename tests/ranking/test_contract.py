"""One contract suite run against every ranking method in METHODS."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.exceptions import ModelMismatchError, NotFittedError, ValidationError
from matcher.ranking import METHODS, ProfileRanker, RankingConfig, combine_masks, cross_border_mask

ALL_METHODS = sorted(METHODS)


def _fit(cb, method: str, **kw) -> ProfileRanker:
    return ProfileRanker(method=method, **kw).fit(
        cb.doc_profile,
        doc_vectors=cb.doc_vectors,
        doc_texts=cb.doc_texts,
        model_id=cb.model_id,
    )


def _queries(cb, sl=slice(None)) -> dict:
    return {"query_vectors": cb.query_vectors[sl], "query_texts": cb.query_texts[sl], "model_id": cb.model_id}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_right_profile_first(checkerboard, method):
    ranker = _fit(checkerboard, method)
    idx, scores = ranker.rank(0, **_queries(checkerboard))
    n = len(checkerboard.query_texts)
    assert idx.shape == scores.shape == (n, n)
    assert idx[:, 0].tolist() == list(range(n))
    assert np.all(np.diff(scores, axis=1) <= 0)  # best first


@pytest.mark.parametrize("method", ALL_METHODS)
def test_scores_do_not_depend_on_the_batch(checkerboard, method):
    ranker = _fit(checkerboard, method)
    together = ranker.score(**_queries(checkerboard))
    alone = np.vstack([ranker.score(**_queries(checkerboard, slice(i, i + 1))) for i in range(len(together))])
    reversed_ = ranker.score(**_queries(checkerboard, slice(None, None, -1)))[::-1]
    one_by_one = _fit(checkerboard, method, batch_size=1).score(**_queries(checkerboard))
    np.testing.assert_allclose(alone, together, rtol=0, atol=1e-5)
    np.testing.assert_allclose(reversed_, together, rtol=0, atol=1e-5)
    np.testing.assert_allclose(one_by_one, together, rtol=0, atol=1e-5)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_filtering_keeps_survivors_scores(checkerboard, method):
    ranker = _fit(checkerboard, method)
    full = ranker.score(**_queries(checkerboard))
    n = full.shape[1]
    country = ["ES", "IT", "IE", "ES", "FR", "TR"][:n]
    outcome = combine_masks(
        full.shape, {"cross_border": cross_border_mask(country[: full.shape[0]], country)}
    )
    idx, scores = ranker.rank(0, mask=outcome.mask, **_queries(checkerboard))
    for q in range(full.shape[0]):
        kept = idx[q][idx[q] >= 0]
        assert set(kept.tolist()) == set(np.flatnonzero(outcome.mask[q]).tolist())
        np.testing.assert_allclose(scores[q][: kept.size], full[q, kept])
        assert np.all(np.isneginf(scores[q][kept.size :]))


@pytest.mark.parametrize("method", ALL_METHODS)
def test_same_pair_scores_same_across_queries(checkerboard, method):
    """A duplicated query gets identical scores wherever it sits in the batch."""
    ranker = _fit(checkerboard, method)
    q = _queries(checkerboard)
    q2 = {
        "query_vectors": np.vstack([q["query_vectors"], q["query_vectors"][:1]]),
        "query_texts": [*q["query_texts"], q["query_texts"][0]],
    }
    s = ranker.score(**q2)
    np.testing.assert_allclose(s[0], s[-1], atol=1e-6)


@pytest.mark.parametrize("method", [m for m in ALL_METHODS if METHODS[m].uses_dense])
def test_cross_language_uses_multilingual_encoder(checkerboard, method):
    cb = checkerboard
    ranker = ProfileRanker(method=method).fit(
        cb.doc_profile,
        doc_vectors=cb.doc_vectors,
        doc_texts=cb.doc_texts,
        doc_multi_vectors=cb.doc_multi,
        doc_lang=["en"] * len(cb.doc_texts),
        model_id=cb.model_id,
        multi_model_id=cb.multi_model_id,
    )
    nq = len(cb.query_texts)
    # Main-encoder query vectors scrambled: if cross-language pairs used them, ranks would break.
    garbage = np.roll(cb.query_vectors, 1, axis=0)
    idx, _ = ranker.rank(
        1,
        query_vectors=garbage,
        query_texts=cb.query_texts,
        query_multi_vectors=cb.query_multi,
        query_lang=["es"] * nq,
        model_id=cb.model_id,
        multi_model_id=cb.multi_model_id,
    )
    assert idx[:, 0].tolist() == list(range(nq))


def test_unfitted_and_mismatch(checkerboard):
    with pytest.raises(NotFittedError):
        ProfileRanker().score(query_vectors=checkerboard.query_vectors, query_texts=checkerboard.query_texts)
    ranker = _fit(checkerboard, "dense-max")
    with pytest.raises(ModelMismatchError):
        ranker.score(query_vectors=checkerboard.query_vectors, model_id="other-model")
    with pytest.raises(ValidationError):
        ProfileRanker(method="nope").fit(checkerboard.doc_profile, doc_vectors=checkerboard.doc_vectors)


def test_config_defaults_in_one_place():
    cfg = RankingConfig()
    assert 0 <= cfg.lexical_weight <= 1 and cfg.topk >= 1
    assert isinstance(cfg.to_dict()["lexical_weight"], float)
