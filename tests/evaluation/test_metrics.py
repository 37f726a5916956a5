"""Metrics through ranx, checked against answers worked by hand."""

from __future__ import annotations

import copy
import math

import pytest

from evaluation.metrics import evaluate_run, parse_metrics
from matcher.exceptions import ValidationError


def test_ndcg_by_hand():
    # q1 judged d1:2, d2:1; the run ranks d2 first, then d1, then unjudged d3.
    # DCG  = 1/log2(2) + 2/log2(3)          = 1 + 1.26186 = 2.26186
    # IDCG = 2/log2(2) + 1/log2(3)          = 2 + 0.63093 = 2.63093
    # nDCG = 2.26186 / 2.63093              = 0.85972
    qrels = {"q1": {"d1": 2, "d2": 1}}
    run = {"q1": {"d2": 0.9, "d1": 0.5, "d3": 0.1}}
    scores = evaluate_run(qrels, run, ["ndcg@10"])
    expected = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert scores.mean["ndcg@10"] == pytest.approx(expected)
    assert expected == pytest.approx(0.85972, abs=1e-5)


def test_mrr_map_precision_recall_by_hand():
    # q1: first relevant at rank 2 -> RR 1/2; relevant at ranks 2 and 3 -> AP (1/2 + 2/3)/2 = 7/12
    # q2: first relevant at rank 3 -> RR 1/3; AP = (1/3)/1 = 1/3 (one relevant doc)
    qrels = {"q1": {"a": 1, "b": 1}, "q2": {"z": 3, "y": 0}}
    run = {"q1": {"x": 0.9, "a": 0.8, "b": 0.7}, "q2": {"y": 0.9, "w": 0.8, "z": 0.1}}
    scores = evaluate_run(qrels, run, "mrr,map,precision@2,recall@2")
    assert scores.query_ids == ("q1", "q2")
    per_query = scores.as_dict()
    assert per_query["mrr"] == pytest.approx({"q1": 1 / 2, "q2": 1 / 3})
    assert per_query["map"] == pytest.approx({"q1": 7 / 12, "q2": 1 / 3})
    assert per_query["precision@2"] == pytest.approx({"q1": 1 / 2, "q2": 0.0})
    assert per_query["recall@2"] == pytest.approx({"q1": 1 / 2, "q2": 0.0})
    assert scores.mean["mrr"] == pytest.approx((1 / 2 + 1 / 3) / 2)


def test_per_query_scores_align_with_ids():
    # ids that sort differently as strings and as numbers
    qrels = {"q10": {"a": 1}, "q2": {"b": 1}, "q1": {"c": 1}}
    run = {"q10": {"a": 1.0}, "q2": {"x": 1.0, "b": 0.5}, "q1": {"x": 1.0, "y": 0.9, "c": 0.1}}
    assert evaluate_run(qrels, run, "mrr").as_dict()["mrr"] == pytest.approx(
        {"q1": 1 / 3, "q10": 1.0, "q2": 1 / 2}
    )


def test_unanswered_query_scores_zero_and_unjudged_query_is_left_out():
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 0}}
    scores = evaluate_run(qrels, {"q1": {"a": 1.0}}, "mrr")
    assert scores.query_ids == ("q1", "q2")
    assert scores.as_dict()["mrr"] == {"q1": 1.0, "q2": 0.0}


def test_metrics_never_mutate_inputs():
    qrels = {"q1": {"d1": 2, "d2": 1}, "q2": {"d3": 1}}
    run = {"q1": {"d2": 0.9, "d1": 0.5}, "q2": {"d3": 0.1, "d9": 0.7}}
    before = copy.deepcopy((qrels, run))
    evaluate_run(qrels, run)
    evaluate_run(qrels, run, ["ndcg@3"])
    assert (qrels, run) == before


def test_run_query_unknown_to_qrels_is_an_error():
    with pytest.raises(ValidationError, match="never mentioned in the qrels: q9") as info:
        evaluate_run({"q1": {"a": 1}}, {"q1": {"a": 1.0}, "q9": {"a": 1.0}}, source="r.trec")
    assert info.value.location.file == "r.trec" and info.value.location.field == "query_id"


def test_empty_run_is_an_error():
    with pytest.raises(ValidationError, match="empty"):
        evaluate_run({"q1": {"a": 1}}, {})
    with pytest.raises(ValidationError, match="empty"):
        evaluate_run({"q1": {"a": 1}}, {"q1": {}})


def test_parse_metrics():
    assert parse_metrics(" NDCG@10, map,map ") == ["ndcg@10", "map"]
    for bad in ["bleu", "ndcg@0", "ndcg@x", ""]:
        with pytest.raises(ValidationError):
            parse_metrics(bad)
