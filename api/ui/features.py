"""Pages over the allocation, the collaboration graph and the needs/training services (issues 9, 10, 13, 14).

One set of rules: each page calls the very route functions of the JSON API
(:mod:`api.routers.allocations`, :mod:`api.routers.graph`, :mod:`api.routers.training`), which
call the services, so a page shows exactly what the API answers the same key and no rule is
written twice.  Pages only arrange the answers for people.
"""

from __future__ import annotations

import csv
import io
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticValidationError

from api.deps import SessionDep
from api.routers import allocations as alloc_api
from api.routers import graph as graph_api
from api.routers import training as training_api
from api.ui import auth, present
from api.ui.auth import UiPrincipal
from api.ui.render import render, see_other
from matcher import types as t
from matcher.exceptions import (
    Location,
    NotFoundError,
    PermissionDeniedError,
    UnavailableError,
    ValidationError,
)
from matcher.graph import council_view
from matcher.services import allocation, graph, graph_report
from matcher.services.access import Principal, Role
from matcher.store import Session

router = APIRouter(prefix="/ui", include_in_schema=False)
Csrf = Annotated[str, Form()]
RoundPath = alloc_api.RoundId
_PLOTTING = threading.Lock()
PLOTS = {
    "council_network": "Council network: members per council and connected pairs between councils",
    "cross_border": "New ties per quarter and their cross-border share",
    "degree_distribution": "Degree distribution: how many partners nodes have",
}


# --------------------------------------------------------------------------- allocation rounds
def _form_error(error: PydanticValidationError) -> ValidationError:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ()))
    return ValidationError(f"{field}: {first.get('msg', 'invalid')}", Location(field=field or None))


@router.post("/round/allocations")
def start_round(
    request: Request,
    principal: UiPrincipal,
    session: SessionDep,
    k: Annotated[int, Form()] = 20,
    min_size: Annotated[int, Form()] = 3,
    max_size: Annotated[int, Form()] = 5,
    min_councils: Annotated[int, Form()] = 1,
    csrf_token: Csrf = "",
) -> Response:
    """``POST /allocations`` for the caller's council (the same job), then its page."""
    auth.check_csrf(request, csrf_token)
    try:
        body = alloc_api.RoundCreate.model_validate(
            {"k": k, "min_size": min_size, "max_size": max_size, "min_councils": min_councils}
        )
    except PydanticValidationError as error:
        raise _form_error(error) from None
    started = alloc_api.start_round(body, request, Response(), principal, session)
    return see_other(f"/ui/round/allocations/{started['id']}")


def _who(principal: Principal, kind: t.NodeType, ident: str, session: Session) -> str:
    return present.candidate_name(principal, kind, ident, session=session)["name"]


def round_view(principal: Principal, round_id: str, *, session: Session) -> dict[str, Any]:
    """``GET /allocations/{id}`` (the same rule: not the caller's round is 404) with its instance."""
    record = allocation.visible_round(principal, round_id, session=session)  # what the route checks
    return allocation.round_view(record, with_instance=True)


def _affinity(view: dict[str, Any]) -> dict[tuple[str, str], float]:
    return {
        (a["student"], a["challenge"]): a["score"] for a in (view.get("instance") or {}).get("affinity", [])
    }


@router.get("/round/allocations/{round_id}", response_class=HTMLResponse)
def round_page(
    request: Request, round_id: RoundPath, principal: UiPrincipal, session: SessionDep
) -> Response:
    view = round_view(principal, round_id, session=session)
    result = view["result"] or {}
    score = _affinity(view)
    challenges = [c["id"] for c in (view.get("instance") or {}).get("challenges", [])]
    students = [s["id"] for s in (view.get("instance") or {}).get("students", [])]
    names = {c: _who(principal, t.NodeType.CHALLENGE, c, session) for c in challenges}
    people = {s: _who(principal, t.NodeType.PERSON, s, session) for s in students}
    teams = [
        {
            "challenge": tm["challenge"],
            "name": names.get(tm["challenge"], tm["challenge"]),
            "members": [
                {
                    "id": s,
                    "name": people.get(s, s),
                    "reason": result.get("reasons", {}).get(s, ""),
                    "affinity": score.get((s, tm["challenge"])),
                }
                for s in tm["members"]
            ],
        }
        for tm in result.get("teams", [])
    ]
    return render(
        request,
        "allocation.html",
        {
            "round": view,
            "result": result,
            "teams": teams,
            "quality": result.get("quality") or {},
            "challenges": [(c, names[c]) for c in challenges],
            "students": [(s, people[s]) for s in students],
            "unassigned": [(s, people.get(s, s)) for s in result.get("unassigned", [])],
            "final": view["status"] in allocation.FINAL,
            "done": request.query_params.get("done"),
        },
        principal=principal,
    )


@router.post("/round/allocations/{round_id}/override")
def override(
    request: Request,
    round_id: RoundPath,
    principal: UiPrincipal,
    session: SessionDep,
    student: Annotated[str, Form(max_length=64)] = "",
    challenge: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Csrf = "",
) -> Response:
    """``POST /allocations/{id}/override``: move one student ("" = off every team), then the re-audit."""
    auth.check_csrf(request, csrf_token)
    try:
        body = alloc_api.Override(student=student.strip(), challenge=challenge.strip() or None)
    except PydanticValidationError as error:
        raise _form_error(error) from None
    alloc_api.override(round_id, body, principal, session)
    return see_other(f"/ui/round/allocations/{round_id}?done=override#audit")


@router.get("/round/allocations/{round_id}/teams.csv")
def round_csv(round_id: RoundPath, principal: UiPrincipal, session: SessionDep) -> Response:
    """One row per assigned student (then the unassigned), with affinity and reason."""
    view = round_view(principal, round_id, session=session)
    result = view["result"] or {}
    score = _affinity(view)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["round_id", "challenge_id", "student_id", "affinity", "reason"])
    for tm in result.get("teams", []):
        for s in tm["members"]:
            a = score.get((s, tm["challenge"]))
            writer.writerow([view["id"], tm["challenge"], s, "" if a is None else f"{a:.4f}",
                             result.get("reasons", {}).get(s, "")])  # fmt: skip
    for s in result.get("unassigned", []):
        writer.writerow([view["id"], "", s, "", result.get("reasons", {}).get(s, "unassigned")])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{view["id"]}.csv"',
            "Cache-Control": "no-store",
        },
    )


# --------------------------------------------------------------------------- council: graph and needs
def council_graph(principal: Principal, code: str, *, session: Session) -> dict[str, Any] | None:
    """``GET /graph/stats`` for the council (its own region for a council key); ``None``: no graph yet."""
    try:
        return graph_api.graph_stats(
            principal, session, council=code if principal.role == Role.ADMIN else None
        )
    except NotFoundError:
        return None


def council_needs(
    request: Request, principal: Principal, code: str, *, session: Session
) -> dict[str, Any] | str:
    """``GET /needs`` for the council, or the reason it cannot be shown."""
    try:
        return dict(training_api.needs(request, principal, session, council=code))
    except (NotFoundError, UnavailableError) as error:
        return str(error)


@router.get("/council/graph/{name}.png")
def council_plot(request: Request, name: str, principal: UiPrincipal, session: SessionDep) -> Response:
    """A plot of the council's view of the graph, drawn here by the graph report's plotter."""
    if name not in PLOTS:
        raise NotFoundError(f"no plot {name!r}")
    code = principal.council or request.query_params.get("council") or ""
    stats = graph_api.graph_stats(principal, session, council=code if principal.role == Role.ADMIN else None)
    G = graph.load_graph(session=session)
    view = council_view(G, stats["scope"]["council"]) if stats["scope"]["council"] else G
    with _PLOTTING, tempfile.TemporaryDirectory() as folder:  # pyplot is not thread-safe
        paths = graph_report._plots(view, stats, Path(folder), seed=0)
        data = paths[name].read_bytes()
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


# --------------------------------------------------------------------------- training
def sme_training(
    request: Request, principal: Principal, sme_id: str, *, session: Session
) -> dict[str, Any] | str | None:
    """``GET /smes/{id}/training`` as the key sees it, why there is nothing to show, or ``None``
    when the route refuses the key (it decides who may see an SME's training needs)."""
    try:
        return dict(training_api.sme_training(sme_id, request, principal, session, k=5))
    except PermissionDeniedError:
        return None
    except (NotFoundError, UnavailableError) as error:
        return str(error)


@router.get("/training", response_class=HTMLResponse)
def trainer_page(request: Request, principal: UiPrincipal, session: SessionDep) -> Response:
    """``GET /training/demand``: uncovered need clusters, who benefits from each module, SME groups."""
    code = principal.council or request.query_params.get("council")
    try:
        demand: dict[str, Any] | None = training_api.demand(request, principal, session, council=code)
        missing = None
    except (NotFoundError, UnavailableError) as error:
        demand, missing = None, str(error)
    smes = sorted({s for c in (demand or {}).get("clusters", []) for s in c["smes"]}
                  | {r["sme"] for b in (demand or {}).get("beneficiaries", []) for r in b["smes"]})  # fmt: skip
    names = {s: _who(principal, t.NodeType.ORGANISATION, s, session) for s in smes}
    return render(
        request, "training.html", {"demand": demand, "missing": missing, "names": names}, principal=principal
    )


@router.get("/round/open")
def open_round(
    round_id: Annotated[str, Query(alias="id", max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")],
) -> Response:
    """The "open a round by its id" form: to the round's page (which checks the key may see it)."""
    return see_other(f"/ui/round/allocations/{round_id}")
