"""ProgrammeMatcher.prepare: a new or edited challenge is embedded when written, before anyone reads it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pytest

from matcher import types as t
from matcher.embeddings import FakeEncoder
from matcher.services.matching import ProgrammeMatcher
from matcher.store import records as repo
from matcher.store.challenges import open_challenges
from matcher.store.db import transaction
from tests.services.test_matching import stored  # noqa: F401  (the fixture)


class Counting(FakeEncoder):
    """The fake encoder, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], **kwargs: object) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts, **kwargs)  # type: ignore[arg-type]


def _read(m: ProgrammeMatcher, sessions, challenge_id: str) -> list[dict]:  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        return [s.to_dict() for s in m.suggest(challenge_id, t.Programme.CONSULTANCY, session=session)]


@pytest.mark.usefixtures("stored")
def test_the_first_call_embeds_every_open_challenge_and_computes_no_answer(sessions) -> None:
    enc = Counting()
    m = ProgrammeMatcher(encoder=enc, method="hybrid-topk")
    with transaction(sessions) as session:
        assert m.prepare(session=session) == []  # warm-up: nothing counts as new
        open_texts = [c.text for c in open_challenges(session=session)]
    assert open_texts and all(any(text in seen for seen in enc.seen) for text in open_texts)
    assert len(m.answers) == 0
    with transaction(sessions) as session:
        assert m.prepare(session=session) == []  # nothing written since: nothing to do


@pytest.mark.usefixtures("stored")
def test_an_edited_challenge_is_embedded_and_answered_when_written_and_its_read_embeds_nothing(
    sessions,
) -> None:
    enc = Counting()
    m = ProgrammeMatcher(encoder=enc, method="hybrid-topk")
    with transaction(sessions) as session:
        m.prepare(session=session)
    with transaction(sessions) as session:
        ch = repo.get_record("challenges", "ch-bo-1", session=session)
        edited = dataclasses.replace(ch, description="Sensor networks and low power radios.", programmes=())
        repo.upsert("challenges", [edited], session=session)
    with transaction(sessions) as session:
        assert m.prepare(session=session) == ["ch-bo-1"]
    assert any("low power radios" in text for text in enc.seen)
    # a challenge without programmes asks for every match type: all four answers are kept
    assert len(m.answers) == len(t.Programme)

    enc.seen.clear()
    hits = m.answers.hits
    prepared = _read(m, sessions, "ch-bo-1")
    assert enc.seen == [] and m.answers.hits == hits + 1  # the read scored nothing and embedded nothing
    fresh = _read(
        ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk", answer_cache=0), sessions, "ch-bo-1"
    )
    assert prepared == fresh and prepared  # and it is what a matcher without any memory answers
