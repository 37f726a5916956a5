"""Ties over time for the demo programme: joint EU projects with realistic structure.

Projects start quarter by quarter from 2015 to 2025.  Each has a lead (chosen with
probability growing with its past partners: preferential attachment) and 1-3 partners,
each chosen by one of three mechanisms:

- triadic closure (35 %): a partner of one of the project's members;
- topic homophily (45 %): an organisation sharing a latent topic with the lead;
- anything else (20 %): any organisation.

At least one partner of every project sits in another country (EU projects are
cross-border by rule).  Every pair of a project's members in two different countries becomes
one ``joint_eu_project`` relationship dated on the project's start (the demo keeps the rule
that such a tie links two countries; real CORDIS consortia also hold domestic pairs).  The ties are drawn from
their own generator (seeded from the builder's), so the rest of the demo is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from matcher.types import NodeType, Organisation, RelationshipKind

Tie = tuple[RelationshipKind, NodeType, str, NodeType, str, dt.date, str]


def project_ties(
    rng: np.random.Generator,
    orgs: Sequence[Organisation],
    topics_of: Mapping[str, Sequence[str]],
    *,
    n_projects: int,
    start_year: int = 2015,
    end_year: int = 2025,
) -> list[Tie]:
    """``n_projects`` projects' ties (see the module docstring), in time order.

    Every draw is the one the first (quadratic) version made, in the same order, so the
    same generator gives the same ties; only the bookkeeping changed.  Per project the
    lead costs O(log n) (:class:`_Fenwick` over the attachment weights instead of an
    O(n) weight list), "anything else" and "abroad" cost O(1) (precomputed lists, index
    shifted past the few members) and the topic pool costs one numpy union of the lead's
    topic lists (at most four) instead of a Python set built from them.  The one possible
    difference: the lead was drawn by ``rng.choice(p=weights / sum)``, which cumulates
    float probabilities, and is now drawn from the same uniform against exact integer
    sums, so a uniform that falls within rounding (~1e-16 relative) of a boundary could
    pick the neighbour.
    """
    if len(orgs) < 3:
        return []
    ids = [o.id for o in orgs]
    n = len(ids)
    pos = {o: i for i, o in enumerate(ids)}
    country = {o.id: o.country for o in orgs}
    # the topic pools were sorted(set of ids): keep each topic's members as sorted ranks of ids
    by_rank = sorted(ids)
    rank = {o: i for i, o in enumerate(by_rank)}
    topic_lists: dict[str, list[int]] = defaultdict(list)
    for o in ids:
        for topic in topics_of.get(o, ()):
            topic_lists[topic].append(rank[o])
    by_topic = {t: np.unique(np.array(r, dtype=np.int64)) for t, r in topic_lists.items()}
    empty = np.zeros(0, dtype=np.int64)
    # "abroad" was [o for o in ids if country[o] != country[lead]]: one list per country
    abroad_of = {c: [o for o in ids if country[o] != c] for c in sorted(set(country.values()))}
    partners: dict[str, set[str]] = defaultdict(set)
    weights = _Fenwick(n)  # 1 + len(partners[o]), at ids' positions
    quarters = [(y, q) for y in range(start_year, end_year + 1) for q in range(4)]
    starts = np.sort(rng.integers(0, len(quarters), size=n_projects))
    out: list[Tie] = []
    for p, qi in enumerate(starts):
        year, q = quarters[int(qi)]
        day = dt.date(year, 3 * q + 1, 1)
        lead = ids[weights.find(rng.random())]
        members = [lead]
        for _ in range(int(rng.integers(1, 4))):
            u = rng.random()
            chosen: str | None = None
            if u < 0.35:
                pool = sorted({m2 for m in members for m2 in partners[m]} - set(members))
                if pool:
                    chosen = pool[int(rng.integers(len(pool)))]
            elif u < 0.8:
                lists = [by_topic[t] for t in topics_of.get(lead, ()) if t in by_topic]
                union = np.unique(np.concatenate(lists)) if lists else empty
                taken = np.sort(np.array([rank[m] for m in members], dtype=np.int64))
                at = np.searchsorted(union, taken)
                inside = at[union[np.minimum(at, len(union) - 1)] == taken] if len(union) else empty
                size = len(union) - len(inside)
                if size:
                    chosen = by_rank[int(union[_skip(int(rng.integers(size)), inside.tolist())])]
            if chosen is None:  # any organisation but the members, in ids order
                k = int(rng.integers(n - len(members)))
                chosen = ids[_skip(k, sorted(pos[m] for m in members))]
            members.append(chosen)
        if all(country[m] == country[lead] for m in members):
            abroad = abroad_of[country[lead]]
            members[-1] = abroad[int(rng.integers(len(abroad)))]
        members = sorted(set(members))
        project = 900000 + p
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if country[a] == country[b]:
                    continue  # the demo's rule: a joint_eu_project tie links two countries
                out.append((RelationshipKind.JOINT_EU_PROJECT, NodeType.ORGANISATION, a, NodeType.ORGANISATION, b,
                            day, f"CORDIS project {project} (synthetic)"))  # fmt: skip
            before = len(partners[a])
            partners[a].update(m for m in members if m != a)
            weights.add(pos[a], len(partners[a]) - before)
    return out


def _skip(k: int, removed: Sequence[int]) -> int:
    """Position of the ``k``-th item of a sequence once the sorted positions ``removed`` are taken out."""
    for r in removed:
        if r <= k:
            k += 1
    return k


class _Fenwick:
    """Integer weights ``1 + added`` at positions ``0..n-1``; draws a position by weight.

    A binary indexed tree (Fenwick, "A new data structure for cumulative frequency
    tables", 1994): adding to one weight and finding the position of a cumulative sum both
    take O(log n).
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.total = n
        self.tree = [0] * (n + 1)
        for i in range(1, n + 1):  # all ones: node i covers lowbit(i) positions
            self.tree[i] = i & -i
        self.top = 1 << (n.bit_length() - 1)

    def add(self, i: int, delta: int) -> None:
        self.total += delta
        i += 1
        while i <= self.n:
            self.tree[i] += delta
            i += i & -i

    def find(self, u: float) -> int:
        """First position whose cumulative weight exceeds ``u * total`` (``u`` uniform in [0, 1))."""
        target = u * self.total
        at, acc, step = 0, 0, self.top
        while step:
            nxt = at + step
            if nxt <= self.n and acc + self.tree[nxt] <= target:
                at, acc = nxt, acc + self.tree[nxt]
            step >>= 1
        return min(at, self.n - 1)
