"""Runs with their sidecars, ratings and id mappings (qrels and runs themselves: tests/formats)."""

from __future__ import annotations

import pytest

from evaluation.io import metadata_path, read_mapping, read_ratings, read_run_metadata, write_run
from matcher.exceptions import ValidationError
from matcher.formats.trec import read_run
from tests.formats.test_trec import RUN, write_file


@pytest.mark.parametrize("name", ["run.trec", "run.json"])
def test_run_round_trip_with_sidecar(tmp_path, name):
    meta = {"method": "bm25", "model": None, "settings": {"k1": 1.2}}
    path = write_run(tmp_path / name, RUN, metadata=meta)
    assert read_run(path) == RUN
    assert metadata_path(path).name == f"{name}.json"
    sidecar = read_run_metadata(path)
    assert sidecar["method"] == "bm25" and sidecar["settings"] == {"k1": 1.2}
    assert sidecar["model"] is None and sidecar["tag"] == "bm25"


def test_trec_run_ranks_follow_scores(tmp_path):
    path = write_run(tmp_path / "run.trec", {"q": {"a": 0.1, "b": 0.9}}, metadata={"method": "m"})
    lines = path.read_text().splitlines()
    assert lines == ["q Q0 b 1 0.900000 m", "q Q0 a 2 0.100000 m"]


def test_write_run_requires_method(tmp_path):
    with pytest.raises(ValidationError, match="method"):
        write_run(tmp_path / "run.trec", RUN, metadata={"model": "x"})


def test_run_without_sidecar_has_no_metadata(tmp_path):
    path = write_file(tmp_path, "run.trec", "q1 Q0 d1 1 0.5 t\n")
    assert read_run_metadata(path) is None


def test_ratings_and_mapping(tmp_path):
    ratings = write_file(tmp_path, "r.tsv", "p1\tc1\t5\np1\tc2\t1\n")
    assert read_ratings(ratings) == {"p1": {"c1": 5, "c2": 1}}
    with pytest.raises(ValidationError, match="between 1 and 5") as info:
        read_ratings(write_file(tmp_path, "bad.tsv", "p1 c1 6\n"))
    assert (info.value.location.line, info.value.location.field) == (1, "rating")
    assert read_mapping(write_file(tmp_path, "m.tsv", "c1 es\nc2 it\n")) == {"c1": "es", "c2": "it"}
    with pytest.raises(ValidationError, match="duplicate id") as info:
        read_mapping(write_file(tmp_path, "m2.tsv", "c1 es\nc1 it\n"))
    assert info.value.location.line == 2
