"""Shared fixtures: databases (SQLite always, PostgreSQL when MATCHER_TEST_POSTGRES_URL is set).

Each PostgreSQL test session works in a schema of its own (``cm_test_<random>``) that is
dropped at the end, so concurrent runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PG_URL = os.environ.get("MATCHER_TEST_POSTGRES_URL")
PG_SKIP_REASON = "MATCHER_TEST_POSTGRES_URL is not set: PostgreSQL suites skipped (.ci/run sets it)"

DB_BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)]
    ),
]


def _pg_schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL schema for this test session."""
    from matcher.services.database import open_database
    from matcher.store.db import make_engine

    schema = f"cm_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_schema_url(schema)
    engine, _ = open_database(url)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _wipe(factory: sessionmaker[Session]) -> None:
    from matcher.store.models import Base

    with factory() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "councils":
                session.execute(table.delete())
        session.commit()


@pytest.fixture(params=DB_BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A migrated database with the councils loaded and no other rows, on each backend."""
    if request.param == "sqlite":
        from matcher.services.database import open_database

        url = f"sqlite:///{tmp_path / 'matcher.db'}"
        engine, _ = open_database(url)
        engine.dispose()
        return url
    url = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    from matcher.services.database import open_database

    engine, factory = open_database(db_url, initialise=False)
    _wipe(factory)
    yield factory
    _wipe(factory)
    engine.dispose()
