"""Facility bookings: requests with time windows against capacity per period, maximising total fit.

A multi-resource interval scheduling problem written as a 0/1 programme (the
time-indexed formulation of Sousa & Wolsey, 1992) and solved to proven optimality by
HiGHS: one variable per (request, facility option, start period); each request is booked
at most once; in each period a facility holds at most ``capacity`` units of the bookings
that cover that period.  Periods are integers (e.g. weeks of the programme year).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.allocation._records import Reader

__all__ = ["FacilityInstance", "FacilitySolution", "parse_facility_instance", "solve_facilities"]


@dataclass(frozen=True)
class FacilityRequest:
    id: str
    earliest: int
    latest: int  # the booking must end by this period (exclusive)
    duration: int
    amount: int
    options: tuple[tuple[int, float], ...]  # (facility index, fit)


@dataclass(frozen=True)
class FacilityInstance:
    facility_ids: tuple[str, ...]
    capacity: tuple[int, ...]
    open_from: tuple[int, ...]
    open_until: tuple[int, ...]  # exclusive
    requests: tuple[FacilityRequest, ...]


@dataclass(frozen=True)
class FacilitySolution:
    status: str
    objective: float
    bound: float
    bookings: dict[int, tuple[int, int]]  # request -> (facility, start)
    seconds: float

    def to_json(self, instance: FacilityInstance) -> dict[str, Any]:
        req = instance.requests
        return {
            "status": self.status,
            "objective": round(self.objective, 9),
            "bound": round(self.bound, 9),
            "bookings": [
                {
                    "request": req[q].id,
                    "facility": instance.facility_ids[f],
                    "start": t,
                    "end": t + req[q].duration,
                }
                for q, (f, t) in sorted(self.bookings.items())
            ],
            "unassigned": [r.id for q, r in enumerate(req) if q not in self.bookings],
        }


def parse_facility_instance(data: Any, *, source: str | None = None) -> FacilityInstance:
    """Validate ``{"facilities": [{"id", "capacity", "open_from", "open_until"}], "requests": [{"id",
    "earliest", "latest", "duration", "amount", "options": [{"facility", "fit"}]}]}``."""
    r = Reader(source)
    data = r.mapping(data, "")
    f_rows = [(p, r.mapping(v, p)) for p, v in r.items(data, "facilities")]
    fid = r.unique_ids(f_rows, "facility")
    caps, starts, ends = [], [], []
    for p, row in f_rows:
        caps.append(r.integer(row, "capacity", p, minimum=0))
        lo = r.integer(row, "open_from", p, minimum=0, default=0)
        hi = r.integer(row, "open_until", p, minimum=0, default=10**6)
        if hi < lo:
            raise r.error(f"{p}.open_until", f"open_until {hi} is before open_from {lo}")
        starts.append(lo)
        ends.append(hi)
    q_rows = [(p, r.mapping(v, p)) for p, v in r.items(data, "requests")]
    r.unique_ids(q_rows, "request")
    requests = []
    for p, row in q_rows:
        earliest = r.integer(row, "earliest", p, minimum=0)
        latest = r.integer(row, "latest", p, minimum=0)
        duration = r.integer(row, "duration", p, minimum=1)
        if latest - earliest < duration:
            raise r.error(f"{p}.latest", f"a window {earliest}..{latest} cannot hold {duration} periods")
        options = []
        seen = set()
        for op, v in r.items(row, "options", p):
            option = r.mapping(v, op)
            f = r.index(fid, option, "facility", op, "facility")
            if f in seen:
                raise r.error(f"{op}.facility", f"facility {option['facility']!r} is offered twice")
            seen.add(f)
            options.append((f, r.number(option, "fit", op)))
        amount = r.integer(row, "amount", p, minimum=1, default=1)
        requests.append(FacilityRequest(row["id"], earliest, latest, duration, amount, tuple(options)))
    return FacilityInstance(tuple(fid), tuple(caps), tuple(starts), tuple(ends), tuple(requests))


def solve_facilities(instance: FacilityInstance, *, time_limit: float | None = None) -> FacilitySolution:
    """Book each request at most once, within its window, an open facility and its capacity."""
    t0 = time.perf_counter()
    var_request: list[int] = []
    var_facility: list[int] = []
    var_start: list[int] = []
    var_fit: list[float] = []
    cap_rows: list[int] = []
    cap_cols: list[int] = []
    period_row: dict[tuple[int, int], int] = {}
    amounts: list[int] = []
    for q, req in enumerate(instance.requests):
        for f, fit in req.options:
            if fit <= 0 or req.amount > instance.capacity[f]:
                continue  # never worth booking, or never fits
            lo = max(req.earliest, instance.open_from[f])
            hi = min(req.latest, instance.open_until[f]) - req.duration
            for t in range(lo, hi + 1):
                j = len(var_fit)
                var_request.append(q)
                var_facility.append(f)
                var_start.append(t)
                var_fit.append(fit)
                for period in range(t, t + req.duration):
                    cap_rows.append(period_row.setdefault((f, period), len(period_row)))
                    cap_cols.append(j)
                    amounts.append(req.amount)
    n = len(var_fit)
    if n == 0:
        return FacilitySolution("optimal", 0.0, 0.0, {}, time.perf_counter() - t0)
    n_q = len(instance.requests)
    one = sp.csr_array((np.ones(n), (np.array(var_request), np.arange(n))), shape=(n_q, n))
    cap = sp.csr_array(
        (np.array(amounts, dtype=float), (np.array(cap_rows), np.array(cap_cols))), shape=(len(period_row), n)
    )
    cap_ub = np.array([instance.capacity[f] for f, _ in period_row], dtype=float)
    # MIP presolve off: on the 5,000-request benchmark it doubled the time (13.7 s vs 7.1 s, loaded machine)
    options: dict[str, Any] = {"mip_rel_gap": 0.0, "presolve": False}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    result = milp(
        -np.array(var_fit),
        constraints=[LinearConstraint(one, -np.inf, 1.0), LinearConstraint(cap, -np.inf, cap_ub)],
        integrality=np.ones(n),
        bounds=Bounds(0.0, 1.0),
        options=options,
    )
    if result.x is None:
        raise RuntimeError(f"HiGHS failed on the facility bookings: {result.message}")
    chosen = np.flatnonzero(result.x > 0.5)
    bookings = {var_request[j]: (var_facility[j], var_start[j]) for j in chosen}
    objective = float(sum(var_fit[j] for j in chosen))
    bound = -float(result.mip_dual_bound) if result.mip_dual_bound is not None else objective
    return FacilitySolution(
        "optimal" if result.status == 0 else "feasible",
        objective,
        max(bound, objective),
        bookings,
        time.perf_counter() - t0,
    )
