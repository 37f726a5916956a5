"""``matcher demo-data``: the scale cap and ``--no-ground-truth``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.cli.commands import MAX_DEMO_SCALE, MAX_GROUND_TRUTH_SCALE
from matcher.demo import generate


def _demo_data(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "matcher", "demo-data", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _one_line(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_ground_truth_above_its_scale_is_a_usage_error(tmp_path: Path) -> None:
    done = _demo_data(
        "--scale", str(MAX_GROUND_TRUTH_SCALE + 1), "--out", str(tmp_path / "demo"), "--no-load"
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    message = _one_line(done.stderr)
    assert f"ground truth is written only up to scale {MAX_GROUND_TRUTH_SCALE}" in message
    assert "add --no-ground-truth" in message
    assert not (tmp_path / "demo").exists()  # refused before anything is generated


def test_scale_above_the_cap_is_a_usage_error(tmp_path: Path) -> None:
    code = main(
        ["demo-data", "--scale", str(MAX_DEMO_SCALE + 1), "--no-ground-truth", "--out", str(tmp_path)]
    )
    assert code == 2
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("scale", ["0.1", str(MAX_GROUND_TRUTH_SCALE)])
def test_ground_truth_is_accepted_up_to_its_scale(
    scale: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    called: dict[str, object] = {}

    def fake_generate(out_dir: Path, **kwargs: object) -> object:
        called.update(kwargs)
        raise SystemExit(0)  # stop before writing anything

    monkeypatch.setattr("matcher.demo.generate", fake_generate)
    assert main(["demo-data", "--scale", scale, "--out", str(tmp_path), "--no-load"]) == 0
    assert called == {"seed": 7, "scale": float(scale), "ground_truth": True}


def test_no_ground_truth_writes_the_same_entity_files_and_no_ground_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    without = tmp_path / "without"
    assert main(["demo-data", "--scale", "0.1", "--out", str(without), "--no-load", "--no-ground-truth"]) == 0
    assert "no ground truth" in _one_line(capsys.readouterr().out)
    assert not (without / "ground_truth").exists()
    assert not list(without.rglob("*.qrels"))

    summary = generate(tmp_path / "with", seed=7, scale=0.1)
    assert summary.qrels and (tmp_path / "with" / "ground_truth" / "training.qrels").exists()
    names = sorted(p.name for p in without.glob("*.jsonl"))
    assert names == sorted(p.name for p in (tmp_path / "with").glob("*.jsonl"))
    for name in names:
        assert (without / name).read_bytes() == (tmp_path / "with" / name).read_bytes(), name
