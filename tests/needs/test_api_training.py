"""The training and needs routes end to end: the real ProgrammeMatcher with the fake encoder."""

from __future__ import annotations

from tests.api.conftest import Api

MODULE = {"id": "tm-weld", "provider_id": "hei-bo", "title": "Robotic welding lines",
          "description": "Our welding line stops twice a shift: robotic welding course", "council": "bologna",
          "skills": ["welding"], "areas": ["operations"]}  # fmt: skip


def test_catalogue_assessments_and_suggestions(real_api: Api) -> None:
    api = real_api
    created = api.call("council_bo", "POST", "/training-modules", json=MODULE)
    assert created.status_code == 201 and created.json()["version"] == 1
    assert api.call("sme_bo1", "GET", "/training-modules/tm-weld").json()["title"] == MODULE["title"]
    assert (
        api.call("sme_bo1", "PUT", "/training-modules/tm-weld", json={**MODULE, "places": 3}).status_code
        == 403
    )
    moved = api.call("council_bo", "PUT", "/training-modules/tm-weld", json={**MODULE, "id": "other"})
    assert moved.status_code == 422
    row = {"id": "as-1", "sme_id": "sme-bo-1", "assessed_on": "2026-05-01", "area": "operations", "score": 1}
    assert api.call("sme_bo1", "POST", "/assessments", json=row).status_code == 201
    assert api.call("sme_bo2", "GET", "/assessments/as-1").status_code == 404
    assert [a["id"] for a in api.call("trainer_bo", "GET", "/assessments").json()] == ["as-1"]
    assert (
        api.call("sme_bo1", "POST", "/assessments", json={**row, "id": "as-2", "score": 9}).status_code == 422
    )
    # the SME's welding challenge and its weak operations score both point at the module
    got = api.call("sme_bo1", "GET", "/smes/sme-bo-1/training").json()
    assert got["assessment"]["operations"]["score"] == 1
    top = got["suggestions"][0]
    assert top["module"] == "tm-weld" and not top["mobility"]
    assert set(top["reasons"]["answers"]) & {"challenge", "area"}
    assert api.call("sme_bo2", "GET", "/smes/sme-bo-1/training").status_code == 403
    demand = api.call("trainer_bo", "GET", "/training/demand").json()
    assert demand["council"] == "bologna"
    members = {m for c in demand["clusters"] for m in c["members"]}
    assert members == {"ch-bo-1", "ch-bo-2"}
    needs = api.call("trainer_bo", "GET", "/needs").json()
    assert needs["council"] == "bologna" and needs["n_challenges"] == 2
    # a trainer never sees the private challenge in full; its own council key does
    shown = [e for c in needs["clusters"] for e in c["examples"]]
    assert not any(e.get("id") == "ch-bo-2" for e in shown)
    council = api.call("council_bo", "GET", "/needs").json()
    assert any(e.get("id") == "ch-bo-2" for c in council["clusters"] for e in c["examples"])
    assert api.call("council_bo", "GET", "/needs?council=cork").status_code == 403
    assert api.call("council_bo", "DELETE", "/training-modules/tm-weld").status_code == 204
    assert api.call("council_bo", "GET", "/training-modules/tm-weld").status_code == 404
