"""Report files and the dev/test benchmark protocol, with fake rankers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pytest

from evaluation.benchmark import run_benchmark, write_benchmark
from evaluation.io import read_run_metadata
from evaluation.report import compute_report, write_report
from evaluation.split import split_queries

QRELS = {f"q{i}": {"a": 2, "b": 1, "c": 0} for i in range(8)}
GOOD = {q: {"a": 0.9, "b": 0.5, "c": 0.1} for q in QRELS}
BAD = {q: {"c": 0.9, "b": 0.5, "a": 0.1} for q in QRELS}


def test_report_files_and_embedded_images(tmp_path):
    report = compute_report(
        QRELS,
        {"bad": BAD, "good": GOOD},
        metrics="ndcg@3,mrr",
        metadata={"good": {"method": "good", "settings": {"x": 1}}},
        query_languages={q: "es" for q in QRELS},
        doc_languages={"a": "it", "b": "it", "c": "en"},
        item_groups={"a": "bologna", "b": "cork", "c": "paris"},
        n_resamples=50,
    )
    assert report.comparisons["good", "mrr"].mean_difference > 0
    paths = write_report(report, tmp_path, command="matcher evaluate run --qrels q --run r")
    for key in ("markdown", "html", "metrics", "exposure", "languages"):
        assert paths[key].exists() and paths[key].stat().st_size > 0
    page = paths["html"].read_text()
    assert page.count('src="data:image/png;base64,') == 3
    assert not re.search(r'src="[^"]*\.png"', page)
    md = paths["markdown"].read_text()
    assert "matcher evaluate run --qrels q --run r" in md
    assert '"settings": {' in md and "Date:" in md
    assert "es → it" in md


@dataclass(frozen=True)
class Challenge:
    id: str


def test_benchmark_chooses_on_dev_and_reports_test(tmp_path):
    challenges = [Challenge(f"q{i}") for i in range(8)]
    dev, test = split_queries([c.id for c in challenges], seed=13)
    calls = []

    def rank(method, challenges, profiles, *, settings, match_type):
        calls.append((method, settings["good_on"], match_type))
        # "good_on": the split on which this setting ranks perfectly; it is reversed on the other.
        good_ids = dev if settings["good_on"] == "dev" else test
        return {c.id: (GOOD if c.id in good_ids else BAD)[c.id] for c in challenges}

    grid = {"fake": [{"good_on": "test"}, {"good_on": "dev"}]}
    result = run_benchmark(
        challenges, ["a", "b", "c"], {"consultancy": QRELS}, rank, methods=["fake"], settings_grid=grid
    )
    choice = result.choices["consultancy", "fake"]
    assert choice.settings == {"good_on": "dev"}  # chosen on dev, although it is worse on test
    assert choice.dev_score == 1.0
    assert set(result.test_runs["consultancy"]["fake"]) == set(test)
    assert set(result.test_qrels["consultancy"]) == set(test)
    assert len(calls) == 2

    paths = write_benchmark(result, tmp_path, command="matcher evaluate benchmark", n_resamples=20)
    assert paths["consultancy"].exists() and paths["benchmark"].exists()
    meta = read_run_metadata(tmp_path / "consultancy" / "runs" / "fake.trec")
    assert meta["settings"] == {"good_on": "dev"} and meta["split"] == "test"


def test_benchmark_skips_types_without_judgements_in_a_split():
    result = run_benchmark(
        ["q0", "q1"],
        [],
        {"facility": {"q0": {"a": 1}}},
        lambda *a, **k: {"q0": {"a": 1.0}},
        methods=["m"],
        dev_fraction=0.5,
    )
    assert "facility" in result.skipped and not result.choices


def test_one_setting_for_every_data_set_is_chosen_by_the_rule_on_dev():
    from evaluation.benchmark import dataset_rule

    # demo types a, b (one data set) and a real set r; by construction setting "x" is perfect on
    # a and b and useless on r, "y" perfect on r only: the rule weighs data sets equally, 0.5 each
    assert dataset_rule({"a": 1.0, "b": 1.0, "r": 0.0}, {"a": "demo", "b": "demo", "r": "r"}) == 0.5
    assert dataset_rule({"a": 0.0, "b": 0.5, "r": 1.0}, {"a": "demo", "b": "demo", "r": "r"}) == 0.625
    demo_q = [f"d{i}" for i in range(8)]
    real_q = [f"r{i}" for i in range(8)]
    qrels_demo = {q: {"good": 1, "bad": 0} for q in demo_q}
    qrels_real = {q: {"good": 1, "bad": 0} for q in real_q}

    def rank(method, challenges, profiles, *, settings, match_type):
        right = (settings["s"] == "y") == (match_type == "r") or (settings["s"] == "z" and match_type == "b")
        return {c: {"good": 1.0, "bad": 0.0} if right else {"good": 0.0, "bad": 1.0} for c in challenges}

    result = run_benchmark(
        demo_q, [], {"a": qrels_demo, "b": qrels_demo, "r": qrels_real}, rank, methods=["m"],
        settings_grid={"m": [{"s": "x"}, {"s": "y"}, {"s": "z"}]}, query_sets={"r": real_q},
        datasets={"a": "demo", "b": "demo", "r": "r"},
    )  # fmt: skip
    # a wrong list puts the one relevant profile 2nd: nDCG@10 = 1 / log2(3) = w.  x: demo 1, r w;
    # y: demo w, r 1 -- the same rule score, and ties go to the first listed; z: demo (w + 1) / 2, r w
    w = 1 / np.log2(3)
    g = result.global_choices["m"]
    assert g.settings == {"s": "x"} and g.rule_score == pytest.approx((1 + w) / 2)
    assert result.default_method == "m"
    assert result.choices["r", "m"].settings == {"s": "y"}  # the per-type choice differs
    assert set(result.test_runs["r"]["m"]) == set(result.splits["r"][1])  # the real set's own split
    assert all(run["good"] == 1.0 for run in result.test_runs["a"]["m"].values())
