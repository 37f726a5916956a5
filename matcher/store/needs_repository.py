"""Read models for the needs map: every stored challenge as matching sees it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.store.matching_repository import ChallengeSummary, _summary
from matcher.store.models import ChallengeRow

__all__ = ["all_challenges"]


def all_challenges(*, session: Session, statuses: tuple[str, ...] | None = None) -> list[ChallengeSummary]:
    """Stored challenges (every status unless ``statuses``), public and private, in id order."""
    query = select(ChallengeRow).options(selectinload(ChallengeRow.sme)).order_by(ChallengeRow.external_id)
    if statuses:
        query = query.where(ChallengeRow.status.in_(list(statuses)))
    return [_summary(r) for r in session.scalars(query).all()]
