"""Allocation rounds as jobs: start one, follow its progress, read its result, cancel, edit one assignment.

Coordinators run rounds for their own council and see the rounds they started; a council
sees and runs the rounds of its council; admins everything.  Other roles: 403.  A round
that is not the caller's answers 404, as if it did not exist.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep, SessionDep
from matcher import types as t
from matcher.services import allocation
from matcher.store import Session

router = APIRouter(tags=["allocations"])
RoundId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$", description="The round's id")]


class RoundCreate(BaseModel):
    """A round (docs/allocation.md): ``teams`` (the default) -- the open consultancy challenges of a
    council and the stored students; ``placements`` -- Change of Perspective placements; ``facilities``
    -- facility bookings.  A field of another kind's round answers 422."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["teams", "placements", "facilities"] = Field("teams", description="The kind of round")

    council: str | None = Field(
        None, max_length=64, description="Council code; a coordinator's or council's own by default"
    )
    k: int = Field(20, ge=1, le=500, description="Students scored per challenge (the acceptable pairs)")
    min_size: int = Field(3, ge=1, le=50)
    max_size: int = Field(5, ge=1, le=50)
    min_councils: int = Field(1, ge=0, le=6, description="Councils each staffed team must mix")
    time_limit: float | None = Field(
        None, ge=0.1, le=600, description="Solver seconds; unset: proven optimal"
    )
    direction: Literal["academics", "staff"] | None = Field(
        None, description="placements: academics into SMEs (default) or SME staff into research groups"
    )
    capacity: int | None = Field(None, ge=0, le=1000, description="placements: places per host (1)")
    top_k: int | None = Field(None, ge=1, le=500, description="placements: partners each side lists (10)")
    optimal_for: Literal["applicants", "hosts"] | None = Field(
        None, description="placements: which side's optimum"
    )
    tie: float | None = Field(
        None, ge=0, le=10, description="placements: scores this close share a tie group"
    )
    duration: int | None = Field(None, ge=1, le=52, description="facilities: weeks each request books (4)")
    year: int | None = Field(
        None, ge=1900, le=2999, description="facilities: programme year (week 0 = 1 January)"
    )


class Override(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    student: str = Field(..., min_length=1, max_length=64)
    challenge: str | None = Field(
        None, min_length=1, max_length=64, description="null takes the student off every team"
    )


class RoundOut(BaseModel):
    id: str
    kind: str
    status: str = Field(description="queued, running, done, failed or cancelled")
    progress: float
    message: str
    council: str | None
    params: dict[str, Any]
    cancel_requested: bool
    result: dict[str, Any] | None = Field(
        None, description="teams, unassigned, explanation, reasons per student, quality (docs/allocation.md)"
    )


def _scorer(request: Request):  # type: ignore[no-untyped-def]
    matcher = request.app.state.matcher
    sessions = request.app.state.sessions

    def score(
        challenge_id: str,
        k: int,
        programme: t.Programme = t.Programme.CONSULTANCY,
        kinds: frozenset[str] = frozenset(),
    ) -> list[tuple[str, str, float]]:
        session: Session
        with sessions() as session:
            found = matcher.challenge_matches(challenge_id, programme, 4 * k, session=session)
        return [(s.candidate_type.value, s.candidate_id, s.score) for s in found]

    return score


@router.post("/allocations", response_model=RoundOut, status_code=status.HTTP_202_ACCEPTED,
             summary="Start a teams, placements or facilities round (a job)")  # fmt: skip
def start_round(body: RoundCreate, request: Request, response: Response, principal: PrincipalDep,
                session: SessionDep) -> Any:  # fmt: skip
    """Runs in the background: poll ``GET /allocations/{id}`` for progress and the result."""
    allocation.require_runner(principal)  # the role first: a trainer learns nothing from a 422
    params = body.model_dump(exclude_unset=True)
    spec = allocation.spec_from_params(params.pop("kind", "teams"), {"council": body.council, **params})
    record = allocation.new_round(spec, principal, session=session)
    session.commit()  # the job reads the round from its own sessions
    threading.Thread(
        target=allocation.run_round, args=(record.id, _scorer(request)),
        kwargs={"sessions": request.app.state.sessions}, name=f"allocation-{record.id}", daemon=True,
    ).start()  # fmt: skip
    response.headers["Location"] = f"/allocations/{record.id}"
    return allocation.round_view(record)


@router.get(
    "/allocations/{round_id}", response_model=RoundOut, summary="A round's status, progress and result"
)
def get_round(round_id: RoundId, principal: PrincipalDep, session: SessionDep) -> Any:
    return allocation.round_view(allocation.visible_round(principal, round_id, session=session))


@router.post("/allocations/{round_id}/cancel", response_model=RoundOut, status_code=status.HTTP_202_ACCEPTED,
             summary="Ask a running round to stop")  # fmt: skip
def cancel_round(round_id: RoundId, principal: PrincipalDep, session: SessionDep) -> Any:
    """409 when the round already finished."""
    allocation.visible_round(principal, round_id, session=session)
    return allocation.round_view(allocation.request_cancel(round_id, session=session))


@router.post("/allocations/{round_id}/override", response_model=RoundOut,
             summary="Move one student by hand and re-audit the round")  # fmt: skip
def override(round_id: RoundId, body: Override, principal: PrincipalDep, session: SessionDep) -> Any:
    """The result's ``quality.violations`` lists every rule the edited teams break."""
    allocation.visible_round(principal, round_id, session=session)
    return allocation.round_view(allocation.override(round_id, body.student, body.challenge, session=session))
