"""Writes: creation with the importer's validation, ETag / If-Match, deletion and erasure, bulk import."""

from __future__ import annotations

from tests.api.conftest import Api


def if_match(api: Api, path: str) -> dict[str, str]:
    """The If-Match header naming the record's current version (read as an admin)."""
    return {"If-Match": api.call("admin", "GET", path).headers["ETag"]}


CHALLENGE = {
    "id": "ch-bo-9",
    "sme_id": "sme-bo-1",
    "title": "Vision QA",
    "description": "Cameras on the line.",
    "required_skills": ["vision"],
    "programmes": ["consultancy", "facility"],
}


def test_create_read_update_with_etags(api: Api) -> None:
    created = api.call("sme_bo1", "POST", "/challenges", json=CHALLENGE)
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"' and created.headers["Location"] == "/challenges/ch-bo-9"
    assert created.json()["programmes"] == ["consultancy", "facility"]
    again = api.call("sme_bo1", "POST", "/challenges", json=CHALLENGE)
    assert again.status_code == 409 and again.json()["type"].endswith("/conflict")

    body = {k: v for k, v in CHALLENGE.items() if k != "id"} | {"title": "Vision QA v2"}
    updated = api.call("sme_bo1", "PUT", "/challenges/ch-bo-9", json=body, headers={"If-Match": '"1"'})
    assert updated.status_code == 200 and updated.headers["ETag"] == '"2"'
    stale = api.call(
        "sme_bo1", "PUT", "/challenges/ch-bo-9", json=body | {"title": "x"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412 and stale.json()["type"].endswith("/stale-version")
    assert api.call("sme_bo1", "GET", "/challenges/ch-bo-9").json()["title"] == "Vision QA v2"


def test_validation_errors_are_located(api: Api) -> None:
    bad = api.call("sme_bo1", "POST", "/challenges", json=CHALLENGE | {"budget_min": 10, "budget_max": 5})
    assert bad.status_code == 422
    problem = bad.json()
    assert problem["type"].endswith("/invalid-input")
    assert problem["errors"][0]["field"] == "budget_max"
    unknown_sme = api.call("admin", "POST", "/challenges", json=CHALLENGE | {"sme_id": "sme-nowhere"})
    assert unknown_sme.status_code == 422 and unknown_sme.json()["errors"][0]["field"] == "sme_id"
    not_an_sme = api.call("admin", "POST", "/challenges", json=CHALLENGE | {"sme_id": "hei-cork"})
    assert not_an_sme.status_code == 422


def test_an_sme_cannot_hand_its_challenge_to_another(api: Api) -> None:
    body = {"sme_id": "sme-bo-2", "title": "Robotic welding", "description": "Moved"}
    tag = if_match(api, "/challenges/ch-bo-1")
    assert api.call("sme_bo1", "PUT", "/challenges/ch-bo-1", json=body, headers=tag).status_code == 403
    host = {
        "host_id": "park-bo",
        "kind": "lab",
        "name": "Mine",
        "description": "x",
        "council": "cork",
        "country": "IE",
    }
    tag = if_match(api, "/facilities/fac-cork-1")
    assert api.call("host_park", "PUT", "/facilities/fac-cork-1", json=host, headers=tag).status_code == 403


def test_changes_require_if_match(api: Api) -> None:
    body = {k: v for k, v in CHALLENGE.items() if k != "id"}
    for method, path, json in [
        ("PUT", "/challenges/ch-bo-1", body),
        ("DELETE", "/challenges/ch-bo-1", None),
        ("DELETE", "/people/stu-cork-1", None),
        (
            "PUT",
            "/documents/prof-sme-bo-2-d01",
            {"profile_id": "prof-sme-bo-2", "kind": "description", "text": "x"},
        ),
    ]:
        who = {"/challenges/ch-bo-1": "sme_bo1", "/people/stu-cork-1": "coord_cork"}.get(path, "sme_bo2")
        for header in ({}, {"If-Match": "*"}):
            missing = api.call(who, method, path, json=json, headers=header)
            assert missing.status_code == 428, (method, path, missing.text)
            assert missing.headers["content-type"] == "application/problem+json"
            assert missing.json()["type"].endswith("/precondition-required")
    # Who may not change the record hears that first: 404 (cannot read it) or 403 (cannot change it).
    assert api.call("sme_bo2", "DELETE", "/challenges/ch-bo-1").status_code == 403
    assert api.call("sme_ma", "DELETE", "/people/stu-cork-1").status_code == 404
    assert api.call("admin", "DELETE", "/challenges/ch-nope").status_code == 404
    stale = api.call("sme_bo1", "DELETE", "/challenges/ch-bo-1", headers={"If-Match": '"9"'})
    assert stale.status_code == 412 and stale.json()["type"].endswith("/stale-version")
    assert api.call("admin", "GET", "/challenges/ch-bo-1").status_code == 200  # nothing was changed
    assert (
        api.call("sme_bo1", "DELETE", "/challenges/ch-bo-1", headers={"If-Match": '"1"'}).status_code == 200
    )


def test_documents_use_content_etags(api: Api) -> None:
    read = api.call("sme_bo2", "GET", "/documents/prof-sme-bo-2-d01")
    tag = read.headers["ETag"]
    body = {"profile_id": "prof-sme-bo-2", "kind": "description", "text": "Packaging lines, faster."}
    assert (
        api.call(
            "sme_bo2", "PUT", "/documents/prof-sme-bo-2-d01", json=body, headers={"If-Match": tag}
        ).status_code
        == 200
    )
    assert (
        api.call(
            "sme_bo2", "PUT", "/documents/prof-sme-bo-2-d01", json=body, headers={"If-Match": tag}
        ).status_code
        == 412
    )


def test_deleting_a_person_erases_them_everywhere(api: Api) -> None:
    matches = api.call("admin", "GET", "/challenges/ch-bo-1/matches?type=consultancy").json()["items"]
    assert any(m["candidate_id"] == "stu-cork-1" for m in matches)
    gone = api.call("coord_cork", "DELETE", "/people/stu-cork-1", headers={"If-Match": '"1"'})
    assert gone.status_code == 200, gone.text
    assert gone.json()["deleted"]["profiles"] == 1 and gone.json()["deleted"]["relationships"] == 1
    assert api.call("admin", "GET", "/people/stu-cork-1").status_code == 404
    assert api.call("admin", "GET", "/profiles/prof-stu-cork-1").status_code == 404
    stu_match = next(m for m in matches if m["candidate_id"] == "stu-cork-1")
    assert api.call("admin", "GET", f"/matches/{stu_match['id']}").status_code == 404


def test_deletes_by_role(api: Api) -> None:
    def delete(who: str, path: str) -> int:
        return int(api.call(who, "DELETE", path, headers=if_match(api, path)).status_code)

    assert delete("host_park", "/facilities/fac-cork-1") == 403
    assert delete("host_cork", "/facilities/fac-cork-1") == 200
    assert delete("coord_cork", "/organisations/rg-cork-01") == 403
    assert delete("council_cork", "/organisations/rg-cork-01") == 200
    assert api.call("admin", "GET", "/profiles/prof-rg-cork-01").status_code == 404


def test_bulk_import_reuses_the_cli_validation(api: Api) -> None:
    lines = [
        '{"id": "sme-bo-7", "kind": "sme", "name": "Meccanica Sette", "council": "bologna", "country": "IT"}',
        '{"id": "sme-ie-7", "kind": "sme", "name": "Cork Marine", "council": "cork", "country": "IE"}',
        '{"id": "sme-bo-8", "kind": "sme", "name": "Bad", "council": "bologna", "country": "Italy"}',
    ]
    body = "\n".join(lines).encode()
    headers = {"content-type": "application/x-ndjson"}
    refused = api.call("council_bo", "POST", "/imports/organisations", content=body, headers=headers)
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [(e["line"], e.get("field")) for e in errors] == [(2, None), (3, "country")]
    assert api.call("admin", "GET", "/organisations/sme-bo-7").status_code == 404  # nothing stored

    kept = api.call(
        "council_bo", "POST", "/imports/organisations?skip_invalid=true", content=body, headers=headers
    )
    assert kept.status_code == 200 and kept.json()["counts"] == {"created": 1}
    assert len(kept.json()["rejected"]) == 2
    csv = b"id,kind,name,council,country\nsme-ie-7,sme,Cork Marine,cork,IE\n"
    done = api.call(
        "admin", "POST", "/imports/organisations", content=csv, headers={"content-type": "text/csv"}
    )
    assert done.status_code == 200 and done.json()["counts"] == {"created": 1}


def test_api_keys_over_http(api: Api) -> None:
    made = api.call(
        "admin", "POST", "/keys", json={"role": "sme", "organisation_id": "sme-bo-2", "label": "t"}
    )
    assert made.status_code == 201
    key = made.json()["key"]
    assert api.client.get("/me", headers={"X-API-Key": key}).json()["organisation_id"] == "sme-bo-2"
    assert all("key" not in k for k in api.call("admin", "GET", "/keys").json())
    wrong = api.call("admin", "POST", "/keys", json={"role": "sme", "organisation_id": "hei-cork"})
    assert wrong.status_code == 422
    assert api.call("admin", "DELETE", f"/keys/{made.json()['id']}").json()["revoked_at"]
    assert api.client.get("/me", headers={"X-API-Key": key}).status_code == 401
