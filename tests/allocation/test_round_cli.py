"""``matcher allocate round|show|override`` on a stored programme with the fake encoder."""

from __future__ import annotations

import json

import pytest

from matcher import types as t
from matcher.allocation import parse_team_instance, team_violations, teams_from_json
from matcher.cli import main
from matcher.services.database import open_database
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.allocation.test_teams import _brute_force
from tests.factories import mini_programme


@pytest.fixture
def programme(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'matcher.db'}"
    for name, value in {"MATCHER_DATABASE_URL": url, "MATCHER_EMBEDDING_BACKEND": "fake",
                        "MATCHER_VAR_DIR": str(tmp_path), "MATCHER_MULTILINGUAL": "false",
                        "MATCHER_CACHE_PATH": str(tmp_path / "cache.sqlite")}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    data = mini_programme()
    data["people"] += [
        t.Person(f"stu-x-{i}", t.PersonKind.STUDENT, f"Student {i}", "hei-cork", skills=skills)
        for i, skills in enumerate([("welding",), ("robotics",), ("welding", "robotics"), ()])
    ]
    data["profiles"] += [
        t.CapabilityProfile(f"prof-stu-x-{i}", t.OwnerType.PERSON, f"stu-x-{i}") for i in range(4)
    ]
    data["documents"] += [
        t.Document(f"prof-stu-x-{i}-d01", f"prof-stu-x-{i}", t.DocumentKind.CV, text)
        for i, text in enumerate(["robotic welding cells", "welding line robots", "robots", "gardening"])
    ]
    engine, factory = open_database(url)
    with transaction(factory) as session:
        for entity, records in data.items():
            repo.upsert(entity, records, session=session)
    engine.dispose()
    return tmp_path


def test_round_is_optimal_for_its_stored_instance_and_can_be_edited(programme, capsys) -> None:
    inst_path = programme / "round.json"
    code = main(["allocate", "round", "--council", "bologna", "--min-size", "1", "--max-size", "2",
                 "--instance-out", str(inst_path), "--json"])  # fmt: skip
    assert code == 0
    view = json.loads(capsys.readouterr().out)
    assert view["status"] == "done" and view["council"] == "bologna"
    result = view["result"]
    doc = json.loads(inst_path.read_text())
    assert [c["id"] for c in doc["challenges"]] == ["ch-bo-1"]
    inst = parse_team_instance(doc)
    teams = teams_from_json(inst, result)
    assert team_violations(inst, teams) == []
    assert result["objective"] == pytest.approx(_brute_force(inst))  # optimal for the stored scores
    member = result["teams"][0]["members"][0]
    assert main(["allocate", "show", view["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["result"] == result
    # taking a member off: exit 1 exactly when the edited teams break a rule, and the audit names it
    s = next(i for i, st in enumerate(inst.students) if st.id == member)
    edited = {c: [m for m in ms if m != s] for c, ms in teams.items()}
    broken = team_violations(inst, {c: ms for c, ms in edited.items() if ms})
    assert main(["allocate", "override", view["id"], member, "--unassign"]) == (1 if broken else 0)
    shown = capsys.readouterr().out
    assert "quality: total affinity" in shown
    assert all(f"broken: {line}" in shown for line in broken)
    assert main(["allocate", "override", view["id"], member]) == 2
    assert "give exactly one of --to CHALLENGE or --unassign" in capsys.readouterr().err
    assert main(["allocate", "show", "alloc-missing"]) == 2
    assert "allocation round 'alloc-missing' not found" in capsys.readouterr().err


def test_placement_and_facility_rounds_from_the_cli(programme, capsys) -> None:
    # one open challenge of Bologna asks for placement (of an SME with no tie to Cork: sme-bo-1 has a joint
    # project with hei-cork, which the placement rules exclude), one academic is stored: the only acceptable pair
    url = f"sqlite:///{programme / 'matcher.db'}"
    engine, factory = open_database(url)
    with transaction(factory) as session:
        repo.upsert("organisations", [t.Organisation("sme-bo-9", t.OrgKind.SME, "Raffreddamento", "bologna", "IT")],
                    session=session)  # fmt: skip
        repo.upsert("challenges", [t.Challenge("ch-bo-pl", "sme-bo-9", "A researcher on site",
                                               "Hydrodynamics of our cooling loop", programmes=(t.Programme.PLACEMENT,))],
                    session=session)  # fmt: skip
        repo.upsert("facilities", [t.Facility("fac-bo-weld", "sme-bo-9", t.FacilityKind.LAB, "Welding cell",
                                              "A robotic welding cell.", council="bologna", country="IT")],
                    session=session)  # fmt: skip
        repo.upsert("profiles", [t.CapabilityProfile("prof-acad-cork-1", t.OwnerType.PERSON, "acad-cork-1"),
                                 t.CapabilityProfile("prof-fac-bo-weld", t.OwnerType.FACILITY, "fac-bo-weld")],
                    session=session)  # fmt: skip
        repo.upsert("documents", [t.Document("prof-acad-cork-1-d01", "prof-acad-cork-1", t.DocumentKind.CV,
                                             "cooling loop hydrodynamics"),
                                  t.Document("prof-fac-bo-weld-d01", "prof-fac-bo-weld", t.DocumentKind.FACILITY,
                                             "Robotic welding line; welding robots; the welding line stops")],
                    session=session)  # fmt: skip
    engine.dispose()
    assert main(["allocate", "round", "--kind", "placements", "--council", "bologna", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["kind"] == "placements" and view["status"] == "done", view
    assert view["result"]["matching"] == [{"applicant": "acad-cork-1", "host": "ch-bo-pl"}]
    assert view["result"]["blocking_pairs"] == []
    # unplacing the academic by hand leaves the one blocking pair; exit 1
    assert main(["allocate", "override", view["id"], "acad-cork-1", "--unassign"]) == 1
    assert "blocking pair: acad-cork-1 and ch-bo-pl prefer each other" in capsys.readouterr().out
    # a facility round: ch-bo-1 asks for one; its best-fitting option is booked (nothing competes with it)
    inst_path = programme / "facilities.json"
    assert main(["allocate", "round", "--kind", "facilities", "--council", "bologna", "--k", "3",
                 "--instance-out", str(inst_path), "--json"]) == 0  # fmt: skip
    view = json.loads(capsys.readouterr().out)
    doc = json.loads(inst_path.read_text())
    [request] = doc["requests"]
    assert request["id"] == "ch-bo-1" and request["options"]
    best = max(request["options"], key=lambda o: o["fit"])
    assert view["result"]["objective"] == pytest.approx(best["fit"])
    assert [b["facility"] for b in view["result"]["bookings"]] == [best["facility"]]
    assert main(["allocate", "show", view["id"]]) == 0
    assert "ch-bo-1: booked " in capsys.readouterr().out
    # the phases are reported on stderr
    assert main(["allocate", "round", "--kind", "facilities", "--council", "bologna"]) == 0
    phases = [
        line for line in capsys.readouterr().err.splitlines() if line.startswith("allocate: ") and "%" in line
    ]
    assert [p.split("% ", 1)[1].split()[0] for p in phases][-2:] == ["solving", "storing"]
    # options of another kind, a bad kind: located, exit 2
    assert main(["allocate", "round", "--kind", "placements", "--min-size", "2"]) == 2
    assert "--min-size" in capsys.readouterr().err
    assert main(["allocate", "round", "--kind", "rota"]) == 2
    assert "--kind" in capsys.readouterr().err
