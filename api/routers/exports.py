"""Pseudonymised exports for evaluators: match records with every identifier replaced."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import PrincipalDep, SessionDep
from api.schemas import ExportPage
from matcher.services.outcomes import exports

router = APIRouter(tags=["exports"])


@router.get(
    "/exports/matches", response_model=ExportPage, summary="Match records, pseudonymised (evaluators)"
)
def export_matches(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Identifiers are keyed hashes (HMAC-SHA256): stable in a deployment, not reversible by guessing ids."""
    secret: bytes = request.app.state.pseudonym_key

    def pseudonym(value: str) -> str:
        return "p-" + hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:16]

    items, total = exports.pseudonymised_matches(
        principal, pseudonym, limit=limit, offset=offset, session=session
    )
    return {"items": items, "total": total, "limit": limit, "offset": offset}
