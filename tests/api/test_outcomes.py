"""Decisions on matches: status flow, reasons, ratings, relationships, attribution, versions."""

from __future__ import annotations

from matcher.store import records as repo
from tests.api.conftest import Api


def _matches(api: Api, who: str = "sme_bo1", type_: str = "consultancy") -> list[dict]:
    response = api.call(who, "GET", f"/challenges/ch-bo-1/matches?type={type_}")
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _relationships(api: Api) -> list:
    with api.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return [
            r for r in repo.list_records("relationships", session=session) if r.provenance.startswith("match")
        ]


def test_accept_meet_complete_rate(api: Api) -> None:
    match = _matches(api)[0]
    assert match["status"] == "proposed" and match["candidate_id"] == "stu-cork-1"
    path = f"/matches/{match['id']}/decisions"
    accepted = api.call("sme_bo1", "POST", path, json={"action": "accept", "date": "2026-11-02"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.headers["ETag"] == '"2"'
    [rel] = _relationships(api)
    assert (rel.kind.value, rel.source_id, rel.target_id, rel.date.isoformat()) == (
        "match_accepted",
        "sme-bo-1",
        "stu-cork-1",
        "2026-11-02",
    )
    assert "sme:sme-bo-1" in rel.provenance

    assert api.call("coord_cork", "POST", path, json={"action": "meeting_held"}).status_code == 200
    done = api.call(
        "sme_bo1", "POST", path, json={"action": "complete", "rating": 4}, headers={"If-Match": '"3"'}
    )
    assert done.status_code == 200 and done.json()["rating"] == 4
    assert {r.kind.value for r in _relationships(api)} == {
        "match_accepted",
        "meeting_held",
        "consultancy_completed",
    }
    history = done.json()["history"]
    assert [e["status"] for e in history] == ["accepted", "meeting_held", "completed"]
    assert history[1]["actor"].startswith("coordinator:hei-cork")

    rated = api.call("sme_bo1", "POST", path, json={"action": "rate", "rating": 5})
    assert rated.json()["rating"] == 5 and rated.json()["status"] == "completed"
    late = api.call("sme_bo1", "POST", path, json={"action": "decline", "reason": "too_early"})
    assert late.status_code == 409 and late.json()["type"].endswith("/conflict")


def test_decline_needs_a_reason_category(api: Api) -> None:
    match = _matches(api)[1]
    path = f"/matches/{match['id']}/decisions"
    assert api.call("sme_bo1", "POST", path, json={"action": "decline"}).status_code == 422
    assert api.call("sme_bo1", "POST", path, json={"action": "decline", "reason": "bored"}).status_code == 422
    declined = api.call(
        "sme_bo1", "POST", path, json={"action": "decline", "reason": "no_capacity", "note": "Q3"}
    )
    assert declined.json()["decline_reason"] == "no_capacity" and declined.json()["status"] == "declined"
    assert _relationships(api) == []
    # A declined suggestion keeps its status when the matcher suggests it again.
    again = {m["id"]: m for m in _matches(api)}
    assert again[match["id"]]["status"] == "declined"


def test_stale_version_and_other_parties(api: Api) -> None:
    match = _matches(api)[0]
    path = f"/matches/{match['id']}/decisions"
    assert (
        api.call("sme_bo1", "POST", path, json={"action": "accept"}, headers={"If-Match": '"7"'}).status_code
        == 412
    )
    assert api.call("sme_bo2", "POST", path, json={"action": "accept"}).status_code == 404
    assert api.call("trainer_bo", "POST", path, json={"action": "accept"}).status_code == 404
    assert api.call("evaluator", "POST", path, json={"action": "accept"}).status_code == 403
    assert api.call("council_bo", "POST", path, json={"action": "accept"}).status_code == 200


def test_placement_and_facility_completion_relationships(api: Api) -> None:
    placement = _matches(api, type_="placement")[0]
    facility = _matches(api, type_="facility")[0]
    for match in (placement, facility):
        path = f"/matches/{match['id']}/decisions"
        assert api.call("admin", "POST", path, json={"action": "accept"}).status_code == 200
        assert api.call("admin", "POST", path, json={"action": "complete"}).status_code == 200
    kinds = sorted(r.kind.value for r in _relationships(api))
    assert kinds == ["match_accepted", "match_accepted", "placement_held", "shared_facility"]


def test_evaluator_export_is_pseudonymised(api: Api) -> None:
    match = _matches(api)[0]
    api.call("sme_bo1", "POST", f"/matches/{match['id']}/decisions", json={"action": "accept"})
    export = api.call("evaluator", "GET", "/exports/matches").json()
    assert export["total"] == 3
    text = str(export)
    assert "stu-cork-1" not in text and "ch-bo-1" not in text and match["id"] not in text
    assert {row["status"] for row in export["items"]} == {"proposed", "accepted"}
