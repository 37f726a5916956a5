"""Rendering pages: one Jinja2 environment, the navigation of each role, HTML error pages."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.errors import MAPPING, unexpected_error
from api.ui import auth
from matcher.exceptions import MatcherError
from matcher.services.access import Principal, Role

TEMPLATES = Jinja2Templates(directory=str(files("api.ui") / "templates"))

#: Pages each role finds in the navigation, after "My records".
NAV: dict[Role, list[tuple[str, str]]] = {
    Role.SME: [("/ui/partners", "Partners"), ("/ui/fits", "Challenges I fit")],
    Role.COORDINATOR: [("/ui/round", "Round"), ("/ui/fits", "Challenges we fit")],
    Role.COUNCIL: [
        ("/ui/round", "Round"),
        ("/ui/council", "Council figures"),
        ("/ui/training", "Training demand"),
    ],
    Role.ADMIN: [("/ui/round", "Round"), ("/ui/council", "Council figures")],
    Role.FACILITY_HOST: [("/ui/facilities", "My facilities"), ("/ui/fits", "Challenges we fit")],
    Role.TRAINER: [("/ui/training", "Training demand")],
    Role.EVALUATOR: [],
}


def who(principal: Principal) -> str:
    bound = principal.organisation_id or principal.council or ""
    role = principal.role.value.replace("_", " ")
    return f"{role} · {bound}" if bound else role


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    ctx = {
        "csrf_token": auth.csrf_token(request),
        "principal": principal,
        "who": who(principal) if principal else "",
        "nav": NAV.get(principal.role, []) if principal else [],
        "path": request.url.path,
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    auth.remember_nonce(request, response)
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, error: Exception) -> Response:
    """A matcher error on a page: the API's status and title (api.errors.MAPPING), as HTML."""
    if isinstance(error, auth.SignInRequired):
        return see_other("/ui/login")
    for cls, status, _slug, title in MAPPING:
        if isinstance(error, cls):
            if isinstance(error, auth.CsrfError):
                title = "The form was refused"
            detail = getattr(error, "reason", None) or str(error)
            return render(
                request,
                "error.html",
                {"title": title, "detail": detail, "status": status},
                status_code=status,
            )
    return unexpected_error(request, error)


def http_error_page(request: Request, status: int, title: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "detail": "", "status": status}, status_code=status)


def is_page(request: Request) -> bool:
    return request.url.path == "/ui" or request.url.path.startswith("/ui/")


__all__ = ["MatcherError", "error_page", "is_page", "render", "see_other"]
