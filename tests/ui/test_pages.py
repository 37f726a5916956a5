"""The pages over HTTP (no browser): sign-in, cookies, CSRF, one set of access rules with the API,
decisions and optimistic concurrency, anonymised private challenges, the role pages.

Runs on SQLite and PostgreSQL with the API suites' seeded programme (tests/api/conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from api.ui.present import band
from api.ui.roles import outcomes_by_month
from matcher import types as t
from matcher.store import records as repo
from tests.api.conftest import Api

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(api: Api, name: str) -> None:
    api.client.base_url = "https://testserver"  # type: ignore[assignment]  # Secure cookies need https
    api.client.cookies.clear()
    form = api.client.get("/ui/login")
    answer = api.client.post(
        "/ui/login", data={"key": api.keys[name], "csrf_token": _token(form.text)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/", answer.text


def _candidates(html: str, match_type: str = "consultancy") -> list[str]:
    section = re.search(rf'data-type="{match_type}">(.*?)</section>', html, re.S)
    return re.findall(r'data-candidate="([^"]+)"', section.group(1)) if section else []


def test_the_key_lives_in_a_strict_cookie_and_never_in_a_url(api: Api) -> None:
    api.client.base_url = "https://testserver"  # type: ignore[assignment]
    form = api.client.get("/ui/login")
    assert form.status_code == 200 and form.text.count("<input") == 2  # the key and the CSRF token
    answer = api.client.post(
        "/ui/login",
        data={"key": api.keys["sme_bo1"], "csrf_token": _token(form.text)},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"].lower()
    assert all(flag in cookie for flag in ("httponly", "secure", "samesite=strict", "path=/ui"))
    assert api.keys["sme_bo1"] not in answer.headers["location"]
    home = api.client.get("/ui/")
    assert home.status_code == 200 and api.keys["sme_bo1"] not in home.text
    assert "Robotic welding" in home.text and "Secret packaging line" not in home.text  # only my records


def test_a_wrong_key_and_no_session_go_back_to_sign_in(api: Api) -> None:
    api.client.base_url = "https://testserver"  # type: ignore[assignment]
    assert api.client.get("/ui/", follow_redirects=False).headers["location"] == "/ui/login"
    form = api.client.get("/ui/login")
    bad = api.client.post("/ui/login", data={"key": "cm_nope", "csrf_token": _token(form.text)})
    assert (
        bad.status_code == 401
        and "unknown" in bad.text
        and "cm_session" not in bad.headers.get("set-cookie", "")
    )


def test_every_form_that_changes_data_needs_its_csrf_token(api: Api) -> None:
    api.client.base_url = "https://testserver"  # type: ignore[assignment]
    api.client.get("/ui/login")
    assert api.client.post("/ui/login", data={"key": api.keys["sme_bo1"]}).status_code == 403
    sign_in(api, "sme_bo1")
    page = api.client.get("/ui/challenges/ch-bo-1")
    match_id = re.search(r'id="match-([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    forged = {"action": "decline", "reason": "not_relevant", "csrf_token": "0" * 64}
    for data in ({"action": "accept"}, forged):
        refused = api.client.post(f"/ui/matches/{match_id}/decision", data=data)
        assert refused.status_code == 403 and "The form was refused" in refused.text
    assert api.call("sme_bo1", "GET", f"/matches/{match_id}").json()["status"] == "proposed"
    assert api.client.post("/ui/logout", data={}).status_code == 403
    assert api.client.get("/ui/", follow_redirects=False).status_code == 200  # still signed in


@pytest.mark.parametrize("who", ["sme_bo1", "council_bo", "admin", "coord_cork"])
def test_a_page_shows_exactly_the_candidates_the_api_shows(api: Api, who: str) -> None:
    sign_in(api, who)
    page = api.client.get("/ui/challenges/ch-bo-1")
    assert page.status_code == 200
    types = re.findall(r'class="suggestions" data-type="(\w+)"', page.text)
    assert types[0] == "consultancy"  # consultancy first (the contract)
    for match_type in types:
        shown = _candidates(page.text, match_type)
        expected = api.call(who, "GET", f"/challenges/ch-bo-1/matches?type={match_type}").json()["items"]
        assert shown == [m["candidate_id"] for m in expected], (who, match_type)


@pytest.mark.parametrize("who", ["sme_bo1", "sme_ma", "council_cork", "coord_cork", "host_park"])
def test_a_challenge_the_caller_may_not_read_is_a_404_page(api: Api, who: str) -> None:
    sign_in(api, who)
    page = api.client.get("/ui/challenges/ch-bo-2")
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    assert "Secret packaging line" not in page.text
    assert api.call(who, "GET", "/challenges/ch-bo-2").status_code == 404  # the API agrees


def test_decisions_on_a_page_are_the_api_decisions(api: Api) -> None:
    sign_in(api, "sme_bo1")
    page = api.client.get("/ui/challenges/ch-bo-1")
    [first, second, *_] = re.findall(r'id="match-([^"]+)"', page.text)
    token = _token(page.text)
    declined = api.client.post(
        f"/ui/matches/{second}/decision",
        data={"action": "decline", "reason": "too_early", "note": "next year", "version": "1", "csrf_token": token,
              "next": "/ui/challenges/ch-bo-1"},
        follow_redirects=False,
    )  # fmt: skip
    assert declined.status_code == 303 and declined.headers["location"].startswith(
        "/ui/challenges/ch-bo-1?done="
    )
    record = api.call("sme_bo1", "GET", f"/matches/{second}").json()
    assert (record["status"], record["decline_reason"], record["history"][-1]["note"]) == (
        "declined", "too_early", "next year"
    )  # fmt: skip
    stale = api.client.post(
        f"/ui/matches/{second}/decision", data={"action": "accept", "version": "1", "csrf_token": token}
    )
    assert stale.status_code == 412  # the page's version is stale: nothing changes
    no_reason = api.client.post(
        f"/ui/matches/{first}/decision", data={"action": "decline", "csrf_token": token}
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    outside = api.client.post(
        f"/ui/matches/{first}/decision",
        data={"action": "accept", "csrf_token": token, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert outside.headers["location"].startswith("/ui/challenges/ch-bo-1")
    assert api.call("sme_bo1", "GET", f"/matches/{first}").json()["status"] == "accepted"
    again = api.client.get("/ui/challenges/ch-bo-1").text
    assert re.search(rf'id="match-{second}".*?<span class="state">declined</span>', again, re.S)


def test_editing_a_challenge_checks_the_version_it_was_read_at(api: Api) -> None:
    sign_in(api, "sme_bo1")
    form = api.client.get("/ui/challenges/ch-bo-1/edit")
    version = int(re.search(r'name="version" value="(\d+)"', form.text).group(1))  # type: ignore[union-attr]
    token = _token(form.text)
    fields = {"title": "Robotic welding cells", "description": "Weld seams on thin steel sheet.",
              "required_skills": "robotics, welding", "status": "open", "visibility": "public",
              "deadline": "2027-04-01", "csrf_token": token}  # fmt: skip
    saved = api.client.post(
        "/ui/challenges/ch-bo-1/edit", data={**fields, "version": version}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    stored = api.call("sme_bo1", "GET", "/challenges/ch-bo-1").json()
    assert (stored["title"], stored["required_skills"], stored["deadline"], stored["version"]) == (
        "Robotic welding cells", ["robotics", "welding"], "2027-04-01", version + 1
    )  # fmt: skip
    stale = api.client.post(
        "/ui/challenges/ch-bo-1/edit", data={**fields, "title": "Lost", "version": version}
    )
    assert stale.status_code == 412 and "changed since you read it" in stale.text
    bad = api.client.post(
        "/ui/challenges/ch-bo-1/edit", data={**fields, "deadline": "2027-13-40", "version": version + 1}
    )
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert api.call("sme_bo1", "GET", "/challenges/ch-bo-1").json()["title"] == "Robotic welding cells"
    sign_in(api, "sme_bo2")
    assert api.client.get("/ui/challenges/ch-bo-1/edit").status_code == 403


def test_the_round_csv_holds_the_stored_consultancy_suggestions(api: Api) -> None:
    expected = api.call("coord_cork", "GET", "/challenges/ch-bo-1/matches?type=consultancy").json()["items"]
    sign_in(api, "coord_cork")
    page = api.client.get("/ui/round")
    assert page.status_code == 200 and "Robotic welding" in page.text
    rows = list(csv.DictReader(io.StringIO(api.client.get("/ui/round.csv").text)))
    assert [(r["challenge_id"], r["candidate_id"]) for r in rows] == [
        ("ch-bo-1", m["candidate_id"]) for m in expected
    ]
    sign_in(api, "sme_bo1")
    assert api.client.get("/ui/round.csv").status_code == 403


def test_the_council_page_shows_the_stats_of_its_region(api: Api) -> None:
    api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy")  # three proposed records
    sign_in(api, "council_bo")
    page = api.client.get("/ui/council")
    with api.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        figures = repo.counts_by_council(session=session)["bologna"]
    assert page.status_code == 200
    assert f'<th scope="row">SMEs</th><td>{figures["sme"]}</td>' in page.text
    assert f'<th scope="row">challenges</th><td>{figures["challenges"]}</td>' in page.text
    assert "Now: 3 proposed" in page.text
    sign_in(api, "sme_bo1")
    assert api.client.get("/ui/council").status_code == 403


def test_a_private_challenge_a_profile_fits_stays_anonymised(real_api: Api) -> None:
    secret = {"id": "ch-bo-3", "sme_id": "sme-bo-2", "title": "Confidential zirconia gearbox retrofit",
              "description": "Wave energy test rigs for the zirconia bearings of our Imola plant.",
              "sector": "automotive", "required_skills": ["tribology"], "programmes": ["consultancy"],
              "visibility": "private"}  # fmt: skip
    assert real_api.call("sme_bo2", "POST", "/challenges", json=secret).status_code == 201
    sign_in(real_api, "coord_cork")
    page = real_api.client.get("/ui/fits?profile=prof-rg-cork-01")
    assert page.status_code == 200 and "A private challenge" in page.text and "tribology" in page.text
    for word in ("ch-bo-3", "sme-bo-2", "Confidential", "zirconia", "Imola", "Packaging Bologna", "Secret"):
        assert word not in page.text, word
    match_id = re.search(r'id="fit-([^"]+)"[^>]*>\s*<h2 class="h3">A private', page.text).group(1)  # type: ignore[union-attr]
    asked = real_api.client.post(
        f"/ui/matches/{match_id}/decision",
        data={"action": "request_contact", "csrf_token": _token(page.text), "next": "/ui/fits"},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert real_api.call("coord_cork", "GET", f"/matches/{match_id}").json()["contact"] == "requested"


def test_docs_and_redoc_load_nothing_from_outside(api: Api) -> None:
    for path in ("/docs", "/redoc"):
        html = api.client.get(path).text
        assert not re.search(r"(src|href)=[\"']https?://", html), html
        for asset in re.findall(r"(?:src|href)=[\"'](/[^\"']+)", html):
            assert api.client.get(asset).status_code == 200, asset
    sign_in(api, "sme_bo1")
    assert not re.search(r"(src|href)=[\"']https?://", api.client.get("/ui/").text)


def test_score_bands_are_unit_steps_on_the_default_methods_scale() -> None:
    assert [band(s).level for s in (-1.0, 0.0, 0.99, 1.0, 2.0, 2.99, 3.0, 3.99, 4.0, 9.0)] == [
        1, 1, 1, 2, 3, 3, 4, 4, 5, 5
    ]  # fmt: skip
    assert band(3.2).label == "strong match (4 of 5; score 3.20)"


def test_score_bands_belong_to_the_default_method() -> None:
    """The edges were measured on the default method's scores; a new default must re-derive them."""
    from api.ui.present import BAND_METHOD
    from matcher.ranking import DEFAULT_METHOD

    assert BAND_METHOD == DEFAULT_METHOD


def test_outcomes_by_month_counts_each_event_in_its_month() -> None:
    at = lambda m, d: dt.datetime(2026, m, d, tzinfo=dt.UTC)  # noqa: E731
    ev = t.MatchEvent
    a = t.MatchRecord("m1", t.Programme.CONSULTANCY, "c", t.NodeType.PERSON, "p", 0.5,
                      history=(ev(t.MatchStatus.ACCEPTED, at(1, 3), "x"), ev(t.MatchStatus.COMPLETED, at(3, 1), "x")))  # fmt: skip
    b = t.MatchRecord("m2", t.Programme.CONSULTANCY, "c", t.NodeType.PERSON, "q", 0.4,
                      history=(ev(t.MatchStatus.DECLINED, at(1, 30), "x"),))  # fmt: skip
    got = [(month, dict(c)) for month, c in outcomes_by_month([a, b])]
    assert got == [("2026-01", {"accepted": 1, "declined": 1}), ("2026-03", {"completed": 1})]


def test_the_redoc_bundle_names_no_outside_address(api: Api) -> None:
    bundle = api.client.get("/redoc-offline.js")
    assert bundle.status_code == 200 and len(bundle.content) > 500_000
    assert b"cdn.redoc.ly" not in bundle.content and b"fonts.googleapis" not in bundle.content


def test_a_host_sees_the_requests_for_its_own_facilities_private_ones_anonymised(api: Api) -> None:
    api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=facility")  # fac-cork-1, fac-bo-1
    api.call("sme_bo2", "GET", "/challenges/ch-bo-2/matches?type=facility")  # the private challenge
    sign_in(api, "host_park")  # hosts fac-bo-1 only
    page = api.client.get("/ui/facilities")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="request-([^"]+)">(.*?)</tr>', page.text, re.S)
    assert len(rows) == 2 and all("Desks" in row for _, row in rows)
    assert sum("Robotic welding" in row for _, row in rows) == 1
    assert sum("A private challenge" in row for _, row in rows) == 1
    assert "Secret packaging line" not in page.text and "ch-bo-2" not in page.text
    for match_id, _ in rows:  # the API shows the host the same records, the same way
        record = api.call("host_park", "GET", f"/matches/{match_id}").json()
        assert record["candidate_id"] == "fac-bo-1"


def test_a_csrf_token_holds_for_its_own_session_only(api: Api) -> None:
    sign_in(api, "sme_bo1")
    page = api.client.get("/ui/challenges/ch-bo-1")
    token = _token(page.text)
    match_id = re.search(r'id="match-([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    for cookie in list(api.client.cookies.jar):
        if cookie.name == "cm_session":
            cookie.value = api.keys["council_bo"]
    assert "Signed in as council · bologna" in api.client.get("/ui/").text
    refused = api.client.post(
        f"/ui/matches/{match_id}/decision", data={"action": "accept", "csrf_token": token}
    )
    assert refused.status_code == 403  # same nonce, another key: the token does not carry over
    assert api.call("sme_bo1", "GET", f"/matches/{match_id}").json()["status"] == "proposed"
