"""Opening the configured database: one place that turns settings into an engine."""

from __future__ import annotations

from pathlib import Path

from matcher.services.importing import load_councils_csv
from matcher.store import Engine, SessionFactory, make_engine, migrate, session_factory, transaction
from matcher.store import records as repo

COUNCILS_CSV = Path(__file__).resolve().parents[2] / "data" / "councils.csv"


def open_database(url: str, *, initialise: bool = True) -> tuple[Engine, SessionFactory]:
    """Engine and session factory for ``url``; with ``initialise``, migrate and load the councils."""
    engine = make_engine(url)
    factory = session_factory(engine)
    if initialise:
        initialise_database(engine, factory)
    return engine, factory


def initialise_database(engine: Engine, factory: SessionFactory) -> int:
    """Run the migrations and load the six councils (both idempotent); returns the council count."""
    migrate(engine)
    with transaction(factory) as session:
        return repo.upsert_councils(load_councils_csv(COUNCILS_CSV), session=session)
