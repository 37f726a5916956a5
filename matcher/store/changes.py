"""A per-process count of committed changes to what matching reads (profiles, documents, owners).

:func:`~matcher.store.corpus.corpus_stamp` is exact but scans five tables
(~10 ms at 10,000 profiles on SQLite), which at hundreds of requests per second costs more
than the answer itself.  This module counts, through SQLAlchemy session events, every
commit in *this* process that flushed a row of those tables, so a caller that has read the
stamp can skip reading it again until this process commits such a change -- and still
re-read it every so often for writers in other processes (``matcher import`` while the API
runs).  :meth:`matcher.services.matching.ProgrammeMatcher.ensure_fresh` uses it.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from matcher.store.models import DocumentRow, FacilityRow, OrganisationRow, PersonRow, ProfileRow

__all__ = ["corpus_generation"]

_CORPUS_ROWS = (ProfileRow, DocumentRow, OrganisationRow, PersonRow, FacilityRow)
_KEY = "matcher.corpus_changed"
_lock = threading.Lock()
_generation = itertools.count(1)
_current = 0


def corpus_generation() -> int:
    """A number that grows whenever this process commits a change to a profile, document or owner."""
    return _current


def _touches_corpus(session: Session) -> bool:
    return any(
        isinstance(o, _CORPUS_ROWS) for o in itertools.chain(session.new, session.dirty, session.deleted)
    )


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    if _touches_corpus(session):
        session.info[_KEY] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    global _current
    if session.info.pop(_KEY, False):
        with _lock:
            _current = next(_generation)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: Any) -> None:  # UPDATE / DELETE / INSERT statements bypass the unit of work
    if not state.is_select:
        state.session.info[_KEY] = True
