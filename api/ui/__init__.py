"""Pages people use, under ``/ui``, and the offline ``/docs`` and ``/redoc``.

:func:`install` adds the pages, their static files and the offline API documentation to
the application, and makes matcher errors on a page answer an HTML page (same status as
the API) instead of problem JSON.  See docs/ui.md.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import errors
from api.ui import docs, features, pages, roles
from api.ui.render import error_page, http_error_page, is_page
from matcher.exceptions import MatcherError

STATIC_URL = "/ui/static"


def install(app: FastAPI) -> None:
    """Add the pages, their static files and the offline docs to ``app`` (after :func:`api.errors.install`)."""
    app.mount(STATIC_URL, StaticFiles(directory=str(files("api.ui") / "static")), name="ui-static")
    app.include_router(pages.router)
    app.include_router(roles.router)
    app.include_router(features.router)
    docs.install(app)

    def matcher_error(request: Request, error: Exception) -> Response:
        return error_page(request, error) if is_page(request) else errors.matcher_error(request, error)

    def validation_error(request: Request, error: Exception) -> Response:
        if not is_page(request):
            return errors.request_validation_error(request, error)
        assert isinstance(error, RequestValidationError)
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in error.errors())
        return http_error_page(request, 422, f"The form is incomplete or invalid ({fields})")

    def http_error(request: Request, error: Exception) -> Response:
        if not is_page(request):
            return errors.http_error(request, error)
        assert isinstance(error, StarletteHTTPException)
        return http_error_page(request, error.status_code, str(error.detail))

    app.add_exception_handler(MatcherError, matcher_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
