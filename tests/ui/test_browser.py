"""The SME flow, access, CSRF and offline docs in a real browser (Debian Chromium via Playwright)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matcher import types as t
from matcher.services.access import authenticate
from matcher.services.outcomes.stored import stored_matches
from matcher.store import transaction
from tests.ui.conftest import sign_in
from tests.ui.live import Live

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (the dev extra has it)"
).expect


def _stored_consultancy(live: Live, name: str, challenge_id: str) -> list[Any]:
    """The challenge's stored consultancy records, read through the service (an independent check)."""
    with transaction(live.sessions) as session:  # type: ignore[arg-type]
        principal = authenticate(live.keys[name], session=session)
        found = stored_matches(principal, challenge_id, match_type=t.Programme.CONSULTANCY, session=session)
    return [m for m, _ in found]


def test_login_page_is_one_key_field_and_a_submit_button(page: Any, outside: list[str]) -> None:
    page.goto("/ui/login")
    form = page.locator("form[action='/ui/login']")
    assert form.locator("input:not([type=hidden])").count() == 1
    expect(form.get_by_label("API key")).to_have_attribute("type", "password")
    expect(form.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_label("API key").fill("cm_not-a-real-key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("unknown")
    assert "cm_" not in page.url and outside == []


def test_an_sme_declines_a_suggestion_with_a_reason_and_it_persists(
    page: Any, live: Live, outside: list[str]
) -> None:
    sign_in(page, live.keys["sme_a"])
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["cm_session"]
    assert session["httpOnly"] and session["secure"] and session["sameSite"] == "Strict"
    assert live.keys["sme_a"] not in page.url

    # My records list my private challenge; it opens with ranked consultancy suggestions first.
    page.locator(f"a[href='/ui/challenges/{live.private_challenge}']").click()
    sections = page.locator("section.suggestions")
    expect(sections.first).to_have_attribute("data-type", "consultancy")
    cards = sections.first.locator("li.suggestion")
    assert cards.count() >= 3
    stored = sorted(_stored_consultancy(live, "sme_a", live.private_challenge), key=lambda m: -m.score)
    shown = [cards.nth(i).get_attribute("data-candidate") for i in range(cards.count())]
    assert shown == [m.candidate_id for m in stored]  # ranked best first, as the service stored them
    first = cards.first
    expect(first.locator("h3")).not_to_be_empty()
    expect(first.locator(".bar")).to_have_attribute("aria-label", re.compile(r"\d of 5; score -?\d\.\d\d"))
    expect(first.locator(".reasons dt").first).to_be_visible()
    assert "Evidence" in first.locator(".reasons").inner_text()

    # Decline the second suggestion, with a reason, using the keyboard-reachable form.
    target = cards.nth(1)
    candidate = target.get_attribute("data-candidate")
    target.get_by_label("Reason for declining").select_option("no_capacity")
    target.get_by_label("Note (optional)").fill("Our lab is full until spring")
    target.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("status")).to_contain_text("decline")
    page.reload()
    again = page.locator(f"section.suggestions[data-type=consultancy] li[data-candidate='{candidate}']")
    expect(again.locator(".state")).to_have_text("declined")
    expect(again).to_contain_text("No capacity right now")
    [record] = [
        m for m in _stored_consultancy(live, "sme_a", live.private_challenge) if m.candidate_id == candidate
    ]
    assert record.status.value == "declined" and record.decline_reason.value == "no_capacity"
    assert record.history[-1].note == "Our lab is full until spring"
    assert outside == []


def test_another_sme_gets_a_404_page_for_a_private_challenge(page: Any, live: Live) -> None:
    sign_in(page, live.keys["sme_b"])
    response = page.goto(f"/ui/challenges/{live.private_challenge}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    body = page.locator("main").inner_text()
    with transaction(live.sessions) as session:  # type: ignore[arg-type]
        from matcher.store import records as repo

        secret = repo.get_record("challenges", live.private_challenge, session=session)
    assert secret.title not in body and secret.description[:40] not in body


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(page: Any, live: Live) -> None:
    sign_in(page, live.keys["sme_a"])
    page.goto(f"/ui/challenges/{live.private_challenge}")
    card = page.locator("section.suggestions[data-type=consultancy] li.suggestion.status-proposed").first
    candidate = card.get_attribute("data-candidate")
    card.locator("form input[name=csrf_token]").first.evaluate("e => e.remove()")
    with page.expect_response(re.compile(r"/decision$")) as answer:
        card.get_by_role("button", name="Accept").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("The form was refused")
    [record] = [
        m for m in _stored_consultancy(live, "sme_a", live.private_challenge) if m.candidate_id == candidate
    ]
    assert record.status.value == "proposed"


def test_docs_render_their_operations_with_no_network(page: Any, outside: list[str]) -> None:
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    expect(
        page.locator(".opblock-summary-path", has_text="/challenges/{challenge_id}/matches").first
    ).to_be_visible()
    page.goto("/redoc")
    expect(page.get_by_role("menuitem", name="matching").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Cluster Match")).first).to_be_visible()
    assert outside == []


def test_signing_in_and_declining_work_with_the_keyboard_alone(page: Any, live: Live) -> None:
    page.goto("/ui/login")
    expect(page.get_by_label("API key")).to_be_focused()  # the one field has the focus
    page.keyboard.type(live.keys["sme_b"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/ui/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My records")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.goto(f"/ui/challenges/{live.other_challenge}")
    card = page.locator("section.suggestions[data-type=consultancy] li.suggestion.status-proposed").first
    candidate = card.get_attribute("data-candidate")
    card.get_by_label("Reason for declining").focus()
    page.keyboard.press("ArrowDown")  # the first reason: not relevant
    page.keyboard.press("Tab")
    expect(card.get_by_label("Note (optional)")).to_be_focused()
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Decline")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**done=decline**")
    again = page.locator(f"section.suggestions[data-type=consultancy] li[data-candidate='{candidate}']")
    expect(again.locator(".state")).to_have_text("declined")


def test_pages_fit_a_phone_width_screen(browser: Any, live: Live) -> None:
    context = browser.new_context(base_url=live.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live.keys["sme_a"])
    for path in ("/ui/", f"/ui/challenges/{live.private_challenge}", "/ui/partners", "/ui/fits"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)
    context.close()
