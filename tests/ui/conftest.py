"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

Playwright cannot download its own browser here, so it launches ``/usr/bin/chromium``
(``.ci/run`` installs it when missing).  The tests skip, saying why, only when Chromium
or the Playwright package is truly absent.  Every request that leaves the live server's
origin is aborted and recorded: the pages must need nothing from outside.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.live import CHROMIUM, CHROMIUM_ARGS, Live, live_server

try:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # two shared cores: ReDoc parses a 1 MB bundle and the schema
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]

NO_BROWSER = (
    "Playwright is not installed (pip install -e '.[dev]')"
    if sync_playwright is None
    else f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)"
    if not CHROMIUM.exists()
    else None
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("ui-live")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if NO_BROWSER:
        pytest.skip(NO_BROWSER)
    assert sync_playwright is not None
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Outside(list[str]):
    """URLs the page tried to fetch from outside the live server (all aborted)."""


@pytest.fixture
def outside() -> Outside:
    return Outside()


@pytest.fixture
def page(browser: Any, live: Live, outside: Outside) -> Iterator[Any]:
    context = browser.new_context(base_url=live.url, viewport={"width": 1100, "height": 900})

    def guard(route: Any) -> None:
        if route.request.url.startswith(live.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def sign_in(page: Any, key: str) -> None:
    page.goto("/ui/login")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/ui/")


# The API suites' seeded apps (SQLite and PostgreSQL), for the page tests that need no browser.
from tests.api.conftest import api, api_pg_url, real_api  # noqa: E402, F401
