"""Import, validation and export against SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.exceptions import InvalidInputError, ValidationError
from matcher.ingest.files import iter_entity_files
from matcher.services.importing import export_all, import_file
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.conftest import _wipe
from tests.factories import mini_programme, write_programme


def load_folder(folder: Path, factory, **kw):  # type: ignore[no-untyped-def]
    reports = []
    for entity, path in iter_entity_files(folder):
        with transaction(factory) as session:
            reports.append(import_file(path, session=session, entity=entity, **kw))
    return reports


def snapshot(factory) -> dict[str, list[object]]:  # type: ignore[no-untyped-def]
    with factory() as session:
        return {e: repo.list_records(e, session=session) for e in mini_programme()}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_import_stores_every_record_exactly(sessions, tmp_path, fmt):
    programme = write_programme(tmp_path / "in", fmt)
    load_folder(tmp_path / "in", sessions)
    stored = snapshot(sessions)
    for entity, records in programme.items():
        assert sorted(stored[entity], key=lambda r: r.id) == sorted(records, key=lambda r: r.id), entity


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_reimport_is_idempotent(sessions, tmp_path, fmt):
    write_programme(tmp_path / "in", fmt)
    load_folder(tmp_path / "in", sessions)
    before = snapshot(sessions)
    reports = load_folder(tmp_path / "in", sessions)
    assert all(r.counts["created"] == 0 and r.counts["updated"] == 0 for r in reports)
    assert snapshot(sessions) == before


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_import_export_import_is_lossless(sessions, tmp_path, fmt):
    write_programme(tmp_path / "in", fmt)
    load_folder(tmp_path / "in", sessions)
    first = snapshot(sessions)
    with sessions() as session:
        export_all(tmp_path / "out", session=session, fmt=fmt)
    _wipe(sessions)  # an empty database, then the export goes back in
    load_folder(tmp_path / "out", sessions)
    assert snapshot(sessions) == first


def test_formula_strings_are_plain_text_and_neutralised_on_csv_export(sessions, tmp_path):
    write_programme(tmp_path / "in", "csv")
    load_folder(tmp_path / "in", sessions)
    with sessions() as session:
        sme = repo.get_record("organisations", "sme-bo-1", session=session)
        export_all(tmp_path / "out", session=session, fmt="csv")
    assert sme.description.startswith("=HYPERLINK")
    exported = (tmp_path / "out" / "organisations.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in exported
    for line in exported.splitlines():
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), cell


BAD_ORGS_HEADER = "id,kind,name,council,country\n"


def _bad_files(tmp: Path) -> dict[str, tuple[Path, int | None, str | None, str]]:
    """name -> (file, expected line, expected field, words expected in the message)."""
    cases: dict[str, tuple[bytes, int | None, str | None, str]] = {
        "latin1": ((BAD_ORGS_HEADER + "sme-x,sme,Fundición Pérez,malaga,ES\n").encode("latin-1"), 2, None, "UTF-8"),
        "empty": (b"", None, None, "empty"),
        "header_only": (BAD_ORGS_HEADER.encode(), None, None, "no records"),
        "missing_column": (b"id,kind,name,country\nsme-x,sme,X,ES\n", 1, "council", "missing required column"),
        "unknown_council": ((BAD_ORGS_HEADER + "sme-x,sme,X,atlantis,ES\n").encode(), 2, "council", "unknown council"),
        "duplicate_ids": ((BAD_ORGS_HEADER + "sme-x,sme,X,cork,IE\nsme-x,sme,Y,cork,IE\n").encode(), 3, "id", "duplicate"),
        "oversized": ((BAD_ORGS_HEADER + f"sme-x,sme,{'N' * 400},cork,IE\n").encode(), 2, "name", "too long"),
        "wrong_type": (b"id,kind,name,council,country,employees\nsme-x,sme,X,cork,IE,many\n", 2, "employees", "whole number"),
        "bad_enum": ((BAD_ORGS_HEADER + "sme-x,factory,X,cork,IE\n").encode(), 2, "kind", "not one of"),
        "bad_country": ((BAD_ORGS_HEADER + "sme-x,sme,X,cork,Ireland\n").encode(), 2, "country", "country code"),
        "ragged_row": ((BAD_ORGS_HEADER + "sme-x,sme,X,cork\n").encode(), 2, None, "cells"),
        "second_row_bad": ((BAD_ORGS_HEADER + "sme-ok,sme,OK,cork,IE\nsme-y,sme,Y,cork,XX1\n").encode(), 3, "country", "country code"),
    }  # fmt: skip
    out = {}
    for name, (content, line, field, words) in cases.items():
        path = tmp / name / "organisations.csv"
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
        out[name] = (path, line, field, words)
    return out


@pytest.mark.parametrize(
    "case",
    ["latin1", "empty", "header_only", "missing_column", "unknown_council", "duplicate_ids", "oversized",
     "wrong_type", "bad_enum", "bad_country", "ragged_row", "second_row_bad"],
)  # fmt: skip
def test_malformed_file_stores_nothing_and_says_where(sessions, tmp_path, case):
    write_programme(tmp_path / "good", "jsonl")
    load_folder(tmp_path / "good", sessions)
    before = snapshot(sessions)
    path, line, field, words = _bad_files(tmp_path)[case]
    with pytest.raises(ValidationError) as info, transaction(sessions) as session:
        import_file(path, session=session)
    err = info.value
    assert err.location.file == str(path)
    assert err.location.line == line
    assert err.location.field == field
    assert words in str(err)
    assert snapshot(sessions) == before


def test_utf8_with_bom_is_read(sessions, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (BAD_ORGS_HEADER + "sme-bom,sme,Café Ñandú,malaga,ES\n").encode())
    with transaction(sessions) as session:
        report = import_file(path, session=session)
    assert report.counts["created"] == 1
    with sessions() as session:
        assert repo.get_record("organisations", "sme-bom", session=session).name == "Café Ñandú"


def test_skip_invalid_stores_good_rows_and_reports_bad_ones(sessions, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text(BAD_ORGS_HEADER + "sme-a,sme,A,cork,IE\nsme-b,sme,B,nowhere,IE\nsme-c,sme,C,paris,FR\n")
    with transaction(sessions) as session:
        report = import_file(path, session=session, skip_invalid=True)
    assert report.counts["created"] == 2
    assert [(row.line, err.location.field) for row, err in report.rejected] == [(3, "council")]


def test_reference_to_rejected_row_in_same_file_is_rejected_too(sessions, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text(
        "id,kind,name,council,country,parent_id\n"
        "hei-z,hei,Z,nowhere,IE,\n"
        "rg-z,research_group,RG,cork,IE,hei-z\n"
    )
    with transaction(sessions) as session:
        report = import_file(path, session=session, skip_invalid=True)
    assert report.counts["created"] == 0
    assert [row.line for row, _ in report.rejected] == [2, 3]


def test_unknown_references_are_located(sessions, tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text('{"id": "p1", "kind": "student", "name": "A", "organisation_id": "hei-none"}\n')
    with pytest.raises(ValidationError) as info, transaction(sessions) as session:
        import_file(path, session=session)
    assert info.value.location.line == 1
    assert info.value.location.field == "organisation_id"


def test_challenge_must_belong_to_an_sme(sessions, tmp_path):
    write_programme(tmp_path / "good", "jsonl")
    load_folder(tmp_path / "good", sessions)
    path = tmp_path / "challenges.jsonl"
    path.write_text('{"id": "c9", "sme_id": "hei-cork", "title": "T", "description": "D"}\n')
    with pytest.raises(ValidationError, match="not an SME"), transaction(sessions) as session:
        import_file(path, session=session)


def test_unknown_file_name_needs_entity(tmp_path, sessions):
    path = tmp_path / "stuff.csv"
    path.write_text(BAD_ORGS_HEADER + "sme-a,sme,A,cork,IE\n")
    with pytest.raises(InvalidInputError, match="--entity"), transaction(sessions) as session:
        import_file(path, session=session)
    with transaction(sessions) as session:
        assert import_file(path, session=session, entity="organisations").counts["created"] == 1
