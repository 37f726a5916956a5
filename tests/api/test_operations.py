"""Health, readiness, version, request ids, problem details and JSON logs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.observability import JsonFormatter, RequestIdFilter
from matcher.config import Settings, load_settings
from matcher.exceptions import ConfigurationError
from tests.api.conftest import Api


def test_operations_need_no_key(shared_api: Api) -> None:
    assert shared_api.client.get("/health").json()["status"] == "ok"
    assert shared_api.client.get("/ready").json() == {"status": "ready", "database": "ok", "matcher": "ok"}
    assert shared_api.client.get("/version").json()["matcher"] == "fake"


def test_not_ready_without_a_matcher(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"), matcher=None)
    with TestClient(app) as client:
        response = client.get("/ready")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "https://cluster-match.eu/problems/unavailable"


def test_not_ready_while_the_matcher_warms_up(tmp_path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import threading

    import api.app
    from api.matching import ProgrammeMatcherAdapter

    release = threading.Event()

    class SlowMatcher:
        def prepare(self, *, session) -> list[str]:  # type: ignore[no-untyped-def]
            release.wait(10)
            return []

    monkeypatch.setattr(api.app, "default_matcher", lambda settings: ProgrammeMatcherAdapter(SlowMatcher()))
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", cache_path=tmp_path / "c.sqlite")
    )
    with TestClient(app) as client:
        with caplog.at_level(logging.INFO, logger="api.errors"):
            warming = client.get("/ready")
        assert warming.status_code == 503 and "warming up" in warming.json()["detail"]
        logged = [r for r in caplog.records if r.name == "api.errors"]
        assert logged and all(r.levelno == logging.WARNING for r in logged)  # transient: not an error
        release.set()
        assert app.state.warm_up.warmed.wait(5)
        assert client.get("/ready").status_code == 200


def test_request_id_is_echoed_or_made(shared_api: Api) -> None:
    given = shared_api.client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = shared_api.client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert len(made.headers["X-Request-ID"]) == 32
    problem = shared_api.call("sme_bo1", "GET", "/challenges/ch-nope", headers={"X-Request-ID": "r-1"})
    assert problem.json()["request_id"] == "r-1" and problem.headers["X-Request-ID"] == "r-1"


def test_unknown_route_is_a_problem(shared_api: Api) -> None:
    response = shared_api.client.get("/nowhere")
    assert response.status_code == 404 and response.json()["type"].endswith("/not-found")


def test_log_lines_are_json_with_the_request_id(shared_api: Api, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="api.access"):
        shared_api.client.get("/health", headers={"X-Request-ID": "log-1"})
    record = next(r for r in caplog.records if r.name == "api.access")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "log-1" and line["status"] == 200 and line["path"] == "/health"


PG = "postgresql://cm@db:5432/cm"
ADMIN = "an-admin-key-of-at-least-24-characters"
PSEUDONYM = "a-pseudonym-secret-of-at-least-32-characters"


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"database_url": "sqlite:///x.db"}, "PostgreSQL"),
        ({"database_url": None}, "PostgreSQL"),
        ({"admin_key": None}, "MATCHER_ADMIN_KEY must be set"),
        ({"pseudonym_secret": None}, "MATCHER_PSEUDONYM_SECRET must be set"),
        ({"admin_key": "short"}, "at least 24"),
        ({"pseudonym_secret": "short"}, "at least 32"),
        ({"pseudonym_secret": ADMIN + "-and-more", "admin_key": ADMIN + "-and-more"}, "must differ"),
        ({"embedding_backend": "fake"}, "fake"),
    ],
)
def test_production_refuses_unsafe_settings(overrides: dict[str, object], complaint: str) -> None:
    safe = {"env": "production", "database_url": PG, "admin_key": ADMIN, "pseudonym_secret": PSEUDONYM}
    assert Settings(**safe).env == "production"  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=complaint):
        Settings(**(safe | overrides))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=complaint):  # what the CLI and `matcher serve` see
        load_settings(**(safe | overrides))


def test_test_and_development_settings() -> None:
    assert Settings(env="test").pseudonym_secret is None  # the test suite needs no secrets
    with pytest.raises(ValueError, match="at least 32"):
        Settings(env="test", pseudonym_secret="short")
    with pytest.raises(ValueError, match="at least 24"):
        Settings(env="test", admin_key="short")
    assert Settings(env="development", admin_key="short", database_url="sqlite:///x.db").admin_key == "short"


def test_production_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHER_ENV", "production")
    monkeypatch.setenv("MATCHER_DATABASE_URL", PG)
    monkeypatch.setenv("MATCHER_ADMIN_KEY", ADMIN)
    monkeypatch.delenv("MATCHER_PSEUDONYM_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="MATCHER_PSEUDONYM_SECRET"):
        load_settings()
    monkeypatch.setenv("MATCHER_PSEUDONYM_SECRET", PSEUDONYM)
    assert load_settings().pseudonym_secret == PSEUDONYM


def test_export_pseudonyms_are_keyed_by_the_configured_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import FakeMatcher, seed

    def export(secret: str | None, name: str) -> list[str]:
        url = f"sqlite:///{tmp_path / name}"
        app = create_app(
            Settings(database_url=url, env="test", pseudonym_secret=secret), matcher=FakeMatcher()
        )
        with TestClient(app) as client:
            keys = seed(app.state.sessions)
            client.get("/challenges/ch-bo-1/matches?type=facility", headers={"X-API-Key": keys["admin"]})
            items = client.get("/exports/matches", headers={"X-API-Key": keys["evaluator"]}).json()["items"]
            return sorted(row["candidate"] for row in items)

    assert export(PSEUDONYM, "a.db") == export(PSEUDONYM, "b.db")  # stable across processes
    assert export(PSEUDONYM, "c.db") != export(PSEUDONYM[::-1], "d.db")
    assert export(None, "e.db") != export(None, "f.db")  # unset: one process only


def test_the_adapter_hands_on_the_programme_matchers_own_suggestions() -> None:
    """One Suggestion type: the API gets the very objects the matcher built, nothing converted."""
    from api.matching import ProgrammeMatcherAdapter
    from matcher import types as t
    from matcher.domain.matches import Suggestion

    hit = Suggestion(t.NodeType.PERSON, "stu-1", 0.5, {"dense": 0.4}, rank=1, name="Ana")
    fit = Suggestion(t.NodeType.CHALLENGE, "ch-1", 1.0, rank=1)
    asked: list[tuple[object, ...]] = []

    class Stub:
        def suggest(self, challenge_id, match_type, *, session, k):  # type: ignore[no-untyped-def]
            asked.append(("suggest", challenge_id, match_type, k))
            return [hit]

        def fits(self, profile_id, *, session, k, reveal=None):  # type: ignore[no-untyped-def]
            asked.append(("fits", profile_id, k, reveal))
            return [fit]

        def partners(self, organisation_id, *, session, k):  # type: ignore[no-untyped-def]
            asked.append(("partners", organisation_id, k))
            return [hit]

    adapter = ProgrammeMatcherAdapter(Stub())
    [s] = adapter.challenge_matches("ch-1", t.Programme.CONSULTANCY, 3, session=None)  # type: ignore[arg-type]
    assert s is hit
    assert adapter.profile_challenges("p", 4, session=None)[0] is fit  # type: ignore[arg-type]
    assert adapter.partners("o", 5, session=None)[0] is hit  # type: ignore[arg-type]
    assert asked == [
        ("suggest", "ch-1", t.Programme.CONSULTANCY, 3), ("fits", "p", 4, None), ("partners", "o", 5),
    ]  # fmt: skip
