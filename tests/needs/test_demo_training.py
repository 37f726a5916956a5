"""The demo's training catalogue, assessments and graded SME -> module relevance."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from evaluation.training_benchmark import training_benchmark
from matcher.demo.generator import generate
from matcher.embeddings import FakeEncoder
from matcher.formats.jsonl import read_objects
from matcher.formats.trec import read_qrels
from matcher.ingest.files import read_rows
from matcher.ingest.schema import parse_record


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=3, scale=0.15)
    return out


def test_files_validate_and_grades_follow_the_construction(demo):
    for entity in ("training_modules", "assessments"):
        for row in read_rows(demo / f"{entity}.jsonl", entity):
            parse_record(entity, row.data)
    qrels = read_qrels(demo / "ground_truth" / "training.qrels")
    topics = json.loads((demo / "ground_truth" / "topics.json").read_text(encoding="utf-8"))["challenges"]
    latest: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for a in read_objects(demo / "assessments.jsonl"):
        if a["area"] not in latest[a["sme_id"]] or a["assessed_on"] > latest[a["sme_id"]][a["area"]][0]:
            latest[a["sme_id"]][a["area"]] = (a["assessed_on"], a["score"])
    for c in read_objects(demo / "challenges.jsonl"):
        if c.get("status", "open") == "open":
            main = topics[c["id"]]["topics"][0]
            assert qrels[c["sme_id"]][f"tm-{main}"] == 2
    for sme, areas in latest.items():
        for area, (_, score) in areas.items():
            assert (qrels.get(sme, {}).get(f"tm-area-{area}") == 2) == (score <= 2)


def test_same_seed_same_files(demo, tmp_path):
    generate(tmp_path, seed=3, scale=0.15)
    for name in ("training_modules.jsonl", "assessments.jsonl", "ground_truth/training.qrels"):
        assert (tmp_path / name).read_bytes() == (demo / name).read_bytes()


def test_benchmark_reports_each_variant_with_a_ci(demo):
    result = training_benchmark(demo, FakeEncoder(), n_resamples=100)
    assert set(result) == {"challenges + weak areas", "challenges only", "weak areas only"}
    for r in result.values():
        assert 0.0 <= r["ci"][0] <= r["ndcg@10"] <= r["ci"][1] <= 1.0 and r["n"] > 0
