"""The coordinator's allocation round in a real browser: run it, wait for it, read it, override one
assignment and read the re-audit, each step checked against ``GET /allocations/{id}`` for the same key."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ui.conftest import sign_in
from tests.ui.live import Live

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (the dev extra has it)"
).expect


def _api_round(page: Any, live: Live, round_id: str) -> dict[str, Any]:
    answer = page.request.get(
        f"{live.url}/allocations/{round_id}", headers={"X-API-Key": live.keys["coordinator"]}
    )
    assert answer.ok, answer.text()
    return dict(answer.json())


def _shown_teams(page: Any) -> list[dict[str, Any]]:
    teams = page.locator("table.team")
    out = []
    for i in range(teams.count()):
        team = teams.nth(i)
        rows = team.locator("tbody tr")
        out.append({
            "challenge": team.get_attribute("data-challenge"),
            "members": [rows.nth(j).get_attribute("data-student") for j in range(rows.count())],
        })  # fmt: skip
    return out


def test_a_coordinator_runs_a_round_and_overrides_one_assignment(
    page: Any, live: Live, outside: list[str]
) -> None:
    sign_in(page, live.keys["coordinator"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Round").click()
    expect(page.get_by_role("heading", name="Allocate consultancy teams")).to_be_visible()
    page.get_by_label("Smallest team").fill("1")
    page.get_by_label("Largest team").fill("3")
    page.get_by_label("Councils each team mixes").fill("1")
    page.get_by_role("button", name="Run the allocation").click()
    page.wait_for_url(re.compile(r"/ui/round/allocations/alloc-[0-9a-f]+$"))
    round_id = page.url.rsplit("/", 1)[1]
    # the page reloads itself until the job is finished
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "done", timeout=90_000)
    body = _api_round(page, live, round_id)
    result = body["result"]
    assert body["status"] == "done" and result["teams"], result
    assert _shown_teams(page) == result["teams"]
    first = result["teams"][0]["members"][0]
    row = page.locator(f"table.team tr[data-student='{first}']")
    expect(row.locator("td").nth(1)).to_have_text(result["reasons"][first])
    expect(page.get_by_text("None.", exact=True)).to_be_visible()  # a solver result breaks no rule

    # move that student off every team, with the keyboard: the form is labelled and plain
    page.get_by_label("Student").select_option(first)
    page.get_by_label("Move to").select_option("")
    page.get_by_role("button", name="Move and re-audit").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("re-audited")
    edited = _api_round(page, live, round_id)["result"]
    assert edited["status"] == "edited" and edited["overrides"] == [{"student": first, "challenge": None}]
    assert first in edited["unassigned"]
    assert _shown_teams(page) == edited["teams"]
    violations = page.locator("ul.violations li")
    assert [violations.nth(i).inner_text() for i in range(violations.count())] == edited["quality"][
        "violations"
    ]
    figures = page.locator("#audit table.figures")
    expect(figures).to_contain_text(f"{edited['quality']['envy']}")
    # the CSV export holds the edited teams
    csv = page.request.get(f"{live.url}/ui/round/allocations/{round_id}/teams.csv")
    assert csv.ok and csv.text().splitlines()[0] == "round_id,challenge_id,student_id,affinity,reason"
    assert len(csv.text().strip().splitlines()) == 1 + sum(len(t["members"]) for t in edited["teams"]) + len(
        edited["unassigned"]
    )
    assert outside == []
