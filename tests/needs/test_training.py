"""Training modules and self-assessments: import, store (SQLite + PostgreSQL), access, suggestions."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from matcher import types as t
from matcher.embeddings import FakeEncoder
from matcher.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from matcher.services.access import Principal, Role
from matcher.services.training import (
    delete_record,
    import_training_file,
    list_records,
    read_record,
    recommend_for_sme,
    trainer_view,
    write_record,
)
from matcher.store import records as repo
from matcher.store import training as training_store
from matcher.store.db import transaction
from tests.needs.programme import SOLAR, WELD, needs_programme

MODULES = [
    {"id": "tm-weld", "provider_id": "hei-bo", "title": "Laser welding for SMEs", "council": "bologna",
     "description": f"{WELD} hands-on course", "skills": ["welding"], "areas": ["operations"]},
    {"id": "tm-strat", "provider_id": "hei-ma", "title": "Growth strategy", "council": "malaga",
     "description": "strategy planning business model growth market roadmap", "areas": ["strategy"]},
]  # fmt: skip


def _jsonl(path, rows):
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


@pytest.fixture
def stored(sessions, tmp_path):
    with transaction(sessions) as session:
        for entity, records in needs_programme().items():
            repo.upsert(entity, records, session=session)
        import_training_file(_jsonl(tmp_path / "training_modules.jsonl", MODULES), session=session)
        (tmp_path / "assessments.csv").write_text(
            "id,sme_id,assessed_on,area,score,note\n"
            "a1,sme-ma-1,2026-01-10,strategy,1,no plan\n"
            "a2,sme-ma-1,2026-01-10,operations,4,\n"
            "a3,sme-ma-1,2026-06-10,strategy,2,a plan in draft\n",
            encoding="utf-8",
        )
        import_training_file(tmp_path / "assessments.csv", session=session)
    return sessions


def test_round_trip_and_progress(stored):
    with transaction(stored) as session:
        modules = training_store.list_modules(session=session)
        assert [m.id for m in modules] == ["tm-strat", "tm-weld"]
        weld = modules[1]
        assert (
            weld.skills == ("welding",)
            and weld.areas == ("operations",)
            and weld.format is t.TrainingFormat.IN_PERSON
        )
        rows = training_store.list_assessments(session=session, sme_id="sme-ma-1")
        assert [(r.area, r.score) for r in rows] == [("operations", 4), ("strategy", 1), ("strategy", 2)]
        assert rows[0].assessed_on == dt.date(2026, 1, 10)


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [({"score": 6}, "score", "1 (weak) to 5"),
     ({"area": "astrology"}, "area", "unknown assessment area"),
     ({"sme_id": "hei-bo"}, "sme_id", "no SME"),
     ({"assessed_on": "2026-13-01"}, "assessed_on", "YYYY-MM-DD"),
     ({"note": "x" * 20_001}, "note", "too long"),
     ({"sme_id": "sme\\u0000x"}, "sme_id", "NUL character")],
)  # fmt: skip
def test_bad_assessment_rows_are_located_and_nothing_is_stored(stored, tmp_path, row, field, reason):
    good = {"id": "a9", "sme_id": "sme-ma-1", "assessed_on": "2026-09-01", "area": "digital", "score": 3}
    bad = {**good, "id": "a10", **row}
    line = json.dumps(bad).replace("\\\\u0000", "\\u0000")
    path = _jsonl(tmp_path / "assessments.jsonl", [good, line])
    with pytest.raises(ValidationError) as info, transaction(stored) as session:
        import_training_file(path, session=session)
    assert info.value.location.line == 2 and info.value.location.field == field
    assert reason in info.value.reason
    with transaction(stored) as session:
        assert "a9" not in {r.id for r in training_store.list_assessments(session=session)}


def test_a_large_file_is_stored_in_batches_and_a_late_bad_row_is_located(stored, tmp_path, monkeypatch):
    """Rows are upserted a batch at a time: a bad reference in a later batch still names its line."""
    import matcher.services.training as training

    monkeypatch.setattr(training, "_IMPORT_BATCH", 4)
    rows = [
        {
            "id": f"b{i}",
            "sme_id": "sme-ma-1",
            "assessed_on": f"2025-{1 + i:02d}-01",
            "area": "digital",
            "score": 1 + i % 5,
        }
        for i in range(11)
    ]
    rows.append(
        {"id": "a1", "sme_id": "sme-ma-1", "assessed_on": "2026-01-10", "area": "strategy", "score": 5}
    )
    path = _jsonl(tmp_path / "assessments.jsonl", rows)
    with transaction(stored) as session:
        assert import_training_file(path, session=session) == {"rows": 12}
    with transaction(stored) as session:
        got = {r.id: r.score for r in training_store.list_assessments(session=session)}
    assert {k: got[k] for k in ("b0", "b4", "b10")} == {"b0": 1, "b4": 5, "b10": 1}
    assert got["a1"] == 5  # an existing row, updated in its batch

    bad = [*rows[:9], {**rows[9], "id": "c9", "sme_id": "nobody"}, *rows[10:]]
    moved = [
        {**r, "id": "c" + r["id"], "assessed_on": r["assessed_on"].replace("2025", "2024")} for r in bad[:9]
    ]
    path = _jsonl(tmp_path / "assessments.jsonl", moved + bad[9:])
    with pytest.raises(ValidationError) as info, transaction(stored) as session:
        import_training_file(path, session=session)
    assert (info.value.location.file, info.value.location.line, info.value.location.field) == (
        str(path),
        10,
        "sme_id",
    )
    with transaction(stored) as session:  # all or nothing: the earlier batches are gone too
        assert not {r.id for r in training_store.list_assessments(session=session)} & {"cb0", "cb4"}


def test_one_assessment_per_sme_area_and_date_is_a_located_error_not_a_database_error(stored, tmp_path):
    """Careless files: the same SME, area and date under two ids, in the file or against the store."""
    row = {"id": "n1", "sme_id": "sme-ma-1", "assessed_on": "2026-09-01", "area": "digital", "score": 3}
    twice = _jsonl(tmp_path / "assessments.jsonl", [row, {**row, "id": "n2", "score": 4}])
    with pytest.raises(ValidationError) as info, transaction(stored) as session:
        import_training_file(twice, session=session)
    assert (info.value.location.line, info.value.location.field) == (2, "assessed_on")
    assert "'n1'" in info.value.reason
    stored_key = {**row, "id": "n3", "assessed_on": "2026-01-10", "area": "strategy"}  # a1's key
    clash = _jsonl(tmp_path / "assessments.jsonl", [stored_key])
    with pytest.raises(ValidationError, match="'a1'") as info, transaction(stored) as session:
        import_training_file(clash, session=session)
    assert info.value.location.line == 1
    with transaction(stored) as session:
        assert {r.id for r in training_store.list_assessments(session=session)} == {"a1", "a2", "a3"}
    # the same id may move to a free date, and a re-import of the same rows changes nothing
    moved = _jsonl(tmp_path / "assessments.jsonl", [{**stored_key, "id": "a1", "assessed_on": "2026-02-10"}])
    with transaction(stored) as session:
        import_training_file(moved, session=session)
    with transaction(stored) as session:
        import_training_file(moved, session=session)
        dates = {r.id: r.assessed_on for r in training_store.list_assessments(session=session)}
    assert dates["a1"] == dt.date(2026, 2, 10)


def test_nul_bytes_in_a_file_are_refused(stored, tmp_path):
    path = tmp_path / "training_modules.csv"
    path.write_bytes(b"id,provider_id,title,description,council\nm1,hei-bo,a\x00b,x,bologna\n")
    with pytest.raises(ValidationError, match="NUL"), transaction(stored) as session:
        import_training_file(path, session=session)


def test_module_must_name_a_known_provider_and_council(stored, tmp_path):
    for change, field in (({"provider_id": "nobody"}, "provider_id"), ({"council": "atlantis"}, "council"),
                          ({"areas": ["astrology"]}, "areas"), ({"starts": "2026-05-01", "ends": "2026-04-01"}, "ends")):  # fmt: skip
        path = _jsonl(tmp_path / "training_modules.jsonl", [{**MODULES[0], "id": "tm-x", **change}])
        with pytest.raises(ValidationError) as info, transaction(stored) as session:
            import_training_file(path, session=session)
        assert info.value.location.field == field


PROVIDER = Principal(
    Role.COORDINATOR, 1, organisation_id="hei-bo", managed=frozenset({"hei-bo", "rg-bo-weld"})
)
OTHER = Principal(Role.COORDINATOR, 2, organisation_id="hei-ma", managed=frozenset({"hei-ma", "rg-ma-bio"}))
SME = Principal(Role.SME, 3, organisation_id="sme-ma-1", managed=frozenset({"sme-ma-1"}))
SME_BO = Principal(Role.SME, 4, organisation_id="sme-bo-1", managed=frozenset({"sme-bo-1"}))
TRAINER_MA = Principal(Role.TRAINER, 5, council="malaga")
TRAINER_BO = Principal(Role.TRAINER, 6, council="bologna")


def test_provider_edits_its_module_and_nobody_else_does(stored):
    with transaction(stored) as session:
        edited = write_record(PROVIDER, "training_modules", {**MODULES[0], "places": 12}, session=session)
        assert edited["places"] == 12 and edited["version"] == 2
        with pytest.raises(PermissionDeniedError):
            write_record(OTHER, "training_modules", {**MODULES[0], "places": 1}, session=session)
        with pytest.raises(PermissionDeniedError):  # creating a module in another provider's name
            write_record(OTHER, "training_modules", {**MODULES[0], "id": "tm-new"}, session=session)
        with pytest.raises(PermissionDeniedError):
            delete_record(SME, "training_modules", "tm-weld", session=session)
        assert (
            read_record(SME, "training_modules", "tm-weld", session=session)["title"]
            == "Laser welding for SMEs"
        )
        delete_record(PROVIDER, "training_modules", "tm-weld", session=session)
        with pytest.raises(NotFoundError):
            read_record(PROVIDER, "training_modules", "tm-weld", session=session)


def test_assessments_are_the_smes_own(stored):
    row = {"id": "a1", "sme_id": "sme-ma-1", "assessed_on": "2026-01-10", "area": "strategy", "score": 3}
    with transaction(stored) as session:
        assert write_record(SME, "assessments", row, session=session)["score"] == 3
        # another SME: the id is another owner's, so it is unknown to it; a row in another's name is refused
        with pytest.raises(NotFoundError):
            write_record(SME_BO, "assessments", row, session=session)
        with pytest.raises(PermissionDeniedError):
            write_record(SME_BO, "assessments", {**row, "id": "a-new"}, session=session)
        with pytest.raises(NotFoundError):
            read_record(SME_BO, "assessments", "a1", session=session)
        # the council's trainer reads them, another council's does not, and neither writes
        assert read_record(TRAINER_MA, "assessments", "a1", session=session)["sme_id"] == "sme-ma-1"
        with pytest.raises(NotFoundError):
            read_record(TRAINER_BO, "assessments", "a1", session=session)
        with pytest.raises(PermissionDeniedError):
            write_record(TRAINER_MA, "assessments", {**row, "score": 5}, session=session)
        assert {r["id"] for r in list_records(TRAINER_BO, "assessments", session=session)} == set()
        assert len(list_records(SME, "assessments", session=session)) == 3


def test_sme_suggestions_name_the_need_they_answer(stored):
    with transaction(stored) as session:
        weld = recommend_for_sme(FakeEncoder(), "sme-bo-1", session=session)
        strat = recommend_for_sme(FakeEncoder(), "sme-ma-1", session=session)
    top = weld["suggestions"][0]
    assert top["module"] == "tm-weld" and top["reasons"]["answers"]["challenge"].startswith("ch-weld-")
    assert top["mobility"] is False
    # sme-ma-1's strategy score is 2 now (was 1): a weak area; the strategy module trains it, abroad for nobody
    assert strat["assessment"]["strategy"] == {"score": 2, "assessed_on": "2026-06-10", "change": 1}
    first = strat["suggestions"][0]
    assert first["module"] == "tm-strat" and first["reasons"]["answers"]["area"] == "strategy"
    assert first["reasons"]["area_bonus"] == pytest.approx(0.3 * 3 / 4)
    # the welding module is in Bologna: for a Málaga SME it is training abroad
    assert next(s for s in strat["suggestions"] if s["module"] == "tm-weld")["mobility"] is True


def test_trainer_sees_uncovered_needs_beneficiaries_and_groups(stored):
    with transaction(stored) as session:
        ma = trainer_view(FakeEncoder(), "malaga", session=session)
        bo = trainer_view(FakeEncoder(), "bologna", session=session)
    # no module teaches solar storage: Málaga's solar cluster is uncovered; Bologna's welding one is not
    # (six near-identical texts may split in two clusters; every one of them is uncovered)
    assert sorted(m for c in ma["uncovered"] for m in c["members"]) == sorted(
        f"ch-solar-{i}" for i in range(6)
    )
    assert all(c["best_module_similarity"] < 0.35 for c in ma["uncovered"])
    assert SOLAR.split()[0] in ma["uncovered"][0]["terms"]
    assert bo["uncovered"] == []
    weld = next(b for b in bo["beneficiaries"] if b["module"] == "tm-weld")
    assert {s["sme"] for s in weld["smes"]} == {"sme-bo-1", "sme-bo-2"}
    assert bo["groups"] == [{"cluster": bo["clusters"][0]["id"], "label": bo["clusters"][0]["label"],
                             "smes": ["sme-bo-1", "sme-bo-2"]}]  # fmt: skip
