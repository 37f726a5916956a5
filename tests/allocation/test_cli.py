"""The file contracts of ``matcher allocate`` (issue #10): shapes, exit codes, located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.cli import main

TEAMS = {
    "students": [
        {"id": "s1", "skills": ["NDT"], "council": "cork"},
        {"id": "s2", "skills": ["CAD"], "council": "paris"},
        {"id": "s3", "skills": [], "council": "paris"},
    ],
    "challenges": [
        {"id": "ch-cork-0007", "min_size": 2, "max_size": 2, "required_skills": ["NDT"], "min_councils": 2}
    ],
    "affinity": [
        {"student": "s1", "challenge": "ch-cork-0007", "score": 0.5},
        {"student": "s2", "challenge": "ch-cork-0007", "score": 0.9},
        {"student": "s3", "challenge": "ch-cork-0007", "score": 0.7},
    ],
    "forbidden": [{"student": "s2", "challenge": "ch-cork-0007"}],
    "required": [],
}
PLACEMENTS = {
    "applicants": [
        {"id": "a1", "preferences": [["h1"], ["h2", "h3"]]},
        {"id": "a2", "preferences": [["h1"]]},
        {"id": "a3", "preferences": [["h2"]]},
    ],
    "hosts": [
        {"id": "h1", "capacity": 1, "preferences": [["a1", "a2"]]},
        {"id": "h2", "capacity": 1, "preferences": [["a3"], ["a1"]]},
        {"id": "h3", "capacity": 0, "preferences": [["a1"]]},
    ],
}


def _run(tmp_path: Path, command: str, doc: object) -> dict:
    out = tmp_path / "R.json"
    args = [
        "allocate",
        command,
        "--instance",
        str(_write(tmp_path / "I.json", doc)),
        "--out",
        str(out),
        "--quiet",
    ]
    assert main(args) == 0
    return json.loads(out.read_text())


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_teams_contract(tmp_path, capsys) -> None:
    out = tmp_path / "R.json"
    assert (
        main(["allocate", "teams", "--instance", str(_write(tmp_path / "I.json", TEAMS)), "--out", str(out)])
        == 0
    )
    r = json.loads(out.read_text())
    assert {"status", "objective", "bound", "teams", "unassigned", "explanation"} <= set(r)
    assert r["status"] == "optimal"
    assert r["teams"] == [{"challenge": "ch-cork-0007", "members": ["s1", "s3"]}]  # s2 forbidden
    assert r["objective"] == pytest.approx(1.2) and r["bound"] == pytest.approx(1.2)
    assert r["unassigned"] == ["s2"]
    assert r["reasons"]["s1"].startswith("assigned: covers NDT")
    assert "objective 1.2" in capsys.readouterr().err


def test_teams_infeasible_is_explained_and_exits_zero(tmp_path) -> None:
    r = _run(tmp_path, "teams", {**TEAMS, "required": [{"student": "s2", "challenge": "ch-cork-0007"}]})
    assert r["status"] == "infeasible" and r["objective"] is None and r["teams"] == []
    assert r["explanation"] == ["student s2 is required on ch-cork-0007 but also forbidden from it"]


@pytest.mark.parametrize("side", ["applicants", "hosts"])
def test_placements_contract_and_audit(tmp_path, capsys, side) -> None:
    inst = _write(tmp_path / "I.json", PLACEMENTS)
    out = tmp_path / "R.json"
    assert (
        main(["allocate", "placements", "--instance", str(inst), "--out", str(out), "--optimal-for", side])
        == 0
    )
    r = json.loads(out.read_text())
    assert r == {
        "matching": [{"applicant": "a1", "host": "h1"}, {"applicant": "a3", "host": "h2"}],
        "unmatched": ["a2"],
        "blocking_pairs": [],
    }
    assert main(["allocate", "audit", "--instance", str(inst), "--matching", str(out)]) == 0
    assert "0 blocking pairs" in capsys.readouterr().out
    # A coordinator moves a1 to h2 by hand: h1 is now free and a1 prefers it.
    edited = _write(tmp_path / "E.json", {"matching": [{"applicant": "a1", "host": "h2"}]})
    assert main(["allocate", "audit", "--instance", str(inst), "--matching", str(edited), "--json"]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "blocking_pairs": [
            {"applicant": "a1", "host": "h1"},
            {"applicant": "a2", "host": "h1"},
            {"applicant": "a3", "host": "h2"},
        ]
    }


def test_audit_of_hand_edited_teams(tmp_path, capsys) -> None:
    inst = _write(tmp_path / "I.json", TEAMS)
    edited = _write(tmp_path / "E.json", {"teams": [{"challenge": "ch-cork-0007", "members": ["s2", "s3"]}]})
    assert main(["allocate", "audit", "--instance", str(inst), "--matching", str(edited)]) == 1
    out = capsys.readouterr().out
    assert "broken: student s2 is forbidden from ch-cork-0007" in out
    assert "broken: ch-cork-0007 needs NDT; no member has it" in out


def test_facilities_contract(tmp_path) -> None:
    doc = {
        "facilities": [{"id": "desk", "capacity": 1}],
        "requests": [
            {
                "id": "r1",
                "earliest": 0,
                "latest": 1,
                "duration": 1,
                "options": [{"facility": "desk", "fit": 0.4}],
            }
        ],
    }
    assert _run(tmp_path, "facilities", doc) == {
        "status": "optimal",
        "objective": 0.4,
        "bound": 0.4,
        "unassigned": [],
        "bookings": [{"request": "r1", "facility": "desk", "start": 0, "end": 1}],
    }


@pytest.mark.parametrize(
    ("command", "doc", "message"),
    [
        (
            "teams",
            {**TEAMS, "challenges": [{"id": "c", "min_size": 3, "max_size": 2}]},
            "field 'challenges[0].min_size': min_size 3 exceeds max_size 2",
        ),
        (
            "teams",
            {**TEAMS, "affinity": [{"student": "s9", "challenge": "ch-cork-0007", "score": 1}]},
            "field 'affinity[0].student': unknown student id 's9'",
        ),
        (
            "teams",
            {**TEAMS, "students": TEAMS["students"] + [TEAMS["students"][0]]},
            "field 'students[3].id': duplicate student id 's1'",
        ),
        (
            "placements",
            {**PLACEMENTS, "hosts": [{"id": "h1", "capacity": -2, "preferences": []}]},
            "field 'hosts[0].capacity': must be at least 0, got -2",
        ),
        (
            "facilities",
            {"facilities": [], "requests": [{"id": "r"}]},
            "field 'requests[0].earliest': is required",
        ),
    ],
)
def test_invalid_instances_exit_2_with_a_located_error_and_write_nothing(
    tmp_path, capsys, command, doc, message
) -> None:
    inst = _write(tmp_path / "I.json", doc)
    out = tmp_path / "R.json"
    assert main(["allocate", command, "--instance", str(inst), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {inst}, {message}" in err
    assert "Traceback" not in err and not out.exists()


def test_bad_files_and_options_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "students": [,]\n}', encoding="utf-8")
    assert main(["allocate", "teams", "--instance", str(bad), "--out", str(tmp_path / "R.json")]) == 2
    assert f"{bad}, line 2: invalid JSON" in capsys.readouterr().err
    assert (
        main(
            [
                "allocate",
                "teams",
                "--instance",
                str(tmp_path / "missing.json"),
                "--out",
                str(tmp_path / "R.json"),
            ]
        )
        == 2
    )
    assert "missing.json: no such file" in capsys.readouterr().err
    inst = _write(tmp_path / "I.json", PLACEMENTS)
    assert (
        main(
            [
                "allocate",
                "placements",
                "--instance",
                str(inst),
                "--out",
                str(tmp_path / "R.json"),
                "--optimal-for",
                "both",
            ]
        )
        == 2
    )
    assert "field '--optimal-for': must be applicants or hosts" in capsys.readouterr().err
    m = _write(tmp_path / "M.json", {"matching": [{"applicant": "a1", "host": "nowhere"}]})
    assert main(["allocate", "audit", "--instance", str(inst), "--matching", str(m)]) == 2
    assert f"{m}, field 'matching[0].host': unknown host id 'nowhere'" in capsys.readouterr().err
