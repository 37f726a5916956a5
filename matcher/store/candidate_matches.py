"""Match records naming given candidates (a facility host's requests), newest first."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import MatchRow


def candidate_match_ids(
    candidate_type: str, candidate_ids: Sequence[str], *, limit: int = 200, session: Session
) -> list[str]:
    """Ids of the match records whose candidate is one of ``candidate_ids``; the caller checks access."""
    if not candidate_ids:
        return []
    stmt = (
        select(MatchRow.external_id)
        .where(MatchRow.candidate_type == candidate_type, MatchRow.candidate_id.in_(list(candidate_ids)))
        .order_by(MatchRow.pk.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
