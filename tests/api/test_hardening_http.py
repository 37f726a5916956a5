"""HTTP defects found by outside probes (issue #11, items 11, 16 and 17): never a 5xx, bounded answers."""

from __future__ import annotations

import json
import threading
import time

import pytest

from matcher.services import records as records_service
from tests.api.conftest import Api
from tests.api.test_records import CHALLENGE

ORG = {"id": "sme-new", "kind": "sme", "name": "New", "council": "bologna", "country": "IT"}


# ---------------------------------------------------------------- 11. 500s any key could cause
@pytest.mark.parametrize(
    "path",
    ["/challenges?q=%00", "/challenges?council=%00", "/people?kind=%00", "/relationships?node_id=a%00b",
     "/organisations?q=a%00"],
)  # fmt: skip
def test_nul_in_a_query_parameter_is_refused(shared_api: Api, path: str) -> None:
    response = shared_api.call("admin", "GET", path)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("bad", ["a\u0000b", "x\ud800", "\udfff"])
def test_nul_and_surrogates_in_json_strings_are_refused(api: Api, bad: str) -> None:
    def post(path: str, body: dict[str, object], **kw: object):  # type: ignore[no-untyped-def]
        content = json.dumps(body)  # ASCII escapes, as a client sends a lone surrogate
        headers = {"content-type": "application/json", **kw.pop("headers", {})}  # type: ignore[dict-item]
        return api.call("admin", "POST", path, content=content, headers=headers, **kw)

    assert post("/organisations", ORG | {"website": bad}).status_code == 422
    assert post("/challenges", CHALLENGE | {"title": bad}).status_code == 422
    assert post("/challenges", CHALLENGE | {"required_skills": [bad]}).status_code == 422
    match = api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy&k=1").json()["items"][0]
    decision = post(f"/matches/{match['id']}/decisions", {"action": "accept", "note": bad})
    assert decision.status_code == 422
    line = json.dumps(ORG | {"name": bad}) + "\n"
    imported = api.call("admin", "POST", "/imports/organisations", content=line,
                        headers={"content-type": "application/x-ndjson"})  # fmt: skip
    assert imported.status_code == 422 and imported.json()["errors"][0]["line"] == 1
    with api.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        from matcher.store import records as repo

        assert not repo.id_map("organisations", ["sme-new"], session=session)


@pytest.mark.parametrize("tag", ['"²"'.encode(), b'"' + b"9" * 5000 + b'"', b'"\xc2\xb2"'])
def test_if_match_of_any_tag_never_breaks(api: Api, tag: bytes) -> None:
    body = {k: v for k, v in CHALLENGE.items() if k != "id"}
    put = api.call("sme_bo1", "PUT", "/challenges/ch-bo-1", json=body, headers={"If-Match": tag})
    assert put.status_code == 412, put.text
    delete = api.call("sme_bo1", "DELETE", "/challenges/ch-bo-1", headers={"If-Match": tag})
    assert delete.status_code == 412
    match = api.call("sme_bo1", "GET", "/challenges/ch-bo-1/matches?type=consultancy&k=1").json()["items"][0]
    decided = api.call("sme_bo1", "POST", f"/matches/{match['id']}/decisions", json={"action": "accept"},
                       headers={"If-Match": tag})  # fmt: skip
    assert decided.status_code == 412


def test_malformed_if_match_is_a_bad_request(api: Api) -> None:
    response = api.call("sme_bo1", "DELETE", "/challenges/ch-bo-1", headers={"If-Match": "1"})
    assert response.status_code == 400 and response.json()["type"].endswith("/malformed-header")


def test_key_with_an_empty_council_is_refused(api: Api) -> None:
    for body in ({"role": "admin", "council": ""}, {"role": "council", "council": ""}):
        assert api.call("admin", "POST", "/keys", json=body).status_code == 422
    assert (
        api.call("admin", "POST", "/keys", json={"role": "admin", "council": "atlantis"}).status_code == 404
    )


def test_facility_without_country_takes_its_hosts(api: Api) -> None:
    body = {"id": "fac-new", "host_id": "park-bo", "kind": "lab", "name": "Lab", "description": "A lab."}
    created = api.call("host_park", "POST", "/facilities", json=body)
    assert created.status_code == 201, created.text
    assert (created.json()["council"], created.json()["country"]) == ("bologna", "IT")


def test_deeply_nested_bodies_are_refused(api: Api) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    imported = api.call("admin", "POST", "/imports/organisations", content=deep + "\n",
                        headers={"content-type": "application/x-ndjson"})  # fmt: skip
    assert imported.status_code == 422 and "nested too deeply" in imported.json()["detail"]
    posted = api.call(
        "admin", "POST", "/organisations", content=deep, headers={"content-type": "application/json"}
    )
    assert 400 <= posted.status_code < 500


def test_concurrent_creates_of_one_id_answer_409(api: Api) -> None:
    """Two POSTs of one new id both pass the existence check; the second insert waits for the
    first transaction and then hits the unique constraint: a conflict, never a driver error."""
    app = api.client.app
    if app.state.engine.dialect.name == "sqlite":  # type: ignore[attr-defined]
        pytest.skip("SQLite serialises writers: the second transaction cannot pass the check first")
    from matcher.exceptions import ConflictError
    from matcher.services.access import Principal, Role
    from matcher.store import transaction

    admin = Principal(Role.ADMIN)
    factory = app.state.sessions  # type: ignore[attr-defined]
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            with transaction(factory) as session:
                records_service.create("organisations", dict(ORG), admin, session=session)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    with transaction(factory) as first:
        records_service.create("organisations", dict(ORG), admin, session=first)
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(1.0)  # the second create now waits on the row the first one inserted
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), outcome


# ---------------------------------------------------------------- 16. heavy requests
def test_many_unknown_keys_answer_a_capped_error_list(shared_api: Api) -> None:
    body = ORG | {f"k{i}": 0 for i in range(40_000)}
    response = shared_api.call("admin", "POST", "/organisations", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert len(problem["errors"]) == 100 and problem["error_count"] >= 40_000
    assert len(response.content) < 50_000


def test_an_import_of_many_bad_rows_answers_a_capped_list(api: Api) -> None:
    rows = "id,kind,name,council,country\n" + "".join(f"bad id {i},sme,X,bologna,IT\n" for i in range(5000))
    headers = {"content-type": "text/csv"}
    refused = api.call("admin", "POST", "/imports/organisations", content=rows, headers=headers)
    assert refused.status_code == 422
    assert len(refused.json()["errors"]) == 100 and refused.json()["error_count"] == 5000
    skipped = api.call(
        "admin", "POST", "/imports/organisations?skip_invalid=true", content=rows, headers=headers
    )
    assert skipped.status_code == 200
    assert len(skipped.json()["rejected"]) == 100 and skipped.json()["rejected_count"] == 5000
    assert len(skipped.content) < 50_000


def test_an_upload_past_the_row_limit_is_refused_before_validation(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_service, "MAX_UPLOAD_ROWS", 3)
    rows = "id,kind,name,council,country\n" + "".join(f"sme-r{i},sme,R,bologna,IT\n" for i in range(4))
    refused = api.call("admin", "POST", "/imports/organisations", content=rows,
                       headers={"content-type": "text/csv"})  # fmt: skip
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["line"] == 5 and "more than 3 records" in error["reason"]  # the 4th record, after the header
    assert api.call("admin", "GET", "/organisations/sme-r0").status_code == 404  # nothing stored
    lines = "".join(json.dumps(ORG | {"id": f"sme-j{i}"}) + "\n" for i in range(4))
    jsonl = api.call("admin", "POST", "/imports/organisations?skip_invalid=true", content=lines,
                     headers={"content-type": "application/x-ndjson"})  # fmt: skip
    assert jsonl.status_code == 422 and jsonl.json()["errors"][0]["line"] == 4
    three = "id,kind,name,council,country\n" + "".join(f"sme-r{i},sme,R,bologna,IT\n" for i in range(3))
    kept = api.call("admin", "POST", "/imports/organisations", content=three,
                    headers={"content-type": "text/csv"})  # fmt: skip
    assert kept.status_code == 200 and kept.json()["counts"] == {"created": 3}  # at the limit: stored


def test_a_council_import_checks_ownership_in_a_fixed_number_of_queries(api: Api) -> None:
    from sqlalchemy import event

    engine = api.client.app.state.sessions.kw["bind"]  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):  # reads; the upsert's inserts are its own
            statements.append(statement)

    def import_people(n: int, tag: str) -> int:
        rows = "id,organisation_id,kind,name\n" + "".join(
            f"p-{tag}-{i},{'sme-bo-1' if i % 2 else 'hei-bo'},academic,P {i}\n" for i in range(n)
        )
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            done = api.call("council_bo", "POST", "/imports/people", content=rows,
                            headers={"content-type": "text/csv"})  # fmt: skip
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert done.status_code == 200, done.text
        assert done.json()["counts"] == {"created": n}
        return len(statements)

    few, many = import_people(4, "a"), import_people(400, "b")
    assert many == few, (few, many)  # the same reads for 400 rows as for 4: none per row
    outside = "id,organisation_id,kind,name\np-c-1,hei-cork,academic,P\n"
    refused = api.call("council_bo", "POST", "/imports/people", content=outside,
                       headers={"content-type": "text/csv"})  # fmt: skip
    assert refused.status_code == 422 and "outside council bologna" in refused.json()["errors"][0]["reason"]


def test_body_size_limits_are_checked_while_streaming(shared_api: Api) -> None:
    from api.limits import MAX_BODY_BYTES, MAX_IMPORT_BYTES

    declared = shared_api.call("admin", "POST", "/imports/organisations", content=b"x",
                               headers={"content-length": str(MAX_IMPORT_BYTES + 1), "content-type": "text/csv"})  # fmt: skip
    assert declared.status_code == 413

    def chunks():  # type: ignore[no-untyped-def]  # no Content-Length: counted as it arrives
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    streamed = shared_api.call("admin", "POST", "/organisations", content=chunks(),
                               headers={"content-type": "application/json"})  # fmt: skip
    assert streamed.status_code == 413 and streamed.json()["type"].endswith("/too-large")


# ---------------------------------------------------------------- 17. contract details
def test_openapi_marks_if_match_required_on_record_writes(shared_api: Api) -> None:
    schema = shared_api.client.get("/openapi.json").json()
    for method in ("put", "delete"):
        operation = schema["paths"]["/challenges/{record_id}"][method]
        [param] = [p for p in operation["parameters"] if p["name"] == "if-match"]
        assert param["required"] is True
        assert "428" in operation["responses"]


def test_if_match_lists_and_weak_tags(api: Api) -> None:
    body = {k: v for k, v in CHALLENGE.items() if k != "id"}
    weak = api.call("sme_bo1", "PUT", "/challenges/ch-bo-1", json=body, headers={"If-Match": 'W/"1"'})
    assert weak.status_code == 412
    listed = api.call("sme_bo1", "PUT", "/challenges/ch-bo-1", json=body, headers={"If-Match": '"0", "1"'})
    assert listed.status_code == 200, listed.text
    assert listed.headers["ETag"] == '"2"'


def test_405_answers_carry_allow(shared_api: Api) -> None:
    response = shared_api.call("admin", "DELETE", "/organisations")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_an_admin_key_cannot_revoke_itself_or_the_bootstrap_key(api: Api) -> None:
    me = api.call("admin", "GET", "/me").json()["key_id"]
    assert api.call("admin", "DELETE", f"/keys/{me}").status_code == 409
    assert api.call("admin", "GET", "/me").status_code == 200


def test_bootstrap_key_is_protected_and_not_shown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.app import create_app
    from matcher.config import Settings

    chosen = "my-own-admin-key-chosen-by-a-human-0123456789"
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", env="test", admin_key=chosen)
    with TestClient(create_app(settings, matcher=None)) as client:
        headers = {"X-API-Key": chosen}
        keys = client.get("/keys", headers=headers).json()
        assert all(chosen[:5] not in k["prefix"] for k in keys)
        other = client.post("/keys", json={"role": "admin"}, headers=headers).json()
        other_headers = {"X-API-Key": other["key"]}
        bootstrap_id = client.get("/me", headers=headers).json()["key_id"]
        assert client.delete(f"/keys/{bootstrap_id}", headers=other_headers).status_code == 409
        assert client.delete(f"/keys/{other['id']}", headers=headers).status_code == 200
