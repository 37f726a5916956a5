"""Match records: stored suggestions, their status changes and contact steps.

A record is found by its pair (type, challenge, candidate), so each pair has one record
whichever direction showed it first.  Every function takes ``*, session`` and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from matcher import types as t
from matcher.domain.matches import Contact, MatchStep, Suggestion, new_match_id
from matcher.exceptions import NotFoundError
from matcher.store.db import as_utc
from matcher.store.models import ChallengeRow, MatchEventRow, MatchRow

#: How a contact step is stored in ``match_events.status`` (a String(16) column shared with the
#: match statuses; a contact step leaves the record's own status unchanged).
_CONTACT_STORED = {
    Contact.REQUESTED: "contact_request",
    Contact.APPROVED: "contact_approved",
    Contact.DECLINED: "contact_declined",
}
_CONTACT_READ = {v: k for k, v in _CONTACT_STORED.items()}


def _match(row: MatchRow) -> t.MatchRecord:
    history: list[t.MatchEvent] = []
    status = t.MatchStatus.PROPOSED
    for e in row.events:
        contact = _CONTACT_READ.get(e.status)
        if contact is None:
            status = t.MatchStatus(e.status)
        history.append(
            MatchStep(
                status=status,
                at=as_utc(e.at) or e.at,
                actor=e.actor,
                reason=t.DeclineReason(e.reason) if e.reason else None,
                note=e.note,
                rating=e.rating,
                contact=contact,
            )
        )
    return t.MatchRecord(
        id=row.external_id,
        match_type=t.Programme(row.match_type),
        challenge_id=row.challenge.external_id,
        candidate_type=t.NodeType(row.candidate_type),
        candidate_id=row.candidate_id,
        score=row.score,
        reasons=dict(row.reasons or {}),
        status=t.MatchStatus(row.status),
        decline_reason=t.DeclineReason(row.decline_reason) if row.decline_reason else None,
        rating=row.rating,
        history=tuple(history),
    )


def _insert_or_get_match(
    match_type: t.Programme, challenge_pk: int, s: Suggestion, *, session: Session
) -> MatchRow:
    """A new ``proposed`` record for the pair, or the one a concurrent request stored first.

    Two first views of the same pair may race; the loser's insert violates the pair's
    unique constraint inside a savepoint, which is rolled back, and the winner's row is used.
    """
    row = MatchRow(
        external_id=new_match_id(),
        match_type=match_type.value,
        challenge_pk=challenge_pk,
        candidate_type=s.candidate_type.value,
        candidate_id=s.candidate_id,
        score=float(s.score),
        reasons=s.reasons,
        status=t.MatchStatus.PROPOSED.value,
        version=1,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        winner = session.scalar(
            select(MatchRow).where(
                MatchRow.match_type == match_type.value,
                MatchRow.challenge_pk == challenge_pk,
                MatchRow.candidate_type == s.candidate_type.value,
                MatchRow.candidate_id == s.candidate_id,
            )
        )
        if winner is None:  # the conflict was something else: let it surface
            raise
        return winner
    return row


def record_suggestions(
    match_type: t.Programme, challenge_id: str, suggestions: Sequence[Suggestion], *, session: Session
) -> list[tuple[t.MatchRecord, int]]:
    """Store ranked suggestions as match records (new ones ``proposed``; others keep their status).

    A record is found by its pair (type, challenge, candidate), so each pair has one record
    whichever direction (a challenge's matches, a profile's challenges) showed it first.
    """
    challenge_pk = session.scalar(select(ChallengeRow.pk).where(ChallengeRow.external_id == challenge_id))
    if challenge_pk is None:
        raise NotFoundError(f"no challenge with id {challenge_id!r}")
    wanted = [(s.candidate_type.value, s.candidate_id) for s in suggestions]
    existing: dict[tuple[str, str], MatchRow] = {}
    if wanted:
        existing = {
            (r.candidate_type, r.candidate_id): r
            for r in session.scalars(
                select(MatchRow)
                .options(
                    selectinload(MatchRow.events), joinedload(MatchRow.challenge)
                )  # one query, not 2 per row
                .where(
                    MatchRow.match_type == match_type.value,
                    MatchRow.challenge_pk == challenge_pk,
                    tuple_(MatchRow.candidate_type, MatchRow.candidate_id).in_(wanted),
                )
            )
        }
    rows = []
    for pair, s in zip(wanted, suggestions, strict=True):
        row = existing.get(pair)
        if row is None:
            row = _insert_or_get_match(match_type, challenge_pk, s, session=session)
            existing[pair] = row
        elif row.status == t.MatchStatus.PROPOSED.value:
            row.score, row.reasons = float(s.score), s.reasons
        rows.append(row)
    session.flush()
    return [(_match(r), r.version) for r in rows]


def pair_matches(
    challenge_id: str, candidate_type: str, candidate_id: str, *, session: Session
) -> list[tuple[t.MatchRecord, int]]:
    """Every match record (of any type) between a challenge and a candidate."""
    rows = session.scalars(
        select(MatchRow)
        .join(MatchRow.challenge)
        .where(
            ChallengeRow.external_id == challenge_id,
            MatchRow.candidate_type == candidate_type,
            MatchRow.candidate_id == candidate_id,
        )
        .order_by(MatchRow.pk)
    )
    return [(_match(r), r.version) for r in rows]


def get_match(match_id: str, *, session: Session, lock: bool = False) -> tuple[t.MatchRecord, int]:
    stmt = select(MatchRow).where(MatchRow.external_id == match_id)
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:
        raise NotFoundError(f"no match with id {match_id!r}")
    return _match(row), row.version


def apply_match_event(
    match_id: str,
    event: t.MatchEvent,
    *,
    status: t.MatchStatus,
    decline_reason: t.DeclineReason | None,
    rating: int | None,
    session: Session,
) -> tuple[t.MatchRecord, int]:
    """Append ``event`` to a match record, set its status, reason and rating, and bump its version."""
    row = session.scalar(select(MatchRow).where(MatchRow.external_id == match_id))
    if row is None:
        raise NotFoundError(f"no match with id {match_id!r}")
    row.status = status.value
    row.decline_reason = decline_reason.value if decline_reason else None
    row.rating = rating
    row.version += 1
    row.events.append(
        MatchEventRow(
            status=event.status.value,
            at=event.at,
            actor=event.actor,
            reason=event.reason.value if event.reason else None,
            note=event.note,
            rating=event.rating,
        )
    )
    session.flush()
    session.refresh(row)
    return _match(row), row.version


def append_contact_step(
    match_id: str,
    contact: Contact,
    *,
    at: dt.datetime,
    actor: str,
    reason: t.DeclineReason | None,
    note: str,
    session: Session,
) -> tuple[t.MatchRecord, int]:
    """Append a dated, attributed contact step to a match record (its status is unchanged); bump its version."""
    row = session.scalar(select(MatchRow).where(MatchRow.external_id == match_id))
    if row is None:
        raise NotFoundError(f"no match with id {match_id!r}")
    row.version += 1
    row.events.append(
        MatchEventRow(
            status=_CONTACT_STORED[contact],
            at=at,
            actor=actor,
            reason=reason.value if reason else None,
            note=note,
            rating=None,
        )
    )
    session.flush()
    session.refresh(row)
    return _match(row), row.version


def list_matches(*, limit: int, offset: int, session: Session) -> tuple[list[t.MatchRecord], int]:
    total = session.scalar(select(func.count(MatchRow.pk))) or 0
    rows = session.scalars(select(MatchRow).order_by(MatchRow.pk).limit(limit).offset(offset))
    return [_match(r) for r in rows], total


def challenge_matches(
    challenge_id: str,
    *,
    match_types: Sequence[str],
    status: str | None = None,
    session: Session,
) -> list[tuple[t.MatchRecord, int]]:
    """Stored match records of a challenge (of the given types), by type and then best score first."""
    stmt = (
        select(MatchRow)
        .join(MatchRow.challenge)
        .where(ChallengeRow.external_id == challenge_id, MatchRow.match_type.in_(list(match_types)))
        .order_by(MatchRow.match_type, MatchRow.score.desc(), MatchRow.external_id)
    )
    if status is not None:
        stmt = stmt.where(MatchRow.status == status)
    return [(_match(r), r.version) for r in session.scalars(stmt)]


def candidate_match_ids(
    candidate_type: str, candidate_ids: Sequence[str], *, limit: int = 200, session: Session
) -> list[str]:
    """Ids of the match records whose candidate is one of ``candidate_ids``, newest first; the caller checks access."""
    if not candidate_ids:
        return []
    stmt = (
        select(MatchRow.external_id)
        .where(MatchRow.candidate_type == candidate_type, MatchRow.candidate_id.in_(list(candidate_ids)))
        .order_by(MatchRow.pk.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
