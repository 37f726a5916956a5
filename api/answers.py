"""Whole JSON answers of the read-heavy match routes, kept while the stored data stands.

``GET /challenges/{id}/matches``, ``/profiles/{id}/challenges`` and
``/organisations/{id}/partners`` answer the same bytes to the same caller until something
stored changes.  :class:`~matcher.services.serving.VersionedMemo` (``app.state.answers``)
keeps each rendered body keyed by the caller, the path and the query, tagged with the
store's version; a hit skips matching, the access rules and storing the suggestions, all of
which would reproduce the same body.  Bodies are rendered through the route's response model,
as FastAPI would render them (a test compares the bytes with the memo on and off).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from matcher.services.access import Principal
from matcher.store import Session


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
        key = (principal, request.url.path, request.url.query, id(request.app.state.matcher))
        body = memo.get_or_compute(key, render, session=session)
    return Response(body, media_type="application/json")
