"""Benchmark the allocation solvers at the sizes of issue #10 (on demand, never in tests).

Run from the repository root::

    .venv/bin/python benchmarks/bench_allocation.py            # all three parts
    .venv/bin/python benchmarks/bench_allocation.py --part teams --cpsat

- teams: 2,000 students x 400 challenges, ~20 acceptable challenges per student, 8 skills,
  6 councils, sizes 3..5, 1-2 required skills, 2 councils per team: HiGHS to proven
  optimality (target <= 10 s); with ``--cpsat`` also OR-Tools CP-SAT on the same instance
  (needs ``ortools`` importable; it is not a project dependency).
- placements: 10,000 applicants x 1,000 hosts, strict lists, ours vs the ``matching``
  library (HospitalResident), identical output checked (target >= 10x faster).
- facilities: 5,000 requests over 200 facilities and 52 weekly periods (target <= 5 s).

Prints a Markdown report on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from matcher.allocation import (
    PlacementInstance,
    Student,
    TeamChallenge,
    TeamInstance,
    blocking_pairs,
    solve_teams,
    stable_placements,
)
from matcher.allocation.facilities import FacilityInstance, FacilityRequest, solve_facilities
from matcher.allocation.placements import preference_lists

SKILLS = ["NDT", "CAD", "FEM", "PLC", "ML", "IoT", "LCA", "QA"]
COUNCILS = ["malaga", "alcala", "bologna", "cork", "istanbul", "paris"]


def team_instance(
    n_students: int = 2000, n_challenges: int = 400, per_student: int = 20, seed: int = 0
) -> TeamInstance:
    rng = np.random.default_rng(seed)
    dim = 16
    s_vec = rng.normal(size=(n_students, dim))
    c_vec = rng.normal(size=(n_challenges, dim))
    students = [
        Student(
            f"s{i}",
            tuple(rng.choice(SKILLS, size=int(rng.integers(1, 4)), replace=False)),
            str(rng.choice(COUNCILS)),
        )
        for i in range(n_students)
    ]
    challenges = [
        TeamChallenge(
            f"c{j}", 3, 5, tuple(rng.choice(SKILLS, size=int(rng.integers(1, 3)), replace=False)), 2
        )
        for j in range(n_challenges)
    ]
    affinity = []
    raw = s_vec @ c_vec.T / np.sqrt(dim)
    for i in range(n_students):
        top = np.argpartition(-raw[i], per_student)[:per_student]
        affinity.extend((i, int(j), float(np.round(1 / (1 + np.exp(-raw[i, j])), 4))) for j in top)
    return TeamInstance.build(students, challenges, affinity)


def placement_instance(
    n_app: int = 10_000, n_hosts: int = 1000, per_app: int = 10, seed: int = 0
) -> PlacementInstance:
    rng = np.random.default_rng(seed)
    pop = rng.pareto(1.5, size=n_hosts) + 1
    pop /= pop.sum()
    a_prefs = [[int(h)] for h in range(0)]
    a_prefs = []
    listed_by: list[list[int]] = [[] for _ in range(n_hosts)]
    for a in range(n_app):
        hosts = rng.choice(n_hosts, size=per_app, replace=False, p=pop)
        a_prefs.append([[int(h)] for h in hosts])
        for h in hosts:
            listed_by[int(h)].append(a)
    merit = rng.random(n_app)
    h_prefs = [
        [[a] for a in sorted(listed, key=lambda a: -merit[a] + 0.3 * rng.random())] for listed in listed_by
    ]
    capacity = [int(c) for c in rng.integers(5, 16, size=n_hosts)]
    return PlacementInstance.build(
        [f"a{i}" for i in range(n_app)], [f"h{j}" for j in range(n_hosts)], capacity, a_prefs, h_prefs
    )


def facility_instance(
    n_requests: int = 5000, n_facilities: int = 200, periods: int = 52, seed: int = 0
) -> FacilityInstance:
    rng = np.random.default_rng(seed)
    caps = tuple(int(c) for c in rng.integers(1, 6, size=n_facilities))
    open_from = tuple(int(x) for x in rng.integers(0, 8, size=n_facilities))
    open_until = tuple(int(periods - x) for x in rng.integers(0, 8, size=n_facilities))
    requests = []
    for q in range(n_requests):
        duration = int(rng.integers(1, 5))
        earliest = int(rng.integers(0, periods - duration))
        latest = min(periods, earliest + duration + int(rng.integers(0, 4)))
        fs = rng.choice(n_facilities, size=3, replace=False)
        requests.append(
            FacilityRequest(
                f"r{q}",
                earliest,
                latest,
                duration,
                1,
                tuple((int(f), float(np.round(rng.random(), 3))) for f in fs),
            )
        )
    return FacilityInstance(
        tuple(f"f{j}" for j in range(n_facilities)), caps, open_from, open_until, tuple(requests)
    )


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_teams(args: argparse.Namespace) -> None:
    inst = team_instance(seed=args.seed)
    _log(f"teams: {len(inst.students)} students, {len(inst.challenges)} challenges, {inst.n_edges} pairs")
    t0, c0 = time.perf_counter(), time.process_time()
    sol = solve_teams(inst)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print("## Teams (HiGHS)\n")
    print(
        f"- {len(inst.students)} students x {len(inst.challenges)} challenges, {inst.n_edges} acceptable pairs, 8 skills, 6 councils"
    )
    print(f"- status {sol.status}, objective {sol.objective:.4f}, bound {sol.bound:.4f}, gap {sol.gap:.2e}")
    print(f"- staffed {len(sol.teams)} challenges, unassigned {len(sol.unassigned)} students")
    print(f"- HiGHS wall time **{wall:.2f} s**, CPU {cpu:.2f} s (target <= 10 s)\n")
    if args.cpsat:
        try:
            from ortools.sat.python import cp_model
        except ImportError:
            print("- CP-SAT: ortools not importable, skipped\n")
            return
        t0 = time.perf_counter()
        status, obj, bound = _cpsat(cp_model, inst, args.cpsat_limit)
        print(
            f"- CP-SAT (2 workers): status {status}, objective {obj:.4f}, bound {bound:.4f}, wall **{time.perf_counter() - t0:.2f} s** (limit {args.cpsat_limit} s)\n"
        )


def _cpsat(cp_model, inst: TeamInstance, limit: float):  # type: ignore[no-untyped-def]
    m = cp_model.CpModel()
    scale = 10_000
    x = [m.new_bool_var(f"x{e}") for e in range(inst.n_edges)]
    y = [m.new_bool_var(f"y{c}") for c in range(len(inst.challenges))]
    by_s: dict[int, list[int]] = {}
    by_c: dict[int, list[int]] = {}
    for e, (s, c) in enumerate(zip(inst.edge_student.tolist(), inst.edge_challenge.tolist(), strict=True)):
        by_s.setdefault(s, []).append(e)
        by_c.setdefault(c, []).append(e)
    for edges in by_s.values():
        m.add_at_most_one(x[e] for e in edges)
    for c, ch in enumerate(inst.challenges):
        edges = by_c.get(c, [])
        m.add(sum(x[e] for e in edges) <= ch.max_size * y[c])
        m.add(sum(x[e] for e in edges) >= ch.min_size * y[c])
        for skill in ch.required_skills:
            m.add(
                sum(x[e] for e in edges if skill in inst.students[int(inst.edge_student[e])].skills) >= y[c]
            )
        zs = []
        for k in COUNCILS:
            members = [e for e in edges if inst.students[int(inst.edge_student[e])].council == k]
            if members:
                z = m.new_bool_var("")
                m.add(z <= sum(x[e] for e in members))
                zs.append(z)
        m.add(sum(zs) >= ch.min_councils * y[c])
    m.maximize(sum(round(w * scale) * x[e] for e, w in enumerate(inst.edge_score.tolist())))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 2
    st = solver.solve(m)
    return solver.status_name(st), solver.objective_value / scale, solver.best_objective_bound / scale


def bench_placements(args: argparse.Namespace) -> None:
    raw = placement_instance(seed=args.seed)
    _log(f"placements: {len(raw.applicant_ids)} applicants, {len(raw.host_ids)} hosts")
    lists = (
        [[list(t) for t in p] for p in raw.applicant_prefs],
        [[list(t) for t in p] for p in raw.host_prefs],
    )
    t0 = time.perf_counter()  # ours is timed from plain lists, like the library from its dictionaries
    inst = PlacementInstance.build(list(raw.applicant_ids), list(raw.host_ids), list(raw.capacity), *lists)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = stable_placements(inst, optimal_for="applicants")
    t_ours = time.perf_counter() - t0 + t_build
    t0 = time.perf_counter()
    ours_h = stable_placements(inst, optimal_for="hosts")
    t_ours_h = time.perf_counter() - t0 + t_build
    assert not blocking_pairs(inst, ours) and not blocking_pairs(inst, ours_h)
    print("## Placements (deferred acceptance)\n")
    print(
        f"- {len(inst.applicant_ids)} applicants x {len(inst.host_ids)} hosts, 10 hosts per applicant, strict lists"
    )
    print(
        f"- ours (building the instance included): applicant-optimal **{t_ours:.3f} s**, host-optimal {t_ours_h:.3f} s; no blocking pairs"
    )
    try:
        from matching.games import HospitalResident
    except ImportError:
        print("- `matching` not installed: comparison skipped\n")
        return
    a_prefs, h_prefs, caps = preference_lists(inst)
    for side, mine, t_mine in (("resident", ours, t_ours), ("hospital", ours_h, t_ours_h)):
        _log(f"placements: matching library, {side}-optimal")
        t0 = time.perf_counter()
        result = _deep_stack(
            lambda side=side: HospitalResident.create_from_dictionaries(a_prefs, h_prefs, caps).solve(
                optimal=side
            )
        )
        t_lib = time.perf_counter() - t0
        theirs = {str(r): str(h) for h, rs in result.items() for r in rs}
        same = theirs == {inst.applicant_ids[a]: inst.host_ids[h] for a, h in mine.items()}
        print(
            f"- `matching` {side}-optimal: {t_lib:.2f} s; ours {t_mine:.3f} s: **{t_lib / t_mine:.0f}x** faster; identical output: {same}"
        )
    print()


def _deep_stack(fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` in a thread with a deep stack: the library deep-copies its linked player objects."""
    import threading

    out = {}
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=lambda: out.setdefault("value", fn()))
    worker.start()
    worker.join()
    return out["value"]


def bench_facilities(args: argparse.Namespace) -> None:
    inst = facility_instance(seed=args.seed)
    _log(f"facilities: {len(inst.requests)} requests")
    t0, c0 = time.perf_counter(), time.process_time()
    sol = solve_facilities(inst)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print("## Facilities (HiGHS)\n")
    print(
        f"- {len(inst.requests)} requests, {len(inst.facility_ids)} facilities, 52 periods, 3 options per request"
    )
    print(
        f"- status {sol.status}, objective {sol.objective:.3f}, bound {sol.bound:.3f}, booked {len(sol.bookings)}"
    )
    print(f"- wall time **{wall:.2f} s**, CPU {cpu:.2f} s (target <= 5 s)\n")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--part", choices=["teams", "placements", "facilities", "all"], default="all")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cpsat", action="store_true", help="also time OR-Tools CP-SAT on the teams instance")
    p.add_argument("--cpsat-limit", type=float, default=60.0)
    args = p.parse_args()
    print(
        f"# Allocation benchmark (seed {args.seed}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n"
    )
    print(
        f"`python benchmarks/bench_allocation.py --part {args.part} --seed {args.seed}{' --cpsat' if args.cpsat else ''}`\n"
    )
    for part, fn in (
        ("teams", bench_teams),
        ("placements", bench_placements),
        ("facilities", bench_facilities),
    ):
        if args.part in (part, "all"):
            fn(args)


if __name__ == "__main__":
    main()
