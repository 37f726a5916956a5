"""Schema migrations and repository behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from matcher import types as t
from matcher.exceptions import NotFoundError
from matcher.services.database import open_database
from matcher.store import erasure as erasure_store
from matcher.store import records as repo
from matcher.store.db import current_revision, migrate, transaction
from matcher.store.models import Base, MatchRow
from tests.factories import mini_programme


def _load(factory) -> None:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        for entity, records in mini_programme().items():
            repo.upsert(entity, records, session=session)


def test_migrations_match_the_models(db_url):
    engine, _ = open_database(db_url, initialise=False)
    from alembic.script import ScriptDirectory

    from matcher.store.db import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()  # each branch adds its own revision
    assert current_revision(engine) == head
    migrate(engine)  # a second run is a no-op
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_councils_are_loaded_once(sessions):
    with sessions() as session:
        councils = repo.list_councils(session=session)
    assert [c.code for c in councils] == ["alcala", "bologna", "cork", "istanbul", "malaga", "paris"]
    assert {c.code: c.nuts2 for c in councils}["bologna"] == "ITH5"


def test_upsert_bumps_version_only_on_change(sessions):
    _load(sessions)
    org = mini_programme()["organisations"][2]
    with transaction(sessions) as session:
        counts = repo.upsert("organisations", [org], session=session)
        assert counts["unchanged"] == 1
        import dataclasses

        counts = repo.upsert("organisations", [dataclasses.replace(org, employees=35)], session=session)
        assert counts["updated"] == 1
    from matcher.store.models import OrganisationRow

    with sessions() as session:
        row = session.scalar(select(OrganisationRow).where(OrganisationRow.external_id == org.id))
        assert row is not None and row.version == 2 and row.employees == 35


def test_counts_by_council(sessions):
    _load(sessions)
    with sessions() as session:
        counts = repo.counts_by_council(session=session)
    assert counts["cork"] == {"hei": 1, "research_group": 1, "academic": 1, "student": 1, "facilities": 1}
    assert counts["bologna"] == {"sme": 1, "challenges": 1}
    assert counts["paris"] == {}


def test_erase_person_removes_every_trace(sessions):
    _load(sessions)
    with transaction(sessions) as session:
        ch = session.scalar(select(repo.ROW_CLASSES["challenges"]).limit(1))
        session.add(MatchRow(external_id="m1", match_type="consultancy", challenge_pk=ch.pk,  # type: ignore[union-attr]
                             candidate_type="person", candidate_id="stu-cork-1", score=0.5))  # fmt: skip
    with transaction(sessions) as session:
        removed = erasure_store.erase_person("stu-cork-1", session=session)
    assert removed["profiles"] == 1 and removed["documents"] == 1
    assert removed["match_records"] == 1 and removed["relationships"] == 1
    assert removed["texts"] == ["-5 degrees testing; CAD."]
    with sessions() as session:
        assert "stu-cork-1" not in {p.id for p in repo.list_records("people", session=session)}
        assert "prof-stu-cork-1" not in {p.id for p in repo.list_records("profiles", session=session)}
        assert "prof-stu-cork-1-d01" not in {d.id for d in repo.list_records("documents", session=session)}
        assert all("stu-cork-1" not in (r.source_id, r.target_id)
                   for r in repo.list_records("relationships", session=session))  # fmt: skip
        assert session.scalar(select(MatchRow)) is None
        # other people are untouched
        assert repo.get_record("people", "acad-cork-1", session=session).kind == t.PersonKind.ACADEMIC
    with pytest.raises(NotFoundError), transaction(sessions) as session:
        erasure_store.erase_person("stu-cork-1", session=session)
