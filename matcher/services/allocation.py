"""Allocation rounds on the stored programme: build a team instance from stored students,
challenges and ranker scores, solve it, store the proposals with reasons, audit overrides.

A round is a job (:func:`run_round`) whose status, progress and result live in the store,
so the API can answer ``GET /allocations/{id}`` while it runs and a coordinator can cancel it
(checked between challenges while the instance is built and before the result is stored:
HiGHS itself is not interrupted).  Who may do what (:func:`creation_scope`, :func:`may_see`):
admins everywhere; a council for rounds of its council; a coordinator for the rounds it created.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from matcher import types as t
from matcher.allocation import (
    parse_team_instance,
    solve_teams,
    team_quality,
    team_reasons,
    teams_from_json,
)
from matcher.domain.matches import Suggestion
from matcher.exceptions import (
    Cancelled,
    ConflictError,
    Location,
    MatcherError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from matcher.services import allocation_rounds as other
from matcher.services.access import Principal, Role
from matcher.services.outcomes.stored import record_suggestions
from matcher.store import Session, SessionFactory, transaction
from matcher.store import rounds as rounds_store
from matcher.store.records import council_codes
from matcher.store.scope import ownership

log = logging.getLogger(__name__)

#: ``(challenge_id, k) -> [(candidate_type, candidate_id, score), ...]``, best first.
ScoreFn = Callable[[str, int], Sequence[tuple[str, str, float]]]
Progress = Callable[[float, str], None]
FINAL = ("done", "failed", "cancelled")


@dataclass(frozen=True)
class RoundSpec:
    """What a coordinator asks of a consultancy round."""

    council: str | None = None
    k: int = 20  # students scored per challenge (the acceptable pairs)
    min_size: int = 3
    max_size: int = 5
    min_councils: int = 1
    time_limit: float | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> RoundSpec:
        known = set(cls.__dataclass_fields__)
        for key in params:
            if key not in known:
                raise ValidationError(
                    f"unknown parameter; expected one of {', '.join(sorted(known))}", Location(field=key)
                )
        spec = cls(**params)
        for name in ("k", "min_size", "max_size", "min_councils"):
            value = getattr(spec, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
                raise ValidationError("must be an integer between 0 and 10000", Location(field=name))
        if spec.k < 1 or spec.min_size < 1:
            raise ValidationError("must be at least 1", Location(field="k" if spec.k < 1 else "min_size"))
        if spec.min_size > spec.max_size:
            raise ValidationError(
                f"min_size {spec.min_size} exceeds max_size {spec.max_size}", Location(field="min_size")
            )
        if spec.min_councils > spec.max_size:
            raise ValidationError(
                f"min_councils {spec.min_councils} exceeds max_size {spec.max_size}",
                Location(field="min_councils"),
            )
        if spec.council is not None and not isinstance(spec.council, str):
            raise ValidationError("must be a council code", Location(field="council"))
        other.check_time_limit(spec.time_limit)
        return spec


# --------------------------------------------------------------------------- building and solving
def build_team_instance(
    spec: RoundSpec, score: ScoreFn, *, session: Session, progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ``matcher allocate teams`` instance of a round: stored students and open consultancy
    challenges (of the council, if given), affinity = the ranker's score of each challenge's
    top ``k`` students."""
    students = {s.id: s for s in rounds_store.students(session=session)}
    challenges = rounds_store.open_consultancy_challenges(spec.council, session=session)
    if not challenges:
        raise NotFoundError(
            "no open consultancy challenges" + (f" in council {spec.council!r}" if spec.council else "")
        )
    affinity = []
    for i, ch in enumerate(challenges):
        if cancelled is not None and i % 10 == 0 and cancelled():
            raise Cancelled("cancelled while scoring")
        seen: set[str] = set()
        for kind, cid, value in score(ch.id, spec.k):
            if kind == "person" and cid in students and cid not in seen and len(seen) < spec.k:
                seen.add(cid)
                affinity.append({"student": cid, "challenge": ch.id, "score": round(float(value), 6)})
        if progress is not None:
            progress(0.8 * (i + 1) / len(challenges), f"scored {i + 1} of {len(challenges)} challenges")
    used = {a["student"] for a in affinity}
    return {
        "students": [
            {"id": s.id, "skills": list(s.skills), "council": s.council}
            for s in students.values()
            if s.id in used
        ],
        "challenges": [
            {
                "id": c.id,
                "min_size": spec.min_size,
                "max_size": spec.max_size,
                "required_skills": list(c.required_skills),
                "min_councils": spec.min_councils,
            }
            for c in challenges
        ],
        "affinity": affinity,
        "forbidden": [],
        "required": [],
    }


def solve_team_document(doc: dict[str, Any], *, time_limit: float | None = None) -> dict[str, Any]:
    """Solve an instance document; the result file of ``matcher allocate teams`` plus reasons and quality."""
    inst = parse_team_instance(doc, source="instance")
    solution = solve_teams(inst, time_limit=time_limit)
    result = solution.to_json(inst)
    result["reasons"] = {
        inst.students[s].id: why for s, why in sorted(team_reasons(inst, solution.teams).items())
    }
    result["quality"] = team_quality(inst, solution.teams)
    result["seconds"] = round(solution.seconds, 3)
    return result


def audit_teams(doc: dict[str, Any], teams: list[dict[str, Any]]) -> dict[str, Any]:
    """Reasons, quality and broken rules of a (hand-edited) list of teams."""
    inst = parse_team_instance(doc, source="instance")
    idx = teams_from_json(inst, {"teams": teams}, source="teams")
    assigned = {s for members in idx.values() for s in members}
    return {
        "teams": teams,
        "unassigned": [s.id for i, s in enumerate(inst.students) if i not in assigned],
        "reasons": {inst.students[s].id: why for s, why in sorted(team_reasons(inst, idx).items())},
        "quality": team_quality(inst, idx),
    }


# --------------------------------------------------------------------------- the job
KINDS = ("teams", "placements", "facilities")


def spec_from_params(
    kind: str, params: dict[str, Any]
) -> RoundSpec | other.PlacementSpec | other.FacilitySpec:
    """The validated spec of a round of ``kind`` (``teams``, ``placements`` or ``facilities``)."""
    if kind == "teams":
        return RoundSpec.from_params(params)
    if kind == "placements":
        return other.PlacementSpec.from_params(params)
    if kind == "facilities":
        return other.FacilitySpec.from_params(params)
    raise ValidationError(
        f"unknown round kind {kind!r}; expected one of {', '.join(KINDS)}", Location(field="kind")
    )


def new_round(
    spec: RoundSpec | other.PlacementSpec | other.FacilitySpec,
    principal: Principal | None,
    *,
    session: Session,
) -> rounds_store.RoundRecord:
    council, organisation = creation_scope(principal, spec.council, session=session)
    kind = getattr(spec, "kind", "teams")
    params = {**asdict(spec), "council": council}
    round_id = f"alloc-{uuid.uuid4().hex[:12]}"
    return rounds_store.create_round(round_id, kind=kind, council=council, organisation_id=organisation,
                              created_by=principal.actor if principal else "cli", params=params,
                              session=session)  # fmt: skip


def _phases(kind: str, spec: Any, score: Any) -> tuple[Any, Any, Any]:
    """``(build, solve, store)`` of a round kind."""
    if kind == "placements":
        return (other.build_placement_instance, lambda doc: other.solve_placement_document(doc, spec),
                other.store_placement_proposals)  # fmt: skip
    if kind == "facilities":
        return (other.build_facility_instance, lambda doc: other.solve_facility_document(doc, spec),
                other.store_facility_proposals)  # fmt: skip

    def build(spec: RoundSpec, score: Any, **kw: Any) -> dict[str, Any]:
        return build_team_instance(spec, score, **kw)

    return build, lambda doc: solve_team_document(doc, time_limit=spec.time_limit), _store_proposals


def _summary(kind: str, result: dict[str, Any]) -> str:
    if kind == "placements":
        return f"{result['status']}: {len(result['matching'])} placements"
    if kind == "facilities":
        return f"{result['status']}: {len(result['bookings'])} bookings"
    return f"{result['status']}: {len(result['teams'])} teams"


def run_round(
    round_id: str, score: ScoreFn, *, sessions: SessionFactory, on_progress: Progress | None = None
) -> rounds_store.RoundRecord:
    """Build, solve and store a round in three phases, recording progress as it goes (each step its
    own transaction).  A cancel is honoured between challenges while building, and between the
    phases (after solving, before storing); the solve itself (HiGHS, deferred acceptance) runs to
    its end or its time limit."""

    def progress(fraction: float, message: str) -> None:
        with transaction(sessions) as s:
            rounds_store.update_round(round_id, progress=round(fraction, 3), message=message, session=s)
        if on_progress is not None:
            on_progress(fraction, message)

    def cancelled() -> bool:
        with transaction(sessions) as s:
            return rounds_store.get_round(round_id, session=s).cancel_requested

    try:
        with transaction(sessions) as s:
            record = rounds_store.get_round(round_id, session=s)
            if record.cancel_requested:
                raise Cancelled("cancelled before it started")
            rounds_store.update_round(round_id, status="running", message="building the instance", session=s)
        spec = spec_from_params(record.kind, record.params)
        build, solve, store = _phases(record.kind, spec, score)
        with transaction(sessions) as s:
            doc = build(spec, score, session=s, progress=progress, cancelled=cancelled)
        if cancelled():
            raise Cancelled("cancelled after building the instance")
        progress(0.8, "solving " + ", ".join(f"{len(v)} {k}" for k, v in doc.items() if isinstance(v, list)))
        result = solve(doc)
        if cancelled():
            raise Cancelled("cancelled while solving")
        progress(0.95, "storing the proposals")
        with transaction(sessions) as s:
            store(round_id, result, doc, session=s)
            return rounds_store.update_round(round_id, status="done", progress=1.0, instance=doc, result=result,
                                      message=_summary(record.kind, result), session=s)  # fmt: skip
    except Cancelled as exc:
        with transaction(sessions) as s:
            return rounds_store.update_round(round_id, status="cancelled", message=str(exc), session=s)
    except MatcherError as exc:
        log.warning("allocation round %s failed: %s", round_id, exc)
        with transaction(sessions) as s:
            return rounds_store.update_round(round_id, status="failed", message=str(exc), session=s)
    except Exception:
        log.exception("allocation round %s failed", round_id)
        with transaction(sessions) as s:
            return rounds_store.update_round(
                round_id, status="failed", message="internal error; see the logs", session=s
            )


def _store_proposals(round_id: str, result: dict[str, Any], doc: dict[str, Any], *, session: Session) -> None:
    """Each assignment becomes (or refreshes) a proposed consultancy match with its reason."""
    score = {(a["student"], a["challenge"]): a["score"] for a in doc["affinity"]}
    for team in result["teams"]:
        suggestions = [
            Suggestion(t.NodeType.PERSON, s, score.get((s, team["challenge"]), 0.0),
                       {"allocation_round": round_id, "allocation": result["reasons"].get(s, "assigned")})
            for s in team["members"]
        ]  # fmt: skip
        record_suggestions(t.Programme.CONSULTANCY, team["challenge"], suggestions, session=session)


def request_cancel(round_id: str, *, session: Session) -> rounds_store.RoundRecord:
    record = rounds_store.get_round(round_id, session=session)
    if record.status in FINAL:
        raise ConflictError(f"round {round_id} is already {record.status}")
    return rounds_store.update_round(round_id, cancel_requested=True, session=session)


def override(
    round_id: str, student: str, challenge: str | None, *, session: Session
) -> rounds_store.RoundRecord:
    """Move one student to ``challenge`` (``None``: off every team), then re-audit the round."""
    record = rounds_store.get_round(round_id, session=session)
    if record.status != "done" or record.result is None or record.instance is None:
        raise ConflictError(f"round {round_id} is {record.status}; only a finished round can be edited")
    if record.kind == "placements":
        return rounds_store.update_round(round_id, result=other.override_placement(record, student, challenge),
                                  session=session)  # fmt: skip
    if record.kind != "teams":
        other.no_override(record, student, challenge)
    ids = {s["id"] for s in record.instance["students"]}
    if student not in ids:
        raise ValidationError(f"student {student!r} is not in this round", Location(field="student"))
    teams = [
        {"challenge": tm["challenge"], "members": [m for m in tm["members"] if m != student]}
        for tm in record.result["teams"]
    ]
    if challenge is not None:
        if challenge not in {c["id"] for c in record.instance["challenges"]}:
            raise ValidationError(
                f"challenge {challenge!r} is not in this round", Location(field="challenge")
            )
        for tm in teams:
            if tm["challenge"] == challenge:
                tm["members"] = sorted([*tm["members"], student])
                break
        else:
            teams.append({"challenge": challenge, "members": [student]})
    teams = [tm for tm in teams if tm["members"]]
    audited = audit_teams(record.instance, teams)
    overrides = [*record.result.get("overrides", []), {"student": student, "challenge": challenge}]
    result = {**record.result, **audited, "overrides": overrides, "status": "edited"}
    return rounds_store.update_round(round_id, result=result, session=session)


# --------------------------------------------------------------------------- who may do what
def creation_scope(
    principal: Principal | None, council: str | None, *, session: Session
) -> tuple[str | None, str | None]:
    """The council (and coordinator organisation) a new round belongs to; raises when not allowed.

    An unknown council code is a located validation error, whoever asks (an admin included).
    """
    if council is not None and council not in council_codes(session=session):
        raise ValidationError(f"unknown council {council!r}", Location(field="council"))
    if principal is None or principal.role is Role.ADMIN:
        return council, None
    if principal.role is Role.COUNCIL:
        if council not in (None, principal.council):
            raise PermissionDeniedError("a council runs rounds of its own council only")
        return principal.council, None
    if principal.role is Role.COORDINATOR and principal.organisation_id:
        own = ownership("organisations", principal.organisation_id, session=session).council
        if council not in (None, own):
            raise PermissionDeniedError("a coordinator runs rounds of its own council only")
        return own, principal.organisation_id
    raise PermissionDeniedError("only coordinators, councils and admins run allocation rounds")


def require_runner(principal: Principal) -> None:
    if principal.role not in (Role.ADMIN, Role.COUNCIL, Role.COORDINATOR):
        raise PermissionDeniedError("only coordinators, councils and admins run allocation rounds")


def may_see(principal: Principal, record: rounds_store.RoundRecord) -> bool:
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.COUNCIL:
        return record.council is not None and record.council == principal.council
    if principal.role is Role.COORDINATOR:
        return record.organisation_id is not None and record.organisation_id == principal.organisation_id
    return False


def visible_round(principal: Principal, round_id: str, *, session: Session) -> rounds_store.RoundRecord:
    """The round, or :class:`NotFoundError` when it does not exist or is not the caller's."""
    require_runner(principal)
    record = rounds_store.get_round(round_id, session=session)
    if not may_see(principal, record):
        raise NotFoundError(f"allocation round {round_id!r} not found")
    return record


def round_view(record: rounds_store.RoundRecord, *, with_instance: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id, "kind": record.kind, "status": record.status, "progress": record.progress,
        "message": record.message, "council": record.council, "params": record.params,
        "cancel_requested": record.cancel_requested, "result": record.result,
    }  # fmt: skip
    if with_instance:
        out["instance"] = record.instance
    return out
