"""Whole JSON answers of the read-heavy match routes, kept while the stored data stands.

``GET /challenges/{id}/matches``, ``/profiles/{id}/challenges`` and
``/organisations/{id}/partners`` answer the same bytes to the same caller until something
stored changes.  :class:`~matcher.services.serving.VersionedMemo` (``app.state.answers``)
keeps each rendered body keyed by the caller, the path and the query, tagged with the
store's version; a hit skips matching, the access rules and storing the suggestions, all of
which would reproduce the same body.  Bodies are rendered through the route's response model,
as FastAPI would render them (a test compares the bytes with the memo on and off).

:class:`KeptAnswers` replays a kept body before routing: FastAPI's dependency solving,
validation and thread hops cost several times the lookup itself.  It only ever *replays*:
the caller is authenticated as the route would (:func:`matcher.services.access.authenticate`,
on every request, so a revoked key is refused at once), the key is the one the route used,
and anything but a current hit -- no key, a bad key, a new path or query, a write since --
goes on to the route, which answers (and renders errors) as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import anyio.to_thread
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from matcher.exceptions import AuthenticationError
from matcher.services import access
from matcher.services.access import Principal
from matcher.store import Session


def answer_key(principal: Principal, request: Request) -> Hashable:
    """What a kept answer is filed under: the caller, the path, the query and the matcher serving it."""
    return (principal, request.url.path, request.url.query, id(request.app.state.matcher))


def _tag(request: Request) -> tuple[str, str]:
    return (request.url.path, request.url.query)


def presented_key(request: Request) -> str | None:
    """The API key as :func:`api.deps.principal` reads it: ``X-API-Key``, else a bearer token."""
    key = request.headers.get("x-api-key")
    if key:
        return key
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" and token else None


def kept_json(
    request: Request,
    principal: Principal,
    session: Session,
    model: type[BaseModel],
    compute: Callable[[], Any],
) -> Response:
    """``compute()``'s body validated by ``model``, or the same body kept from an earlier request."""

    def render() -> bytes:
        return bytes(JSONResponse(model.model_validate(compute()).model_dump(mode="json")).body)

    memo = getattr(request.app.state, "answers", None)
    if memo is None:
        body = render()
    else:
        body = memo.get_or_compute(answer_key(principal, request), render, session=session, tag=_tag(request))
    return Response(body, media_type="application/json")


class KeptAnswers:
    """ASGI middleware: a GET whose answer is kept for its caller is replayed without routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            request = Request(scope)
            memo = getattr(request.app.state, "answers", None)
            if memo is not None and memo.holds(_tag(request)):  # else not worth authenticating twice
                body = await anyio.to_thread.run_sync(self._replay, request, memo)
                if body is not None:
                    await Response(body, media_type="application/json")(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _replay(request: Request, memo: Any) -> bytes | None:
        key = presented_key(request)
        if key is None:
            return None
        try:
            with request.app.state.sessions() as session:
                principal = access.authenticate(key, session=session)
        except AuthenticationError:
            return None  # the route refuses it, with its own problem document
        body = memo.kept(answer_key(principal, request))
        return body if isinstance(body, bytes) else None
