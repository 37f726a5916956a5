"""Facility bookings: hand-solved and brute force over every booking plan; validation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher.allocation import parse_facility_instance, solve_facilities
from matcher.allocation.facilities import FacilityInstance, FacilityRequest
from matcher.exceptions import ValidationError


def test_hand_solved_one_lab_two_overlapping_requests() -> None:
    # The lab holds one team per week. r1 (fit 0.9) wants weeks 0-1, r2 (0.8) wants 1-2 and could
    # shift to 2-3; r3 (0.5) wants week 0 only. Best: r1 at 0, r2 at 2, r3 nowhere (0.9 + 0.8).
    doc = {
        "facilities": [{"id": "lab", "capacity": 1, "open_from": 0, "open_until": 4}],
        "requests": [
            {
                "id": "r1",
                "earliest": 0,
                "latest": 2,
                "duration": 2,
                "options": [{"facility": "lab", "fit": 0.9}],
            },
            {
                "id": "r2",
                "earliest": 1,
                "latest": 4,
                "duration": 2,
                "options": [{"facility": "lab", "fit": 0.8}],
            },
            {
                "id": "r3",
                "earliest": 0,
                "latest": 1,
                "duration": 1,
                "options": [{"facility": "lab", "fit": 0.5}],
            },
        ],
    }
    inst = parse_facility_instance(doc)
    sol = solve_facilities(inst)
    assert sol.to_json(inst) == {
        "status": "optimal",
        "objective": pytest.approx(1.7),
        "bound": pytest.approx(1.7),
        "bookings": [
            {"request": "r1", "facility": "lab", "start": 0, "end": 2},
            {"request": "r2", "facility": "lab", "start": 2, "end": 4},
        ],
        "unassigned": ["r3"],
    }


def _plans(inst: FacilityInstance):
    per = []
    for r in inst.requests:
        opts = [None]
        for f, _ in r.options:
            opts += [
                (f, t)
                for t in range(
                    max(r.earliest, inst.open_from[f]), min(r.latest, inst.open_until[f]) - r.duration + 1
                )
            ]
        per.append(opts)
    return itertools.product(*per)


def _value(inst: FacilityInstance, plan) -> float | None:
    load: dict[tuple[int, int], int] = {}
    total = 0.0
    for r, choice in zip(inst.requests, plan, strict=True):
        if choice is None:
            continue
        f, t = choice
        total += dict(r.options)[f]
        for p in range(t, t + r.duration):
            load[(f, p)] = load.get((f, p), 0) + r.amount
            if load[(f, p)] > inst.capacity[f]:
                return None
    return total


@pytest.mark.parametrize("seed", range(25))
def test_optimal_on_random_small_instances_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_f, periods = int(rng.integers(1, 3)), 5
    requests = []
    for q in range(int(rng.integers(2, 6))):
        d = int(rng.integers(1, 3))
        e = int(rng.integers(0, periods - d + 1))
        fs = rng.choice(n_f, size=int(rng.integers(1, n_f + 1)), replace=False)
        opts = tuple((int(f), float(np.round(rng.uniform(-0.2, 1), 2))) for f in fs)
        requests.append(
            FacilityRequest(
                f"r{q}", e, min(periods, e + d + int(rng.integers(0, 2))), d, int(rng.integers(1, 3)), opts
            )
        )
    inst = FacilityInstance(
        tuple(f"f{j}" for j in range(n_f)),
        tuple(int(c) for c in rng.integers(1, 3, size=n_f)),
        tuple(int(x) for x in rng.integers(0, 2, size=n_f)),
        (periods,) * n_f,
        tuple(requests),
    )
    best = max(v for v in (_value(inst, p) for p in _plans(inst)) if v is not None)
    sol = solve_facilities(inst)
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(best, abs=1e-9)
    plan = [sol.bookings.get(q) for q in range(len(requests))]
    assert _value(inst, plan) == pytest.approx(best, abs=1e-9)


def _req(**kw):
    return {
        "id": "r",
        "earliest": 0,
        "latest": 2,
        "duration": 1,
        "options": [{"facility": "f", "fit": 1}],
        **kw,
    }


FAC = [{"id": "f", "capacity": 1}]
BAD = [
    ({"requests": []}, "field 'facilities': is required"),
    (
        {"facilities": [{"id": "f", "capacity": -1}], "requests": []},
        "field 'facilities[0].capacity': must be at least 0, got -1",
    ),
    ({"facilities": FAC + FAC, "requests": []}, "field 'facilities[1].id': duplicate facility id 'f'"),
    (
        {"facilities": [{"id": "f", "capacity": 1, "open_from": 5, "open_until": 2}], "requests": []},
        "field 'facilities[0].open_until': open_until 2 is before open_from 5",
    ),
    ({"facilities": FAC, "requests": [_req(), _req()]}, "field 'requests[1].id': duplicate request id 'r'"),
    (
        {"facilities": FAC, "requests": [_req(duration=3)]},
        "field 'requests[0].latest': a window 0..2 cannot hold 3 periods",
    ),
    (
        {"facilities": FAC, "requests": [_req(duration=0)]},
        "field 'requests[0].duration': must be at least 1, got 0",
    ),
    (
        {"facilities": FAC, "requests": [_req(options=[{"facility": "zz", "fit": 1}])]},
        "field 'requests[0].options[0].facility': unknown facility id 'zz'",
    ),
    (
        {
            "facilities": FAC,
            "requests": [_req(options=[{"facility": "f", "fit": 1}, {"facility": "f", "fit": 2}])],
        },
        "field 'requests[0].options[1].facility': facility 'f' is offered twice",
    ),
    (
        {"facilities": FAC, "requests": [_req(options=[{"facility": "f"}])]},
        "field 'requests[0].options[0].fit': is required",
    ),
    (
        {"facilities": FAC, "requests": [_req(amount=0)]},
        "field 'requests[0].amount': must be at least 1, got 0",
    ),
]


@pytest.mark.parametrize(("doc", "message"), BAD)
def test_invalid_facility_instances_get_a_located_error(doc, message) -> None:
    with pytest.raises(ValidationError) as err:
        parse_facility_instance(doc, source="F.json")
    assert str(err.value).startswith("F.json, ") and message in str(err.value)
