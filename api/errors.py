"""Errors as problem details (RFC 9457), one stable ``type`` per kind of error.

Only this module maps the core's exceptions (:mod:`matcher.exceptions`) to HTTP
status codes.  Every problem carries the request id, so a user's report can be
found in the logs.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import MalformedHeaderError
from api.observability import request_id_var
from api.schemas import RESOURCES, Problem
from matcher import exceptions as exc
from matcher.exceptions import (
    AuthenticationError,
    PreconditionRequiredError,
    RejectedRowsError,
    StaleVersionError,
)

log = logging.getLogger("api.errors")

PROBLEM_BASE = "https://cluster-match.eu/problems/"
MEDIA_TYPE = "application/problem+json"

#: Exception class -> (status, type slug, title); the first matching class wins (most specific first).
MAPPING: list[tuple[type[BaseException], int, str, str]] = [
    (AuthenticationError, 401, "unauthenticated", "A valid API key is required"),
    (MalformedHeaderError, 400, "malformed-header", "A request header is malformed"),
    (StaleVersionError, 412, "stale-version", "The record changed since you read it"),
    (PreconditionRequiredError, 428, "precondition-required", "Send If-Match with the ETag you read"),
    (RejectedRowsError, 422, "rejected-rows", "Rows of the upload are invalid"),
    (exc.ValidationError, 422, "invalid-input", "The input is invalid"),
    (exc.NotFoundError, 404, "not-found", "Not found"),
    (exc.PermissionDeniedError, 403, "forbidden", "Your key does not allow this"),
    (exc.ConflictError, 409, "conflict", "The request conflicts with stored state"),
    (exc.NotFittedError, 503, "not-ready", "The matcher is not ready"),
    (exc.UnavailableError, 503, "unavailable", "A dependency is unavailable"),
    (exc.ConfigurationError, 500, "misconfigured", "The service is misconfigured"),
]
#: Statuses every operation may answer with a problem.
COMMON_PROBLEMS = {
    400: "Malformed request",
    401: "Missing or unknown API key",
    403: "The key's role does not allow this",
    404: "Not found (or not visible to this key)",
    409: "Conflicts with stored state",
    412: "If-Match names a stale version",
    422: "Invalid input, with located errors",
    503: "Database or matcher unavailable",
}
#: Statuses only changes of records (PUT, DELETE) may answer with.
WRITE_PROBLEMS = {428: "If-Match is required: send the ETag you read"}
#: The operations that require If-Match (PUT and DELETE of records).
GUARDED_OPERATIONS = frozenset(f"{verb}_{entity}" for entity in RESOURCES for verb in ("update", "delete"))


#: At most this many located errors are listed in a problem; ``error_count`` says how many there were.
MAX_ERRORS = 100


def capped(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``errors`` of a problem: the first :data:`MAX_ERRORS`, and how many there were in all."""
    return {"errors": errors[:MAX_ERRORS], "error_count": len(errors)}


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str | None,
    request: Request | None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        request_id=request_id_var.get(),
        **extra,
    )
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = 'ApiKey header="X-API-Key"'
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def _located(error: exc.ValidationError) -> dict[str, Any]:
    loc = error.location
    out = {"file": loc.file, "line": loc.line, "field": loc.field, "reason": error.reason}
    return {k: v for k, v in out.items() if v is not None}


def matcher_error(request: Request, error: Exception) -> JSONResponse:
    for cls, status, slug, title in MAPPING:
        if isinstance(error, cls):
            extra: dict[str, Any] = {}
            if isinstance(error, RejectedRowsError):
                extra = capped([_located(e) for e in error.errors])
            elif isinstance(error, exc.ValidationError):
                extra = capped([_located(error)])
            detail = error.reason if isinstance(error, exc.ValidationError) else str(error)
            if status >= 500:  # 503 (warming up, a dependency away) is transient: a warning, not an error
                level = logging.WARNING if isinstance(error, exc.UnavailableError) else logging.ERROR
                log.log(level, "%s: %s", type(error).__name__, error)
            return problem(status, slug, title, detail, request, **extra)
    return unexpected_error(request, error)


def request_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    raw = error.errors()
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg", "")}
        for e in raw[:MAX_ERRORS]
    ]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors[:3])
    if len(raw) > MAX_ERRORS:
        detail += f" (and {len(raw) - 3} more)"
    title = "The request does not match the API schema"
    return problem(422, "invalid-request", title, detail, request, errors=errors, error_count=len(raw))


def http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    slug = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 401: "unauthenticated",
            413: "too-large"}.get(error.status_code, f"http-{error.status_code}")  # fmt: skip
    headers = dict(error.headers or {})
    if error.status_code == 405:  # every method of the path, not only those of the route that matched
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem(error.status_code, slug, str(error.detail), None, request, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for the request's path (HEAD with GET)."""
    table = getattr(request.app.state, "path_methods", None)
    if table is None:
        table = [
            (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"), set(ops))
            for path, ops in request.app.openapi().get("paths", {}).items()
        ]
        request.app.state.path_methods = table
    methods: set[str] = set()
    for pattern, ops in table:
        if pattern.match(request.url.path):
            methods |= {m.upper() for m in ops}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=error)
    return problem(500, "internal", "Internal error", "see the server log for this request id", request)


def install(app: FastAPI) -> None:
    """Register the handlers and document the problems in the OpenAPI schema."""
    app.add_exception_handler(exc.MatcherError, matcher_error)
    app.add_exception_handler(RequestValidationError, request_validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = {"$ref": "#/components/schemas/Problem"}
        for path in schema.get("paths", {}).values():
            for method, operation in path.items():
                responses = operation.setdefault("responses", {})
                guarded = operation.get("operationId") in GUARDED_OPERATIONS
                for parameter in operation.get("parameters", []):
                    if guarded and parameter.get("name") == "if-match":
                        parameter["required"] = True  # 428 without it (checked in the route)
                problems = COMMON_PROBLEMS | (WRITE_PROBLEMS if guarded else {})
                if method != "head":
                    problems = problems | {413: "The request body is too large"}
                for status, description in sorted(problems.items()):
                    responses[str(status)] = {
                        "description": description,
                        "content": {MEDIA_TYPE: {"schema": ref}},
                    }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
