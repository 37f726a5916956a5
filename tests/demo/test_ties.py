"""project_ties (matcher/demo/ties.py) against its first, quadratic version, kept here as the oracle."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import pytest

from matcher.demo.builder import Builder
from matcher.demo.generator import STEPS
from matcher.demo.ties import Tie, _Fenwick, project_ties
from matcher.types import NodeType, Organisation, OrgKind, RelationshipKind


def _old_project_ties(
    rng: np.random.Generator,
    orgs: Sequence[Organisation],
    topics_of: Mapping[str, Sequence[str]],
    *,
    n_projects: int,
    start_year: int = 2015,
    end_year: int = 2025,
) -> list[Tie]:
    """The version before the linear rewrite, verbatim (O(n) per project, so O(n^2) in all)."""
    if len(orgs) < 3:
        return []
    ids = [o.id for o in orgs]
    country = {o.id: o.country for o in orgs}
    by_topic: dict[str, list[str]] = defaultdict(list)
    for o in ids:
        for topic in topics_of.get(o, ()):
            by_topic[topic].append(o)
    partners: dict[str, set[str]] = defaultdict(set)
    quarters = [(y, q) for y in range(start_year, end_year + 1) for q in range(4)]
    starts = np.sort(rng.integers(0, len(quarters), size=n_projects))
    out: list[Tie] = []
    for p, qi in enumerate(starts):
        year, q = quarters[int(qi)]
        day = dt.date(year, 3 * q + 1, 1)
        weights = np.array([1.0 + len(partners[o]) for o in ids])
        lead = ids[int(rng.choice(len(ids), p=weights / weights.sum()))]
        members = [lead]
        for _ in range(int(rng.integers(1, 4))):
            u = rng.random()
            pool: list[str] = []
            if u < 0.35:
                pool = sorted({n for m in members for n in partners[m]} - set(members))
            elif u < 0.8:
                pool = sorted({o for t in topics_of.get(lead, ()) for o in by_topic[t]} - set(members))
            if not pool:
                pool = [o for o in ids if o not in members]
            members.append(pool[int(rng.integers(len(pool)))])
        if all(country[m] == country[lead] for m in members):
            abroad = [o for o in ids if country[o] != country[lead]]
            members[-1] = abroad[int(rng.integers(len(abroad)))]
        members = sorted(set(members))
        project = 900000 + p
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if country[a] == country[b]:
                    continue
                out.append((RelationshipKind.JOINT_EU_PROJECT, NodeType.ORGANISATION, a, NodeType.ORGANISATION, b,
                            day, f"CORDIS project {project} (synthetic)"))  # fmt: skip
            partners[a].update(m for m in members if m != a)
    return out


def _random_orgs(seed: int, n: int) -> tuple[list[Organisation], dict[str, list[str]]]:
    """``n`` organisations in 2-3 countries, ids in shuffled order, 0-4 topics of 6 (some without any)."""
    rng = np.random.default_rng(seed)
    countries = ["ES", "IT", "IE"][: int(rng.integers(2, 4))]
    orgs, topics_of = [], {}
    for j, i in enumerate(rng.permutation(n)):
        oid = f"org-{int(i):03d}"
        c = countries[j] if j < len(countries) else countries[int(rng.integers(len(countries)))]
        orgs.append(Organisation(oid, OrgKind.SME, oid, "c", c))
        topics_of[oid] = [f"T{int(t)}" for t in rng.choice(6, size=int(rng.integers(0, 5)), replace=False)]
    return orgs, topics_of


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("n", [4, 7, 30, 120])
def test_same_ties_as_the_quadratic_version(seed: int, n: int) -> None:
    orgs, topics_of = _random_orgs(seed, n)
    n_projects = 5 * n
    new = project_ties(np.random.default_rng(seed), orgs, topics_of, n_projects=n_projects)
    old = _old_project_ties(np.random.default_rng(seed), orgs, topics_of, n_projects=n_projects)
    assert new == old


def test_same_ties_on_the_demo_organisations() -> None:
    bld = Builder(7, 0.5)
    for step in STEPS[:-1]:  # everything before relationships
        step(bld)
    orgs = [o for o in bld.orgs if o.kind in (OrgKind.SME, OrgKind.RESEARCH_GROUP, OrgKind.HEI)]
    new = project_ties(np.random.default_rng(11), orgs, bld.topics_of, n_projects=300)
    old = _old_project_ties(np.random.default_rng(11), orgs, bld.topics_of, n_projects=300)
    assert len(new) > 300
    assert new == old


def test_fewer_than_three_organisations_give_no_ties() -> None:
    orgs, topics_of = _random_orgs(0, 2)
    assert project_ties(np.random.default_rng(0), orgs, topics_of, n_projects=5) == []


def test_fenwick_draws_by_cumulative_weight() -> None:
    tree = _Fenwick(5)  # weights 1, 1, 1, 1, 1
    tree.add(2, 5)  # weights 1, 1, 6, 1, 1: cumulative 1, 2, 8, 9, 10
    assert tree.total == 10
    draws = {0.0: 0, 0.099: 0, 0.1: 1, 0.19: 1, 0.2: 2, 0.79: 2, 0.8: 3, 0.9: 4, 0.999: 4}
    assert {u: tree.find(u) for u in draws} == draws
