"""Placement and facility rounds on the stored programme (the team round is in :mod:`.allocation`).

*Placements* (Change of Perspective): either academics into SMEs (``direction="academics"``:
hosts are the open challenges that ask for ``placement``, the ranker's placement scores of
each challenge's top ``k`` academics are the pairs) or SME staff into research groups
(``direction="staff"``: for each open placement challenge the ranker's consultancy scores of
its top ``k`` research groups; a staff member of the challenge's SME gets the pair, its score
the best over its SME's challenges).  The same score is each side's view of the other (the
ranker's scores do not depend on the direction), cut to each side's ``top_k``
(:func:`~matcher.allocation.preferences_from_scores`); deferred acceptance then gives the
applicant- or host-optimal weakly stable matching.

*Facilities*: the open challenges that ask for ``facility`` request ``duration`` weeks
between their opening and deadline weeks, in one of the ``k`` stored facilities the ranker
scores best for them (fit = that score), against each facility's capacity and availability
period (weeks of the programme year); HiGHS books the set of maximum total fit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from matcher import types as t
from matcher.allocation import (
    parse_facility_instance,
    parse_placement_instance,
    preferences_from_scores,
    solve_facilities,
    stable_placements,
)
from matcher.allocation.placements import placements_to_json
from matcher.domain.matches import Suggestion
from matcher.exceptions import Cancelled, ConflictError, Location, NotFoundError, ValidationError
from matcher.services.outcomes.stored import record_suggestions
from matcher.store import Session
from matcher.store import rounds as rounds_store

#: ``(challenge_id, k, programme=..., kinds=...) -> [(candidate_type, candidate_id, score), ...]``
ScoreFn = Callable[..., Sequence[tuple[str, str, float]]]
Progress = Callable[[float, str], None]
WEEKS = 52


def _check_int(spec: Any, name: str, lo: int, hi: int) -> None:
    value = getattr(spec, name)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValidationError(f"must be an integer between {lo} and {hi}", Location(field=name))


def check_time_limit(value: Any) -> None:
    """Solver seconds: unset, or a number between 0.1 and 3600."""
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not 0.1 <= value <= 3600
    ):
        raise ValidationError("must be between 0.1 and 3600 seconds", Location(field="time_limit"))


def _from_params(cls: Any, params: Mapping[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    for key in params:
        if key not in known:
            raise ValidationError(
                f"unknown parameter for a {cls.kind} round; expected one of {', '.join(sorted(known))}",
                Location(field=key),
            )
    return cls(**params)


@dataclass(frozen=True)
class PlacementSpec:
    """What a coordinator asks of a Change of Perspective round."""

    kind = "placements"
    council: str | None = None
    direction: str = "academics"  # academics -> SMEs, or staff (SME staff -> research groups)
    k: int = 10  # candidates the ranker scores per challenge
    top_k: int = 10  # partners each side lists
    capacity: int = 1  # places of each host
    optimal_for: str = "applicants"
    tie: float = 0.0

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PlacementSpec:
        spec: PlacementSpec = _from_params(cls, params)
        _check_int(spec, "k", 1, 500)
        _check_int(spec, "top_k", 1, 500)
        _check_int(spec, "capacity", 0, 1000)
        if spec.direction not in ("academics", "staff"):
            raise ValidationError("must be 'academics' or 'staff'", Location(field="direction"))
        if spec.optimal_for not in ("applicants", "hosts"):
            raise ValidationError("must be 'applicants' or 'hosts'", Location(field="optimal_for"))
        if isinstance(spec.tie, bool) or not isinstance(spec.tie, int | float) or not 0 <= spec.tie <= 10:
            raise ValidationError("must be a number between 0 and 10", Location(field="tie"))
        if spec.council is not None and not isinstance(spec.council, str):
            raise ValidationError("must be a council code", Location(field="council"))
        return spec


@dataclass(frozen=True)
class FacilitySpec:
    """What a coordinator asks of a facility-booking round."""

    kind = "facilities"
    council: str | None = None
    k: int = 5  # facilities the ranker scores per request (its options)
    duration: int = 4  # weeks each request books
    year: int | None = None  # the programme year (week 0 = 1 January); default: the earliest request's
    time_limit: float | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> FacilitySpec:
        spec: FacilitySpec = _from_params(cls, params)
        _check_int(spec, "k", 1, 500)
        _check_int(spec, "duration", 1, WEEKS)
        if spec.year is not None:
            _check_int(spec, "year", 1900, 2999)
        check_time_limit(spec.time_limit)
        if spec.council is not None and not isinstance(spec.council, str):
            raise ValidationError("must be a council code", Location(field="council"))
        return spec


# --------------------------------------------------------------------------- placements
def build_placement_instance(
    spec: PlacementSpec, score: ScoreFn, *, session: Session, progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ``matcher allocate placements`` instance of a round, plus ``pairs`` (who met whom through
    which challenge, with the ranker's score) that the round stores its proposals under."""
    challenges = rounds_store.open_challenges_for("placement", spec.council, session=session)
    if not challenges:
        raise NotFoundError(
            "no open challenges ask for placement" + (f" in council {spec.council!r}" if spec.council else "")
        )
    staff: dict[str, list[str]] = {}
    if spec.direction == "academics":
        wanted = {p.id for p in rounds_store.people("academic", session=session)}
        programme, kinds = t.Programme.PLACEMENT, frozenset({"academic"})
    else:
        for p in rounds_store.people("sme_staff", session=session):
            staff.setdefault(p.organisation_id, []).append(p.id)
        programme, kinds = t.Programme.CONSULTANCY, frozenset({"research_group"})
    best: dict[tuple[str, str], tuple[float, str]] = {}  # (applicant, host) -> (score, challenge)
    for i, ch in enumerate(challenges):
        if cancelled is not None and i % 10 == 0 and cancelled():
            raise Cancelled("cancelled while scoring")
        found = [(cid, float(v)) for kind, cid, v in score(ch.id, spec.k, programme=programme, kinds=kinds)
                 if kind == ("person" if spec.direction == "academics" else "organisation")][: spec.k]  # fmt: skip
        for cid, value in found:
            if spec.direction == "academics":
                pairs = [(cid, ch.id)] if cid in wanted else []
            else:
                pairs = [(member, cid) for member in staff.get(ch.sme_id, [])]
            for pair in pairs:
                if pair not in best or value > best[pair][0]:
                    best[pair] = (round(value, 6), ch.id)
        if progress is not None:
            progress(0.8 * (i + 1) / len(challenges), f"scored {i + 1} of {len(challenges)} challenges")
    applicants = sorted({a for a, _ in best})
    hosts = sorted({h for _, h in best})
    a_ix = {x: i for i, x in enumerate(applicants)}
    h_ix = {x: i for i, x in enumerate(hosts)}
    s = np.full((len(applicants), len(hosts)), -np.inf)
    for (a, h), (value, _) in best.items():
        s[a_ix[a], h_ix[h]] = value
    inst = preferences_from_scores(s, s.T, [spec.capacity] * len(hosts), applicant_ids=applicants,
                                   host_ids=hosts, top_k=spec.top_k, min_score=-1e300, tie=spec.tie)  # fmt: skip
    return {
        "applicants": [
            {"id": x, "preferences": [[inst.host_ids[h] for h in tier] for tier in inst.applicant_prefs[i]]}
            for i, x in enumerate(inst.applicant_ids)
        ],
        "hosts": [
            {
                "id": x,
                "capacity": inst.capacity[j],
                "preferences": [[inst.applicant_ids[a] for a in tier] for tier in inst.host_prefs[j]],
            }
            for j, x in enumerate(inst.host_ids)
        ],
        "pairs": [
            {"applicant": a, "host": h, "challenge": c, "score": v} for (a, h), (v, c) in sorted(best.items())
        ],
    }


def _placement_result(doc: dict[str, Any], matching: Mapping[int, int]) -> dict[str, Any]:
    inst = parse_placement_instance(doc, source="instance")
    result = placements_to_json(inst, matching)
    score = {(p["applicant"], p["host"]): p["score"] for p in doc["pairs"]}
    reasons = {}
    for a, prefs in enumerate(inst.applicant_prefs):
        aid = inst.applicant_ids[a]
        flat = [h for tier in prefs for h in tier]
        h = matching.get(a)
        blocking = [b["host"] for b in result["blocking_pairs"] if b["applicant"] == aid]
        if h is None and blocking:
            reasons[aid] = f"not placed, yet {blocking[0]} and it prefer each other (a blocking pair)"
            continue
        if h is None:
            reasons[aid] = (
                f"not placed: each of its {len(flat)} hosts is full with applicants it ranks higher"
                if flat else "not placed: no host lists it among its choices"
            )  # fmt: skip
            continue
        hosts_list = [x for tier in inst.host_prefs[h] for x in tier]
        hid = inst.host_ids[h]
        reasons[aid] = (
            f"placed at {hid}: choice {flat.index(h) + 1} of {len(flat)} (score {score[(aid, hid)]:.3f}); "
            f"the host's choice {hosts_list.index(a) + 1} of {len(hosts_list)}"
        )
    load = {j: 0 for j in range(len(inst.host_ids))}
    for h in matching.values():
        load[h] += 1
    violations = [
        f"{inst.host_ids[j]} has {n} placements; it has {inst.capacity[j]} places"
        for j, n in load.items() if n > inst.capacity[j]
    ]  # fmt: skip
    result["reasons"] = reasons
    result["quality"] = {
        "placed": len(matching), "unplaced": len(result["unmatched"]),
        "total_score": round(sum(score[(inst.applicant_ids[a], inst.host_ids[h])] for a, h in matching.items()), 6),
        "free_places": sum(max(0, c - load[j]) for j, c in enumerate(inst.capacity)),
        "blocking_pairs": len(result["blocking_pairs"]), "violations": violations,
    }  # fmt: skip
    return result


def solve_placement_document(doc: dict[str, Any], spec: PlacementSpec) -> dict[str, Any]:
    inst = parse_placement_instance(doc, source="instance")
    result = _placement_result(doc, stable_placements(inst, optimal_for=spec.optimal_for))
    result["status"] = "stable"
    return result


def store_placement_proposals(
    round_id: str, result: dict[str, Any], doc: dict[str, Any], *, session: Session
) -> None:
    """Each placement becomes (or refreshes) a proposed placement match of the challenge it came through."""
    via = {(p["applicant"], p["host"]): p for p in doc["pairs"]}
    for row in result["matching"]:
        pair = via[(row["applicant"], row["host"])]
        # academics: the academic is the candidate of the SME's challenge; staff: the research group is
        candidate = (
            (t.NodeType.PERSON, row["applicant"]) if row["host"] == pair["challenge"]
            else (t.NodeType.ORGANISATION, row["host"])
        )  # fmt: skip
        why = {"allocation_round": round_id, "allocation": result["reasons"][row["applicant"]]}
        if candidate[0] is t.NodeType.ORGANISATION:
            why["applicant"] = row["applicant"]
        record_suggestions(
            t.Programme.PLACEMENT, pair["challenge"], [Suggestion(candidate[0], candidate[1], pair["score"], why)],
            session=session,
        )  # fmt: skip


def override_placement(record: rounds_store.RoundRecord, applicant: str, host: str | None) -> dict[str, Any]:
    """Move one applicant to ``host`` (``None``: unplace it), then audit blocking pairs and capacities."""
    assert record.instance is not None and record.result is not None
    inst = parse_placement_instance(record.instance, source="instance")
    a_ix = {x: i for i, x in enumerate(inst.applicant_ids)}
    h_ix = {x: i for i, x in enumerate(inst.host_ids)}
    if applicant not in a_ix:
        raise ValidationError(f"applicant {applicant!r} is not in this round", Location(field="student"))
    matching = {a_ix[m["applicant"]]: h_ix[m["host"]] for m in record.result["matching"]}
    matching.pop(a_ix[applicant], None)
    if host is not None:
        if host not in h_ix:
            raise ValidationError(f"host {host!r} is not in this round", Location(field="challenge"))
        if h_ix[host] not in {h for tier in inst.applicant_prefs[a_ix[applicant]] for h in tier}:
            raise ValidationError(
                f"applicant {applicant!r} and host {host!r} do not both list each other",
                Location(field="challenge"),
            )
        matching[a_ix[applicant]] = h_ix[host]
    overrides = [*record.result.get("overrides", []), {"student": applicant, "challenge": host}]
    return {**record.result, **_placement_result(record.instance, matching), "overrides": overrides,
            "status": "edited"}  # fmt: skip


# --------------------------------------------------------------------------- facilities
def _week(day: dt.date | None, year: int, default: int) -> int:
    if day is None:
        return default
    return min(WEEKS, max(0, (day - dt.date(year, 1, 1)).days // 7))


def build_facility_instance(
    spec: FacilitySpec, score: ScoreFn, *, session: Session, progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ``matcher allocate facilities`` instance of a round (periods: weeks of ``year``)."""
    challenges = rounds_store.open_challenges_for("facility", spec.council, session=session)
    if not challenges:
        raise NotFoundError(
            "no open challenges ask for facility" + (f" in council {spec.council!r}" if spec.council else "")
        )
    stored = {f.id: f for f in rounds_store.facilities(session=session)}
    openings = [c.opened for c in challenges if c.opened is not None]
    year = spec.year or (min(openings).year if openings else dt.date.today().year)
    requests: list[dict[str, Any]] = []
    outside: list[dict[str, Any]] = []  # requests whose window cannot hold the booking
    used: set[str] = set()
    for i, ch in enumerate(challenges):
        if cancelled is not None and i % 10 == 0 and cancelled():
            raise Cancelled("cancelled while scoring")
        options: list[dict[str, Any]] = []
        for kind, cid, value in score(ch.id, spec.k, programme=t.Programme.FACILITY, kinds=frozenset()):
            if kind == "facility" and cid in stored and len(options) < spec.k and value > 0:
                options.append({"facility": cid, "fit": round(float(value), 6)})
                used.add(cid)
        earliest, latest = _week(ch.opened, year, 0), min(WEEKS, _week(ch.deadline, year, WEEKS) + 1)
        if latest - earliest < spec.duration:  # e.g. opened in December: not bookable in this year
            window = (f"opens after {year}" if earliest >= WEEKS else
                      f"its window, weeks {earliest}..{latest - 1} of {year}, cannot hold {spec.duration} weeks")  # fmt: skip
            outside.append({"id": ch.id, "reason": f"not booked: {window}"})
        else:
            requests.append({"id": ch.id, "earliest": earliest, "latest": latest, "duration": spec.duration,
                             "amount": 1, "options": options})  # fmt: skip
        if progress is not None:
            progress(0.8 * (i + 1) / len(challenges), f"scored {i + 1} of {len(challenges)} requests")
    return {
        "year": year,
        "facilities": [
            {
                "id": f.id,
                "capacity": f.capacity,
                "open_from": _week(f.available_from, year, 0),
                "open_until": min(WEEKS, _week(f.available_to, year, WEEKS) + 1),
            }
            for f in stored.values()
            if f.id in used
        ],
        "requests": requests,
        "outside": outside,
    }


def solve_facility_document(doc: dict[str, Any], spec: FacilitySpec) -> dict[str, Any]:
    inst = parse_facility_instance(doc, source="instance")
    solution = solve_facilities(inst, time_limit=spec.time_limit)
    result = solution.to_json(inst)
    fit = {(r["id"], o["facility"]): o["fit"] for r in doc["requests"] for o in r["options"]}
    result["reasons"] = {
        b["request"]: f"booked {b['facility']} weeks {b['start']}..{b['end'] - 1} of {doc['year']} "
        f"(fit {fit[(b['request'], b['facility'])]:.3f})"
        for b in result["bookings"]
    }
    for r in doc.get("outside", []):
        result["unassigned"].append(r["id"])
        result["reasons"][r["id"]] = r["reason"]
    for r in doc["requests"]:
        if r["id"] not in result["reasons"]:
            result["reasons"][r["id"]] = (
                "not booked: the ranker found no facility for it" if not r["options"]
                else "not booked: its facilities are full or closed in its window with requests of more fit"
            )  # fmt: skip
    result["quality"] = {"booked": len(result["bookings"]), "unassigned": len(result["unassigned"]),
                         "total_fit": round(solution.objective, 6), "violations": []}  # fmt: skip
    result["seconds"] = round(solution.seconds, 3)
    return result


def store_facility_proposals(
    round_id: str, result: dict[str, Any], doc: dict[str, Any], *, session: Session
) -> None:
    """Each booking becomes (or refreshes) a proposed facility match of its challenge."""
    fit = {(r["id"], o["facility"]): o["fit"] for r in doc["requests"] for o in r["options"]}
    for b in result["bookings"]:
        why = {"allocation_round": round_id, "allocation": result["reasons"][b["request"]],
               "weeks": [b["start"], b["end"]], "year": doc["year"]}  # fmt: skip
        record_suggestions(
            t.Programme.FACILITY, b["request"],
            [Suggestion(t.NodeType.FACILITY, b["facility"], fit[(b["request"], b["facility"])], why)], session=session,
        )  # fmt: skip


def no_override(record: rounds_store.RoundRecord, who: str, to: str | None) -> dict[str, Any]:
    raise ConflictError(f"a {record.kind} round cannot be edited by hand (only teams and placements rounds)")
