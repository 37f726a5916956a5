"""Stable placements: hand-solved, brute force over every matching, the `matching` library as oracle."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from matcher.allocation import (
    PlacementInstance,
    blocking_pairs,
    matching_from_json,
    parse_placement_instance,
    placements_to_json,
    preference_lists,
    stable_placements,
)
from matcher.exceptions import ValidationError


def _doc(applicants, hosts):
    return {
        "applicants": [{"id": a, "preferences": p} for a, p in applicants.items()],
        "hosts": [{"id": h, "capacity": c, "preferences": p} for h, (c, p) in hosts.items()],
    }


def _named(inst: PlacementInstance, m: dict[int, int]) -> dict[str, str]:
    return {inst.applicant_ids[a]: inst.host_ids[h] for a, h in m.items()}


def test_hand_solved_applicant_and_host_optimal_differ() -> None:
    # The classic 2x2 with opposed preferences: both matchings are stable.
    doc = _doc(
        {"a1": [["h1"], ["h2"]], "a2": [["h2"], ["h1"]]},
        {"h1": (1, [["a2"], ["a1"]]), "h2": (1, [["a1"], ["a2"]])},
    )
    inst = parse_placement_instance(doc)
    assert _named(inst, stable_placements(inst)) == {"a1": "h1", "a2": "h2"}
    assert _named(inst, stable_placements(inst, optimal_for="hosts")) == {"a1": "h2", "a2": "h1"}


def test_capacity_partial_lists_and_mutual_acceptability() -> None:
    # h1 has 2 places; a3 lists h2, which does not list it back, so a3 only fits h1 (full with better).
    doc = _doc(
        {"a1": [["h1"]], "a2": [["h1"], ["h2"]], "a3": [["h2"], ["h1"]], "a4": [["h2"]]},
        {"h1": (2, [["a1"], ["a2"], ["a3"]]), "h2": (1, [["a2", "a4"]])},
    )
    inst = parse_placement_instance(doc)
    m = stable_placements(inst)
    assert _named(inst, m) == {"a1": "h1", "a2": "h1", "a4": "h2"}
    out = placements_to_json(inst, m)
    assert out == {
        "matching": [
            {"applicant": "a1", "host": "h1"},
            {"applicant": "a2", "host": "h1"},
            {"applicant": "a4", "host": "h2"},
        ],
        "unmatched": ["a3"],
        "blocking_pairs": [],
    }


def test_ties_give_weak_stability_and_audit_finds_strict_blocking_pairs() -> None:
    doc = _doc({"a1": [["h1", "h2"]], "a2": [["h1"]]}, {"h1": (1, [["a1", "a2"]]), "h2": (1, [["a1"]])})
    inst = parse_placement_instance(doc)
    m = stable_placements(inst)
    assert blocking_pairs(inst, m) == []
    # a2 alone unmatched while h1 holds a1: h1 is indifferent, so (a2, h1) does not block.
    assert blocking_pairs(inst, {0: 0}) == []
    # Nobody matched: every acceptable pair blocks.
    assert blocking_pairs(inst, {}) == [(0, 0), (0, 1), (1, 0)]
    # Hand edit: a1 to h2 only: h1 is free and a2 wants it.
    assert blocking_pairs(inst, {0: 1}) == [(1, 0)]


def _weakly_stable(inst: PlacementInstance, m: dict[int, int]) -> bool:
    """Independent check straight from the definition (tier lists, no shared helpers)."""

    def tier(prefs, x):
        return next((i for i, t in enumerate(prefs) if x in t), None)

    for a, prefs in enumerate(inst.applicant_prefs):
        for h in (h for t in prefs for h in t):
            if m.get(a) == h:
                continue
            mine = m.get(a)
            a_wants = mine is None or tier(prefs, h) < tier(prefs, mine)
            held = [b for b, g in m.items() if g == h]
            h_prefs = inst.host_prefs[h]
            h_wants = len(held) < inst.capacity[h] or any(tier(h_prefs, a) < tier(h_prefs, b) for b in held)
            if a_wants and h_wants:
                return False
    return True


def _all_matchings(inst: PlacementInstance):
    options = [[None] + [h for t in p for h in t] for p in inst.applicant_prefs]
    for choice in itertools.product(*options):
        load = [0] * len(inst.host_ids)
        for h in choice:
            if h is not None:
                load[h] += 1
        if all(load[h] <= inst.capacity[h] for h in range(len(load))):
            yield {a: h for a, h in enumerate(choice) if h is not None}


def _random(
    rng: np.random.Generator, n_a: int, n_h: int, *, ties: bool, min_cap: int = 0
) -> PlacementInstance:
    def tiers(items):
        items = [int(x) for x in rng.permutation(items)]
        out: list[list[int]] = []
        for x in items:
            if out and ties and rng.random() < 0.4:
                out[-1].append(x)
            else:
                out.append([x])
        return out

    a_prefs = [tiers([h for h in range(n_h) if rng.random() < 0.7]) for _ in range(n_a)]
    h_prefs = [tiers([a for a in range(n_a) if rng.random() < 0.8]) for _ in range(n_h)]
    caps = [int(c) for c in rng.integers(min_cap, min_cap + 3, size=n_h)]
    return PlacementInstance.build(
        [f"a{i}" for i in range(n_a)], [f"h{j}" for j in range(n_h)], caps, a_prefs, h_prefs
    )


@pytest.mark.parametrize("seed", range(40))
def test_brute_force_weak_stability_and_audit_on_random_instances_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    inst = _random(rng, int(rng.integers(2, 6)), int(rng.integers(1, 4)), ties=True)
    for side in ("applicants", "hosts"):
        m = stable_placements(inst, optimal_for=side)
        assert _weakly_stable(inst, m)
        assert blocking_pairs(inst, m) == []
    for m in _all_matchings(inst):  # the audit agrees with the definition on every matching
        assert (blocking_pairs(inst, m) == []) == _weakly_stable(inst, m)


@pytest.mark.parametrize("seed", range(30))
def test_strict_lists_are_side_optimal_by_brute_force(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    inst = _random(rng, int(rng.integers(2, 6)), int(rng.integers(1, 4)), ties=False)
    stable = [m for m in _all_matchings(inst) if _weakly_stable(inst, m)]
    rank_a = [{h: i for i, t in enumerate(p) for h in t} for p in inst.applicant_prefs]
    ours = stable_placements(inst, optimal_for="applicants")
    for m in stable:  # no applicant does better in any stable matching
        for a in range(len(inst.applicant_ids)):
            if a in m:
                assert a in ours and rank_a[a][ours[a]] <= rank_a[a][m[a]]
    rank_h = [{a: i for i, t in enumerate(p) for a in t} for p in inst.host_prefs]
    hosts = stable_placements(inst, optimal_for="hosts")
    for m in stable:  # every applicant does at least as badly as in any stable matching
        for a in range(len(inst.applicant_ids)):
            if a in hosts:
                assert a in m and rank_a[a][hosts[a]] >= rank_a[a][m[a]]
    assert rank_h  # host ranks exist for the instance


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("side", ["applicants", "hosts"])
def test_strict_lists_equal_the_matching_library(seed: int, side: str) -> None:
    from matching.games import HospitalResident

    rng = np.random.default_rng(seed)
    inst = _random(rng, 60, 12, ties=False, min_cap=1)  # the library cannot take a host without places
    a_prefs, h_prefs, caps = preference_lists(inst)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(a_prefs, h_prefs, caps)
        theirs = game.solve(optimal="resident" if side == "applicants" else "hospital")
    expected = {str(r): str(h) for h, rs in theirs.items() for r in rs}
    assert _named(inst, stable_placements(inst, optimal_for=side)) == expected


BAD = [
    ({"hosts": []}, "field 'applicants': is required"),
    (
        {"applicants": [{"id": "a", "preferences": []}, {"id": "a", "preferences": []}], "hosts": []},
        "field 'applicants[1].id': duplicate applicant id 'a'",
    ),
    (
        {
            "applicants": [],
            "hosts": [
                {"id": "h", "capacity": 1, "preferences": []},
                {"id": "h", "capacity": 1, "preferences": []},
            ],
        },
        "field 'hosts[1].id': duplicate host id 'h'",
    ),
    (
        {"applicants": [], "hosts": [{"id": "h", "capacity": -1, "preferences": []}]},
        "field 'hosts[0].capacity': must be at least 0, got -1",
    ),
    ({"applicants": [], "hosts": [{"id": "h", "preferences": []}]}, "field 'hosts[0].capacity': is required"),
    (
        {"applicants": [{"id": "a", "preferences": [["h9"]]}], "hosts": []},
        "field 'applicants[0].preferences[0][0]': unknown host id 'h9'",
    ),
    (
        {"applicants": [], "hosts": [{"id": "h", "capacity": 1, "preferences": [["a9"]]}]},
        "field 'hosts[0].preferences[0][0]': unknown applicant id 'a9'",
    ),
    (
        {
            "applicants": [{"id": "a", "preferences": [["h"], ["h"]]}],
            "hosts": [{"id": "h", "capacity": 1, "preferences": []}],
        },
        "field 'applicants[0].preferences[1][0]': host 'h' is listed twice",
    ),
    (
        {"applicants": [{"id": "a", "preferences": [[]]}], "hosts": []},
        "field 'applicants[0].preferences[0]': a tie group must be a non-empty list",
    ),
    (
        {
            "applicants": [{"id": "a", "preferences": ["h"]}],
            "hosts": [{"id": "h", "capacity": 1, "preferences": []}],
        },
        "field 'applicants[0].preferences[0]': a tie group must be a non-empty list",
    ),
    ({"applicants": [{"id": "a"}], "hosts": []}, "field 'applicants[0].preferences': is required"),
]


@pytest.mark.parametrize(("doc", "message"), BAD)
def test_invalid_placement_instances_get_a_located_error(doc, message) -> None:
    with pytest.raises(ValidationError) as err:
        parse_placement_instance(doc, source="I.json")
    assert str(err.value).startswith("I.json, ") and message in str(err.value)


BAD_MATCHING = [
    (
        {"matching": [{"applicant": "zz", "host": "h1"}]},
        "field 'matching[0].applicant': unknown applicant id 'zz'",
    ),
    ({"matching": [{"applicant": "a1", "host": "zz"}]}, "field 'matching[0].host': unknown host id 'zz'"),
    (
        {"matching": [{"applicant": "a1", "host": "h1"}, {"applicant": "a1", "host": "h1"}]},
        "field 'matching[1].applicant': applicant 'a1' is matched twice",
    ),
    (
        {"matching": [{"applicant": "a2", "host": "h2"}]},
        "field 'matching[0]': applicant 'a2' and host 'h2' do not both list each other",
    ),
    (
        {"matching": [{"applicant": "a1", "host": "h1"}, {"applicant": "a2", "host": "h1"}]},
        "field 'matching[1].host': host 'h1' has 1 places",
    ),
    ({}, "field 'matching': is required"),
]


@pytest.mark.parametrize(("doc", "message"), BAD_MATCHING)
def test_invalid_matchings_get_a_located_error(doc, message) -> None:
    inst = parse_placement_instance(
        _doc({"a1": [["h1"]], "a2": [["h1"]]}, {"h1": (1, [["a1", "a2"]]), "h2": (1, [["a2"]])})
    )
    with pytest.raises(ValidationError) as err:
        matching_from_json(inst, doc, source="R.json")
    assert message in str(err.value)


def test_preferences_from_scores_in_both_directions() -> None:
    from matcher.allocation import preferences_from_scores

    # applicants score hosts; hosts score applicants; a1 finds h1 and h2 equal (within the tie).
    a_scores = np.array([[0.9, 0.88, 0.1], [0.5, 0.7, -0.2]])
    h_scores = np.array([[0.3, 0.8], [0.6, 0.2], [0.9, 0.9]])
    inst = preferences_from_scores(a_scores, h_scores, [1, 1, 1], applicant_ids=["a1", "a2"],
                                   host_ids=["h1", "h2", "h3"], top_k=2, min_score=0.0, tie=0.05)  # fmt: skip
    assert inst.applicant_prefs == (((0, 1),), ((1,), (0,)))  # top 2 only; h3 is below min for a2
    assert inst.host_prefs == (((1,), (0,)), ((0,), (1,)), ())  # h3 lists a1, a2 but nobody lists h3
    m = stable_placements(inst)
    assert blocking_pairs(inst, m) == [] and _weakly_stable(inst, m)
    # a1 takes h1 (first of its tie), a2 its first choice h2: both at their best tier
    assert _named(inst, m) == {"a1": "h1", "a2": "h2"}
    # host-optimal: h1 gets its first choice a2 and h2 its first choice a1 (weakly stable too)
    assert _named(inst, stable_placements(inst, optimal_for="hosts")) == {"a1": "h2", "a2": "h1"}
