"""``load_corpus`` reads plain columns and gives what the ORM graph gave, on SQLite and PostgreSQL.

The oracle is the previous implementation (mapped profiles with their documents and owners
loaded by ``selectinload``), kept here: on a demo programme, with owners of every kind and
records edited to cover each rule's inputs, both must build the same ``Corpus``, field by
field, in the same order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from matcher.cli import main
from matcher.store.corpus import Candidate, Corpus, CorpusDocument, build_corpus, load_corpus
from matcher.store.models import DocumentRow, FacilityRow, OrganisationRow, PersonRow, ProfileRow


def orm_corpus(*, session: Session) -> Corpus:
    """The previous ``load_corpus``: mapped objects and their relationships."""
    profiles = session.scalars(
        select(ProfileRow).options(
            selectinload(ProfileRow.documents),
            selectinload(ProfileRow.organisation),
            selectinload(ProfileRow.person).selectinload(PersonRow.organisation),
            selectinload(ProfileRow.facility).selectinload(FacilityRow.host),
        )
    ).all()
    entries: list[tuple[Candidate, list[CorpusDocument]]] = []
    for p in profiles:
        if p.organisation is not None:
            o = p.organisation
            cand = Candidate(p.external_id, "organisation", o.external_id, o.name, o.kind, o.council, o.country,
                             o.external_id, o.visibility, o.consent)  # fmt: skip
        elif p.person is not None:
            pe, o = p.person, p.person.organisation
            cand = Candidate(p.external_id, "person", pe.external_id, pe.name, pe.kind, o.council, o.country,
                             o.external_id, o.visibility, pe.consent and o.consent, skills=tuple(pe.skills),
                             available_from=pe.available_from, available_to=pe.available_to)  # fmt: skip
        else:
            f = p.facility
            assert f is not None
            cand = Candidate(p.external_id, "facility", f.external_id, f.name, f.kind, f.council, f.country,
                             f.host.external_id, f.host.visibility, f.host.consent,
                             available_from=f.available_from, available_to=f.available_to,
                             capacity=f.capacity)  # fmt: skip
        docs = [CorpusDocument(d.external_id, p.external_id, d.text, d.language) for d in p.documents]
        entries.append((cand, docs))
    return build_corpus(entries)


@pytest.fixture
def programme(db_url: str, sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MATCHER_EMBEDDING_BACKEND", "fake")
    monkeypatch.setenv("MATCHER_VAR_DIR", str(tmp_path / "var"))
    out = tmp_path / "demo"
    assert main(["demo-data", "--scale", "0.1", "--out", str(out), "--database-url", db_url]) == 0
    with sessions.begin() as s:  # give every rule input more than one value
        org_ids = s.scalars(select(OrganisationRow.pk).order_by(OrganisationRow.pk)).all()
        s.execute(update(OrganisationRow).where(OrganisationRow.pk.in_(org_ids[::3])).values(consent=False))
        s.execute(
            update(OrganisationRow).where(OrganisationRow.pk.in_(org_ids[1::4])).values(visibility="private")
        )
        person_ids = s.scalars(select(PersonRow.pk).order_by(PersonRow.pk)).all()
        s.execute(update(PersonRow).where(PersonRow.pk.in_(person_ids[::5])).values(consent=False))
        s.execute(
            update(PersonRow)
            .where(PersonRow.pk.in_(person_ids[1::3]))
            .values(
                available_from=dt.date(2027, 1, 1), available_to=dt.date(2027, 6, 30), skills=["cad", "fea"]
            )
        )
        s.execute(update(FacilityRow).values(capacity=3, available_from=dt.date(2026, 9, 1)))
        # a profile without documents is not a candidate
        first = s.scalars(select(ProfileRow.pk).order_by(ProfileRow.pk).limit(1)).one()
        s.execute(DocumentRow.__table__.delete().where(DocumentRow.profile_pk == first))
    return sessions


def test_load_corpus_equals_the_orm_graph(programme: sessionmaker[Session]) -> None:
    with programme() as session:
        want = orm_corpus(session=session)
    with programme() as session:
        got = load_corpus(session=session)
    assert len(got.candidates) > 50 and len(got.documents) > len(got.candidates)
    assert {c.owner_type for c in got.candidates} == {"organisation", "person", "facility"}
    assert {c.consent for c in got.candidates} == {True, False}
    assert {c.visibility for c in got.candidates} >= {"public", "private"}
    assert any(c.skills for c in got.candidates) and any(c.capacity == 3 for c in got.candidates)
    assert got.candidates == want.candidates
    assert got.documents == want.documents


def test_load_corpus_keeps_no_mapped_objects(programme: sessionmaker[Session]) -> None:
    """Plain rows only: nothing lands in the session's identity map (the ORM's memory cost)."""
    with programme() as session:
        corpus = load_corpus(session=session)
        assert corpus.documents
        assert len(session.identity_map) == 0


def test_short_values_are_shared_objects(programme: sessionmaker[Session]) -> None:
    """250k documents hold one ``"en"``, not 250k copies of it."""
    with programme() as session:
        corpus = load_corpus(session=session)
    languages = [d.language for d in corpus.documents]
    assert len({id(x) for x in languages}) == len(set(languages))
    councils = [c.council for c in corpus.candidates]
    assert len({id(x) for x in councils}) == len(set(councils))
