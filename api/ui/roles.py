"""Pages of the other roles: a coordinator's round (with CSV), a council's figures, a facility host's facilities.

Same services and rules as the API: records through :mod:`matcher.services.records`, stored
suggestions through :func:`matcher.services.outcomes.stored_matches` (so a coordinator sees
only its own university's candidates, a council only its region's challenges).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.ui import features, present
from api.ui.auth import UiPrincipal
from api.ui.pages import managed_records
from api.ui.render import render
from matcher import types as t
from matcher.exceptions import NotFoundError, PermissionDeniedError
from matcher.services import records
from matcher.services.access import Principal, Role
from matcher.services.outcomes import views
from matcher.services.outcomes.stored import stored_matches
from matcher.store import Session
from matcher.store import records as repo
from matcher.store.matches import candidate_match_ids

router = APIRouter(prefix="/ui", include_in_schema=False)
ROUND_LIMIT = 200  # challenges on one round page
TOP = 5  # candidates shown per challenge


def _challenges(principal: Principal, filters: dict[str, str], *, session: Session) -> list[t.Challenge]:
    page = records.list_page(
        "challenges",
        principal,
        filters=filters,
        q=None,
        sort="id",
        limit=ROUND_LIMIT,
        offset=0,
        session=session,
    )
    return [c for c, _ in page.items]


def round_rows(principal: Principal, *, session: Session) -> list[dict[str, Any]]:
    """The open challenges of the caller's round with their stored consultancy suggestions (best first)."""
    filters = {"status": t.ChallengeStatus.OPEN.value}
    if principal.council:
        filters["council"] = principal.council
    rows = []
    for challenge in _challenges(principal, filters, session=session):
        try:
            stored = stored_matches(
                principal, challenge.id, match_type=t.Programme.CONSULTANCY, session=session
            )
        except (PermissionDeniedError, NotFoundError):
            continue
        stored.sort(key=lambda m: -m[0].score)
        candidates = [
            {
                "match": m,
                "who": present.candidate_name(principal, m.candidate_type, m.candidate_id, session=session),
                "band": present.band(m.score),
                "status": present.STATUS_WORDS[m.status],
            }
            for m, _ in stored
        ]
        rows.append({"challenge": challenge, "candidates": candidates})
    return rows


@router.get("/round", response_class=HTMLResponse)
def round_page(request: Request, principal: UiPrincipal, session: SessionDep) -> Response:
    if principal.role not in (Role.COORDINATOR, Role.COUNCIL, Role.ADMIN):
        raise PermissionDeniedError(
            f"the round is for coordinators and councils, not a {principal.role.value} key"
        )
    rows = round_rows(principal, session=session)
    return render(request, "round.html", {"rows": rows, "top": TOP}, principal=principal)


@router.get("/round.csv")
def round_csv(principal: UiPrincipal, session: SessionDep) -> Response:
    """Every stored consultancy suggestion of the round, one row each (opens in a spreadsheet)."""
    if principal.role not in (Role.COORDINATOR, Role.COUNCIL, Role.ADMIN):
        raise PermissionDeniedError(
            f"the round is for coordinators and councils, not a {principal.role.value} key"
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["challenge_id", "challenge_title", "rank", "candidate_type", "candidate_id", "candidate_name",
         "score", "level", "status", "match_id"]
    )  # fmt: skip
    for row in round_rows(principal, session=session):
        c = row["challenge"]
        for rank, cand in enumerate(row["candidates"], start=1):
            m = cand["match"]
            writer.writerow(
                [c.id, c.title, rank, m.candidate_type.value, m.candidate_id, cand["who"]["name"],
                 f"{m.score:.4f}", cand["band"].level, m.status.value, m.id]
            )  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="round.csv"', "Cache-Control": "no-store"},
    )


# --------------------------------------------------------------------------- council
#: The `matcher stats` columns, in its order.
STATS_COLUMNS = {
    "sme": "SMEs", "hei": "HEIs", "research_group": "research groups", "science_park": "science parks",
    "academic": "academics", "student": "students", "sme_staff": "SME staff", "challenges": "challenges",
    "facilities": "facilities",
}  # fmt: skip


def outcomes_by_month(matches: Iterable[t.MatchRecord]) -> list[tuple[str, Counter[str]]]:
    """Decisions per month: for each ``YYYY-MM``, how many events moved a record to each status."""
    months: dict[str, Counter[str]] = {}
    for match in matches:
        for event in match.history:
            if event.at is None:
                continue
            months.setdefault(event.at.strftime("%Y-%m"), Counter())[event.status.value] += 1
    return sorted(months.items())


@router.get("/council", response_class=HTMLResponse)
def council_page(request: Request, principal: UiPrincipal, session: SessionDep) -> Response:
    if principal.role not in (Role.COUNCIL, Role.ADMIN):
        raise PermissionDeniedError(f"council figures are for council keys, not a {principal.role.value} key")
    councils = records.list_councils(principal, session=session)
    code = principal.council or request.query_params.get("council") or (councils[0].code if councils else "")
    if code not in {c.code for c in councils}:
        raise NotFoundError(f"no council with code {code!r}")
    figures = repo.counts_by_council(session=session).get(code, {})
    matches = []
    for challenge in _challenges(principal, {"council": code}, session=session):
        try:
            matches += [m for m, _ in stored_matches(principal, challenge.id, session=session)]
        except (PermissionDeniedError, NotFoundError):
            continue
    timeline = outcomes_by_month(matches)
    statuses = [s.value for s in t.MatchStatus]
    peak = max((sum(c.values()) for _, c in timeline), default=0)
    return render(
        request,
        "council.html",
        {
            "council": next(c for c in councils if c.code == code),
            "councils": councils if principal.role == Role.ADMIN else [],
            "figures": [(label, figures.get(key, 0)) for key, label in STATS_COLUMNS.items()],
            "timeline": timeline,
            "statuses": statuses,
            "peak": peak,
            "current": Counter(m.status.value for m in matches),
            "graph": features.council_graph(principal, code, session=session),
            "plots": features.PLOTS,
            "needs": features.council_needs(request, principal, code, session=session),
        },
        principal=principal,
    )


# --------------------------------------------------------------------------- facility host
@router.get("/facilities", response_class=HTMLResponse)
def facilities_page(request: Request, principal: UiPrincipal, session: SessionDep) -> Response:
    """My facilities and the requests naming them (facility suggestions, as each record lets me see it).

    Bookings: a facility round stores its bookings as proposed facility matches, so they are
    rows of the requests table; their weeks and reasons live in the round (the page says so).
    """
    facilities = managed_records(principal, "facilities", "host_id", session=session)
    names = {f.id: f.name for f in facilities}
    requests = []
    for match_id in candidate_match_ids("facility", sorted(names), session=session):
        view = views.get_match(match_id, principal, session=session)  # anonymised when private
        challenge = (
            None
            if view.anonymised
            else present.candidate_name(
                principal, t.NodeType.CHALLENGE, view.match.challenge_id, session=session
            )
        )
        requests.append(
            {
                "view": view,
                "facility": names[view.match.candidate_id],
                "challenge": challenge,
                "band": present.band(view.match.score),
                "status": present.STATUS_WORDS[view.match.status],
            }
        )
    return render(
        request,
        "facilities.html",
        {"facilities": facilities, "requests": requests, "bookings": None},
        principal=principal,
    )
