"""Change of Perspective placements: stable matching with capacities, ties and partial lists.

The hospitals/residents problem with ties (HRT).  Ties are broken by list order and the
resulting strict instance is solved by deferred acceptance (Gale & Shapley, 1962;
Roth, 1984 for capacities), applicant-proposing (applicant-optimal) or host-proposing
(host-optimal).  A stable matching of the tie-broken instance is *weakly stable* in the
original one (Irving, Manlove & Scott, 2000): no applicant and host who both *strictly*
prefer each other to what they have.  A pair is acceptable only when each lists the other.

:func:`blocking_pairs` audits any matching (e.g. one a coordinator edited by hand) against
that definition.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher.allocation._records import Reader

__all__ = [
    "PlacementInstance",
    "blocking_pairs",
    "matching_from_json",
    "parse_placement_instance",
    "stable_placements",
]

Tiers = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class PlacementInstance:
    """Applicants and hosts with tiered preference lists over each other's indices.

    ``applicant_prefs[a]`` and ``host_prefs[h]`` keep only mutually acceptable partners,
    most preferred tier first; ``capacity[h]`` is the number of places of host ``h``.
    """

    applicant_ids: tuple[str, ...]
    host_ids: tuple[str, ...]
    capacity: tuple[int, ...]
    applicant_prefs: tuple[Tiers, ...]
    host_prefs: tuple[Tiers, ...]

    @classmethod
    def build(
        cls,
        applicant_ids: list[str],
        host_ids: list[str],
        capacity: list[int],
        applicant_prefs: list[list[list[int]]],
        host_prefs: list[list[list[int]]],
    ) -> PlacementInstance:
        """Keep only mutually acceptable pairs (and drop tiers that become empty)."""
        a_lists = [{h for tier in prefs for h in tier} for prefs in applicant_prefs]
        h_lists = [{a for tier in prefs for a in tier} for prefs in host_prefs]

        def keep(prefs: list[list[int]], me: int, other: list[set[int]]) -> Tiers:
            tiers = (tuple(x for x in tier if me in other[x]) for tier in prefs)
            return tuple(t for t in tiers if t)

        return cls(
            tuple(applicant_ids),
            tuple(host_ids),
            tuple(capacity),
            tuple(keep(p, a, h_lists) for a, p in enumerate(applicant_prefs)),
            tuple(keep(p, h, a_lists) for h, p in enumerate(host_prefs)),
        )


def preferences_from_scores(
    applicant_scores: Any, host_scores: Any, capacity: list[int], *, applicant_ids: list[str],
    host_ids: list[str], top_k: int = 10, min_score: float = 0.0, tie: float = 0.0,
) -> PlacementInstance:  # fmt: skip
    """A placement instance from the scores in both directions.

    Parameters
    ----------
    applicant_scores : ndarray of shape (n_applicants, n_hosts)
        How well each host fits each applicant (e.g. an academic's fit to an SME's challenges).
    host_scores : ndarray of shape (n_hosts, n_applicants)
        How well each applicant fits each host (e.g. the SME's ranking of academics).
    top_k, min_score
        Each side lists at most ``top_k`` partners scoring at least ``min_score`` (partial lists).
    tie
        Consecutive partners whose scores differ by at most ``tie`` share a tie group.
    """
    import numpy as np

    def lists(scores: Any) -> list[list[list[int]]]:
        out = []
        for row in np.asarray(scores, dtype=float):
            order = [int(j) for j in np.argsort(-row, kind="stable")[:top_k] if row[j] >= min_score]
            tiers: list[list[int]] = []
            for j in order:
                if tiers and row[tiers[-1][-1]] - row[j] <= tie:
                    tiers[-1].append(j)
                else:
                    tiers.append([j])
            out.append(tiers)
        return out

    return PlacementInstance.build(
        applicant_ids, host_ids, capacity, lists(applicant_scores), lists(host_scores)
    )


def _tier_rank(prefs: Tiers) -> dict[int, int]:
    return {x: i for i, tier in enumerate(prefs) for x in tier}


def _strict(prefs: Tiers) -> list[int]:
    return [x for tier in prefs for x in tier]


def stable_placements(instance: PlacementInstance, *, optimal_for: str = "applicants") -> dict[int, int]:
    """A weakly stable matching ``{applicant: host}``, optimal for one side of the tie-broken instance.

    Parameters
    ----------
    optimal_for : ``"applicants"`` (applicants propose) or ``"hosts"`` (hosts propose)
    """
    if optimal_for == "applicants":
        return _applicants_propose(instance)
    if optimal_for == "hosts":
        return _hosts_propose(instance)
    raise ValueError(f"optimal_for must be 'applicants' or 'hosts', got {optimal_for!r}")


def _applicants_propose(instance: PlacementInstance) -> dict[int, int]:
    prefs = [_strict(p) for p in instance.applicant_prefs]
    rank = [{a: i for i, a in enumerate(_strict(p))} for p in instance.host_prefs]
    held: list[list[tuple[int, int]]] = [[] for _ in instance.host_ids]  # max-heap of (-rank, applicant)
    nxt = [0] * len(prefs)
    free = deque(a for a in range(len(prefs)) if prefs[a])
    cap = instance.capacity
    while free:
        a = free.popleft()
        mine = prefs[a]
        while nxt[a] < len(mine):
            h = mine[nxt[a]]
            nxt[a] += 1
            if cap[h] == 0:
                continue
            r = rank[h][a]
            heap = held[h]
            if len(heap) < cap[h]:
                heapq.heappush(heap, (-r, a))
                break
            if -heap[0][0] > r:
                _, out = heapq.heapreplace(heap, (-r, a))
                free.append(out)
                break
    return {a: h for h, heap in enumerate(held) for _, a in heap}


def _hosts_propose(instance: PlacementInstance) -> dict[int, int]:
    prefs = [_strict(p) for p in instance.host_prefs]
    rank = [{h: i for i, h in enumerate(_strict(p))} for p in instance.applicant_prefs]
    room = list(instance.capacity)
    nxt = [0] * len(prefs)
    match: dict[int, int] = {}
    queue = deque(h for h in range(len(prefs)) if room[h] > 0 and prefs[h])
    while queue:
        h = queue.popleft()
        mine = prefs[h]
        while room[h] > 0 and nxt[h] < len(mine):
            a = mine[nxt[h]]
            nxt[h] += 1
            current = match.get(a)
            if current is None or rank[a][h] < rank[a][current]:
                match[a] = h
                room[h] -= 1
                if current is not None:
                    room[current] += 1
                    queue.append(current)
    return match


def blocking_pairs(instance: PlacementInstance, matching: Mapping[int, int]) -> list[tuple[int, int]]:
    """Pairs ``(a, h)``, mutually acceptable and not matched, where ``a`` strictly prefers ``h``
    to its place (or has none) and ``h`` has a free place or strictly prefers ``a`` to one of
    its applicants.  Empty exactly when ``matching`` is weakly stable."""
    a_rank = [_tier_rank(p) for p in instance.applicant_prefs]
    h_rank = [_tier_rank(p) for p in instance.host_prefs]
    members: list[list[int]] = [[] for _ in instance.host_ids]
    for a, h in matching.items():
        members[h].append(a)
    worst = [max((h_rank[h].get(a, len(h_rank[h])) for a in m), default=-1) for h, m in enumerate(members)]
    out = []
    for a, prefs in enumerate(instance.applicant_prefs):
        mine = matching.get(a)
        limit = a_rank[a].get(mine, len(prefs)) if mine is not None else len(prefs)
        for tier in prefs[:limit]:
            for h in tier:
                if len(members[h]) < instance.capacity[h] or h_rank[h][a] < worst[h]:
                    out.append((a, h))
    return out


def parse_placement_instance(data: Any, *, source: str | None = None) -> PlacementInstance:
    """Validate the ``matcher allocate placements`` instance.

    Raises :class:`~matcher.exceptions.ValidationError` located at the field: duplicate or
    unknown ids, a partner listed twice, an empty tie group, a negative capacity.
    """
    r = Reader(source)
    data = r.mapping(data, "")
    a_rows = [(p, r.mapping(v, p)) for p, v in r.items(data, "applicants")]
    h_rows = [(p, r.mapping(v, p)) for p, v in r.items(data, "hosts")]
    aid = r.unique_ids(a_rows, "applicant")
    hid = r.unique_ids(h_rows, "host")
    capacity = [r.integer(row, "capacity", p, minimum=0) for p, row in h_rows]
    a_prefs = [_tiers(r, row, p, hid, "host") for p, row in a_rows]
    h_prefs = [_tiers(r, row, p, aid, "applicant") for p, row in h_rows]
    return PlacementInstance.build(list(aid), list(hid), capacity, a_prefs, h_prefs)


def _tiers(
    r: Reader, row: Mapping[str, Any], path: str, ids: Mapping[str, int], what: str
) -> list[list[int]]:
    seen: set[int] = set()
    out = []
    for tp, tier in r.items(row, "preferences", path):
        if not isinstance(tier, list) or not tier:
            raise r.error(tp, "a tie group must be a non-empty list of ids")
        group = []
        for i, value in enumerate(tier):
            where = f"{tp}[{i}]"
            if not isinstance(value, str) or value not in ids:
                raise r.error(where, f"unknown {what} id {value!r}")
            if ids[value] in seen:
                raise r.error(where, f"{what} {value!r} is listed twice")
            seen.add(ids[value])
            group.append(ids[value])
        out.append(group)
    return out


def matching_from_json(
    instance: PlacementInstance, data: Any, *, source: str | None = None
) -> dict[int, int]:
    """Read ``{"matching": [{"applicant", "host"}]}`` back into indices, checking that it is a matching:
    known ids, each applicant once, acceptable pairs, no host over capacity."""
    r = Reader(source)
    data = r.mapping(data, "")
    aid = {x: i for i, x in enumerate(instance.applicant_ids)}
    hid = {x: i for i, x in enumerate(instance.host_ids)}
    a_lists = [{h for tier in p for h in tier} for p in instance.applicant_prefs]
    out: dict[int, int] = {}
    load = [0] * len(hid)
    for p, v in r.items(data, "matching"):
        row = r.mapping(v, p)
        a = r.index(aid, row, "applicant", p, "applicant")
        h = r.index(hid, row, "host", p, "host")
        if a in out:
            raise r.error(f"{p}.applicant", f"applicant {row['applicant']!r} is matched twice")
        if h not in a_lists[a]:
            raise r.error(
                p, f"applicant {row['applicant']!r} and host {row['host']!r} do not both list each other"
            )
        load[h] += 1
        if load[h] > instance.capacity[h]:
            raise r.error(
                f"{p}.host", f"host {row['host']!r} has {instance.capacity[h]} places; more are matched to it"
            )
        out[a] = h
    return out


def preference_lists(
    instance: PlacementInstance,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """The instance as id-keyed flat lists (ties in list order) and capacities, as other tools take it."""
    a = {
        instance.applicant_ids[i]: [instance.host_ids[h] for t in p for h in t]
        for i, p in enumerate(instance.applicant_prefs)
    }
    h = {
        instance.host_ids[j]: [instance.applicant_ids[i] for t in p for i in t]
        for j, p in enumerate(instance.host_prefs)
    }
    return a, h, dict(zip(instance.host_ids, instance.capacity, strict=True))


def placements_to_json(instance: PlacementInstance, matching: Mapping[int, int]) -> dict[str, Any]:
    """The file contract: ``{"matching": [{"applicant", "host"}], "unmatched": [..], "blocking_pairs": [..]}``."""
    return {
        "matching": [
            {"applicant": instance.applicant_ids[a], "host": instance.host_ids[h]}
            for a, h in sorted(matching.items())
        ],
        "unmatched": [x for a, x in enumerate(instance.applicant_ids) if a not in matching],
        "blocking_pairs": [
            {"applicant": instance.applicant_ids[a], "host": instance.host_ids[h]}
            for a, h in blocking_pairs(instance, matching)
        ],
    }
