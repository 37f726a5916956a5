"""Filters and conflicts of interest as masks."""

from __future__ import annotations

import datetime as dt

import numpy as np

from matcher.ranking import (
    apply_mask,
    availability_mask,
    combine_masks,
    cross_border_mask,
    relationship_mask,
    same_organisation_mask,
    top_k_scores,
    value_mask,
    visibility_mask,
)


def test_value_mask_global_and_per_query():
    cand = ["malaga", "bologna", "cork"]
    assert value_mask(cand, {"cork", "malaga"}, 2).tolist() == [[True, False, True]] * 2
    assert value_mask(cand, None, 1).all()
    got = value_mask(cand, [{"bologna"}, None], 2, per_query=True)
    assert got.tolist() == [[False, True, False], [True, True, True]]


def test_cross_border_same_org_relationships_visibility():
    assert cross_border_mask(["ES", "IT"], ["ES", "IT", "FR"]).tolist() == [
        [False, True, True],
        [True, False, True],
    ]
    assert same_organisation_mask(["o1", None], ["o1", "o2", None]).tolist() == [
        [False, True, True],
        [True, True, True],
    ]
    rel = relationship_mask(["c1", "c2"], ["p1", "p2"], {("c1", "p2"), ("zz", "p1")})
    assert rel.tolist() == [[True, False], [True, True]]
    vis = visibility_mask(["public", "private", "private"], ["cork", "cork", "paris"], ["paris"])
    assert vis.tolist() == [[True, False, True]]


def test_availability_overlap_with_open_ends():
    got = availability_mask(
        [dt.date(2025, 3, 1)],
        [dt.date(2025, 6, 30)],
        [dt.date(2025, 7, 1), None, "2025-06-30", dt.date(2024, 1, 1)],
        [None, dt.date(2025, 2, 28), None, dt.date(2025, 3, 1)],
    )
    assert got.tolist() == [[False, False, True, True]]


def test_combine_and_apply_exclude_from_top_k():
    scores = np.array([[0.9, 0.8, 0.7], [0.1, 0.2, 0.3]])
    outcome = combine_masks(
        scores.shape,
        {
            "cross_border": cross_border_mask(["ES", "IT"], ["ES", "IT", "FR"]),
            "council": None,
            "same_organisation": same_organisation_mask(["a", "b"], ["x", "y", "b"]),
        },
    )
    assert outcome.applied == ("cross_border", "same_organisation")
    assert outcome.excluded == {"cross_border": 2, "same_organisation": 1}
    idx, vals = top_k_scores(apply_mask(scores, outcome.mask), 3)
    assert idx.tolist() == [[1, 2, -1], [0, -1, -1]]
    assert np.isneginf(vals[1, 1:]).all()


def test_availability_mask_takes_date_arrays_like_lists() -> None:
    import datetime as dt

    from matcher.ranking.filters import availability_mask

    starts = [dt.date(2026, 1, 1), None, dt.date(2027, 6, 1)]
    ends = [dt.date(2026, 3, 1), dt.date(2026, 12, 31), None]
    q_from, q_to = [dt.date(2026, 2, 1)], [dt.date(2026, 5, 1)]
    as_lists = availability_mask(q_from, q_to, starts, ends)
    as_arrays = availability_mask(
        q_from, q_to, np.array(starts, dtype="datetime64[D]"), np.array(ends, dtype="datetime64[D]")
    )
    np.testing.assert_array_equal(as_lists, as_arrays)
    np.testing.assert_array_equal(as_lists, [[True, True, False]])
