"""Operations: liveness, readiness and version (no API key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.schemas import Health, Ready, Version
from matcher import __version__
from matcher.exceptions import UnavailableError
from matcher.store.db import check_connection

router = APIRouter(tags=["operations"])
API_VERSION = "1"


@router.get("/health", response_model=Health, summary="The process is up")
def health() -> Any:
    return {"status": "ok", "version": __version__}


@router.get("/ready", response_model=Ready, summary="The database answers and the matcher is loaded")
def ready(request: Request) -> Any:
    check_connection(request.app.state.engine)
    if getattr(request.app.state, "matcher", None) is None:
        raise UnavailableError("the matching service is not loaded")
    warm_up = getattr(request.app.state, "warm_up", None)
    if warm_up is not None and not warm_up.warmed.is_set():
        raise UnavailableError("warming up: the matcher is embedding the stored profiles; try again shortly")
    return {"status": "ready", "database": "ok", "matcher": "ok"}


@router.get("/version", response_model=Version, summary="Versions of the service, API and model")
def version(request: Request) -> Any:
    settings = request.app.state.settings
    matcher = getattr(request.app.state, "matcher", None)
    return {
        "version": __version__,
        "api": API_VERSION,
        "env": settings.env,
        "embedding_model": settings.embedding_model,
        "matcher": getattr(matcher, "name", type(matcher).__name__) if matcher is not None else None,
    }
