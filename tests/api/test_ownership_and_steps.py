"""Who may move a record, who may take each step of a match, what trainers read (issue #11, 12-15)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from matcher.services.access import Role
from matcher.services.outcomes.rules import STEPS, Action, allowed_roles
from matcher.store.models import MatchRow
from matcher.types import MatchStatus
from tests.api.conftest import KEYS, Api
from tests.api.test_records import if_match

FACILITY = {"host_id": "park-bo", "kind": "hot_desk", "name": "Desks", "description": "Hot desks."}


# ---------------------------------------------------------------- 12. ownership cannot be moved
def test_a_facility_host_cannot_move_its_facility_to_another_council(api: Api) -> None:
    tag = if_match(api, "/facilities/fac-bo-1")
    moved = api.call(
        "host_park", "PUT", "/facilities/fac-bo-1", json=FACILITY | {"council": "cork"}, headers=tag
    )
    assert moved.status_code == 403, moved.text
    assert api.call("council_cork", "GET", "/facilities/fac-bo-1").json()["council"] == "bologna"
    same = api.call(
        "host_park", "PUT", "/facilities/fac-bo-1", json=FACILITY | {"name": "Desks 2"}, headers=tag
    )
    assert same.status_code == 200  # its own facility, in its own council: fine
    created = api.call("host_park", "POST", "/facilities", json=FACILITY | {"id": "fac-x", "council": "cork"})
    assert created.status_code == 403
    by_admin = api.call("admin", "POST", "/facilities", json=FACILITY | {"id": "fac-x", "council": "cork"})
    assert by_admin.status_code == 201


def test_a_coordinator_cannot_reparent_its_research_group(api: Api) -> None:
    body = {"kind": "research_group", "name": "Marine Energy Lab", "council": "cork", "country": "IE",
            "parent_id": "hei-bo"}  # fmt: skip
    tag = if_match(api, "/organisations/rg-cork-01")
    assert (
        api.call("coord_cork", "PUT", "/organisations/rg-cork-01", json=body, headers=tag).status_code == 403
    )
    assert api.call("admin", "GET", "/organisations/rg-cork-01").json()["parent_id"] == "hei-cork"
    assert api.call("admin", "PUT", "/organisations/rg-cork-01", json=body, headers=tag).status_code == 200


# ---------------------------------------------------------------- 13. nothing named before contact
def test_accepting_on_a_private_challenge_waits_for_contact(api: Api) -> None:
    items = api.call("sme_bo2", "GET", "/challenges/ch-bo-2/matches?type=consultancy").json()["items"]
    [match] = [m for m in items if m["candidate_id"] == "stu-cork-1"]
    path = f"/matches/{match['id']}/decisions"
    early = api.call("sme_bo2", "POST", path, json={"action": "accept"})
    assert early.status_code == 409 and "approve_contact" in early.json()["detail"]
    assert "ch-bo-2" not in api.call("coord_cork", "GET", "/relationships?limit=200").text
    assert "sme-bo-2" not in api.call("coord_cork", "GET", "/relationships?limit=200").text
    assert api.call("sme_bo2", "POST", path, json={"action": "approve_contact"}).status_code == 200
    assert api.call("sme_bo2", "POST", path, json={"action": "accept"}).status_code == 200
    assert api.call("coord_cork", "GET", f"/matches/{match['id']}").json()["anonymised"] is False


# ---------------------------------------------------------------- 14. every role x every step
#: The answer by hand: on ch-bo-1 (sme-bo-1, Bologna, public) with candidate stu-cork-1 (hei-cork,
#: Cork).  Challenge side: admin, council_bo, sme_bo1.  Candidate side: admin, council_cork,
#: coord_cork, host_cork (hei-cork's facility host).  Neither: 404 (sme_bo2, sme_ma, trainer_bo);
#: evaluators read no challenges: 403.
CHALLENGE_SIDE = {"admin", "council_bo", "sme_bo1"}
CANDIDATE_SIDE = {"council_cork", "coord_cork", "host_cork"}
EXPECTED = {
    Action.ACCEPT: CHALLENGE_SIDE,
    Action.DECLINE: CHALLENGE_SIDE | CANDIDATE_SIDE,
    Action.MEETING_HELD: CHALLENGE_SIDE | CANDIDATE_SIDE,
    Action.COMPLETE: CHALLENGE_SIDE,
    Action.RATE: CHALLENGE_SIDE,
}
START = {Action.ACCEPT: [], Action.DECLINE: [], Action.MEETING_HELD: ["accept"], Action.COMPLETE: ["accept"],
         Action.RATE: ["accept", "complete"]}  # fmt: skip


def _expected_status(key: str, action: Action) -> int:
    if key in EXPECTED[action]:
        return 200
    if key == "evaluator":
        return 403
    return 403 if key in CHALLENGE_SIDE | CANDIDATE_SIDE else 404


def test_every_role_and_step_of_the_match_state_machine(api: Api) -> None:
    factory = api.client.app.state.sessions  # type: ignore[attr-defined]
    wrong = {}
    for action, before in START.items():
        for key in KEYS:
            with factory() as session:
                session.execute(delete(MatchRow))
                session.commit()
            items = api.call("admin", "GET", "/challenges/ch-bo-1/matches?type=consultancy").json()["items"]
            [match] = [m for m in items if m["candidate_id"] == "stu-cork-1"]
            path = f"/matches/{match['id']}/decisions"
            for step in before:
                assert api.call("sme_bo1", "POST", path, json={"action": step}).status_code == 200
            body = {"action": action.value} | ({"reason": "other"} if action == Action.DECLINE else {})
            body |= {"rating": 4} if action == Action.RATE else {}
            got = api.call(key, "POST", path, json=body).status_code
            if got != _expected_status(key, action):
                wrong[(action.value, key)] = got
    assert not wrong, wrong


def test_steps_from_the_wrong_state_conflict_and_the_table_names_roles() -> None:
    assert allowed_roles(MatchStatus.PROPOSED, Action.ACCEPT) == {Role.ADMIN, Role.COUNCIL, Role.SME}
    assert not allowed_roles(MatchStatus.DECLINED, Action.ACCEPT)  # no step leaves a decline
    for (status, action), _sides in STEPS.items():
        assert Role.TRAINER not in allowed_roles(status, action)
        assert Role.EVALUATOR not in allowed_roles(status, action)
    assert Role.COORDINATOR not in set().union(
        *(allowed_roles(s, a) for (s, a) in STEPS if a in (Action.ACCEPT, Action.COMPLETE, Action.RATE))
    )


def test_accepting_twice_is_a_conflict(api: Api) -> None:
    items = api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy").json()["items"]
    path = f"/matches/{items[0]['id']}/decisions"
    assert api.call("sme_bo1", "POST", path, json={"action": "accept"}).status_code == 200
    assert api.call("sme_bo1", "POST", path, json={"action": "accept"}).status_code == 409


# ---------------------------------------------------------------- 15. trainers read public records only
@pytest.mark.parametrize("key,status", [("trainer_bo", 404), ("council_bo", 200), ("admin", 200)])
def test_trainers_do_not_read_private_organisations(api: Api, key: str, status: int) -> None:
    org = {"id": "sme-bo-9", "kind": "sme", "name": "Quiet", "council": "bologna", "country": "IT",
           "visibility": "private"}  # fmt: skip
    assert api.call("admin", "POST", "/organisations", json=org).status_code == 201
    assert api.call(key, "GET", "/organisations/sme-bo-9").status_code == status
    assert api.call(key, "GET", "/challenges/ch-bo-2").status_code == status
