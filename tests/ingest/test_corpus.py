"""The bad-input corpus (tests/ingest/corpus): every file's outcome, on SQLite and PostgreSQL.

Each file is imported on top of the mini programme; a rejected file must say where (line,
field) and what, and leave the database exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.exceptions import ValidationError
from matcher.services.importing import import_file
from matcher.store.db import transaction
from tests.factories import mini_programme, write_programme
from tests.services.test_importing import load_folder, snapshot

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_every_file_has_an_outcome() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".jsonl")}
    assert len(files) >= 40
    assert files == set(MANIFEST)


@pytest.fixture
def base(sessions, tmp_path):  # type: ignore[no-untyped-def]
    write_programme(tmp_path / "base", "jsonl")
    load_folder(tmp_path / "base", sessions)
    return sessions


def test_corpus(base) -> None:  # type: ignore[no-untyped-def]
    """All cases on one database (one test per backend keeps PostgreSQL set-up cheap)."""
    wrong = {}
    for name, expected in MANIFEST.items():
        path = CORPUS / name
        before = snapshot(base)
        try:
            with transaction(base) as session:
                report = import_file(path, session=session, entity=expected["entity"])
        except ValidationError as err:
            got = {"line": err.location.line, "field": err.location.field, "reason": err.reason}
            want_line, want_field = expected.get("line"), expected.get("field")
            if (
                "stored" in expected
                or err.location.file != str(path)
                or got["line"] != want_line
                or got["field"] != want_field
                or expected["contains"] not in err.reason
            ):
                wrong[name] = got
            elif snapshot(base) != before:
                wrong[name] = "rejected, but the database changed"
            continue
        stored = report.counts["created"] + report.counts["updated"]
        if stored != expected.get("stored"):
            wrong[name] = f"accepted: {report.counts}"
        # Undo what an accepted file stored, so that the next case starts from the same programme.
        _reset(base)
    assert not wrong, json.dumps(wrong, indent=1, ensure_ascii=True)


def _reset(factory) -> None:  # type: ignore[no-untyped-def]
    from matcher.store import records as repo
    from tests.conftest import _wipe

    _wipe(factory)
    with transaction(factory) as session:
        for entity, records in mini_programme().items():
            repo.upsert(entity, records, session=session)
