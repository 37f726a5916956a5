"""Private challenges in the challenges a profile fits: anonymised until their side approves contact.

Runs the real ProgrammeMatcher (deterministic fake encoder) over the seeded programme.
``prof-rg-cork-01`` (Marine Energy Lab, Cork) fits Bologna's public ``ch-bo-1`` and the private
challenges of ``sme-bo-2``.  Its side: ``coord_cork``, ``council_cork``, ``admin``; the
challenges' side: ``sme_bo2``, ``council_bo``, ``admin``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api

SECRET = {
    "id": "ch-bo-3",
    "sme_id": "sme-bo-2",
    "title": "Confidential zirconia gearbox retrofit",
    "description": "Wave energy test rigs for the zirconia bearings of our Imola plant, before the 2027 launch.",
    "sector": "automotive",
    "required_skills": ["tribology"],
    "programmes": ["consultancy"],
    "visibility": "private",
}
#: Words of the private challenges (ch-bo-3 and the seeded ch-bo-2) and their SME's identity.
FORBIDDEN = ["ch-bo-3", "ch-bo-2", "sme-bo-2", "Packaging Bologna", "Confidential", "zirconia", "gearbox",
             "retrofit", "Imola", "launch", "Secret", "Private need"]  # fmt: skip
FITS = "/profiles/prof-rg-cork-01/challenges"


def _leaks(text: str) -> list[str]:
    return [w for w in FORBIDDEN if w.lower() in text.lower()]


@pytest.fixture
def secret(real_api: Api) -> str:
    """Adds the private challenge; returns the match record its anonymised summary names."""
    assert real_api.call("sme_bo2", "POST", "/challenges", json=SECRET).status_code == 201
    return _anonymised(real_api)["match_id"]


def _fits(api: Api, who: str = "coord_cork") -> list[dict[str, Any]]:
    response = api.call(who, "GET", FITS)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _anonymised(api: Api, who: str = "coord_cork") -> dict[str, Any]:
    [item] = [i for i in _fits(api, who) if (i["summary"] or {}).get("required_skills") == ["tribology"]]
    return item


def _decide(api: Api, who: str, match_id: str, action: str, **extra: Any):  # type: ignore[no-untyped-def]
    return api.call(who, "POST", f"/matches/{match_id}/decisions", json={"action": action, **extra})


def test_a_private_challenge_is_an_anonymised_summary(real_api: Api, secret: str) -> None:
    response = real_api.call("coord_cork", "GET", FITS)
    assert not _leaks(response.text), response.text
    items = response.json()["items"]
    assert {i["candidate_id"] for i in items if not i["anonymised"]} == {"ch-bo-1"}
    item = _anonymised(real_api)
    assert item["anonymised"] is True and item["candidate_id"] == item["match_id"] == secret
    assert item["contact"] is None and item["challenge"] is None
    assert item["summary"] == {
        "sector": "automotive", "council": "bologna", "country": "IT", "language": "en",
        "required_skills": ["tribology"], "programmes": ["consultancy"],
    }  # fmt: skip
    assert item["score"] > 0 and "dense" in item["reasons"]
    assert {"key_terms", "best_sentence_text", "best_document_excerpt"}.isdisjoint(item["reasons"])
    assert _anonymised(real_api, "council_cork")["match_id"] == secret  # a stable reference

    record = real_api.call("coord_cork", "GET", f"/matches/{secret}")
    assert record.status_code == 200 and not _leaks(record.text), record.text
    assert record.json()["anonymised"] is True and record.json()["challenge_id"] is None
    assert record.json()["summary"]["required_skills"] == ["tribology"]
    assert real_api.call("coord_cork", "GET", "/challenges/ch-bo-3").status_code == 404

    # Whoever may read the challenge sees it in full: the admin's listing, the SME's and council's record.
    full = {i["candidate_id"]: i for i in _fits(real_api, "admin")}
    assert full["ch-bo-3"]["anonymised"] is False and full["ch-bo-3"]["reasons"]["best_sentence_text"]
    for who in ("sme_bo2", "council_bo", "admin"):
        seen = real_api.call(who, "GET", f"/matches/{secret}").json()
        assert (seen["anonymised"], seen["challenge_id"], seen["candidate_id"]) == (
            False,
            "ch-bo-3",
            "rg-cork-01",
        )
        assert "best_sentence_text" in seen["reasons"]
    stored = real_api.call("sme_bo2", "GET", "/challenges/ch-bo-3/matches/stored").json()["items"]
    assert [m["id"] for m in stored] == [secret]


def test_request_then_approve_shows_the_challenge_in_full(real_api: Api, secret: str) -> None:
    requested = _decide(real_api, "coord_cork", secret, "request_contact", note="We run such rigs in Cork")
    assert requested.status_code == 200, requested.text
    body = requested.json()
    assert (body["contact"], body["anonymised"], body["status"], body["version"]) == (
        "requested",
        True,
        "proposed",
        2,
    )
    assert body["history"][-1]["contact"] == "requested"
    assert body["history"][-1]["actor"].startswith("coordinator:hei-cork:")
    assert not _leaks(requested.text)

    assert _decide(real_api, "coord_cork", secret, "approve_contact").status_code == 403  # its own request
    assert _decide(real_api, "council_cork", secret, "approve_contact").status_code == 403
    assert _decide(real_api, "coord_cork", secret, "accept").status_code == 403  # cannot see it yet
    assert _decide(real_api, "sme_bo1", secret, "approve_contact").status_code == 404  # another SME
    assert _decide(real_api, "sme_ma", secret, "approve_contact").status_code == 404
    assert _decide(real_api, "trainer_bo", secret, "approve_contact").status_code == 404
    assert _decide(real_api, "evaluator", secret, "approve_contact").status_code == 403
    assert _decide(real_api, "sme_bo2", secret, "request_contact").status_code == 403  # the other side asks
    assert _decide(real_api, "council_cork", secret, "request_contact").status_code == 409  # already asked

    owner = real_api.call("sme_bo2", "GET", f"/matches/{secret}").json()
    assert owner["contact"] == "requested" and owner["history"][-1]["note"] == "We run such rigs in Cork"
    approved = real_api.call(
        "sme_bo2", "POST", f"/matches/{secret}/decisions", json={"action": "approve_contact", "date": "2026-12-01"},
        headers={"If-Match": '"2"'},
    )  # fmt: skip
    assert approved.status_code == 200, approved.text
    assert approved.headers["ETag"] == '"3"' and approved.json()["contact"] == "approved"
    assert approved.json()["history"][-1]["actor"].startswith("sme:sme-bo-2:")

    record = real_api.call("coord_cork", "GET", f"/matches/{secret}").json()
    assert (record["anonymised"], record["challenge_id"], record["contact"]) == (False, "ch-bo-3", "approved")
    assert record["challenge"]["title"] == SECRET["title"] and record["challenge"]["sme_id"] == "sme-bo-2"
    assert record["reasons"]["best_sentence_text"]
    [item] = [i for i in _fits(real_api) if i["candidate_id"] == "ch-bo-3"]
    assert (item["anonymised"], item["match_id"], item["contact"]) == (False, secret, "approved")
    assert item["challenge"]["description"] == SECRET["description"] and item["summary"] is None
    assert real_api.call("coord_cork", "GET", f"{FITS}?k=3").text.count("Confidential") == 1
    # Accepting stays the challenge side's step (issue #11 item 14); now that contact is approved
    # the SME may take it, and the relationship it creates names nobody the candidate may not know.
    assert _decide(real_api, "coord_cork", secret, "accept").status_code == 403
    assert _decide(real_api, "sme_bo2", secret, "accept").json()["status"] == "accepted"


def test_request_then_decline_stays_anonymised(real_api: Api, secret: str) -> None:
    assert _decide(real_api, "council_cork", secret, "request_contact", note="Cork asks").status_code == 200
    declined = _decide(
        real_api,
        "council_bo",
        secret,
        "decline_contact",
        reason="too_early",
        note="sme-bo-2 is busy until 2027",
    )
    assert declined.status_code == 200 and declined.json()["contact"] == "declined"
    assert declined.json()["history"][-1]["reason"] == "too_early"

    record = real_api.call("coord_cork", "GET", f"/matches/{secret}")
    assert record.json()["anonymised"] is True and record.json()["contact"] == "declined"
    assert not _leaks(record.text), record.text  # the other side's actor and note are withheld
    request, decline = record.json()["history"]
    assert request["actor"].startswith("council:cork:") and request["note"] == "Cork asks"  # its own side
    assert (decline["actor"], decline["note"], decline["reason"]) == ("withheld", "", "too_early")
    item = _anonymised(real_api)
    assert (item["anonymised"], item["contact"], item["candidate_id"]) == (True, "declined", secret)
    assert not _leaks(real_api.call("coord_cork", "GET", FITS).text)
    assert _decide(real_api, "coord_cork", secret, "request_contact").status_code == 409  # no asking twice
    assert _decide(real_api, "council_bo", secret, "decline_contact").status_code == 409
    # The challenge's side may reconsider.
    assert _decide(real_api, "admin", secret, "approve_contact").json()["contact"] == "approved"
    assert _anonymised_or_none(real_api) is None


def _anonymised_or_none(api: Api) -> dict[str, Any] | None:
    found = [
        i
        for i in _fits(api)
        if i["anonymised"] and (i["summary"] or {}).get("required_skills") == ["tribology"]
    ]
    return found[0] if found else None


def test_contact_is_for_private_challenges_only(real_api: Api) -> None:
    [public] = [i for i in _fits(real_api, "admin") if i["candidate_id"] == "ch-bo-1"]
    assert public["match_id"] is None  # public challenges need no record to be seen
    matches = real_api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy").json()["items"]
    [match] = [m for m in matches if m["candidate_id"] == "rg-cork-01"]
    response = _decide(real_api, "coord_cork", match["id"], "request_contact")
    assert response.status_code == 409 and response.json()["type"].endswith("/conflict")
    assert _decide(real_api, "coord_cork", match["id"], "request_contact", reason="other").status_code == 422
