"""JSON Lines: objects a line, errors located at file and line, lines split only at \\n."""

from __future__ import annotations

import pytest

from matcher.exceptions import InvalidInputError
from matcher.formats.jsonl import read_objects, read_records, write_jsonl


def test_round_trip_skips_blank_lines_and_keeps_line_numbers(tmp_path):
    path = tmp_path / "a.jsonl"
    assert write_jsonl(path, [{"id": "a", "text": "x\u2028y"}, {"id": "é"}]) == 2
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert read_records(path) == [(1, {"id": "a", "text": "x\u2028y"}), (2, {"id": "é"})]
    assert read_objects(path) == [{"id": "a", "text": "x\u2028y"}, {"id": "é"}]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"id": "a"}\n{"id": }\n', 2, "invalid JSON"),
        ('{"id": "a", "id": "b"}\n', 1, "appears twice"),
        ('{"id": "a"}\n\n[1, 2]\n', 3, "expected a JSON object, got list"),
    ],
)
def test_errors_name_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message) as info:
        read_records(path)
    assert (info.value.location.file, info.value.location.line) == (str(path), line)


def test_unreadable_and_empty_files(tmp_path):
    with pytest.raises(InvalidInputError, match="file not found"):
        read_records(tmp_path / "missing.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b'{"id": "\xe9"}\n')
    with pytest.raises(InvalidInputError, match="not UTF-8"):
        read_records(tmp_path / "latin1.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="no records"):
        read_records(tmp_path / "empty.jsonl")
    assert read_objects(tmp_path / "empty.jsonl") == []
