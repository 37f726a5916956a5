"""docs/formats.md shows exactly the fields the validator accepts."""

from pathlib import Path

from matcher.ingest.formats_doc import describe_formats


def test_formats_doc_matches_the_code():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    assert describe_formats().strip() in doc
