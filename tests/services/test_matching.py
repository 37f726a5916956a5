"""Matching on a stored programme with the deterministic fake encoder."""

from __future__ import annotations

import dataclasses

import pytest

from matcher import types as t
from matcher.embeddings import FakeEncoder
from matcher.exceptions import NotFoundError, ValidationError
from matcher.services.matching import MatchFilters, ProgrammeMatcher
from matcher.store import repository as repo
from matcher.store.db import transaction
from tests.factories import mini_programme


def _extended() -> dict[str, list[object]]:
    """The mini programme plus topic-specific candidates whose right answer is known."""
    p = mini_programme()
    p["organisations"] += [
        t.Organisation("hei-bo", t.OrgKind.HEI, "Università di Bologna", "bologna", "IT"),
        t.Organisation("rg-bo-weld", t.OrgKind.RESEARCH_GROUP, "Welding Robotics Group", "bologna", "IT",
                       parent_id="hei-bo"),
        t.Organisation("rg-pa-iot", t.OrgKind.RESEARCH_GROUP, "IoT Lab", "paris", "FR", parent_id="hei-cork"),
        t.Organisation("sme-pa-1", t.OrgKind.SME, "Soudure Paris", "paris", "FR",
                       description="robotic welding cells for automotive lines"),
    ]  # fmt: skip
    p["people"] += [
        t.Person("stu-bo-1", t.PersonKind.STUDENT, "Giulia", "hei-bo", skills=("robotics", "welding")),
        t.Person("stu-bo-busy", t.PersonKind.STUDENT, "Marco", "hei-bo", skills=("welding",),
                 available_from=t.dt.date(2030, 1, 1)),
    ]  # fmt: skip
    p["profiles"] += [
        t.CapabilityProfile("prof-rg-bo-weld", t.OwnerType.ORGANISATION, "rg-bo-weld"),
        t.CapabilityProfile("prof-rg-pa-iot", t.OwnerType.ORGANISATION, "rg-pa-iot"),
        t.CapabilityProfile("prof-sme-pa-1", t.OwnerType.ORGANISATION, "sme-pa-1"),
        t.CapabilityProfile("prof-stu-bo-1", t.OwnerType.PERSON, "stu-bo-1"),
        t.CapabilityProfile("prof-stu-bo-busy", t.OwnerType.PERSON, "stu-bo-busy"),
    ]  # fmt: skip
    D = t.DocumentKind
    p["documents"] += [
        t.Document("w1", "prof-rg-bo-weld", D.PUBLICATION, "robotic welding line stops shift automation"),
        t.Document("w2", "prof-rg-bo-weld", D.PROJECT, "welding robots for small lines"),
        t.Document("i1", "prof-rg-pa-iot", D.PUBLICATION, "sensor networks and low power radios"),
        t.Document("s1", "prof-sme-pa-1", D.DESCRIPTION, "robotic welding cells for automotive lines"),
        t.Document("st1", "prof-stu-bo-1", D.CV, "robotic welding project, line automation"),
        t.Document("st2", "prof-stu-bo-busy", D.CV, "robotic welding line stops shift automation"),
    ]
    return p


@pytest.fixture
def stored(sessions):
    with transaction(sessions) as session:
        for entity, records in _extended().items():
            repo.upsert(entity, records, session=session)
    return sessions


@pytest.fixture
def matcher():
    return ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk")


def test_consultancy_ranks_the_on_topic_group_first_and_respects_availability(stored, matcher):
    with stored() as session:
        out = matcher.suggest("ch-bo-1", "consultancy", session=session, k=10)
    ids = [s.candidate_id for s in out]
    assert ids[0] in {"rg-bo-weld", "stu-bo-1"}
    assert "stu-bo-busy" not in ids  # available only from 2030, the challenge ends 2027-03
    assert {s.kind for s in out} <= {"research_group", "academic", "student"}
    assert all(s.reasons["filters_applied"] for s in out)
    assert "welding" in out[0].reasons["key_terms"]  # shared by the challenge and the top profile
    scores = [s.score for s in out]
    assert scores == sorted(scores, reverse=True)


def test_partner_suggestions_are_cross_border_and_skip_existing_relationships(stored, matcher):
    with stored() as session:
        out = matcher.suggest("ch-bo-1", "partner", session=session, k=0)
    assert out, "the Paris SME and the Cork/Paris groups are abroad"
    assert all(s.country != "IT" for s in out)
    assert "hei-cork" not in {s.candidate_id for s in out}  # joint EU project already
    assert out[0].candidate_id == "sme-pa-1"


def test_facility_capacity_filter(stored, matcher):
    with stored() as session:
        assert [s.candidate_id for s in matcher.suggest("ch-bo-1", "facility", session=session)] == [
            "fac-cork-1"
        ]
        assert (
            matcher.suggest("ch-bo-1", "facility", session=session, filters=MatchFilters(min_capacity=3))
            == []
        )


def test_fits_gives_the_same_score_as_suggest(stored, matcher):
    with stored() as session:
        forward = {
            s.candidate_id: s.score for s in matcher.suggest("ch-bo-1", "consultancy", session=session, k=0)
        }
        backward = matcher.fits("prof-rg-bo-weld", session=session, k=0)
    assert [c.candidate_id for c in backward] == ["ch-bo-1"]  # the private Spanish challenge is never shown
    assert backward[0].score == pytest.approx(forward["rg-bo-weld"], abs=1e-6)


def test_private_and_non_consenting_candidates_are_hidden(stored, matcher):
    with transaction(stored) as session:
        org = repo.get_record("organisations", "sme-pa-1", session=session)
        repo.upsert("organisations", [dataclasses.replace(org, consent=False)], session=session)
    with stored() as session:
        out = matcher.suggest("ch-bo-1", "partner", session=session, k=0)
    assert "sme-pa-1" not in {s.candidate_id for s in out}


def test_new_profile_is_matchable_at_once(stored, matcher):
    with stored() as session:
        before = {s.candidate_id for s in matcher.suggest("ch-bo-1", "consultancy", session=session, k=0)}
    with transaction(stored) as session:
        repo.upsert("people", [t.Person("acad-new", t.PersonKind.ACADEMIC, "New", "hei-bo")], session=session)
        repo.upsert(
            "profiles",
            [t.CapabilityProfile("prof-acad-new", t.OwnerType.PERSON, "acad-new")],
            session=session,
        )
        repo.upsert("documents", [t.Document("n1", "prof-acad-new", t.DocumentKind.PUBLICATION,
                                             "welding line automation")], session=session)  # fmt: skip
    with stored() as session:
        after = {s.candidate_id for s in matcher.suggest("ch-bo-1", "consultancy", session=session, k=0)}
    assert after - before == {"acad-new"}


def test_errors(stored, matcher):
    with stored() as session:
        with pytest.raises(NotFoundError):
            matcher.suggest("nope", "consultancy", session=session)
        with pytest.raises(ValidationError):
            matcher.suggest("ch-bo-1", "dating", session=session)
