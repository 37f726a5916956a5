"""``matcher import-cordis`` on small files written here, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matcher.cli import main
from matcher.exceptions import InvalidInputError, ValidationError
from matcher.ingest.cordis import organisation_kind, read_cordis
from matcher.services.cordis import council_for, import_cordis
from matcher.store import records as repo
from matcher.store.db import transaction
from matcher.store.models import OrganisationRow, RelationshipRow

HEADER = ["projectID", "projectAcronym", "organisationID", "name", "shortName", "SME", "activityType", "city",
          "country", "role", "ecContribution"]  # fmt: skip
ROWS = [
    # project 101 has three organisations of the selected countries -> 3 pairs; DE is not selected
    [
        "101",
        "ALPHA",
        "9001",
        "Universidad de Málaga",
        "UMA",
        "false",
        "HES",
        "Málaga",
        "ES",
        "coordinator",
        "1",
    ],
    ["101", "ALPHA", "9002", "Robotica Srl", "", "true", "PRC", "Bologna", "IT", "participant", "2"],
    ["101", "ALPHA", "9003", "Centre X; Recherche", "", "false", "REC", "Paris", "FR", "participant", "3"],
    ["101", "ALPHA", "9009", "Fraunhofer", "", "false", "REC", "München", "DE", "participant", "4"],
    # project 102: two of the same organisations again -> one more tie for that pair
    [
        "102",
        "BETA",
        "9001",
        "Universidad de Málaga",
        "UMA",
        "false",
        "HES",
        "Málaga",
        "ES",
        "coordinator",
        "5",
    ],
    ["102", "BETA", "9002", "Robotica Srl", "", "true", "PRC", "Bologna", "IT", "participant", "6"],
    ["102", "BETA", "9004", "Ayuntamiento de Madrid", "", "false", "PUB", "Madrid", "ES", "thirdParty", ""],
    ["103", "GAMMA", "9005", "Big Corp", "", "false", "PRC", "Cork", "IE", "coordinator", "7"],
]


def _write(path: Path, rows: list[list[str]], sep: str = ";") -> Path:
    def cell(x: str) -> str:
        return f'"{x}"' if (sep in x or "," in x or ";" in x) else x

    text = "\n".join(sep.join(cell(c) for c in r) for r in [HEADER, *rows]) + "\n"
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_kinds_and_councils():
    assert organisation_kind("PRC", True).value == "sme"
    assert [organisation_kind(a, False).value for a in ("HES", "REC", "PRC", "PUB", "OTH", "")] == [
        "hei", "research_centre", "company", "public_body", "other", "other"
    ]  # fmt: skip
    assert (council_for("ES", "Alcalá de Henares"), council_for("ES", "Sevilla")) == ("alcala", "malaga")
    assert (council_for("IT", "Milano"), council_for("DE", "Berlin")) == ("bologna", "external")


@pytest.mark.parametrize(("name", "sep"), [("org.csv", ";"), ("org.csv.gz", ","), ("org2.csv", ",")])
def test_reader_detects_the_separator_and_compression(tmp_path, name, sep):
    table = read_cordis(_write(tmp_path / name, ROWS, sep), countries=["ES", "IT", "IE", "TR", "FR"])
    assert table.rows == 8 and table.skipped_countries == 1
    assert [p.name for p in table.participations][2] == "Centre X; Recherche"


def test_import_creates_organisations_and_one_tie_per_pair_per_project(sessions, tmp_path):
    path = _write(tmp_path / "organization.csv", ROWS)
    with transaction(sessions) as session:
        report = import_cordis(path, session=session)
    assert report.organisations == {"created": 5, "updated": 0, "unchanged": 0}
    assert report.relationships_created == 3 + 3  # C(3,2) in 101, C(3,2) in 102; 103 has one member
    with sessions() as session:
        orgs = {o.id: o for o in repo.list_records("organisations", session=session)}
        rels = repo.list_records("relationships", session=session)
    assert set(orgs) == {"cordis-9001", "cordis-9002", "cordis-9003", "cordis-9004", "cordis-9005"}
    assert (orgs["cordis-9002"].kind.value, orgs["cordis-9002"].council) == ("sme", "bologna")
    assert (orgs["cordis-9004"].kind.value, orgs["cordis-9004"].council) == ("public_body", "alcala")
    assert orgs["cordis-9005"].kind.value == "company"
    pair = [r for r in rels if {r.source_id, r.target_id} == {"cordis-9001", "cordis-9002"}]
    assert sorted(r.provenance for r in pair) == ["CORDIS project 101 (ALPHA)", "CORDIS project 102 (BETA)"]
    assert all(r.kind.value == "joint_eu_project" for r in rels)

    with transaction(sessions) as session:  # idempotent
        again = import_cordis(path, session=session)
    assert again.organisations["unchanged"] == 5 and again.relationships_created == 0
    assert again.relationships_unchanged == 6
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RelationshipRow)) == 6


def test_a_bad_row_is_located_and_stores_nothing(sessions, tmp_path):
    bad = [
        *ROWS[:5],
        ["102", "BETA", "90x2", "Robotica", "", "true", "PRC", "Bologna", "IT", "participant", ""],
    ]
    path = _write(tmp_path / "organization.csv", bad)
    with pytest.raises(ValidationError) as caught, transaction(sessions) as session:
        import_cordis(path, session=session)
    assert (caught.value.location.line, caught.value.location.field) == (7, "organisationID")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OrganisationRow)) == 0
    with transaction(sessions) as session:
        report = import_cordis(path, session=session, skip_invalid=True)
    assert len(report.rejected) == 1 and report.organisations["created"] == 3


def test_missing_columns_and_bad_values(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("projectID;name\n1;x\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="organisationID, country"):
        read_cordis(path)
    rows = [["1", "A", "7", "X", "", "maybe", "PRC", "c", "IT", "participant", ""]]
    with pytest.raises(ValidationError, match="field 'SME'"):
        read_cordis(_write(tmp_path / "p.csv", rows))
    rows = [["1", "A", "7", "X", "", "false", "XYZ", "c", "IT", "participant", ""]]
    with pytest.raises(ValidationError, match="field 'activityType'"):
        read_cordis(_write(tmp_path / "q.csv", rows))


def test_cli_exit_code_2_on_a_bad_row(db_url, tmp_path, capsys):
    bad = [ROWS[0], ["101", "ALPHA", "9002", "", "", "true", "PRC", "Bologna", "IT", "participant", ""]]
    path = _write(tmp_path / "organization.csv", bad)
    assert main(["import-cordis", str(path), "--database-url", db_url]) == 2
    assert "line 3, field 'name'" in capsys.readouterr().err
    assert main(["import-cordis", str(path), "--skip-invalid", "--database-url", db_url]) == 0
    assert main(["import-cordis", str(path), "--countries", "Spain", "--database-url", db_url]) == 2
