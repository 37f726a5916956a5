"""Challenges as matching and the needs map see them: one summary row per stored challenge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.store.corpus import challenge_row, challenge_text
from matcher.store.models import ChallengeRow


@dataclass(frozen=True)
class ChallengeSummary:
    challenge_id: str
    title: str
    text: str
    language: str
    council: str
    country: str
    organisation_id: str
    visibility: str
    skills: tuple[str, ...]
    programmes: tuple[str, ...] = ()
    opened: dt.date | None = None
    deadline: dt.date | None = None
    sector: str = ""


def challenge_summary_of(r: ChallengeRow) -> ChallengeSummary:
    return ChallengeSummary(
        r.external_id, r.title, challenge_text(r), r.language, r.sme.council, r.sme.country, r.sme.external_id,
        r.visibility, tuple(r.required_skills), tuple(r.programmes or ()), r.opened, r.deadline, r.sector or "",
    )  # fmt: skip


def open_challenges(*, session: Session) -> list[ChallengeSummary]:
    """Every open challenge, public and private, in id order (callers apply visibility)."""
    rows = session.scalars(
        select(ChallengeRow)
        .options(selectinload(ChallengeRow.sme))
        .where(ChallengeRow.status == "open")
        .order_by(ChallengeRow.external_id)
    ).all()
    return [challenge_summary_of(r) for r in rows]


def challenge_summary(challenge_id: str, *, session: Session) -> ChallengeSummary:
    """One challenge, whatever its status, as matching sees it; :class:`NotFoundError` when unknown."""
    return challenge_summary_of(challenge_row(challenge_id, session=session))


def all_challenges(*, session: Session, statuses: tuple[str, ...] | None = None) -> list[ChallengeSummary]:
    """Stored challenges (every status unless ``statuses``), public and private, in id order."""
    query = select(ChallengeRow).options(selectinload(ChallengeRow.sme)).order_by(ChallengeRow.external_id)
    if statuses:
        query = query.where(ChallengeRow.status.in_(list(statuses)))
    return [challenge_summary_of(r) for r in session.scalars(query).all()]
