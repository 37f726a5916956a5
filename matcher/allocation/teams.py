"""Consultancy team formation as a mixed-integer programme, solved to proven optimality by HiGHS.

A weighted generalised assignment with side constraints (the team-formation MILP of
e.g. Anagnostopoulos et al., 2012, without the communication cost), solved by the
branch-and-cut solver HiGHS (Huangfu & Hall, 2018) through :func:`scipy.optimize.milp`.

Variables: ``x[e]`` per acceptable (student, challenge) pair (an affinity row that is not
forbidden), ``y[c]`` per challenge (staffed or not), ``z[c, k]`` per challenge with
``min_councils >= 2`` and council ``k`` among its acceptable students.

Maximise ``sum(score[e] * x[e])`` subject to

- ``sum_{e of s} x[e] <= 1``                       (a student joins at most one team)
- ``min_size[c] y[c] <= sum_{e of c} x[e] <= max_size[c] y[c]``
- ``sum_{e of c, s has r} x[e] >= y[c]``            (each required skill ``r`` covered)
- ``z[c, k] <= sum_{e of c, s in k} x[e]``; ``sum_k z[c, k] >= min_councils[c] y[c]``
- ``x[e] = 1`` for required pairs.

HiGHS was chosen over OR-Tools CP-SAT by benchmark (``benchmarks/bench_allocation.py``,
figures in ``docs/performance.md``). Infeasibility is explained by
:func:`matcher.allocation.explain.explain_infeasible`, which relaxes constraint groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.allocation._records import Reader

__all__ = ["Student", "TeamChallenge", "TeamInstance", "TeamSolution", "parse_team_instance", "solve_teams"]


@dataclass(frozen=True)
class Student:
    id: str
    skills: tuple[str, ...]
    council: str


@dataclass(frozen=True)
class TeamChallenge:
    id: str
    min_size: int
    max_size: int
    required_skills: tuple[str, ...]
    min_councils: int = 1


@dataclass(frozen=True)
class TeamInstance:
    """A team-formation instance over index arrays.

    Attributes
    ----------
    students, challenges : tuples of records
    edge_student, edge_challenge : ndarray of shape (n_edges,), int64
        The acceptable pairs: an affinity row exists and the pair is not forbidden.
    edge_score : ndarray of shape (n_edges,), float64
    required : tuple of (student index, challenge index)
    forbidden : frozenset of (student index, challenge index)
    """

    students: tuple[Student, ...]
    challenges: tuple[TeamChallenge, ...]
    edge_student: np.ndarray
    edge_challenge: np.ndarray
    edge_score: np.ndarray
    required: tuple[tuple[int, int], ...] = ()
    forbidden: frozenset[tuple[int, int]] = frozenset()
    scored: frozenset[tuple[int, int]] = frozenset()  # every pair with an affinity row, forbidden or not

    @classmethod
    def build(
        cls,
        students: list[Student],
        challenges: list[TeamChallenge],
        affinity: list[tuple[int, int, float]],
        *,
        forbidden: set[tuple[int, int]] | None = None,
        required: list[tuple[int, int]] | None = None,
    ) -> TeamInstance:
        forbidden = set(forbidden or ())
        kept = [(s, c, w) for s, c, w in affinity if (s, c) not in forbidden]
        return cls(
            students=tuple(students),
            challenges=tuple(challenges),
            edge_student=np.array([s for s, _, _ in kept], dtype=np.int64),
            edge_challenge=np.array([c for _, c, _ in kept], dtype=np.int64),
            edge_score=np.array([w for _, _, w in kept], dtype=np.float64),
            required=tuple(dict.fromkeys(required or ())),
            forbidden=frozenset(forbidden),
            scored=frozenset((s, c) for s, c, _ in affinity),
        )

    @property
    def n_edges(self) -> int:
        return int(self.edge_student.size)

    def edge_index(self) -> dict[tuple[int, int], int]:
        return {
            (int(s), int(c)): e
            for e, (s, c) in enumerate(zip(self.edge_student, self.edge_challenge, strict=True))
        }


@dataclass(frozen=True)
class TeamSolution:
    """Solver outcome: ``status`` is ``"optimal"``, ``"infeasible"`` or ``"feasible"`` (time limit hit)."""

    status: str
    objective: float | None
    bound: float | None
    teams: dict[int, list[int]]  # challenge index -> sorted student indices
    unassigned: list[int]
    explanation: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))

    def to_json(self, instance: TeamInstance) -> dict[str, Any]:
        """The file contract: ``{"status", "objective", "bound", "teams", "unassigned", "explanation"}``."""
        return {
            "status": self.status,
            "objective": _round(self.objective),
            "bound": _round(self.bound),
            "gap": _round(self.gap),
            "teams": [
                {
                    "challenge": instance.challenges[c].id,
                    "members": [instance.students[s].id for s in members],
                }
                for c, members in sorted(self.teams.items())
            ],
            "unassigned": [instance.students[s].id for s in self.unassigned],
            "explanation": list(self.explanation),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 9)


def parse_team_instance(data: Any, *, source: str | None = None) -> TeamInstance:
    """Validate the ``matcher allocate teams`` instance (see ``docs/allocation.md``).

    Raises :class:`~matcher.exceptions.ValidationError` located at the offending field:
    missing or mistyped fields, duplicate ids, unknown ids, ``min_size > max_size``,
    ``min_councils > max_size``, duplicate affinity rows.
    """
    r = Reader(source)
    data = r.mapping(data, "")
    student_rows = [(p, r.mapping(v, p)) for p, v in r.items(data, "students")]
    challenge_rows = [(p, r.mapping(v, p)) for p, v in r.items(data, "challenges")]
    sid = r.unique_ids(student_rows, "student")
    cid = r.unique_ids(challenge_rows, "challenge")
    students = [
        Student(row["id"], r.strings(row, "skills", p), r.string(row, "council", p))
        for p, row in student_rows
    ]
    challenges = []
    for p, row in challenge_rows:
        lo = r.integer(row, "min_size", p, minimum=1)
        hi = r.integer(row, "max_size", p, minimum=1)
        if lo > hi:
            raise r.error(f"{p}.min_size", f"min_size {lo} exceeds max_size {hi}")
        councils = r.integer(row, "min_councils", p, minimum=0, default=1)
        if councils > hi:
            raise r.error(f"{p}.min_councils", f"min_councils {councils} exceeds max_size {hi}")
        challenges.append(TeamChallenge(row["id"], lo, hi, r.strings(row, "required_skills", p), councils))
    affinity: list[tuple[int, int, float]] = []
    seen: set[tuple[int, int]] = set()
    for p, v in r.items(data, "affinity"):
        row = r.mapping(v, p)
        pair = (r.index(sid, row, "student", p, "student"), r.index(cid, row, "challenge", p, "challenge"))
        if pair in seen:
            raise r.error(
                p, f"duplicate affinity row for student {row['student']!r} and challenge {row['challenge']!r}"
            )
        seen.add(pair)
        affinity.append((*pair, r.number(row, "score", p)))
    pairs = {}
    for key in ("forbidden", "required"):
        pairs[key] = [
            (r.index(sid, row, "student", p, "student"), r.index(cid, row, "challenge", p, "challenge"))
            for p, row in ((p, r.mapping(v, p)) for p, v in r.items(data, key, required=False))
        ]
    return TeamInstance.build(
        students, challenges, affinity, forbidden=set(pairs["forbidden"]), required=pairs["required"]
    )


@dataclass
class _Model:
    """The MILP in scipy's form, with the row groups kept for explanations."""

    c: np.ndarray
    rows: list[tuple[str, Any, list[tuple[int, float]], float, float]]  # (kind, key, coeffs, lb, ub)
    lower: np.ndarray
    upper: np.ndarray
    n_x: int
    n_y: int
    z_index: dict[tuple[int, str], int]

    @property
    def n_vars(self) -> int:
        return self.c.size

    def matrix(self) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
        data, ri, ci = [], [], []
        for i, (_, _, coeffs, _, _) in enumerate(self.rows):
            for j, a in coeffs:
                ri.append(i)
                ci.append(j)
                data.append(a)
        a = sp.csr_array((data, (ri, ci)), shape=(len(self.rows), self.n_vars))
        return a, np.array([row[3] for row in self.rows]), np.array([row[4] for row in self.rows])


def build_model(instance: TeamInstance) -> _Model:
    """Variables ``[x (n_edges) | y (n_challenges) | z (...)]`` and the constraint rows, grouped by kind."""
    n_e, n_c = instance.n_edges, len(instance.challenges)
    y0 = n_e
    es, ec = instance.edge_student, instance.edge_challenge
    by_student: dict[int, list[int]] = {}
    by_challenge: dict[int, list[int]] = {}
    for e in range(n_e):
        by_student.setdefault(int(es[e]), []).append(e)
        by_challenge.setdefault(int(ec[e]), []).append(e)
    rows: list[tuple[str, Any, list[tuple[int, float]], float, float]] = []
    inf = np.inf
    for s, edges in by_student.items():
        if len(edges) > 1:
            rows.append(("one_team", s, [(e, 1.0) for e in edges], -inf, 1.0))
    z_index: dict[tuple[int, str], int] = {}
    for c, ch in enumerate(instance.challenges):
        edges = by_challenge.get(c, [])
        y = y0 + c
        rows.append(("max_size", c, [(e, 1.0) for e in edges] + [(y, -float(ch.max_size))], -inf, 0.0))
        rows.append(("min_size", c, [(e, 1.0) for e in edges] + [(y, -float(ch.min_size))], 0.0, inf))
        for skill in dict.fromkeys(ch.required_skills):
            holders = [e for e in edges if skill in instance.students[int(es[e])].skills]
            rows.append(("skill", (c, skill), [(e, 1.0) for e in holders] + [(y, -1.0)], 0.0, inf))
        if ch.min_councils >= 2:
            councils: dict[str, list[int]] = {}
            for e in edges:
                councils.setdefault(instance.students[int(es[e])].council, []).append(e)
            zs = []
            for k, members in sorted(councils.items()):
                z = n_e + n_c + len(z_index)
                z_index[(c, k)] = z
                zs.append(z)
                rows.append(("council_member", (c, k), [(z, 1.0)] + [(e, -1.0) for e in members], -inf, 0.0))
            rows.append(("councils", c, [(z, 1.0) for z in zs] + [(y, -float(ch.min_councils))], 0.0, inf))
    n = n_e + n_c + len(z_index)
    cost = np.zeros(n)
    cost[:n_e] = -instance.edge_score
    lower, upper = np.zeros(n), np.ones(n)
    index = instance.edge_index()
    for pair in instance.required:
        if pair in index:
            lower[index[pair]] = 1.0
    return _Model(cost, rows, lower, upper, n_e, n_c, z_index)


def solve_teams(
    instance: TeamInstance,
    *,
    time_limit: float | None = None,
    mip_rel_gap: float = 0.0,
    presolve: bool = False,
) -> TeamSolution:
    """Solve to proven optimality (``mip_rel_gap=0``) or explain why no assignment exists.

    HiGHS's MIP presolve is off by default: on the benchmark instance (40,000 pairs) it spent
    18 of 24 s probing the binaries while the root LP was already integral (5.6 s without it).

    Returns
    -------
    TeamSolution
        ``objective`` is the total affinity of the assignment, ``bound`` HiGHS's proven
        upper bound on it; ``explanation`` names the binding constraints when infeasible
        and, when optimal, why each challenge left unstaffed could not be (or was not) staffed.
    """
    import time

    from matcher.allocation.explain import explain_infeasible, explain_unstaffed, precheck

    start = time.perf_counter()
    problems = precheck(instance)
    if problems:
        return TeamSolution(
            "infeasible",
            None,
            None,
            {},
            list(range(len(instance.students))),
            problems,
            time.perf_counter() - start,
        )
    model = build_model(instance)
    result = _run(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap, presolve=presolve)
    seconds = time.perf_counter() - start
    if result.status == 2 or (result.status == 1 and result.x is None):
        why = (
            explain_infeasible(instance)
            if result.status == 2
            else ["the time limit was reached before a feasible assignment was found"]
        )
        return TeamSolution(
            "infeasible" if result.status == 2 else "time_limit",
            None,
            None,
            {},
            list(range(len(instance.students))),
            why,
            time.perf_counter() - start,
        )
    if result.x is None:
        raise RuntimeError(f"HiGHS failed: {result.message}")
    teams = teams_from_vector(instance, result.x)
    objective = float(sum(instance.edge_score[e] for e in np.flatnonzero(result.x[: model.n_x] > 0.5)))
    bound = (
        -float(result.mip_dual_bound) if getattr(result, "mip_dual_bound", None) is not None else objective
    )
    if result.status == 0:
        bound = max(objective, bound) if abs(bound - objective) <= 1e-6 * max(1.0, abs(objective)) else bound
    status = "optimal" if result.status == 0 else "feasible"
    assigned = {s for members in teams.values() for s in members}
    unassigned = [s for s in range(len(instance.students)) if s not in assigned]
    return TeamSolution(
        status, objective, bound, teams, unassigned, explain_unstaffed(instance, teams), seconds
    )


def _run(model: _Model, *, time_limit: float | None, mip_rel_gap: float, presolve: bool = False) -> Any:
    a, lb, ub = model.matrix()
    options: dict[str, Any] = {"mip_rel_gap": mip_rel_gap, "presolve": presolve}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    constraints = [LinearConstraint(a, lb, ub)] if a.shape[0] else []
    return milp(
        model.c,
        constraints=constraints,
        integrality=np.ones(model.n_vars),
        bounds=Bounds(model.lower, model.upper),
        options=options,
    )


def teams_from_vector(instance: TeamInstance, x: np.ndarray) -> dict[int, list[int]]:
    chosen = np.flatnonzero(np.asarray(x)[: instance.n_edges] > 0.5)
    teams: dict[int, list[int]] = {}
    for e in chosen:
        teams.setdefault(int(instance.edge_challenge[e]), []).append(int(instance.edge_student[e]))
    return {c: sorted(m) for c, m in sorted(teams.items())}


def teams_from_json(
    instance: TeamInstance, data: Mapping[str, Any], *, source: str | None = None
) -> dict[int, list[int]]:
    """Read the ``teams`` of a result file (e.g. one a coordinator edited) back into indices."""
    r = Reader(source)
    data = r.mapping(data, "")
    sid = {s.id: i for i, s in enumerate(instance.students)}
    cid = {c.id: i for i, c in enumerate(instance.challenges)}
    teams: dict[int, list[int]] = {}
    where: dict[int, str] = {}
    for p, v in r.items(data, "teams"):
        row = r.mapping(v, p)
        c = r.index(cid, row, "challenge", p, "challenge")
        if c in teams:
            raise r.error(f"{p}.challenge", f"challenge {row['challenge']!r} appears twice")
        members = []
        for q, m in r.items(row, "members", p):
            if not isinstance(m, str) or m not in sid:
                raise r.error(q, f"unknown student id {m!r}")
            s = sid[m]
            if s in where:
                raise r.error(q, f"student {m!r} is also on the team at {where[s]}")
            where[s] = q
            members.append(s)
        teams[c] = sorted(members)
    return teams
