"""Matching on a stored programme with the deterministic fake encoder."""

from __future__ import annotations

import dataclasses
import json

import pytest

from matcher import types as t
from matcher.embeddings import CachedEncoder, EmbeddingCache, FakeEncoder
from matcher.exceptions import NotFoundError, ValidationError
from matcher.services.matching import MatchFilters, ProgrammeMatcher
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.factories import mini_programme


class CountingEncoder(FakeEncoder):
    """A fake encoder that records the texts of every ``encode`` call."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[str]] = []

    def encode(self, texts, *, progress=False):  # type: ignore[no-untyped-def]
        self.batches.append(list(texts))
        return super().encode(texts, progress=progress)


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
        t.Person("stu-bo-gone", t.PersonKind.STUDENT, "Luca", "hei-bo", skills=("welding",),
                 available_from=t.dt.date(2025, 1, 1), available_to=t.dt.date(2025, 6, 30)),
        t.Person("acad-bo-1", t.PersonKind.ACADEMIC, "Prof. Rossi", "hei-bo", skills=("welding",)),
    ]  # fmt: skip
    p["profiles"] += [
        t.CapabilityProfile("prof-rg-bo-weld", t.OwnerType.ORGANISATION, "rg-bo-weld"),
        t.CapabilityProfile("prof-rg-pa-iot", t.OwnerType.ORGANISATION, "rg-pa-iot"),
        t.CapabilityProfile("prof-sme-pa-1", t.OwnerType.ORGANISATION, "sme-pa-1"),
        t.CapabilityProfile("prof-stu-bo-1", t.OwnerType.PERSON, "stu-bo-1"),
        t.CapabilityProfile("prof-stu-bo-busy", t.OwnerType.PERSON, "stu-bo-busy"),
        t.CapabilityProfile("prof-stu-bo-gone", t.OwnerType.PERSON, "stu-bo-gone"),
        t.CapabilityProfile("prof-acad-bo-1", t.OwnerType.PERSON, "acad-bo-1"),
    ]  # fmt: skip
    D = t.DocumentKind
    p["documents"] += [
        t.Document("w1", "prof-rg-bo-weld", D.PUBLICATION, "robotic welding line stops shift automation"),
        t.Document("w2", "prof-rg-bo-weld", D.PROJECT, "welding robots for small lines"),
        t.Document("i1", "prof-rg-pa-iot", D.PUBLICATION, "sensor networks and low power radios"),
        t.Document("s1", "prof-sme-pa-1", D.DESCRIPTION, "robotic welding cells for automotive lines"),
        t.Document("st1", "prof-stu-bo-1", D.CV, "robotic welding project, line automation"),
        t.Document("st2", "prof-stu-bo-busy", D.CV, "robotic welding line stops shift automation"),
        t.Document("st3", "prof-stu-bo-gone", D.CV, "robotic welding line stops shift automation"),
        t.Document(
            "a1", "prof-acad-bo-1", D.PUBLICATION,
            "Our group studies marine biology. Robotic welding stops on the line twice a shift. "
            "We also teach thermodynamics to first-year students.",
        ),
    ]  # fmt: skip
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
        strict = matcher.suggest(
            "ch-bo-1", "consultancy", session=session, k=10, filters=MatchFilters(strict_availability=True)
        )
    ids = [s.candidate_id for s in out]
    assert {"rg-bo-weld", "stu-bo-1"} & set(ids[:3])
    assert "stu-bo-gone" not in ids  # available only until 2025-06, the challenge opens 2026-10
    busy = next(s for s in out if s.candidate_id == "stu-bo-busy")  # from 2030: after the deadline
    assert "after the deadline" in busy.reasons["availability"]
    assert "stu-bo-busy" not in {s.candidate_id for s in strict}  # strict: within opened..deadline
    assert "strict_availability" in strict[0].reasons["filters_applied"]
    assert {s.kind for s in out} <= {"research_group", "academic", "student"}
    assert all(s.reasons["filters_applied"] for s in out)
    assert "welding" in out[0].reasons["key_terms"]  # shared by the challenge and the top profile
    scores = [s.score for s in out]
    assert scores == sorted(scores, reverse=True)


def test_placement_candidates_are_academics(stored, matcher):
    with stored() as session:
        out = matcher.suggest("ch-bo-1", "placement", session=session, k=0)
    assert out and {s.kind for s in out} == {"academic"}


def test_best_sentence_is_the_one_sharing_words_with_the_challenge(stored):
    encoder = CountingEncoder()
    matcher = ProgrammeMatcher(encoder=encoder, method="hybrid-topk")
    with stored() as session:
        matcher.ensure_fresh(session=session)
        encoder.batches.clear()
        out = matcher.suggest("ch-bo-1", "consultancy", session=session, k=3)
        acad = next(s for s in matcher.suggest("ch-bo-1", "placement", session=session, k=5))
    assert acad.candidate_id == "acad-bo-1"
    assert acad.reasons["best_sentence_text"] == "Robotic welding stops on the line twice a shift."
    assert 0 < acad.reasons["best_sentence_score"] <= 1
    assert all(s.reasons["best_sentence_text"] for s in out)
    # one call for the query, one for all sentences of the returned suggestions: never the corpus
    assert len(encoder.batches) == 4
    assert max(len(c) for c in encoder.batches) < 10


def test_best_sentences_come_from_the_cache_on_a_repeated_request(stored, tmp_path):
    fake = FakeEncoder()
    matcher = ProgrammeMatcher(encoder=CachedEncoder(fake, EmbeddingCache(tmp_path / "c.sqlite")))
    with stored() as session:
        first = matcher.suggest("ch-bo-1", "consultancy", session=session, k=3)
        n = fake.calls
        again = matcher.suggest("ch-bo-1", "consultancy", session=session, k=3)
    assert fake.calls == n  # nothing embedded the second time
    assert [s.reasons for s in again] == [s.reasons for s in first]


def test_fits_lists_only_challenges_that_ask_for_the_profiles_kind(stored, matcher):
    with stored() as session:
        group = matcher.fits("prof-rg-bo-weld", session=session, k=0)
        sme = matcher.fits("prof-sme-pa-1", session=session, k=0)
    assert [c.candidate_id for c in group] == ["ch-bo-1"]  # asks for consultancy
    assert group[0].reasons["best_sentence_text"]
    assert sme == []  # an SME is a partner candidate; ch-bo-1 asks for consultancy and facility only


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


def test_fits_anonymises_another_smes_private_challenge(stored, matcher):
    secret = t.Challenge(
        "ch-pa-secret", "sme-pa-1", "Confidential weld seam retrofit", "Robotic welding line at our Versailles plant.",
        sector="automotive", required_skills=("welding",), visibility=t.Visibility.PRIVATE,
    )  # fmt: skip
    with transaction(stored) as session:
        repo.upsert("challenges", [secret], session=session)
        hidden = matcher.fits("prof-rg-bo-weld", session=session, k=0)
        shown = matcher.fits(
            "prof-rg-bo-weld", session=session, k=0, reveal=lambda owner: owner.council == "paris"
        )
    text = json.dumps([s.to_dict() for s in hidden])
    for word in ("ch-pa-secret", "sme-pa-1", "Soudure", "Confidential", "retrofit", "Versailles"):
        assert word not in text
    [anon] = [s for s in hidden if s.anonymised]
    assert anon.candidate_id == anon.match_id and anon.candidate_id.startswith("m-") and anon.name == ""
    assert anon.summary == {
        "sector": "automotive", "council": "paris", "country": "FR", "language": "en",
        "required_skills": ["welding"], "programmes": ["consultancy"],
    }  # fmt: skip
    assert anon.reasons["skill_overlap"] == [] and anon.reasons["dense"] is not None
    assert {"key_terms", "best_sentence_text", "best_document_excerpt"}.isdisjoint(anon.reasons)
    full = {s.candidate_id: s for s in shown}["ch-pa-secret"]
    assert not full.anonymised and full.name == secret.title and full.reasons["best_sentence_text"]
    assert full.score == pytest.approx(anon.score)
    with stored() as session:  # the reference was stored: the same one next time
        again = [s for s in matcher.fits("prof-rg-bo-weld", session=session, k=0) if s.anonymised]
    assert [s.candidate_id for s in again] == [anon.candidate_id]


def test_workers_share_one_mapped_matrix_and_answer_as_a_private_copy(stored, tmp_path):
    """Two processes' matchers over one store map the same file; suggestions equal an unshared fit."""
    shared = tmp_path / "matrices"
    private = ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk")
    first_enc, second_enc = CountingEncoder(), CountingEncoder()
    first = ProgrammeMatcher(encoder=first_enc, method="hybrid-topk", shared_vectors=shared)
    second = ProgrammeMatcher(encoder=second_enc, method="hybrid-topk", shared_vectors=shared)
    with stored() as session:
        answers = [
            [m.suggest("ch-bo-1", mt, session=session, k=0) for mt in ("consultancy", "placement", "partner")]
            for m in (private, first, second)
        ]
    assert answers[0] == answers[1] == answers[2]
    assert first.doc_vectors_.filename == second.doc_vectors_.filename  # one file, mapped twice
    n_docs = len(first.doc_ids_)
    assert n_docs in {len(b) for b in first_enc.batches}  # the first worker embedded the corpus
    assert all(len(b) < n_docs for b in second_enc.batches)  # the second embedded queries only
    assert [p.suffix for p in shared.glob("[!.]*")] == [".npy"]


def test_freed_heap_is_handed_back_after_a_fit():
    """glibc keeps freed memory; ``give_back_free_heap`` (called at the end of every fit) returns it.

    In a child process: 200 MB of 1 kB objects, every 50th kept so the heap cannot shrink
    from its top by itself; after the rest is freed, RSS falls only when the heap is trimmed.
    """
    import subprocess
    import sys

    code = (
        "from matcher.services.matching import give_back_free_heap\n"
        "def rss():\n"
        "    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) // 1024\n"
        "blocks = [bytes(1000) + bytes([i % 256]) for i in range(200_000)]\n"
        "kept = blocks[::50]\n"
        "del blocks\n"
        "before = rss()\n"
        "assert give_back_free_heap()\n"
        "print(before - rss())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout.strip()) >= 30  # MB handed back (about 190 here)
