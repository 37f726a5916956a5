"""Per-process counts of committed changes: to what matching reads, and to anything stored.

:func:`~matcher.store.corpus.corpus_stamp` is exact but scans five tables
(~10 ms at 10,000 profiles on SQLite), which at hundreds of requests per second costs more
than the answer itself.  This module counts, through SQLAlchemy session events, every
commit in *this* process that flushed a row of those tables, so a caller that has read the
stamp can skip reading it again until this process commits such a change -- and still
re-read it every so often for writers in other processes (``matcher import`` while the API
runs).  :meth:`matcher.services.matching.ProgrammeMatcher.ensure_fresh` uses it.

:func:`store_generation` counts the same way every commit that wrote *any* row, and
:class:`StoreVersion` adds what other processes wrote, read at most every ``interval``
seconds from a token that costs microseconds (SQLite: ``PRAGMA data_version`` on a
connection of its own, which moves whenever another connection commits; PostgreSQL: the
server's current snapshot, which moves whenever any write transaction starts or ends).  A value computed from the store while
:meth:`StoreVersion.current` returned ``v`` is still exact while it returns ``v``: that is
how the API keeps whole answers (:mod:`matcher.services.serving`).
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from matcher.store.models import DocumentRow, FacilityRow, OrganisationRow, PersonRow, ProfileRow

__all__ = ["StoreVersion", "corpus_generation", "session_wrote", "store_generation"]

_CORPUS_ROWS = (ProfileRow, DocumentRow, OrganisationRow, PersonRow, FacilityRow)
_KEY = "matcher.corpus_changed"
_WROTE = "matcher.store_changed"
_lock = threading.Lock()
_generation = itertools.count(1)
_current = 0
_store_current = 0


def corpus_generation() -> int:
    """A number that grows whenever this process commits a change to a profile, document or owner.

    It also grows when a :class:`StoreVersion` sees that another process committed (which
    may have been such a change), so that whoever skips re-reading the corpus while this
    number stands reads it again before computing an answer kept under the new version.
    """
    return _current


def _others_committed() -> None:
    global _current
    with _lock:
        _current = next(_generation)


def store_generation() -> int:
    """A number that grows whenever this process commits a session that wrote any row."""
    return _store_current


def session_wrote(session: Session) -> bool:
    """Whether ``session`` wrote a row since its last commit (flushed or pending)."""
    return bool(session.info.get(_WROTE)) or _writes(session)


def _touches_corpus(session: Session) -> bool:
    return any(
        isinstance(o, _CORPUS_ROWS) for o in itertools.chain(session.new, session.dirty, session.deleted)
    )


def _writes(session: Session) -> bool:
    """Whether this flush writes: new or deleted rows, or rows whose values really changed.

    Setting an attribute to its current value marks a row dirty but flushes no UPDATE
    (storing unchanged suggestions again, say), so it is not a write.
    """
    return bool(session.new or session.deleted) or any(
        session.is_modified(o, include_collections=False) for o in session.dirty
    )


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:  # the session still shows what it flushed
    if _touches_corpus(session):
        session.info[_KEY] = True
    if _writes(session):
        session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:  # after the database committed: readers from now on see it
    """Count a commit of the outermost transaction only.

    SQLAlchemy fires ``after_commit`` when a savepoint (``begin_nested()``) is released too,
    while the enclosing transaction is still uncommitted: counting it then would announce
    writes that no other session can read yet, and forget them (the flags popped) before
    the real commit, whose writes would then go uncounted.
    """
    global _current, _store_current
    if session.in_nested_transaction():
        return
    corpus, wrote = session.info.pop(_KEY, False), session.info.pop(_WROTE, False)
    if corpus or wrote:
        with _lock:
            value = next(_generation)
            if corpus:
                _current = value
            _store_current = value


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous: Any) -> None:
    """Forget the flags when the whole transaction rolled back, not a savepoint or a failed flush in it.

    What the enclosing transaction wrote before a rolled-back savepoint is still to be committed.
    """
    if previous.parent is not None:
        return
    session.info.pop(_KEY, None)
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: Any) -> None:  # UPDATE / DELETE / INSERT statements bypass the unit of work
    if not state.is_select:
        state.session.info[_KEY] = True
        state.session.info[_WROTE] = True


class StoreVersion:
    """What the stored data's version is, as far as this process can tell cheaply.

    Parameters
    ----------
    engine : Engine
        The database whose other writers are watched.
    interval : float
        Seconds for which a reading of other processes' writes stands; ``0`` reads it on
        every call.  This process's own commits count at once.
    """

    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        self.engine = engine
        self.interval = interval
        self._lock = threading.Lock()
        self._token: Any = _MISSING
        self._epoch = 0
        self._read_at = float("-inf")
        self._watch: sqlite3.Connection | None = None

    def _other_writers(self) -> Any:
        """A token that changes whenever another connection committed a write (never misses one)."""
        url = self.engine.url
        if url.get_backend_name() != "sqlite":
            with self.engine.connect() as conn:  # read-only: takes no transaction id, moves nothing
                return conn.execute(text("SELECT pg_current_snapshot()::text")).scalar()
        if not url.database or url.database == ":memory:":
            return None  # a private in-memory database: no other connection writes to it
        if self._watch is None:
            self._watch = sqlite3.connect(url.database, check_same_thread=False)
        return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def current(self) -> tuple[int, int]:
        """``(this process's write generation, epoch of other processes' writes)``."""
        generation = store_generation()
        now = time.monotonic()
        with self._lock:
            if now - self._read_at >= self.interval:
                token = self._other_writers()
                if token != self._token:
                    self._token, self._epoch = token, self._epoch + 1
                    # The matcher's own freshness check runs on a clock of its own: had it checked
                    # after this version's last reading, it would trust a fit older than the write
                    # just seen, and that stale answer would be kept under the new version.
                    _others_committed()
                self._read_at = now
            return generation, self._epoch


_MISSING = object()
