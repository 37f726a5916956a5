"""Write docs/screenshots/*.png: each page of /ui (and /docs) on the small demo programme.

Usage: ``python docs/screenshots.py [--out docs/screenshots]`` (``make screenshots``).
Starts the same live server as the browser tests (tests/ui/live.py: demo programme at
scale 0.05, real ProgrammeMatcher, fake encoder), signs in as each role, takes a few
decisions so that the pages show states, and saves one PNG per page, plus the challenge
page at phone width.  Needs Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.ui.live import CHROMIUM, CHROMIUM_ARGS, live_server  # noqa: E402


def sign_in(page: Any, key: str) -> None:
    page.goto("/ui/login")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/ui/")


def shoot(page: Any, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"{path}  ({path.stat().st_size // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, live_server(Path(folder)) as live, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live.url, viewport={"width": 1100, "height": 800})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live.url) else r.abort())
        page = context.new_page()
        page.set_default_timeout(60_000)
        challenge = f"/ui/challenges/{live.private_challenge}"

        page.goto("/ui/login")
        shoot(page, args.out, "login")
        sign_in(page, live.keys["sme_a"])
        shoot(page, args.out, "sme-home")
        page.goto(challenge)
        cards = page.locator("section.suggestions[data-type=consultancy] li.suggestion")
        cards.first.get_by_role("button", name="Accept").click()
        page.wait_for_url(re.compile(r"done="))
        second = page.locator("section.suggestions[data-type=consultancy] li.suggestion").nth(1)
        second.get_by_label("Reason for declining").select_option("too_early")
        second.get_by_label("Note (optional)").fill("Maybe next semester")
        second.get_by_role("button", name="Decline").click()
        page.wait_for_url(re.compile(r"done=decline"))
        shoot(page, args.out, "sme-challenge")
        page.set_viewport_size({"width": 1100, "height": 900})
        page.locator("p.description").evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
        )
        page.screenshot(path=str(args.out / "readme.png"))  # the README's one screenshot
        print(args.out / "readme.png")
        page.goto(f"{challenge}/edit")
        shoot(page, args.out, "sme-edit-challenge")
        page.goto("/ui/partners")
        shoot(page, args.out, "sme-partners")

        phone = browser.new_context(
            base_url=live.url, viewport={"width": 390, "height": 844}, device_scale_factor=1
        )
        phone.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live.url) else r.abort())
        mobile = phone.new_page()
        mobile.set_default_timeout(60_000)
        sign_in(mobile, live.keys["sme_a"])
        mobile.goto(challenge)
        mobile.locator("section.suggestions h2").first.evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
        )
        mobile.screenshot(path=str(args.out / "sme-challenge-phone.png"), full_page=False)
        print(args.out / "sme-challenge-phone.png")
        phone.close()

        page.context.clear_cookies()
        sign_in(page, live.keys["sme_b"])
        page.goto(challenge)
        shoot(page, args.out, "not-found")

        page.context.clear_cookies()
        sign_in(page, live.keys["coordinator"])
        page.goto("/ui/round")
        links = [a.get_attribute("href") for a in page.locator("table.round a").all()][:6]
        for href in links:  # ask for suggestions, so that the round shows candidates
            page.goto(href)
        page.goto("/ui/round")
        shoot(page, args.out, "coordinator-round")
        page.goto("/ui/fits")
        shoot(page, args.out, "coordinator-fits")
        page.goto("/ui/round")
        page.get_by_label("Smallest team").fill("1")
        page.get_by_label("Largest team").fill("3")
        page.get_by_role("button", name="Run the allocation").click()
        page.wait_for_url(re.compile(r"/ui/round/allocations/"))
        page.locator("[data-status=done]").wait_for(timeout=120_000)
        shoot(page, args.out, "coordinator-allocation")
        first = page.locator("table.team tbody tr").first.get_attribute("data-student")
        page.get_by_label("Student").select_option(first)
        page.get_by_label("Move to").select_option("")
        page.get_by_role("button", name="Move and re-audit").click()
        page.wait_for_url(re.compile(r"done=override"))
        page.locator("#audit").evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
        )
        page.screenshot(path=str(args.out / "coordinator-override.png"))
        print(args.out / "coordinator-override.png")
        phone = browser.new_context(
            base_url=live.url, viewport={"width": 390, "height": 844}, device_scale_factor=1
        )
        phone.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live.url) else r.abort())
        mobile = phone.new_page()
        sign_in(mobile, live.keys["coordinator"])
        mobile.goto(page.url.split("?")[0].replace(live.url, ""))
        mobile.locator("#h-teams").evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
        )
        mobile.screenshot(path=str(args.out / "coordinator-allocation-phone.png"))
        print(args.out / "coordinator-allocation-phone.png")
        phone.close()

        page.context.clear_cookies()
        sign_in(page, live.keys["council"])
        page.goto("/ui/council")
        page.wait_for_function(
            "[...document.querySelectorAll('figure.plot img')].every(i => i.complete && i.naturalWidth > 0)"
        )
        shoot(page, args.out, "council")

        page.context.clear_cookies()
        sign_in(page, live.keys["trainer"])
        page.goto("/ui/training")
        shoot(page, args.out, "trainer")

        admin = {"X-API-Key": live.keys["admin"]}
        for href in links:  # facility suggestions (through the API), so that the host sees requests
            page.request.get(href.replace("/ui", "") + "/matches?type=facility", headers=admin)
        page.context.clear_cookies()
        sign_in(page, live.keys["host"])
        page.goto("/ui/facilities")
        shoot(page, args.out, "facility-host")

        page.goto("/docs")
        page.locator(".opblock").first.wait_for()
        page.screenshot(path=str(args.out / "docs.png"))
        print(args.out / "docs.png")
        browser.close()
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
