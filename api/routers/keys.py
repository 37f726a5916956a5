"""API keys over HTTP (admins), and ``/me`` for every key."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, status

from api.deps import PrincipalDep, SessionDep
from api.schemas import KeyCreate, KeyCreated, KeyOut, Me
from matcher.services import access

router = APIRouter(tags=["keys"])


@router.get("/me", response_model=Me, summary="Who this API key is")
def me(principal: PrincipalDep) -> Any:
    return {
        "role": principal.role,
        "organisation_id": principal.organisation_id,
        "council": principal.council,
        "managed": sorted(principal.managed),
        "key_id": principal.key_id,
    }


@router.post(
    "/keys", response_model=KeyCreated, status_code=status.HTTP_201_CREATED, summary="Create an API key"
)
def create_key(body: KeyCreate, principal: PrincipalDep, session: SessionDep) -> Any:
    """The key is in the answer once; only its hash is stored."""
    key, stored = access.create_key_as(
        principal,
        body.role,
        organisation_id=body.organisation_id,
        council=body.council,
        label=body.label,
        session=session,
    )
    return {**asdict(stored), "key": key}


@router.get("/keys", response_model=list[KeyOut], summary="List API keys (never the keys themselves)")
def list_keys(principal: PrincipalDep, session: SessionDep) -> Any:
    return [asdict(k) for k in access.list_keys(principal, session=session)]


@router.delete("/keys/{key_id}", response_model=KeyOut, summary="Revoke an API key")
def revoke_key(
    key_id: Annotated[int, Path(ge=1, le=2_000_000_000)],
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> Any:
    """Not the key making the request, nor the bootstrap key (`MATCHER_ADMIN_KEY`): 409."""
    bootstrap = request.app.state.settings.admin_key
    return asdict(access.revoke_key(principal, key_id, bootstrap_key=bootstrap, session=session))
