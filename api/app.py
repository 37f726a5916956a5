"""The FastAPI application factory.

Heavy things (the database engine, later the embedding model and indexes) are
created once in the lifespan and kept on ``app.state``; nothing heavy happens at
import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from matcher import __version__
from matcher.config import Settings, load_settings
from matcher.services.database import open_database
from matcher.store.db import check_connection


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine, factory = open_database(settings.resolved_database_url)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = factory
        yield
        engine.dispose()

    app = FastAPI(
        title="Cluster Match",
        version=__version__,
        summary="Matchmaking for university-industry programmes: SME challenges to capabilities.",
        lifespan=lifespan,
    )

    @app.get("/health", tags=["operations"], summary="The process is up")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/ready", tags=["operations"], summary="The database answers")
    def ready() -> dict[str, str]:
        check_connection(app.state.engine)
        return {"status": "ready"}

    return app
