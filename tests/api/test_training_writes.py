"""Assessments over the API: the table's one-per-SME-area-date rule answers 422 with its field,
never a 5xx, on SQLite and PostgreSQL, and the stored row stays as it was."""

from __future__ import annotations

from tests.api.conftest import Api

ROW = {"id": "as-1", "sme_id": "sme-bo-1", "assessed_on": "2026-05-01", "area": "digital", "score": 2}


def test_a_second_assessment_of_the_same_area_and_date_is_a_422(api: Api) -> None:
    assert api.call("sme_bo1", "POST", "/assessments", json=ROW).status_code == 201
    clash = api.call("sme_bo1", "POST", "/assessments", json={**ROW, "id": "as-2", "score": 5})
    assert clash.status_code == 422, clash.text
    assert "assessed_on" in clash.text and "as-1" in clash.text
    moved = api.call("sme_bo1", "PUT", "/assessments/as-1", json={**ROW, "assessed_on": "2026-06-01"})
    assert moved.status_code == 200, moved.text  # its own key may move
    again = api.call("sme_bo1", "POST", "/assessments", json={**ROW, "id": "as-2", "score": 5})
    assert again.status_code == 201, again.text  # the old date is free now
    got = api.call("sme_bo1", "GET", "/assessments").json()
    rows = got["items"] if isinstance(got, dict) else got
    assert {(r["id"], r["assessed_on"], r["score"]) for r in rows} == {
        ("as-1", "2026-06-01", 2),
        ("as-2", "2026-05-01", 5),
    }
