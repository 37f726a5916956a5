"""The pure needs code on data whose answer is known by construction."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from matcher.exceptions import NotFittedError, ValidationError
from matcher.needs import (
    ConsensusClustering,
    cluster_coverage,
    cluster_needs,
    distinctive_terms,
    reference_coverage,
)


def _blobs(sizes, dim=16, spread=0.05, seed=0):
    """Tight blobs around orthogonal directions: the right clusters are the blobs."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for c, n in enumerate(sizes):
        centre = np.zeros(dim)
        centre[c] = 1.0
        rows.append(centre + spread * rng.standard_normal((n, dim)))
        truth += [c] * n
    X = np.vstack(rows)
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.array(truth)


@pytest.mark.parametrize("sizes", [(20, 20, 20), (30, 12, 8, 5), (9, 9)])
def test_recovers_separated_blobs_without_being_told_k(sizes):
    X, truth = _blobs(sizes)
    model = ConsensusClustering(random_state=0).fit(X)
    assert model.n_clusters_ == len(sizes)
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    # numbered by decreasing size
    assert np.bincount(model.labels_).tolist() == sorted(sizes, reverse=True)


def test_same_seed_same_clusters_and_input_order_does_not_matter():
    X, _ = _blobs((15, 10, 6), spread=0.3, seed=3)
    a = ConsensusClustering(random_state=7).fit_predict(X)
    b = ConsensusClustering(random_state=7).fit_predict(X)
    assert a.tolist() == b.tolist()


def test_tiny_inputs_and_duplicates():
    assert ConsensusClustering().fit_predict(np.zeros((0, 4))).tolist() == []
    assert ConsensusClustering().fit_predict(np.ones((1, 4))).tolist() == [0]
    two = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert ConsensusClustering().fit_predict(two).tolist() == [0, 1]
    same = np.tile([[0.6, 0.8]], (5, 1))
    assert ConsensusClustering().fit_predict(same).tolist() == [0] * 5


def test_bad_input_and_unfitted():
    with pytest.raises(ValidationError):
        ConsensusClustering().fit(np.array([1.0, 2.0]))
    with pytest.raises(ValidationError):
        ConsensusClustering().fit(np.array([[np.nan, 1.0], [0.0, 1.0], [1.0, 1.0]]))
    with pytest.raises(NotFittedError):
        ConsensusClustering()._check()


def test_distinctive_terms_mark_each_cluster():
    texts = [
        "laser welding of steel", "laser welding robots", "laser cutting and welding",
        "heat pump efficiency", "heat pump controls", "pump noise of heat systems",
    ]  # fmt: skip
    terms = distinctive_terms(texts, np.array([0, 0, 0, 1, 1, 1]), stop_words=frozenset({"of", "and"}))
    assert terms[0][:2] == ["laser", "welding"]
    assert terms[1][:2] == ["heat", "pump"]
    assert not set(terms[0]) & {"of", "and"}
    # accents stripped, non-English terms kept in their language
    es = distinctive_terms(["soldadura láser", "soldadura láser de acero"], np.array([0, 0]))
    assert es[0][:2] == ["laser", "soldadura"]


def test_cluster_needs_puts_every_challenge_in_exactly_one_cluster():
    X, truth = _blobs((6, 5, 4), seed=1)
    ids = [f"c{i}" for i in range(len(X))]
    words = ["welding", "battery", "sterile"]
    texts = [f"{words[t]} problem number {i}" for i, t in enumerate(truth)]
    clusters, _ = cluster_needs(ids, texts, X)
    members = [m for c in clusters for m in c.members]
    assert sorted(members) == sorted(ids) and len(members) == len(set(members))
    assert [c.id for c in clusters] == ["n1", "n2", "n3"]
    assert [c.terms[0] for c in clusters] == words
    assert clusters[0].label.startswith("welding")
    with pytest.raises(ValidationError):
        cluster_needs(["a", "a"], ["x", "y"], X[:2])


def test_coverage_hand_computed():
    scores = np.array([
        [0.9, 0.2, 0.1],   # c0, council A, cluster 0
        [0.3, 0.6, -np.inf],  # c1, council B, cluster 0
        [0.1, 0.1, 0.4],   # c2, council A, cluster 1
    ])  # fmt: skip
    cov = cluster_coverage(scores, np.array([0, 0, 1]), np.array(["A", "B", "A"]), np.array(["A", "B", "C"]))
    # cluster 0: local bests 0.9 (c0 vs cap A) and 0.6 (c1 vs cap B); cross-border 0.2, 0.3
    assert cov[0].local == pytest.approx(0.75)
    assert cov[0].cross_border == pytest.approx(0.25)
    assert cov[0].best == pytest.approx(0.75)
    assert cov[1].local == pytest.approx(0.1) and cov[1].cross_border == pytest.approx(0.4)
    # challenges' bests 0.9, 0.6, 0.4: median 0.6; gaps are measured from it
    ref = reference_coverage(scores)
    assert ref == pytest.approx(0.6)
    assert cov[0].gap(ref) == pytest.approx(-0.15) and cov[1].gap(ref) == pytest.approx(0.2)
