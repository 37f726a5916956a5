"""The FastAPI application factory.

Heavy things (the database engine, the matcher with its embedding model and
indexes) are created once in the lifespan and kept on ``app.state``; nothing heavy
happens at import time.  Routes are sync (``def``) wherever they touch the
database or score, so that FastAPI runs them in its thread pool.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors, ui
from api.answers import KeptAnswers
from api.limits import BodyLimitMiddleware
from api.matching import Matcher, default_matcher, refresher
from api.observability import RequestIdMiddleware, configure_logging
from api.routers import (
    allocations,
    exports,
    imports,
    keys,
    matches,
    operations,
    records,
    relationships,
    training,
)
from api.routers import graph as graph_routes
from matcher import __version__
from matcher.config import Settings, load_settings
from matcher.services.access import ensure_bootstrap_key
from matcher.services.database import open_database
from matcher.services.serving import VersionedMemo
from matcher.store import transaction
from matcher.store.changes import StoreVersion

DESCRIPTION = """\
Every route except `/health`, `/ready` and `/version` needs an API key in the `X-API-Key`
header (or `Authorization: Bearer <key>`); create one with `matcher keys create`.
Errors are problem details (RFC 9457, `application/problem+json`) with a stable `type`.
Writes honour `If-Match` with the `ETag` of a read.  See docs/api.md for a walkthrough per role.
"""

_UNSET = object()
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, matcher: Matcher | object | None = _UNSET) -> FastAPI:
    """Build the application.

    Parameters
    ----------
    settings
        Defaults to the environment (``MATCHER_*``).
    matcher
        The matching service to use; by default :func:`api.matching.default_matcher`
        builds it in the lifespan.  Tests pass a fake (or ``None``: no matcher).
    """
    settings = settings or load_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine, factory = open_database(settings.resolved_database_url)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = factory
        if settings.admin_key:
            with transaction(factory) as session:
                ensure_bootstrap_key(settings.admin_key, session=session)
        # Pseudonyms for exports are keyed; without a configured secret (development and test only:
        # Settings refuses production without one) they hold for this process only.
        if settings.pseudonym_secret is None:
            log.warning("MATCHER_PSEUDONYM_SECRET is not set: export pseudonyms hold for this process only")
        app.state.pseudonym_key = (settings.pseudonym_secret or secrets.token_hex(32)).encode()
        app.state.matcher = default_matcher(settings) if matcher is _UNSET else matcher
        version = StoreVersion(engine, settings.freshness_interval)  # one watch of the store for both
        app.state.answers = VersionedMemo(version, settings.answer_cache)
        warming = matcher is _UNSET and settings.warm_start
        app.state.warm_up = (
            refresher(app.state.matcher, factory, version, settings.freshness_interval) if warming else None
        )
        yield
        if app.state.warm_up is not None:
            app.state.warm_up.stop()
        engine.dispose()

    app = FastAPI(
        title="Cluster Match",
        version=__version__,
        summary="Matchmaking for university-industry programmes: SME challenges to capabilities.",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served offline by api.ui.docs
        redoc_url=None,
    )
    app.add_middleware(KeptAnswers)  # innermost: request ids, access log and body limit apply to replays
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(RequestIdMiddleware)
    errors.install(app)
    app.include_router(operations.router)
    app.include_router(keys.router)
    for router in records.ROUTERS:
        app.include_router(router)
    app.include_router(matches.router)
    app.include_router(relationships.router)
    app.include_router(imports.router)
    app.include_router(exports.router)
    app.include_router(graph_routes.router)
    app.include_router(allocations.router)
    ui.install(app)
    app.include_router(training.router)
    return app
