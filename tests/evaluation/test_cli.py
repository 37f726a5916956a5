"""``matcher evaluate``: exit codes and files, through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

import evaluation
from matcher.cli import main

EXAMPLES = Path(evaluation.__file__).parent / "examples"
QRELS = str(EXAMPLES / "qrels.trec")
BM25 = str(EXAMPLES / "bm25.trec")
HYBRID = str(EXAMPLES / "hybrid.trec")


def test_run_writes_report(tmp_path, capsys):
    out = tmp_path / "report"
    code = main(
        [
            "evaluate",
            "run",
            "--qrels",
            QRELS,
            "--run",
            BM25,
            "--run",
            HYBRID,
            "--out",
            str(out),
            "--bootstrap",
            "50",
        ]
    )
    assert code == 0
    assert (out / "report.md").exists() and (out / "report.html").exists()
    assert "hybrid" in capsys.readouterr().out
    md = (out / "report.md").read_text()
    assert "matcher evaluate run --qrels" in md and '"method": "hybrid"' in md


def test_group_options_are_a_shorthand(tmp_path):
    out = tmp_path / "r"
    code = main(["evaluate", "--qrels", QRELS, "--run", BM25, "--out", str(out), "--bootstrap", "20"])
    assert code == 0 and (out / "report.html").exists()


@pytest.mark.parametrize(
    ("run_text", "message"),
    [
        ("C01 Q0 P01 1 0.5 t\nZZ9 Q0 P01 1 0.5 t\n", "line 2, field 'query_id': unknown query id 'ZZ9'"),
        ("C01 Q0 P01 1 0.5\n", "line 1: expected 6 columns"),
        ("", "empty file"),
        ("C01 Q0 P01 1 high t\n", "line 1, field 'score'"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, run_text, message):
    run = tmp_path / "bad.trec"
    run.write_text(run_text)
    code = main(["evaluate", "run", "--qrels", QRELS, "--run", str(run), "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and str(run) in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_unknown_metric_exits_2(tmp_path):
    assert main(["evaluate", "run", "--qrels", QRELS, "--run", BM25, "--metrics", "bleu"]) == 2


def test_pairwise(capsys):
    code = main(
        ["evaluate", "pairwise", "--ratings", str(EXAMPLES / "ratings.tsv"), "--run", HYBRID, "--transpose"]
    )
    assert code == 0
    assert "loss" in capsys.readouterr().out
    # without --transpose the run's query ids (challenges) are not profiles
    assert main(["evaluate", "pairwise", "--ratings", str(EXAMPLES / "ratings.tsv"), "--run", HYBRID]) == 2


def test_benchmark_with_injected_inputs(tmp_path, monkeypatch):
    import evaluation.cli as cli

    qrels = {f"C{i}": {"P1": 2, "P2": 1} for i in range(6)}

    from evaluation.builtin import BenchmarkInputs

    seen = {}

    def fake_inputs(data, datasets):
        seen["datasets"] = datasets

        def rank(method, challenges, profiles, *, settings, match_type):
            return {c: {"P1": settings["w"], "P2": 0.5} for c in challenges}

        grid = {"lexical": [{"w": 0.1}, {"w": 0.9}]}
        return BenchmarkInputs(
            list(qrels), ["P1", "P2"], {"consultancy": qrels}, rank, ["lexical"], grid, {"model": "fake"},
            {}, {"consultancy": "demo"},
        )  # fmt: skip

    monkeypatch.setattr(cli, "_real_benchmark_inputs", fake_inputs)
    code = main(["evaluate", "benchmark", "--out", str(tmp_path), "--bootstrap", "20"])
    assert code == 0
    text = (tmp_path / "benchmark.md").read_text()
    assert "{'w': 0.9}" in text
    assert "One setting for every data set" in text and "**lexical** (rule's choice)" in text
    assert [p.name for p in seen["datasets"]] == ["expert-finding-dblp"]  # the shipped real data set
    assert main(["evaluate", "benchmark", "--out", str(tmp_path), "--no-datasets", "--bootstrap", "20"]) == 0
    assert seen["datasets"] == []
    assert main(["evaluate", "benchmark", "--out", str(tmp_path), "--methods", "nope"]) == 2
