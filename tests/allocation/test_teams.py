"""Team formation: hand-solved instances, brute force on random small ones, explanations, validation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher.allocation import (
    Student,
    TeamChallenge,
    TeamInstance,
    parse_team_instance,
    solve_teams,
    team_quality,
    team_reasons,
    team_violations,
)
from matcher.exceptions import ValidationError


def _doc(students, challenges, affinity, **extra):
    return {
        "students": [{"id": s, "skills": list(k), "council": c} for s, k, c in students],
        "challenges": [
            {"id": c, "min_size": lo, "max_size": hi, "required_skills": list(k), "min_councils": m}
            for c, lo, hi, k, m in challenges
        ],
        "affinity": [{"student": s, "challenge": c, "score": w} for s, c, w in affinity],
        **{key: [{"student": s, "challenge": c} for s, c in pairs] for key, pairs in extra.items()},
    }


def _named(inst: TeamInstance, teams: dict[int, list[int]]) -> dict[str, list[str]]:
    return {inst.challenges[c].id: [inst.students[s].id for s in m] for c, m in teams.items()}


def test_hand_solved_skill_forces_a_lower_affinity_member() -> None:
    # c1 needs NDT; only s3 has it. Best by affinity would be {s1, s2} (2 + 2 = 4), but it lacks NDT,
    # so the optimum takes s3 with one of s1/s2: 2 + 1 = 3, and the other goes to c2 (score 1.5).
    inst = parse_team_instance(
        _doc(
            [("s1", [], "cork"), ("s2", [], "cork"), ("s3", ["NDT"], "paris")],
            [("c1", 2, 2, ["NDT"], 1), ("c2", 1, 1, [], 1)],
            [("s1", "c1", 2), ("s2", "c1", 2), ("s3", "c1", 1), ("s1", "c2", 1.5), ("s2", "c2", 0.5)],
        )
    )
    sol = solve_teams(inst)
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(4.5)
    assert sol.bound == pytest.approx(4.5)
    assert sol.gap == pytest.approx(0.0)
    assert _named(inst, sol.teams) == {"c1": ["s2", "s3"], "c2": ["s1"]}
    assert sol.unassigned == []
    reasons = team_reasons(inst, sol.teams)
    assert reasons[2].startswith("assigned: covers NDT")
    assert "only member with NDT" in reasons[2]
    assert "team size 2" in reasons[2]


def test_hand_solved_councils_and_min_size_leave_a_challenge_unstaffed() -> None:
    # c1 needs 2 councils; its students are all from cork, so it stays unstaffed.
    inst = parse_team_instance(
        _doc(
            [("s1", [], "cork"), ("s2", [], "cork")],
            [("c1", 1, 2, [], 2), ("c2", 3, 3, [], 1)],
            [("s1", "c1", 5), ("s2", "c1", 5), ("s1", "c2", 1), ("s2", "c2", 1)],
        )
    )
    sol = solve_teams(inst)
    assert sol.status == "optimal" and sol.teams == {} and sol.objective == 0
    assert (
        "c1 not staffed: needs members from 2 councils; its available students come from 1" in sol.explanation
    )
    assert (
        "c2 not staffed: needs at least 3 students; only 2 may join it (binding: team size 3)"
        in sol.explanation
    )


def test_forbidden_pairs_are_never_used_and_required_pairs_always_are() -> None:
    students = [(f"s{i}", [], "cork" if i % 2 else "paris") for i in range(4)]
    affinity = [(f"s{i}", c, w) for i in range(4) for c, w in (("c1", 3 - i), ("c2", 1))]
    doc = _doc(
        students,
        [("c1", 1, 2, [], 1), ("c2", 1, 2, [], 1)],
        affinity,
        forbidden=[("s0", "c1")],
        required=[("s3", "c1")],
    )
    inst = parse_team_instance(doc)
    sol = solve_teams(inst)
    named = _named(inst, sol.teams)
    assert "s3" in named["c1"] and "s0" not in named["c1"]
    assert named == {"c1": ["s1", "s3"], "c2": ["s0", "s2"]}  # 2 + 0 + 1 + 1
    assert sol.objective == pytest.approx(4.0)


def _brute_force(inst: TeamInstance) -> float | None:
    """Best total over every way of sending each student to one acceptable challenge or none."""
    options = [
        [None] + [int(c) for s2, c in zip(inst.edge_student, inst.edge_challenge, strict=True) if s2 == s]
        for s in range(len(inst.students))
    ]
    score = {
        (int(s), int(c)): float(w)
        for s, c, w in zip(inst.edge_student, inst.edge_challenge, inst.edge_score, strict=True)
    }
    best = None
    for choice in itertools.product(*options):
        teams: dict[int, list[int]] = {}
        for s, c in enumerate(choice):
            if c is not None:
                teams.setdefault(c, []).append(s)
        if team_violations(inst, teams):
            continue
        total = sum(score[(s, c)] for s, c in enumerate(choice) if c is not None)
        best = total if best is None or total > best else best
    return best


def _random_instance(rng: np.random.Generator) -> TeamInstance:
    n_s, n_c = int(rng.integers(3, 7)), int(rng.integers(1, 4))
    skills = ["NDT", "CAD", "FEM"]
    students = [
        Student(f"s{i}", tuple(k for k in skills if rng.random() < 0.4), str(rng.choice(["a", "b", "c"])))
        for i in range(n_s)
    ]
    challenges = []
    for j in range(n_c):
        lo = int(rng.integers(1, 3))
        hi = lo + int(rng.integers(0, 2))
        challenges.append(
            TeamChallenge(
                f"c{j}",
                lo,
                hi,
                tuple(k for k in skills if rng.random() < 0.3),
                int(rng.integers(1, min(hi, 2) + 1)),
            )
        )
    affinity = [
        (i, j, float(np.round(rng.normal(), 2))) for i in range(n_s) for j in range(n_c) if rng.random() < 0.7
    ]
    forbidden = {(i, j) for i, j, _ in affinity if rng.random() < 0.1}
    required = [(i, j) for i, j, _ in affinity if (i, j) not in forbidden and rng.random() < 0.08][:1]
    return TeamInstance.build(students, challenges, affinity, forbidden=forbidden, required=required)


@pytest.mark.parametrize("seed", range(60))
def test_optimal_on_random_small_instances_matches_brute_force(seed: int) -> None:
    inst = _random_instance(np.random.default_rng(seed))
    best = _brute_force(inst)
    sol = solve_teams(inst)
    if best is None:
        assert sol.status == "infeasible" and sol.explanation
        return
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(best, abs=1e-6)
    assert sol.bound == pytest.approx(best, abs=1e-6)
    assert team_violations(inst, sol.teams) == []
    assert set(sol.unassigned) | {s for m in sol.teams.values() for s in m} == set(range(len(inst.students)))


INFEASIBLE = [
    (  # the required student's challenge needs a skill nobody may bring
        [("s1", ["CAD"], "cork")],
        [("ch-cork-0007", 1, 3, ["NDT"], 1)],
        [("s1", "ch-cork-0007", 1)],
        {"required": [("s1", "ch-cork-0007")]},
        "challenge ch-cork-0007 needs NDT; no available student has it",
    ),
    (  # two required on one team of size 1
        [("s1", [], "cork"), ("s2", [], "cork")],
        [("c1", 1, 1, [], 1)],
        [("s1", "c1", 1), ("s2", "c1", 1)],
        {"required": [("s1", "c1"), ("s2", "c1")]},
        "challenge c1 has 2 required students but takes at most 1 (binding: team size 1)",
    ),
    (
        [("s1", [], "cork")],
        [("c1", 1, 1, [], 1), ("c2", 1, 1, [], 1)],
        [("s1", "c1", 1), ("s1", "c2", 1)],
        {"required": [("s1", "c1"), ("s1", "c2")]},
        "student s1 is required on c1, c2; a student joins one team",
    ),
    (
        [("s1", [], "cork")],
        [("c1", 1, 1, [], 1)],
        [("s1", "c1", 1)],
        {"required": [("s1", "c1")], "forbidden": [("s1", "c1")]},
        "student s1 is required on c1 but also forbidden from it",
    ),
    (
        [("s1", [], "cork")],
        [("c1", 1, 1, [], 1)],
        [],
        {"required": [("s1", "c1")]},
        "student s1 is required on c1 but has no affinity row for it, so may not join it",
    ),
    (  # the team needs 3 members; only 2 may join
        [("s1", [], "cork"), ("s2", [], "paris")],
        [("c1", 3, 4, [], 1)],
        [("s1", "c1", 1), ("s2", "c1", 1)],
        {"required": [("s1", "c1")]},
        "challenge c1 must be staffed but needs at least 3 students; only 2 may join it (binding: team size 3)",
    ),
    (  # needs 2 councils; everyone is from cork
        [("s1", [], "cork"), ("s2", [], "cork")],
        [("c1", 2, 2, [], 2)],
        [("s1", "c1", 1), ("s2", "c1", 1)],
        {"required": [("s1", "c1")]},
        "challenge c1 needs members from 2 councils; its available students come from 1 (cork)",
    ),
    (  # the only NDT holder is required on another team
        [("s1", [], "cork"), ("s2", ["NDT"], "cork")],
        [("c1", 1, 2, ["NDT"], 1), ("c2", 1, 1, [], 1)],
        [("s1", "c1", 1), ("s2", "c1", 1), ("s2", "c2", 1)],
        {"required": [("s1", "c1"), ("s2", "c2")]},
        "challenge c1 needs NDT; the students who have it are needed elsewhere: s2 (required on c2)",
    ),
]


@pytest.mark.parametrize(("students", "challenges", "affinity", "extra", "why"), INFEASIBLE)
def test_infeasible_instances_name_the_binding_constraint(students, challenges, affinity, extra, why) -> None:
    inst = parse_team_instance(_doc(students, challenges, affinity, **extra))
    sol = solve_teams(inst)
    assert sol.status == "infeasible"
    assert sol.objective is None and sol.teams == {}
    assert sol.explanation == [why]


def test_quality_figures_of_a_hand_edited_assignment() -> None:
    inst = parse_team_instance(
        _doc(
            [("s1", ["NDT"], "cork"), ("s2", [], "paris"), ("s3", [], "paris")],
            [("c1", 1, 2, ["NDT"], 1), ("c2", 1, 3, ["CAD"], 1)],
            [("s1", "c1", 0.9), ("s2", "c1", 0.4), ("s3", "c1", 0.8), ("s3", "c2", 0.2), ("s2", "c2", 0.1)],
        )
    )
    # s3 moved by hand to c2 (it prefers c1, which has room): envy 1; c2 lacks CAD.
    q = team_quality(inst, {0: [0], 1: [2]})
    assert q["total_affinity"] == pytest.approx(1.1)
    assert q["min_affinity"] == pytest.approx(0.2)
    assert q["skill_coverage"] == pytest.approx(0.5)
    assert q["envious_students"] == ["s2", "s3"]  # s2 is unassigned and c1 has room
    assert q["free_seats"] == 1 + 2
    assert q["violations"] == ["c2 needs CAD; no member has it"]


BAD = [
    ({"challenges": []}, "field 'students': is required"),
    ({"students": {}, "challenges": []}, "field 'students': expected a list, got an object"),
    (
        {"students": [{"id": "s", "council": "x"}, {"id": "s", "council": "x"}], "challenges": []},
        "field 'students[1].id': duplicate student id 's'",
    ),
    ({"students": [{"id": "s"}], "challenges": []}, "field 'students[0].council': is required"),
    (
        {"students": [{"id": "", "council": "x"}], "challenges": []},
        "field 'students[0].id': expected a non-empty string",
    ),
    (
        {"students": [{"id": "s", "council": "x", "skills": [3]}], "challenges": []},
        "field 'students[0].skills[0]': expected a non-empty string",
    ),
    (
        {"students": [], "challenges": [{"id": "c", "min_size": 4, "max_size": 3}]},
        "field 'challenges[0].min_size': min_size 4 exceeds max_size 3",
    ),
    (
        {"students": [], "challenges": [{"id": "c", "min_size": 0, "max_size": 3}]},
        "field 'challenges[0].min_size': must be at least 1, got 0",
    ),
    (
        {"students": [], "challenges": [{"id": "c", "min_size": 1, "max_size": True}]},
        "field 'challenges[0].max_size': expected an integer, got a boolean",
    ),
    (
        {"students": [], "challenges": [{"id": "c", "min_size": 1, "max_size": 2, "min_councils": 3}]},
        "field 'challenges[0].min_councils': min_councils 3 exceeds max_size 2",
    ),
    (
        {
            "students": [],
            "challenges": [
                {"id": "c", "min_size": 1, "max_size": 2},
                {"id": "c", "min_size": 1, "max_size": 2},
            ],
        },
        "field 'challenges[1].id': duplicate challenge id 'c'",
    ),
    (
        {"students": [], "challenges": [], "affinity": [{"student": "nobody", "challenge": "c", "score": 1}]},
        "field 'affinity[0].student': unknown student id 'nobody'",
    ),
    (
        {
            "students": [{"id": "s", "council": "x"}],
            "challenges": [],
            "affinity": [{"student": "s", "challenge": "c", "score": 1}],
        },
        "field 'affinity[0].challenge': unknown challenge id 'c'",
    ),
    (
        {
            "students": [{"id": "s", "council": "x"}],
            "challenges": [{"id": "c", "min_size": 1, "max_size": 1}],
            "affinity": [{"student": "s", "challenge": "c", "score": "high"}],
        },
        "field 'affinity[0].score': expected a finite number",
    ),
    (
        {
            "students": [{"id": "s", "council": "x"}],
            "challenges": [{"id": "c", "min_size": 1, "max_size": 1}],
            "affinity": [
                {"student": "s", "challenge": "c", "score": 1},
                {"student": "s", "challenge": "c", "score": 2},
            ],
        },
        "field 'affinity[1]': duplicate affinity row for student 's' and challenge 'c'",
    ),
    (
        {"students": [], "challenges": [], "affinity": [], "required": [{"student": "s", "challenge": "c"}]},
        "field 'required[0].student': unknown student id 's'",
    ),
    (
        {"students": [], "challenges": [], "affinity": [], "forbidden": [{"student": "s", "challenge": "c"}]},
        "field 'forbidden[0].student': unknown student id 's'",
    ),
    ([], "input: expected an object, got a list"),
    ({"students": [], "challenges": []}, "field 'affinity': is required"),
    ({"students": [3], "challenges": []}, "field 'students[0]': expected an object, got the number 3"),
]


@pytest.mark.parametrize(("doc", "message"), BAD)
def test_invalid_team_instances_get_a_located_error(doc, message) -> None:
    with pytest.raises(ValidationError) as err:
        parse_team_instance(doc, source="I.json" if "input" not in message else None)
    assert message in str(err.value)
    if "input" not in message:
        assert str(err.value).startswith("I.json, ")
