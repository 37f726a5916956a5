"""The relationships resource, the councils, and stored match records (no matcher run)."""

from __future__ import annotations

from tests.api.conftest import Api

NEW = {
    "id": "rel-new-1",
    "kind": "joint_eu_project",
    "source_type": "organisation",
    "source_id": "sme-ma-1",
    "target_type": "organisation",
    "target_id": "hei-cork",
    "date": "2025-03-01",
    "provenance": "CORDIS 4242",
}


def _ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_lists_show_edges_the_caller_speaks_for(shared_api: Api) -> None:
    call = shared_api.call
    assert _ids(call("admin", "GET", "/relationships")) == ["rel-1", "rel-2"]
    assert _ids(call("council_bo", "GET", "/relationships")) == ["rel-1", "rel-2"]  # sme-bo-1 is in Bologna
    assert _ids(call("council_cork", "GET", "/relationships")) == ["rel-1", "rel-2"]
    assert _ids(call("coord_cork", "GET", "/relationships")) == ["rel-1", "rel-2"]  # hei-cork, its student
    assert _ids(call("sme_bo2", "GET", "/relationships")) == []
    assert _ids(call("sme_ma", "GET", "/relationships")) == []
    for role in ("trainer_bo", "evaluator"):
        assert call(role, "GET", "/relationships").status_code == 403
    # Filters: a node at either end (optionally typed), a kind; sorting.
    assert _ids(call("admin", "GET", "/relationships?node_id=stu-cork-1")) == ["rel-2"]
    assert _ids(call("admin", "GET", "/relationships?node_id=stu-cork-1&node_type=organisation")) == []
    assert _ids(call("admin", "GET", "/relationships?node_id=sme-bo-1")) == ["rel-1", "rel-2"]
    assert _ids(call("admin", "GET", "/relationships?kind=placement_held")) == ["rel-2"]
    assert _ids(call("admin", "GET", "/relationships?sort=-id&limit=1")) == ["rel-2"]
    page = call("admin", "GET", "/relationships?limit=1&offset=1").json()
    assert page["total"] == 2 and [r["id"] for r in page["items"]] == ["rel-2"]


def test_read_one_edge(shared_api: Api) -> None:
    read = shared_api.call("council_cork", "GET", "/relationships/rel-1")
    assert read.status_code == 200 and read.headers["ETag"].startswith('"')
    assert read.json()["provenance"] == "CORDIS 101000" and read.json()["date"] == "2020-05-01"
    assert shared_api.call("sme_bo2", "GET", "/relationships/rel-1").status_code == 404  # not its edge
    assert shared_api.call("sme_bo1", "GET", "/relationships/rel-nope").status_code == 404
    assert shared_api.call("trainer_bo", "GET", "/relationships/rel-1").status_code == 403


def test_create_and_delete_by_admins_and_councils_of_either_end(api: Api) -> None:
    # sme-ma-1 is in Málaga, hei-cork in Cork: Bologna's council and the parties themselves may not add it.
    for role in ("council_bo", "sme_ma", "coord_cork", "trainer_bo", "evaluator"):
        assert api.call(role, "POST", "/relationships", json=NEW).status_code == 403, role
    made = api.call("council_cork", "POST", "/relationships", json=NEW)
    assert made.status_code == 201, made.text
    assert made.headers["Location"] == "/relationships/rel-new-1"
    assert made.json()["provenance"].startswith("CORDIS 4242; added by council:cork:key")
    assert api.call("admin", "POST", "/relationships", json=NEW).status_code == 409
    dangling = api.call(
        "admin", "POST", "/relationships", json=NEW | {"id": "rel-x", "target_id": "hei-nope"}
    )
    assert dangling.status_code == 422 and dangling.json()["errors"][0]["field"] == "target_id"
    assert _ids(api.call("sme_ma", "GET", "/relationships?node_id=sme-ma-1")) == ["rel-new-1"]

    assert api.call("sme_ma", "DELETE", "/relationships/rel-new-1").status_code == 403  # reads, cannot remove
    assert api.call("council_bo", "DELETE", "/relationships/rel-new-1").status_code == 404  # cannot see it
    stale = api.call("admin", "DELETE", "/relationships/rel-new-1", headers={"If-Match": '"0000"'})
    assert stale.status_code == 412
    tag = api.call("admin", "GET", "/relationships/rel-new-1").headers["ETag"]
    gone = api.call("council_cork", "DELETE", "/relationships/rel-new-1", headers={"If-Match": tag})
    assert gone.status_code == 200 and gone.json()["id"] == "rel-new-1"
    assert api.call("admin", "GET", "/relationships/rel-new-1").status_code == 404


def test_councils(shared_api: Api) -> None:
    for role in ("admin", "sme_ma", "evaluator"):
        councils = shared_api.call(role, "GET", "/councils").json()
        assert len(councils) == 6 and {c["code"] for c in councils} >= {"bologna", "cork", "malaga"}
    bologna = next(c for c in councils if c["code"] == "bologna")
    assert bologna["country"] == "IT" and "it" in bologna["languages"]
    assert shared_api.call(None, "GET", "/councils").status_code == 401


def test_stored_matches_are_listed_without_running_the_matcher(api: Api) -> None:
    assert api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches/stored").json()["items"] == []
    api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy")
    api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=facility")
    api.client.app.state.matcher = None  # type: ignore[attr-defined]  # stored records need no matcher
    stored = api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches/stored")
    assert stored.status_code == 200, stored.text
    body = stored.json()
    assert body["total"] == 5
    assert [(m["match_type"], m["candidate_id"]) for m in body["items"]] == [
        ("consultancy", "stu-cork-1"),
        ("consultancy", "rg-cork-01"),
        ("consultancy", "stu-bo-1"),
        ("facility", "fac-cork-1"),
        ("facility", "fac-bo-1"),
    ]
    first = body["items"][0]["id"]
    api.call("sme_bo1", "POST", f"/matches/{first}/decisions", json={"action": "accept"})
    accepted = api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches/stored?status=accepted").json()
    assert [m["id"] for m in accepted["items"]] == [first]
    facility = api.call(
        "council_bo", "GET", "/challenges/ch-bo-1/matches/stored?type=facility&limit=1"
    ).json()
    assert facility["total"] == 2 and [m["candidate_id"] for m in facility["items"]] == ["fac-cork-1"]
    # A coordinator sees its own candidates only, and no facility suggestions at all.
    coordinator = api.call("coord_cork", "GET", "/challenges/ch-bo-1/matches/stored").json()
    assert [m["candidate_id"] for m in coordinator["items"]] == ["stu-cork-1", "rg-cork-01"]
    assert (
        api.call("coord_cork", "GET", "/challenges/ch-bo-1/matches/stored?type=facility").status_code == 403
    )
    assert api.call("sme_bo2", "GET", "/challenges/ch-bo-1/matches/stored").status_code == 403
    assert api.call("sme_ma", "GET", "/challenges/ch-bo-2/matches/stored").status_code == 404  # private
    assert api.call("trainer_bo", "GET", "/challenges/ch-bo-1/matches/stored").status_code == 403
