"""The kept answers of the match routes (``app.state.answers``) are the answers, for whoever asks.

Runs the real ProgrammeMatcher (deterministic fake encoder: a bag of hashed words, so a
document whose words are the challenge's own ranks first) over the seeded programme of
``tests/api/conftest.py``, on SQLite and PostgreSQL.  Other processes' writes are made on a
connection of an engine of the test's own, outside any ORM session, so only the store's
version token (``PRAGMA data_version`` / ``pg_current_snapshot()``) can tell the app of them.

A large ``freshness_interval`` keeps the version's reading of other writers fixed (hits are
then certain even while other jobs write to the same PostgreSQL server); ``0`` reads it on
every request.  Where time matters, the clocks of :mod:`matcher.store.changes` and
:mod:`matcher.services.matching` are one fake clock moved by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.app import create_app
from api.matching import ProgrammeMatcherAdapter
from matcher.config import Settings
from matcher.embeddings import FakeEncoder
from matcher.services import matching
from matcher.services.matching import ProgrammeMatcher
from matcher.services.serving import VersionedMemo
from matcher.store import changes
from matcher.store.db import _normalise_url
from tests.api.conftest import BACKENDS, Api, _url, reseed

MATCHES = "/challenges/ch-bo-1/matches?type=consultancy"
#: The three kept routes, each with a caller who may ask.
ROUTES = {
    "matches": ("sme_bo1", MATCHES),
    "fits": ("coord_cork", "/profiles/prof-rg-cork-01/challenges"),
    "partners": ("sme_bo1", "/organisations/sme-bo-1/partners"),
}
#: ch-bo-1's own words ("Robotic welding", "Our welding line stops twice a shift; @risk").
CHALLENGE_WORDS = "Robotic welding. Our welding line stops twice a shift; robotics, welding."
STUDENT_DOC = "prof-stu-cork-1-d01"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return _url(request, tmp_path)


@contextmanager
def app_on(
    url: str,
    folder: Path,
    *,
    keys: dict[str, str] | None = None,
    answer_cache: int = 8192,
    freshness_interval: float = 3600.0,
    matcher_interval: float = 0.0,
) -> Iterator[tuple[Api, VersionedMemo]]:
    """An app with the real matcher; seeds a clean database unless ``keys`` (of an earlier seeding) are given."""
    settings = Settings(
        database_url=url,
        env="test",
        cache_path=folder / "embeddings.sqlite",
        answer_cache=answer_cache,
        freshness_interval=freshness_interval,
    )
    programme_matcher = ProgrammeMatcher(
        encoder=FakeEncoder(), method="hybrid-topk", freshness_interval=matcher_interval
    )
    app = create_app(settings, matcher=ProgrammeMatcherAdapter(programme_matcher))
    with TestClient(app) as client:
        if keys is None:
            keys = reseed(app.state.sessions)
        yield Api(client, keys), app.state.answers


@contextmanager
def other_process(url: str) -> Iterator[Any]:
    """A connection of another engine: what it commits passes through no session of the app's."""
    engine = create_engine(_normalise_url(url))
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def get(api: Api, who: str, path: str) -> bytes:
    response = api.call(who, "GET", path)
    assert response.status_code == 200, response.text
    return response.content


def ranked(api: Api, who: str = "sme_bo1", path: str = MATCHES) -> list[str]:
    response = api.call(who, "GET", path)
    assert response.status_code == 200, response.text
    return [i["candidate_id"] for i in response.json()["items"]]


def put_document(api: Api, doc_id: str, words: str) -> None:
    put(api, "admin", f"/documents/{doc_id}", {"text": words})


def put(api: Api, who: str, path: str, changes: dict[str, Any]) -> None:
    read = api.call(who, "GET", path)
    body = {k: v for k, v in read.json().items() if k not in ("id", "version")} | changes
    response = api.call(who, "PUT", path, json=body, headers={"If-Match": read.headers["ETag"]})
    assert response.status_code == 200, response.text


# --------------------------------------------------------------------------- 1. the same bytes
def test_kept_bodies_are_the_bytes_of_computed_ones_and_a_repeat_is_a_hit(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path, answer_cache=0) as (api, memo):
        first = {name: get(api, who, path) for name, (who, path) in ROUTES.items()}
        computed = {name: get(api, who, path) for name, (who, path) in ROUTES.items()}
        assert computed == first  # the first requests stored the suggestions; the second read them back
        assert len(memo) == 0 and memo.hits == 0
        keys = api.keys
    assert all(b'"items":[{' in body for body in computed.values())  # something was ranked

    with app_on(url, tmp_path, keys=keys) as (api, memo):  # the same database, the memo on
        for name, (who, path) in ROUTES.items():
            hits = memo.hits
            assert get(api, who, path) == computed[name], name  # computed (it writes nothing now), kept
            assert memo.hits == hits
            assert get(api, who, path) == computed[name], name
            assert memo.hits == hits + 1, name
        assert len(memo) == len(ROUTES)


# --------------------------------------------------------------------------- 2. this process writes
def test_an_edit_through_the_api_is_answered_at_once(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path) as (api, memo):
        before = ranked(api)  # stores the suggestions (not kept); the next one is kept, then a hit
        assert ranked(api) == ranked(api) == before and memo.hits == 1
        assert before[0] != "stu-cork-1" and "stu-cork-1" in before

        put_document(api, STUDENT_DOC, CHALLENGE_WORDS)  # the student's CV now says what the challenge says
        assert ranked(api)[0] == "stu-cork-1"

        # Editing the challenge instead: its words become the research group's publication.
        words = {"title": "WEC modelling", "description": "We model wave energy converters."}
        put(api, "sme_bo1", "/challenges/ch-bo-1", words)
        assert ranked(api)[0] == "rg-cork-01"


# --------------------------------------------------------------------------- 3. another process writes
def test_another_process_write_is_answered_on_the_next_request(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path, freshness_interval=0.0) as (api, _memo):
        before = ranked(api)
        assert ranked(api) == ranked(api) == before and before[0] != "stu-cork-1"
        generation = changes.store_generation()
        with other_process(url) as conn:
            conn.execute(
                text("UPDATE documents SET text = :words, version = version + 1 WHERE external_id = :id"),
                {"words": CHALLENGE_WORDS, "id": STUDENT_DOC},
            )
            conn.commit()
        assert changes.store_generation() == generation  # nothing this process saw through its sessions
        assert ranked(api)[0] == "stu-cork-1"


class Clock:
    """``time`` for the two freshness checks: stands still until moved."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    fake = SimpleNamespace(monotonic=clock.monotonic)
    monkeypatch.setattr(changes, "time", fake)
    monkeypatch.setattr(matching, "time", fake)
    return clock


def test_another_process_write_is_seen_within_the_interval_when_the_matcher_checked_later(
    url: str, tmp_path: Path, clock: Clock
) -> None:
    """The memo and the matcher each read other writers every ``freshness_interval``, on clocks of their own.

    The matcher checks its stamp again as soon as this process commits a profile change; the
    memo reads other writers' token on its own schedule.  A write by another process between
    the two readings was seen by the memo (a new version) while the matcher still trusted its
    fit: the stale answer was kept under the new version, and answered long after the interval.
    """
    with app_on(url, tmp_path, freshness_interval=10.0, matcher_interval=10.0) as (api, _memo):
        assert ranked(api)[0] != "stu-cork-1"  # t = 0: the memo reads the token, the matcher its stamp
        clock.now += 5
        put_document(api, "prof-fac-cork-1-d01", "Wave tank with paddles and a beach.")  # t = 5: this process
        assert ranked(api)[0] != "stu-cork-1"  # the matcher checks again at 5, the memo's reading stands
        clock.now += 2
        with other_process(url) as conn:  # t = 7: another process
            conn.execute(
                text("UPDATE documents SET text = :words, version = version + 1 WHERE external_id = :id"),
                {"words": CHALLENGE_WORDS, "id": STUDENT_DOC},
            )
            conn.commit()
        clock.now += 4  # t = 11: the memo reads the token again (a new version), the matcher's check stands
        ranked(api)  # either answer is within the intervals here
        clock.now += 100  # long past both intervals: the write must be in the answer
        assert ranked(api)[0] == "stu-cork-1"
        assert ranked(api)[0] == "stu-cork-1"


# --------------------------------------------------------------------------- 4. access
def test_a_revoked_key_is_refused_although_its_answer_is_kept(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path) as (api, memo):  # the memo will not read other writers again
        body = get(api, "sme_bo1", MATCHES)
        assert get(api, "sme_bo1", MATCHES) == get(api, "sme_bo1", MATCHES) == body and memo.hits == 1
        version = memo.version.current()
        with other_process(url) as conn:  # `matcher keys revoke` in another process, say
            conn.execute(text("UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP WHERE label = 'sme_bo1'"))
            conn.commit()
        assert memo.version.current() == version  # for the memo nothing changed: the answer stands
        response = api.call("sme_bo1", "GET", MATCHES)
        assert response.status_code == 401 and response.content != body
        assert memo.hits == 1  # the key never reached the kept answer
        assert api.call("admin", "GET", MATCHES).status_code == 200  # other keys are served

        # Revoked through the API by an admin (a write of this process's own).
        private = "/challenges/ch-bo-2/matches?type=consultancy"
        owner = get(api, "sme_bo2", private)
        assert get(api, "sme_bo2", private) == get(api, "sme_bo2", private) == owner
        [key] = [k for k in api.call("admin", "GET", "/keys").json() if k["label"] == "sme_bo2"]
        assert api.call("admin", "DELETE", f"/keys/{key['id']}").status_code == 200
        assert api.call("sme_bo2", "GET", private).status_code == 401


def test_each_caller_gets_its_own_answer_to_the_same_path(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path) as (api, memo):
        private = "/challenges/ch-bo-2/matches?type=consultancy"  # sme-bo-2's private challenge
        owner = get(api, "sme_bo2", private)
        assert get(api, "sme_bo2", private) == get(api, "sme_bo2", private) == owner and memo.hits == 1
        for other in ("sme_bo1", "sme_ma"):
            response = api.call(other, "GET", private)
            assert response.status_code in (403, 404) and b"items" not in response.content, response.text
        assert memo.hits == 1

        # Private challenges in the fits of a Cork profile: in full for the admin, anonymised for Cork.
        fits = ROUTES["fits"][1]
        admin = api.call("admin", "GET", fits)
        assert '"candidate_id":"ch-bo-2"' in admin.text  # sme-bo-2's private challenge, named
        assert get(api, "admin", fits) == get(api, "admin", fits) == admin.content
        hits = memo.hits
        coordinator = api.call("coord_cork", "GET", fits)
        assert coordinator.status_code == 200 and memo.hits == hits  # not the admin's answer
        assert "ch-bo-2" not in coordinator.text and "sme-bo-2" not in coordinator.text
        anonymised = [i for i in coordinator.json()["items"] if i["anonymised"]]
        assert anonymised and all(i["candidate_id"] == i["match_id"] for i in anonymised)


# --------------------------------------------------------------------------- 5. answers that write
def test_an_answer_that_stored_suggestions_is_right_the_second_time(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path) as (api, memo):
        first = api.call("sme_bo1", "GET", MATCHES)
        assert first.status_code == 200 and len(memo) == 0  # it created match records: not kept
        second = get(api, "sme_bo1", MATCHES)
        assert second == first.content and len(memo) == 1  # the same records read back, kept
        assert get(api, "sme_bo1", MATCHES) == second and memo.hits == 1
        items = first.json()["items"]
        for item in items:  # each record as FastAPI renders it (MatchOut) is the kept answer's item
            stored = api.call("sme_bo1", "GET", f"/matches/{item['id']}")
            assert stored.status_code == 200 and stored.json() == item and item["status"] == "proposed"

        # A decision on one of them is in the next answer, not the kept "proposed".
        decided = api.call(
            "sme_bo1", "POST", f"/matches/{items[0]['id']}/decisions", json={"action": "accept"}
        )
        assert decided.status_code == 200, decided.text
        [after] = [
            i for i in api.call("sme_bo1", "GET", MATCHES).json()["items"] if i["id"] == items[0]["id"]
        ]
        assert after["status"] == "accepted" and after["version"] == decided.json()["version"]
