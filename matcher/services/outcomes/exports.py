"""Pseudonymised exports of match records for evaluation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matcher.domain.matches import contact_of
from matcher.exceptions import PermissionDeniedError
from matcher.services.access import Principal, Role
from matcher.store import Session
from matcher.store import matches as matches_store


def pseudonymised_matches(
    principal: Principal, pseudonym: Callable[[str], str], *, limit: int, offset: int, session: Session
) -> tuple[list[dict[str, Any]], int]:
    """Match records with every identifier replaced by ``pseudonym(id)`` (evaluators, admins)."""
    if principal.role not in (Role.ADMIN, Role.EVALUATOR):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read exports")
    matches, total = matches_store.list_matches(limit=limit, offset=offset, session=session)
    rows = [
        {
            "match": pseudonym(m.id),
            "match_type": m.match_type.value,
            "challenge": pseudonym(m.challenge_id),
            "candidate_type": m.candidate_type.value,
            "candidate": pseudonym(m.candidate_id),
            "score": m.score,
            "status": m.status.value,
            "decline_reason": m.decline_reason.value if m.decline_reason else None,
            "rating": m.rating,
            "events": [
                {
                    "status": e.status.value,
                    "at": e.at.isoformat() if e.at else None,
                    "reason": e.reason.value if e.reason else None,
                    "rating": e.rating,
                    "contact": c.value if (c := contact_of(e)) else None,
                }
                for e in m.history
            ],
        }
        for m in matches
    ]
    return rows, total
