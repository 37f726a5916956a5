"""Placement and facility rounds on the stored programme, checked against brute force, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from sqlalchemy import select

from matcher import types as t
from matcher.exceptions import ConflictError, ValidationError
from matcher.services import allocation
from matcher.store import records as repo
from matcher.store.db import transaction
from matcher.store.models import ChallengeRow, MatchRow

ACADEMICS = [f"acad-{i}" for i in range(5)]
CHALLENGES = [f"ch-sme-{i}" for i in range(3)]
GROUPS = [f"rg-{i}" for i in range(3)]
STAFF = {f"sme-{i}": [f"staff-{i}-{j}" for j in range(2)] for i in range(3)}
FACILITIES = {
    "fac-a": (1, dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
    "fac-b": (2, dt.date(2027, 1, 1), None),
}


def _programme(session) -> None:  # type: ignore[no-untyped-def]
    orgs = [t.Organisation("hei-x", t.OrgKind.HEI, "HEI", "cork", "IE")]
    orgs += [t.Organisation(g, t.OrgKind.RESEARCH_GROUP, g, "cork", "IE", parent_id="hei-x") for g in GROUPS]
    orgs += [t.Organisation(s, t.OrgKind.SME, s, "bologna", "IT") for s in STAFF]
    people = [t.Person(a, t.PersonKind.ACADEMIC, a, "hei-x") for a in ACADEMICS]
    people += [t.Person(p, t.PersonKind.SME_STAFF, p, s) for s, ps in STAFF.items() for p in ps]
    challenges = [
        t.Challenge(c, f"sme-{i}", c, "a need", programmes=(t.Programme.PLACEMENT, t.Programme.FACILITY),
                    opened=dt.date(2027, 1, 1), deadline=dt.date(2027, 2, 25))
        for i, c in enumerate(CHALLENGES)
    ]  # fmt: skip
    late = t.Challenge("ch-late", "sme-1", "late", "opened in December", programmes=(t.Programme.FACILITY,),
                       opened=dt.date(2027, 12, 20))  # fmt: skip
    challenges.append(late)
    challenges.append(
        t.Challenge("ch-other", "sme-0", "x", "consultancy only", programmes=(t.Programme.CONSULTANCY,))
    )
    facilities = [
        t.Facility(f, "hei-x", t.FacilityKind.LAB, f, "a lab", capacity=c, council="cork", country="IE",
                   available_from=lo, available_to=hi)
        for f, (c, lo, hi) in FACILITIES.items()
    ]  # fmt: skip
    for entity, records in {"organisations": orgs, "people": people, "challenges": challenges,
                            "facilities": facilities}.items():  # fmt: skip
        repo.upsert(entity, records, session=session)


def _scorer(seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    table = {
        (c, x): float(v)
        for c in CHALLENGES
        for x, v in zip(ACADEMICS + GROUPS + list(FACILITIES), rng.uniform(0.1, 1.0, 10), strict=True)
    }

    def score(challenge_id, k, programme=t.Programme.CONSULTANCY, kinds=frozenset()):  # type: ignore[no-untyped-def]
        if programme is t.Programme.PLACEMENT:
            pool = [("person", a) for a in ACADEMICS]
        elif programme is t.Programme.FACILITY:
            pool = [("facility", f) for f in FACILITIES]
        else:
            pool = [("organisation", g) for g in GROUPS]
        ranked = sorted(pool, key=lambda p: -table.get((challenge_id, p[1]), 0.5))[:k]
        return [(kind, x, table.get((challenge_id, x), 0.5)) for kind, x in ranked]

    return score, table


def _oracle(
    a_prefs: dict[str, list[str]], h_prefs: dict[str, list[str]], cap: int, side: str
) -> dict[str, str]:
    """Every matching by brute force; the stable ones; the one best for ``side`` (strict lists)."""
    apps, hosts = sorted(a_prefs), sorted(h_prefs)
    stable = []
    for choice in itertools.product([None, *hosts], repeat=len(apps)):
        m = {a: h for a, h in zip(apps, choice, strict=True) if h is not None}
        if any(h not in a_prefs[a] or a not in h_prefs[h] for a, h in m.items()):
            continue
        load = {h: [a for a in m if m[a] == h] for h in hosts}
        if any(len(v) > cap for v in load.values()):
            continue
        blocking = False
        for a in apps:
            for h in a_prefs[a]:
                if a not in h_prefs[h] or m.get(a) == h:
                    continue
                a_better = a not in m or a_prefs[a].index(h) < a_prefs[a].index(m[a])
                h_better = len(load[h]) < cap or any(
                    h_prefs[h].index(a) < h_prefs[h].index(b) for b in load[h]
                )
                blocking = blocking or (a_better and h_better)
        if not blocking:
            stable.append(m)
    assert stable

    def cost(m: dict[str, str]) -> int:
        if side == "applicants":
            return sum(a_prefs[a].index(m[a]) if a in m else 99 for a in apps)
        return sum(sorted(h_prefs[h].index(a) for a in m if m[a] == h)[i] if i < sum(v == h for v in m.values())
                   else 99 for h in hosts for i in range(cap))  # fmt: skip

    return min(stable, key=cost)


@pytest.mark.parametrize("side", ["applicants", "hosts"])
def test_academic_placements_are_the_optimal_stable_matching(sessions, side) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as s:
        _programme(s)
        spec = allocation.spec_from_params("placements", {"k": 4, "top_k": 2, "optimal_for": side})
        record = allocation.new_round(spec, None, session=s)
    score, table = _scorer(1)
    done = allocation.run_round(record.id, score, sessions=sessions)
    assert done.status == "done", done.message
    # the preferences, worked out here from the raw scores: each host its top 4 academics; each academic
    # its 2 best hosts among those that scored it; each side keeps its top 2 of the mutually acceptable ones
    top = {c: sorted(ACADEMICS, key=lambda a: -table[(c, a)])[:4] for c in CHALLENGES}
    a_all = {
        a: sorted((c for c in CHALLENGES if a in top[c]), key=lambda c: -table[(c, a)])[:2] for a in ACADEMICS
    }
    a_all = {a: v for a, v in a_all.items() if any(a in top[c] for c in CHALLENGES)}
    h_all = {c: top[c][:2] for c in CHALLENGES}
    a_prefs = {a: [c for c in v if a in h_all[c]] for a, v in a_all.items()}
    h_prefs = {c: [a for a in v if c in a_all.get(a, [])] for c, v in h_all.items()}
    want = _oracle(a_prefs, h_prefs, 1, side)
    got = {m["applicant"]: m["host"] for m in done.result["matching"]}
    assert got == want
    assert done.result["blocking_pairs"] == [] and done.result["quality"]["placed"] == len(want)
    # stored as proposed placement matches of the host challenge, with the reason
    with sessions() as s:
        rows = s.execute(
            select(ChallengeRow.external_id, MatchRow.candidate_id, MatchRow.status, MatchRow.reasons)
            .join(ChallengeRow, MatchRow.challenge_pk == ChallengeRow.pk)
            .where(MatchRow.match_type == "placement")
        ).all()
    assert {(c, a) for c, a, _, _ in rows} == {(h, a) for a, h in want.items()}
    assert all(st == "proposed" and why["allocation_round"] == done.id for _, _, st, why in rows)
    # a hand edit: unplace a placed academic; the audit finds exactly the pairs the oracle calls blocking
    moved = sorted(want)[0]
    with transaction(sessions) as s:
        edited = allocation.override(done.id, moved, None, session=s)
    assert edited.result["status"] == "edited"
    rest = {a: h for a, h in want.items() if a != moved}
    blocking = sorted(
        (a, h) for a in a_prefs for h in a_prefs[a]
        if a in h_prefs[h] and rest.get(a) != h
        and (a not in rest or a_prefs[a].index(h) < a_prefs[a].index(rest[a]))
        and (h not in rest.values() or any(h_prefs[h].index(a) < h_prefs[h].index(b) for b, x in rest.items() if x == h))
    )  # fmt: skip
    assert sorted((b["applicant"], b["host"]) for b in edited.result["blocking_pairs"]) == blocking
    assert (moved, want[moved]) in blocking  # its old host now has a free place it wants filled
    with pytest.raises(ValidationError, match="not in this round"), transaction(sessions) as s:
        allocation.override(done.id, "acad-nobody", None, session=s)


def test_staff_placements_go_to_research_groups_through_their_smes_challenges(sessions) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as s:
        _programme(s)
        record = allocation.new_round(
            allocation.spec_from_params("placements", {"direction": "staff", "k": 3, "capacity": 2}),
            None,
            session=s,
        )
    score, table = _scorer(2)
    done = allocation.run_round(record.id, score, sessions=sessions)
    assert done.status == "done", done.message
    # each SME has one placement challenge here, so a staff member's score of a group is its SME challenge's
    a_prefs = {
        p: sorted(GROUPS, key=lambda g: -table[(f"ch-{sme}", g)]) for sme, ps in STAFF.items() for p in ps
    }
    h_prefs = {
        g: sorted(a_prefs, key=lambda p: -table[(f"ch-sme-{p.split('-')[1]}", g)])[:10] for g in GROUPS
    }
    assert {m["applicant"]: m["host"] for m in done.result["matching"]} == _oracle(
        a_prefs, h_prefs, 2, "applicants"
    )
    assert done.instance is not None and {p["challenge"] for p in done.instance["pairs"]} == set(CHALLENGES)


def test_facility_round_books_the_best_feasible_set(sessions) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as s:
        _programme(s)
        record = allocation.new_round(
            allocation.spec_from_params("facilities", {"k": 2, "duration": 4, "year": 2027}), None, session=s
        )
    score, table = _scorer(3)
    done = allocation.run_round(record.id, score, sessions=sessions)
    assert done.status == "done", done.message
    doc = done.instance
    # weeks of 2027: each challenge opens in week 0, its deadline (25 February, day 55) is in week 7, so a booking ends by
    # week 8; fac-a's last day (31 March, day 89) is in week 12
    assert {r["id"]: (r["earliest"], r["latest"]) for r in doc["requests"]} == {c: (0, 8) for c in CHALLENGES}
    assert {f["id"]: (f["capacity"], f["open_from"], f["open_until"]) for f in doc["facilities"]} == {
        "fac-a": (1, 0, 13),
        "fac-b": (2, 0, 52),
    }
    # brute force: each request in fac-a, fac-b or nowhere, at start weeks 0..4; capacity per week
    best = 0.0
    starts = [(f, w) for f in FACILITIES for w in range(0, 5)]
    for choice in itertools.product([None, *starts], repeat=len(CHALLENGES)):
        use = {f: [0] * 52 for f in FACILITIES}
        for fw in choice:
            if fw is not None:
                for w in range(fw[1], fw[1] + 4):
                    use[fw[0]][w] += 1
        if all(max(use[f]) <= FACILITIES[f][0] for f in FACILITIES):
            best = max(best, sum(table[(c, fw[0])] for c, fw in zip(CHALLENGES, choice, strict=True) if fw))
    assert done.result["objective"] == pytest.approx(best, abs=1e-5)
    with sessions() as s:
        n = s.scalar(select(MatchRow.pk).where(MatchRow.match_type == "facility").limit(1))
    assert n is not None and len(done.result["bookings"]) == 3
    # opened on 20 December (week 50): weeks 50..51 cannot hold 4 weeks; unassigned with that reason, not a failure
    assert done.result["unassigned"] == ["ch-late"]
    assert (
        done.result["reasons"]["ch-late"]
        == "not booked: its window, weeks 50..51 of 2027, cannot hold 4 weeks"
    )
    with pytest.raises(ConflictError, match="cannot be edited"), transaction(sessions) as s:
        allocation.override(done.id, CHALLENGES[0], None, session=s)


def test_cancel_between_phases_and_located_errors(sessions) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as s:
        _programme(s)
        record = allocation.new_round(allocation.spec_from_params("placements", {}), None, session=s)
    score, _ = _scorer(0)
    calls = []

    def cancelling(challenge_id, k, **kw):  # type: ignore[no-untyped-def]
        calls.append(challenge_id)
        with transaction(sessions) as s:
            allocation.request_cancel(record.id, session=s)
        return score(challenge_id, k, **kw)

    done = allocation.run_round(record.id, cancelling, sessions=sessions)
    assert done.status == "cancelled" and done.result is None
    with sessions() as s:
        assert s.scalar(select(MatchRow.pk).limit(1)) is None  # nothing stored
    for kind, params, field in [("placements", {"optimal_for": "both"}, "optimal_for"),
                                ("placements", {"min_size": 3}, "min_size"),
                                ("facilities", {"duration": 0}, "duration"),
                                ("nonsense", {}, "kind")]:  # fmt: skip
        with pytest.raises(ValidationError) as err:
            allocation.spec_from_params(kind, params)
        assert err.value.location.field == field
