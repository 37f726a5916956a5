"""Import defects found by outside probes (issue #11, items 1-10), each pinned by a test."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

from matcher import types as t
from matcher.cli import main
from matcher.exceptions import InvalidInputError, ValidationError
from matcher.ingest.files import iter_entity_files, read_rows, write_records
from matcher.ingest.schema import ID_FIELDS, field_specs, join_list_cell, parse_record, split_list_cell
from matcher.services.importing import export_all, import_file
from matcher.store import records as repo
from matcher.store.db import transaction
from matcher.store.limits import field_limits
from tests.conftest import _wipe
from tests.factories import mini_programme, write_programme
from tests.services.test_importing import load_folder, snapshot


def _import(factory, path: Path, **kw):  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        return import_file(path, session=session, **kw)


# ---------------------------------------------------------------- 1. facility without council
def test_facility_without_council_takes_its_hosts(sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_programme(tmp_path / "base", "jsonl")
    load_folder(tmp_path / "base", sessions)
    path = tmp_path / "facilities.csv"
    path.write_text("id,host_id,kind,name,description\nfac-x,hei-cork,lab,Lab,A lab.\n", encoding="utf-8")
    report = _import(sessions, path, skip_invalid=True)
    assert report.counts["created"] == 1 and not report.rejected
    with sessions() as session:
        fac = repo.get_record("facilities", "fac-x", session=session)
    assert (fac.council, fac.country) == ("cork", "IE")


# ---------------------------------------------------------------- 2. JSONL line ends
def test_jsonl_splits_only_on_newline_and_its_export_reimports(sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name = "A\u2028B\u2029C\u0085D\x0bE\x0cF\x1cG"
    org = t.Organisation("sme-x", t.OrgKind.SME, name, "cork", "IE")
    path = tmp_path / "organisations.jsonl"
    write_records(path, "organisations", [org])
    path.write_bytes(path.read_bytes().replace(b"\\u", b"\\u"))  # the export as written
    assert [r.line for r in read_rows(path, "organisations")] == [1]
    _import(sessions, path)
    with sessions() as session:
        export_all(tmp_path / "out", session=session, fmt="jsonl")
    _wipe(sessions)
    _import(sessions, tmp_path / "out" / "organisations.jsonl")
    with sessions() as session:
        assert repo.get_record("organisations", "sme-x", session=session).name == name


# ---------------------------------------------------------------- 3. NUL and lone surrogates
@pytest.mark.parametrize("bad", ["a\x00b", "x\ud800", "\udfff"])
@pytest.mark.parametrize("field", ["name", "description", "skills"])
def test_nul_and_lone_surrogates_are_refused_in_every_text_field(bad: str, field: str) -> None:
    entity = "people" if field == "skills" else "organisations"
    data = {"id": "x", "kind": "student" if entity == "people" else "sme", "name": "N"}
    data |= {"organisation_id": "o"} if entity == "people" else {"council": "cork", "country": "IE"}
    data[field] = [bad] if field == "skills" else bad
    with pytest.raises(ValidationError) as info:
        parse_record(entity, data, file="f.jsonl", line=3)
    assert (info.value.location.line, info.value.location.field) == (3, field)
    assert "NUL" in info.value.reason or "surrogate" in info.value.reason


# ---------------------------------------------------------------- 4. column limits from one place
def _valid_value(entity: str, name: str, length: int) -> str:
    return ("a" * length) if name in ID_FIELDS else ("x" * length)


def test_every_text_field_is_validated_to_its_column_length() -> None:
    for entity in t.ENTITY_TYPES:
        limits = field_limits(entity)
        for name, spec in field_specs(entity).items():
            if spec.kind == "text":
                assert spec.max_len == limits[name], (entity, name)
            if spec.enum is not None and name in limits:  # enum columns hold the longest value
                assert max(len(m.value) for m in spec.enum) <= limits[name], (entity, name)


_FREE = {
    "organisations": ("name", "city", "website", "description", "nace", "sector"),
    "people": ("name", "email", "discipline", "department"),
    "challenges": ("title", "description", "sector"),
    "facilities": ("name", "description", "city", "conditions"),
    "profiles": ("title",),
    "documents": ("title", "text"),
    "relationships": ("provenance",),
}


def test_walk_every_limited_column(sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """At the limit a value is stored (PostgreSQL enforces varchar lengths); one more is refused."""
    base = mini_programme()
    limited = {(e, n) for e in t.ENTITY_TYPES for n, s in field_specs(e).items() if s.kind == "text"}
    walked = set()
    for entity, fields in _FREE.items():
        for name in ("id", *fields):
            walked.add((entity, name))
            limit = field_limits(entity)[name]
            for length, ok in ((limit, True), (limit + 1, False)):
                _wipe(sessions)
                with transaction(sessions) as session:
                    for e, records in base.items():
                        if e == entity:
                            break
                        repo.upsert(e, records, session=session)
                record = dataclasses.replace(base[entity][0], **{name: _valid_value(entity, name, length)})
                path = tmp_path / f"{entity}.jsonl"
                write_records(path, entity, [record])
                if ok:
                    assert _import(sessions, path).counts["created"] == 1, (entity, name)
                else:
                    with pytest.raises(ValidationError, match=f"at most {limit}"):
                        _import(sessions, path)
    # The rest are references, codes and the council: checked against stored ids and code lists.
    rest = limited - walked
    assert all(n in ID_FIELDS or n in ("council", "country", "language") for _, n in rest), rest


# ---------------------------------------------------------------- 6. CSV list cells
def test_csv_list_cells_round_trip_and_never_start_a_formula(sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_programme(tmp_path / "base", "jsonl")
    load_folder(tmp_path / "base", sessions)
    items = ['=HYPERLINK("http://evil")', "C;C++", " padded ", "back\\slash", "end\\"]
    path = tmp_path / "people.jsonl"
    path.write_text(
        json.dumps({"id": "stu-x", "kind": "student", "name": "A", "organisation_id": "hei-cork",
                    "skills": items}) + "\n", encoding="utf-8",
    )  # fmt: skip
    _import(sessions, path)
    first = snapshot(sessions)
    assert dict((p.id, p.skills) for p in first["people"])["stu-x"] == tuple(i.strip() for i in items)
    with sessions() as session:
        export_all(tmp_path / "out", session=session, fmt="csv")
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8", newline="") as fh:
        cells = [row["skills"] for row in csv.DictReader(fh)]
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    _wipe(sessions)
    load_folder(tmp_path / "out", sessions)
    assert snapshot(sessions) == first


def test_list_cell_encoding_is_the_inverse_of_its_decoding() -> None:
    for items in (["a"], ["a;b", "c\\d", "\\;", "x\\"], ["="]):
        assert split_list_cell(join_list_cell(items)) == items


# ---------------------------------------------------------------- 7. --rejects
def test_rejects_path_that_is_an_input_is_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "organisations.csv"
    content = "id,kind,name,council,country\nbad id,sme,X,cork,IE\n"
    path.write_text(content, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code = main(["import", str(path), "--skip-invalid", "--rejects", str(path), "--database-url", url])
    assert code == 2
    assert path.read_text(encoding="utf-8") == content
    assert "rejects file is one of the input files" in capsys.readouterr().err


def test_rejects_are_written_whole_after_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "organisations.csv").write_text(
        "id,kind,name,council,country\nok,sme,X,cork,IE\nbad id,sme,Y,cork,IE\n", encoding="utf-8"
    )
    rejects = tmp_path / "rejects.jsonl"
    rejects.write_text("old\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert (
        main(["import", str(folder), "--skip-invalid", "--rejects", str(rejects), "--database-url", url]) == 0
    )
    lines = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["field"]) for r in lines] == [(3, "id")]
    assert not list(tmp_path.glob(".rejects.jsonl.*"))


# ---------------------------------------------------------------- 8. demo-data after a killed load
def test_interrupted_demo_load_is_completed_by_if_empty(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import matcher.services.importing as importing

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    real = importing.import_file

    def killed(path, **kw):  # type: ignore[no-untyped-def]
        if kw.get("entity") == "challenges":
            raise KeyboardInterrupt  # what a kill during the load looks like to the loader
        return real(path, **kw)

    monkeypatch.setattr(importing, "import_file", killed)
    args = ["demo-data", "--scale", "0.05", "--out", str(tmp_path / "demo"), "--database-url", url]
    assert main(args) != 0
    monkeypatch.setattr(importing, "import_file", real)
    assert main([*args, "--if-empty"]) == 0
    from matcher.services.database import open_database

    engine, factory = open_database(url)
    with factory() as session:
        counts = repo.table_counts(session=session)
    engine.dispose()
    assert counts["organisations"] > 0 and counts["challenges"] > 0 and counts["documents"] > 0


# ---------------------------------------------------------------- 10. folders and messages
def test_folder_with_a_misnamed_data_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_programme(tmp_path / "in", "csv")
    (tmp_path / "in" / "people.csv").rename(tmp_path / "in" / "People.csv")
    (tmp_path / "in" / "README.md").write_text("not data", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"People\.csv: not named after an entity"):
        list(iter_entity_files(tmp_path / "in"))


def test_unknown_entity_option_names_the_entity(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.csv"
    path.write_text("id\n1\n", encoding="utf-8")
    from matcher.ingest.files import entity_for

    with pytest.raises(InvalidInputError, match="unknown entity 'widgets'"):
        entity_for(path, "widgets")


def test_utf16_is_called_utf16(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "organisations.csv"
    path.write_bytes("id,kind,name,council,country\nx,sme,X,cork,IE\n".encode("utf-16"))
    with pytest.raises(InvalidInputError, match="UTF-16") as info:
        read_rows(path, "organisations")
    assert "Latin-1" not in str(info.value)


# ---------------------------------------------------------------- 16. bounded import work
def test_rejected_rows_hold_no_traceback_and_the_collector_is_restored(sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A rejected row's error keeps no frame alive (a kept traceback pinned ~2 kB a row), and
    pausing the cycle collector while parsing never leaves it paused, on success or failure."""
    import gc

    from matcher.services.importing import validate_file

    path = tmp_path / "organisations.csv"
    path.write_text("id,kind,name,council,country\nbad id,sme,X,cork,IE\nok-1,sme,X,cork,Ireland\n", "utf-8")
    assert gc.isenabled()
    with sessions() as session:
        _, good, rejected = validate_file(path, session=session)
        assert not good and [(row.line, err.location.field) for row, err in rejected] == [
            (2, "id"),
            (3, "country"),
        ]
        assert all(err.__traceback__ is None and err.__context__ is None for _, err in rejected)
        assert gc.isenabled()
        with pytest.raises(InvalidInputError, match="more than 1 records") as refused:
            validate_file(path, session=session, max_rows=1)
        assert refused.value.location.line == 3 and gc.isenabled()
        gc.disable()
        try:
            validate_file(path, session=session)
            assert not gc.isenabled()  # a caller's own choice is kept
        finally:
            gc.enable()


def test_row_limit_counts_records_not_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "organisations.jsonl"
    row = json.dumps({"id": "a", "kind": "sme", "name": "A", "council": "cork", "country": "IE"})
    path.write_text(f"{row}\n\n\n{row}\n", encoding="utf-8")  # blank lines are not records
    assert [r.line for r in read_rows(path, "organisations", max_rows=2)] == [1, 4]
    with pytest.raises(InvalidInputError) as refused:
        read_rows(path, "organisations", max_rows=1)
    assert refused.value.location.line == 4
