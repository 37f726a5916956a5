"""KeptAnswers replays a kept body before routing: the same bytes, only for the caller it was kept for."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.routers import matches as match_routes
from tests.api.conftest import BACKENDS, _url
from tests.api.test_answer_memo import MATCHES, ROUTES, app_on


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return _url(request, tmp_path)


def _no_route(*args: object, **kwargs: object) -> None:
    raise AssertionError("the route ran: the answer was not replayed")


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_kept_answer_is_replayed_byte_for_byte_without_the_route(
    route: str, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    who, path = ROUTES[route]
    with app_on(url, tmp_path) as (api, memo):
        first = api.call(who, "GET", path)  # computes (and may store match records: not kept)
        kept = api.call(who, "GET", path)  # computes again, writes nothing: kept
        assert first.status_code == kept.status_code == 200 and first.content == kept.content
        assert memo.holds((path.split("?")[0], path.partition("?")[2]))
        monkeypatch.setattr(match_routes, "kept_json", _no_route)  # any request that reaches a route fails
        replayed = api.call(who, "GET", path)
        assert replayed.status_code == 200 and replayed.content == kept.content
        assert replayed.headers["content-type"] == kept.headers["content-type"] == "application/json"
        assert replayed.headers["content-length"] == str(len(kept.content))
        assert (
            replayed.headers["x-request-id"]
            and replayed.headers["x-request-id"] != kept.headers["x-request-id"]
        )
        bearer = api.client.get(path, headers={"Authorization": f"Bearer {api.keys[who]}"})
        assert bearer.content == kept.content  # the same caller, presenting the key the other way


def test_nobody_else_gets_a_replay_and_a_write_ends_it(url: str, tmp_path: Path) -> None:
    with app_on(url, tmp_path) as (api, memo):
        for _ in range(2):
            assert api.call("sme_bo1", "GET", MATCHES).status_code == 200
        hits = memo.hits
        assert api.call(None, "GET", MATCHES).status_code == 401  # no key: the route's own problem
        assert api.call(None, "GET", MATCHES, headers={"X-API-Key": "cm_not-a-key"}).status_code == 401
        other = api.call("sme_bo2", "GET", MATCHES)  # another SME: refused by the route, not replayed
        assert other.status_code in (403, 404) and "items" not in other.json()
        assert memo.hits == hits
        assert api.call("sme_bo1", "GET", MATCHES + "&k=3").json()["k"] == 3  # a new query is computed
        # a write (a new key made through the API) moves the store's version: computed again, not replayed
        made = api.call("admin", "POST", "/keys", json={"role": "evaluator", "label": "x"})
        assert made.status_code == 201
        before = memo.hits
        again = api.call("sme_bo1", "GET", MATCHES)
        assert again.status_code == 200 and memo.hits == before
