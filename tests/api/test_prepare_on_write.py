"""The API's background job embeds a new challenge when it is written, so its first read embeds nothing."""

from __future__ import annotations

import queue
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api.app
from api.app import create_app
from api.matching import ProgrammeMatcherAdapter
from matcher.config import Settings
from matcher.services.matching import ProgrammeMatcher
from tests.api.conftest import BACKENDS, _url, reseed
from tests.services.test_prepare import Counting


class Watched(ProgrammeMatcher):
    """The real matcher, telling the test which challenges each background pass prepared."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.passes: queue.Queue[list[str]] = queue.Queue()

    def prepare(self, *, session):  # type: ignore[no-untyped-def]
        out = super().prepare(session=session)
        self.passes.put(out)
        return out


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return _url(request, tmp_path)


def test_a_challenge_posted_is_embedded_by_the_background_job_not_by_its_first_read(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = Counting()
    matcher = Watched(encoder=encoder, method="hybrid-topk")
    monkeypatch.setattr(api.app, "default_matcher", lambda settings: ProgrammeMatcherAdapter(matcher))
    settings = Settings(
        database_url=url, env="test", cache_path=tmp_path / "c.sqlite", freshness_interval=0.2
    )
    app = create_app(settings)
    with TestClient(app) as client:
        keys = reseed(app.state.sessions)  # the PostgreSQL schema is shared: start from nothing
        admin = {"X-API-Key": keys["admin"]}
        assert matcher.passes.get(timeout=60) == []  # the warm-up over the seeded programme prepares nothing

        def next_preparing(wanted: str) -> list[str]:
            while True:  # passes run after each write the job sees; skip those of the seeding
                ids = matcher.passes.get(timeout=60)
                if wanted in ids:
                    return ids

        challenge = {"id": "ch-bo-77", "sme_id": "sme-bo-1", "title": "Radio telemetry for hives",
                     "description": "Low power radios that report beehive weight from remote apiaries.",
                     "required_skills": ["radio"], "programmes": ["consultancy"]}  # fmt: skip
        assert client.post("/challenges", json=challenge, headers=admin).status_code == 201
        next_preparing("ch-bo-77")  # raises if no pass prepares it within a minute
        assert any("beehive weight" in text for text in encoder.seen)

        encoder.seen.clear()
        got = client.get("/challenges/ch-bo-77/matches?type=consultancy", headers=admin)
        assert got.status_code == 200 and got.json()["items"]
        assert encoder.seen == []  # the read scored from memory: nothing embedded on the read path
    assert not app.state.warm_up._thread.is_alive()  # the job stopped with the app
