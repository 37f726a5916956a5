"""Persistence: SQLAlchemy models, migrations and repository functions (the only sqlalchemy importer)."""

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from matcher.store.db import check_connection, make_engine, migrate, session_factory, transaction

SessionFactory = sessionmaker[Session]

__all__ = [
    "Engine",
    "Session",
    "SessionFactory",
    "check_connection",
    "make_engine",
    "migrate",
    "session_factory",
    "transaction",
]
