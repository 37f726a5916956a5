"""The pages an SME (and anyone answerable for a challenge) uses: sign in, my records, a challenge's
suggestions with their reasons, decisions, partners, the challenges a profile fits, editing a challenge.

Routes are thin: every read and write goes through the services the JSON API uses
(:mod:`matcher.services.records`, :mod:`matcher.services.outcomes`, :mod:`api.suggestions`),
with the caller resolved from the session cookie exactly as the API resolves a key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from api import suggestions
from api.deps import MatcherDep, SessionDep
from api.routers.records import ID_PATH
from api.ui import auth, features, present
from api.ui.auth import UiPrincipal
from api.ui.render import render, see_other
from matcher import types as t
from matcher.exceptions import AuthenticationError, PermissionDeniedError, ValidationError
from matcher.ingest.schema import to_raw
from matcher.services import access, records
from matcher.services.access import Principal, Role
from matcher.services.outcomes import decisions, rules, views
from matcher.store import Session

router = APIRouter(prefix="/ui", include_in_schema=False)
IdPath = Annotated[str, Path(pattern=ID_PATH)]
Csrf = Annotated[str, Form()]
K = 10


# --------------------------------------------------------------------------- signing in
@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html", {"error": None})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Csrf = "",
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        access.authenticate(key.strip(), session=session)
    except AuthenticationError:
        return render(
            request, "login.html", {"error": "That key is unknown or was revoked."}, status_code=401
        )
    response = see_other("/ui/")
    auth.set_session(response, key.strip())
    return response


@router.post("/logout")
def logout(request: Request, principal: UiPrincipal, csrf_token: Csrf = "") -> Response:
    auth.check_csrf(request, csrf_token)
    response = see_other("/ui/login")
    auth.clear_session(response)
    return response


# --------------------------------------------------------------------------- my records
def managed_records(
    principal: Principal, entity: str, field: str, *, limit: int = 100, session: Session
) -> list[Any]:
    """Records of ``entity`` whose ``field`` names an organisation the caller manages."""
    found: list[Any] = []
    for org in sorted(principal.managed):
        page = records.list_page(
            entity, principal, filters={field: org}, q=None, sort="id", limit=limit, offset=0, session=session
        )
        found += [r for r, _ in page.items]
    return found


def own_records(principal: Principal, *, session: Session) -> list[dict[str, Any]]:
    """The caller's own records, by entity: what its organisation or council manages."""
    wanted: list[tuple[str, dict[str, str]]] = []
    if principal.role == Role.ADMIN:
        wanted = [("challenges", {})]
    elif principal.council:
        wanted = [(e, {"council": principal.council}) for e in ("challenges", "organisations", "facilities")]
    for org in sorted(principal.managed):
        wanted += [
            ("challenges", {"sme_id": org}),
            ("facilities", {"host_id": org}),
            ("profiles", {"organisation_id": org}),
            ("people", {"organisation_id": org}),
        ]
    sections: dict[str, dict[str, Any]] = {}
    for entity, filters in wanted:
        if entity not in access.READABLE[principal.role]:
            continue
        page = records.list_page(
            entity, principal, filters=filters, q=None, sort="id", limit=50, offset=0, session=session
        )
        section = sections.setdefault(entity, {"entity": entity, "items": [], "total": 0})
        section["items"] += [r for r, _ in page.items]
        section["total"] += page.total
    return [s for s in sections.values() if s["total"]]


@router.get("", include_in_schema=False)
def ui_root() -> Response:
    return see_other("/ui/")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: UiPrincipal, session: SessionDep) -> Response:
    organisation = None
    if principal.organisation_id:
        organisation, _ = records.get("organisations", principal.organisation_id, principal, session=session)
    return render(
        request,
        "home.html",
        {"sections": own_records(principal, session=session), "organisation": organisation},
        principal=principal,
    )


# --------------------------------------------------------------------------- a challenge
def _suggestion_rows(
    principal: Principal, matches: list[tuple[t.MatchRecord, int]], *, session: Session
) -> list[dict[str, Any]]:
    rows = []
    for match, version in matches:
        rows.append(
            {
                "match": match,
                "version": version,
                "who": present.candidate_name(
                    principal, match.candidate_type, match.candidate_id, session=session
                ),
                "band": present.band(match.score),
                "reasons": present.reasons(match.reasons),
                "status": present.STATUS_WORDS[match.status],
                "contact": views.full_view(match, version).contact,
            }
        )
    return rows


@router.get("/challenges/{challenge_id}", response_class=HTMLResponse)
def challenge_page(
    request: Request, challenge_id: IdPath, principal: UiPrincipal, session: SessionDep, matcher: MatcherDep
) -> Response:
    challenge, version = records.get("challenges", challenge_id, principal, session=session)
    owner = access.require_read(principal, "challenges", challenge_id, session=session)
    sections = []
    allowed = access.MATCH_TYPES[principal.role]
    for match_type in present.MATCH_TYPE_ORDER:
        asked = not challenge.programmes or match_type in challenge.programmes
        if match_type not in allowed or not (asked or match_type is t.Programme.CONSULTANCY):
            continue
        try:
            found = suggestions.challenge_suggestions(
                principal, challenge_id, match_type, K, matcher=matcher, session=session
            )
        except PermissionDeniedError:
            continue
        sections.append(
            {
                "type": match_type,
                "title": present.MATCH_TYPE_TITLES[match_type],
                "rows": _suggestion_rows(principal, found, session=session),
            }
        )
    return render(
        request,
        "challenge.html",
        {
            "challenge": challenge,
            "version": version,
            "sme": present.candidate_name(
                principal, t.NodeType.ORGANISATION, challenge.sme_id, session=session
            ),
            "sections": sections,
            "can_edit": access.can_write(principal, "challenges", owner),
            "decides": access.answerable_for(principal, owner),
            "decline_reasons": present.DECLINE_REASONS,
            "done": request.query_params.get("done"),
            "training": features.sme_training(request, principal, challenge.sme_id, session=session),
        },
        principal=principal,
    )


def _back(next_url: str, fallback: str) -> str:
    """Where to go after a form: a page of ours only (never another site)."""
    ok = next_url.startswith("/ui/") and "//" not in next_url and "\\" not in next_url
    return next_url if ok else fallback


@router.post("/matches/{match_id}/decision")
def decide(
    request: Request,
    match_id: IdPath,
    principal: UiPrincipal,
    session: SessionDep,
    action: Annotated[str, Form(max_length=32)],
    version: Annotated[int | None, Form()] = None,
    reason: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=300)] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Accept, decline with a reason, request or answer contact; ``version`` guards against a change meanwhile."""
    auth.check_csrf(request, csrf_token)
    try:
        chosen = rules.Action(action)
    except ValueError:
        raise ValidationError(f"unknown action {action!r}") from None
    if chosen not in (
        rules.Action.ACCEPT,
        rules.Action.DECLINE,
        rules.Action.REQUEST_CONTACT,
        rules.Action.APPROVE_CONTACT,
        rules.Action.DECLINE_CONTACT,
    ):
        raise ValidationError(f"the pages do not take {action!r}; use the API")
    decline_reason = None
    if reason:
        try:
            decline_reason = t.DeclineReason(reason)
        except ValueError:
            raise ValidationError(f"unknown reason {reason!r}") from None
    decided = decisions.decide(
        match_id,
        chosen,
        principal,
        reason=decline_reason,
        note=note.strip(),
        expected_version=version,
        session=session,
    )
    fallback = f"/ui/challenges/{decided.match.challenge_id}" if decided.match.challenge_id else "/ui/"
    target = _back(next, fallback)
    sep = "&" if "?" in target else "?"
    return see_other(f"{target}{sep}done={chosen.value}#match-{match_id}")


# --------------------------------------------------------------------------- editing a challenge
EDITABLE = ("title", "description", "sector", "required_skills", "deadline", "status", "visibility")


@router.get("/challenges/{challenge_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, challenge_id: IdPath, principal: UiPrincipal, session: SessionDep
) -> Response:
    records.authorise_write("challenges", challenge_id, principal, session=session)
    challenge, version = records.get("challenges", challenge_id, principal, session=session)
    return _edit_page(request, principal, challenge, version, to_raw(challenge), None)


def _edit_page(
    request: Request,
    principal: Principal,
    challenge: t.Challenge,
    version: int | None,
    values: dict[str, Any],
    error: str | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "edit_challenge.html",
        {
            "challenge": challenge,
            "version": version,
            "values": values,
            "error": error,
            "statuses": [s.value for s in t.ChallengeStatus],
            "visibilities": [v.value for v in t.Visibility],
        },
        principal=principal,
        status_code=status_code,
    )


@router.post("/challenges/{challenge_id}/edit")
def edit(
    request: Request,
    challenge_id: IdPath,
    principal: UiPrincipal,
    session: SessionDep,
    version: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=300)],
    description: Annotated[str, Form(max_length=20000)],
    sector: Annotated[str, Form(max_length=100)] = "",
    required_skills: Annotated[str, Form(max_length=2000)] = "",
    deadline: Annotated[str, Form(max_length=10)] = "",
    status: Annotated[str, Form(max_length=16)] = "open",
    visibility: Annotated[str, Form(max_length=16)] = "public",
    csrf_token: Csrf = "",
) -> Response:
    """Replace the editable fields; a change made since the form was read answers 409 (nothing stored)."""
    auth.check_csrf(request, csrf_token)
    records.authorise_write("challenges", challenge_id, principal, session=session)
    current, _ = records.get("challenges", challenge_id, principal, session=session)
    form = {
        "title": title.strip(),
        "description": description.strip(),
        "sector": sector.strip(),
        "required_skills": [s.strip() for s in required_skills.split(",") if s.strip()],
        "deadline": deadline.strip() or None,
        "status": status,
        "visibility": visibility,
    }
    data = {k: v for k, v in {**to_raw(current), **form}.items() if v is not None}
    try:
        records.update("challenges", challenge_id, data, principal, expected_version=version, session=session)
    except ValidationError as error:  # nothing was stored: show the form again with what was typed
        shown = {**to_raw(current), **form, "required_skills": form["required_skills"]}
        return _edit_page(request, principal, current, version, shown, error.reason, status_code=422)
    return see_other(f"/ui/challenges/{challenge_id}?done=saved")


# --------------------------------------------------------------------------- partners and fits
@router.get("/partners", response_class=HTMLResponse)
def partners_page(
    request: Request, principal: UiPrincipal, session: SessionDep, matcher: MatcherDep
) -> Response:
    if not principal.organisation_id:
        raise PermissionDeniedError("partner suggestions are for a key bound to an organisation")
    found = suggestions.organisation_partners(
        principal, principal.organisation_id, K, matcher=matcher, session=session
    )
    rows = [
        {
            "who": present.candidate_name(principal, s.candidate_type, s.candidate_id, session=session),
            "band": present.band(s.score),
            "reasons": present.reasons(s.reasons),
            "id": s.candidate_id,
        }
        for s in found
    ]
    return render(request, "partners.html", {"rows": rows}, principal=principal)


@router.get("/fits", response_class=HTMLResponse)
def fits_page(request: Request, principal: UiPrincipal, session: SessionDep, matcher: MatcherDep) -> Response:
    """The open challenges each of my capability profiles fits; other SMEs' private ones anonymised."""
    profiles = managed_records(principal, "profiles", "organisation_id", session=session)
    chosen = request.query_params.get("profile") or (profiles[0].id if profiles else None)
    rows = []
    if chosen:
        for s, challenge in suggestions.profile_fits(principal, chosen, K, matcher=matcher, session=session):
            rows.append(
                {
                    "s": s,
                    "challenge": challenge,
                    "band": present.band(s.score),
                    "reasons": present.reasons(s.reasons),
                    "who": None
                    if s.anonymised
                    else present.candidate_name(
                        principal, t.NodeType.CHALLENGE, s.candidate_id, session=session
                    ),
                }
            )
    return render(
        request, "fits.html", {"profiles": profiles, "chosen": chosen, "rows": rows}, principal=principal
    )
