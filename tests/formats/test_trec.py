"""TREC qrels and runs (and their JSON form): one reader and writer, errors carry file, line, field."""

from __future__ import annotations

import pytest

from matcher.exceptions import InvalidInputError, ValidationError
from matcher.formats.trec import SCORE_FORMAT, read_qrels, read_run, write_qrels, write_ranked, write_run

QRELS = {"q1": {"d1": 2, "d2": 0}, "q2": {"d3": 1}}
RUN = {"q1": {"d1": 0.9, "d2": 0.5}, "q2": {"d3": 1.5, "d1": -0.25}}


def write_file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", ["qrels.trec", "qrels.json"])
def test_qrels_round_trip(tmp_path, name):
    path = write_qrels(tmp_path / name, QRELS)
    assert read_qrels(path) == QRELS


def test_comments_and_blank_lines_are_skipped(tmp_path):
    path = write_file(tmp_path, "q.trec", "# header\n\nq1 0 d1 1\n")
    assert read_qrels(path) == {"q1": {"d1": 1}}


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("q1 0 d1 1\nq1 0 d2\n", 2, None, "expected 4 columns"),
        ("q1 0 d1 1\nq1 0 d2 high\n", 2, "relevance", "integer"),
        ("q1 0 d1 1.5\n", 1, "relevance", "integer"),
        ("q1 0 d1 -1\n", 1, "relevance", ">= 0"),
        ("q1 0 d1 1\n\nq1 0 d1 2\n", 3, "doc_id", "duplicate pair"),
    ],
)
def test_qrels_errors_are_located(tmp_path, text, line, field, message):
    path = write_file(tmp_path, "q.trec", text)
    with pytest.raises(ValidationError, match=message) as info:
        read_qrels(path)
    assert info.value.location.file == str(path)
    assert info.value.location.line == line
    assert info.value.location.field == field


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("q1 Q0 d1 1 0.5\n", 1, None, "expected 6 columns"),
        ("q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2 abc t\n", 2, "score", "number"),
        ("q1 Q0 d1 1 nan t\n", 1, "score", "finite"),
        ("q1 Q0 d1 x 0.5 t\n", 1, "rank", "integer"),
        ("q1 Q0 d1 1 0.5 t\nq1 Q0 d1 2 0.4 t\n", 2, "doc_id", "duplicate"),
    ],
)
def test_run_errors_are_located(tmp_path, text, line, field, message):
    path = write_file(tmp_path, "r.trec", text)
    with pytest.raises(ValidationError, match=message) as info:
        read_run(path)
    assert (info.value.location.line, info.value.location.field) == (line, field)


def test_unknown_ids_against_corpus(tmp_path):
    path = write_file(tmp_path, "r.trec", "q1 Q0 d1 1 0.5 t\nq9 Q0 d1 1 0.5 t\n")
    with pytest.raises(ValidationError, match="unknown query id 'q9'") as info:
        read_run(path, query_ids={"q1"})
    assert info.value.location.line == 2 and info.value.location.field == "query_id"
    with pytest.raises(ValidationError, match="unknown doc id 'd1'") as info:
        read_qrels(write_file(tmp_path, "q.trec", "q1 0 d1 1\n"), doc_ids={"d2"})
    assert info.value.location.line == 1


@pytest.mark.parametrize("name", ["empty.trec", "empty.json"])
def test_empty_file_is_invalid(tmp_path, name):
    path = write_file(tmp_path, name, "# only a comment\n" if name.endswith("trec") else "{}")
    with pytest.raises(InvalidInputError, match="empty"):
        read_run(path)


def test_json_errors(tmp_path):
    with pytest.raises(ValidationError, match="invalid JSON") as info:
        read_qrels(write_file(tmp_path, "a.json", '{"q1":\n {"d1": }}'))
    assert info.value.location.line == 2
    with pytest.raises(ValidationError, match="duplicate key"):
        read_qrels(write_file(tmp_path, "b.json", '{"q1": {"d1": 1, "d1": 2}}'))
    with pytest.raises(ValidationError, match="expected a number") as info:
        read_run(write_file(tmp_path, "c.json", '{"q1": {"d1": "high"}}'))
    assert info.value.location.field == "q1/d1"
    with pytest.raises(ValidationError, match="integer"):
        read_qrels(write_file(tmp_path, "d.json", '{"q1": {"d1": 1.5}}'))


def test_one_score_format_for_every_run_writer(tmp_path):
    assert SCORE_FORMAT == ".6f"
    write_run(tmp_path / "a.trec", {"q": {"a": 0.1, "b": 1 / 3}}, "t")
    assert (tmp_path / "a.trec").read_text() == "q Q0 b 1 0.333333 t\nq Q0 a 2 0.100000 t\n"
    n = write_ranked(tmp_path / "b.trec", [("q", [("a", 0.1), ("b", 1 / 3)])], "t")
    assert n == 2 and (tmp_path / "b.trec").read_text() == "q Q0 a 1 0.100000 t\nq Q0 b 2 0.333333 t\n"


def test_qrels_text_is_sorted_and_a_tag_has_no_space(tmp_path):
    path = write_qrels(tmp_path / "q.trec", {"q2": {"b": 1}, "q1": {"z": 2, "a": 3}})
    assert path.read_text() == "q1 0 a 3\nq1 0 z 2\nq2 0 b 1\n"
    with pytest.raises(ValidationError, match="whitespace"):
        write_run(tmp_path / "r.trec", RUN, "a b")
