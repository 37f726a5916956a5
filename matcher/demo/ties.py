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
    """``n_projects`` projects' ties (see the module docstring), in time order."""
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
                    continue  # the demo's rule: a joint_eu_project tie links two countries
                out.append((RelationshipKind.JOINT_EU_PROJECT, NodeType.ORGANISATION, a, NodeType.ORGANISATION, b,
                            day, f"CORDIS project {project} (synthetic)"))  # fmt: skip
            partners[a].update(m for m in members if m != a)
    return out
