"""Match records: one per pair, even when two first views of a pair race."""

from __future__ import annotations

from sqlalchemy import event, select

from matcher import types as t
from matcher.domain.matches import Suggestion
from matcher.store import matches as matches_store
from matcher.store import records as repo
from matcher.store.db import transaction
from matcher.store.models import ChallengeRow, MatchRow
from tests.factories import mini_programme


def test_a_racing_first_view_reuses_the_winners_record(sessions):
    with transaction(sessions) as session:
        for entity, records in mini_programme().items():
            repo.upsert(entity, records, session=session)
    suggestion = Suggestion(t.NodeType.PERSON, "stu-cork-1", 0.7)

    raced = []

    def competitor_stores_the_pair_first(session, _context, _instances):  # type: ignore[no-untyped-def]
        if raced:
            return
        raced.append(True)
        with transaction(sessions) as other:  # another request, committed before ours flushes
            matches_store.record_suggestions(t.Programme.CONSULTANCY, "ch-bo-1", [suggestion], session=other)

    with transaction(sessions) as session:
        session.scalar(select(ChallengeRow.pk))  # our request has started reading
        event.listen(session, "before_flush", competitor_stores_the_pair_first)
        ((record, _version),) = matches_store.record_suggestions(
            t.Programme.CONSULTANCY, "ch-bo-1", [suggestion], session=session
        )
    with sessions() as session:
        rows = session.scalars(select(MatchRow)).all()
    assert raced and len(rows) == 1
    assert record.id == rows[0].external_id
