"""Demo relationships: joint EU projects, completed consultancies, placements held."""

from __future__ import annotations

import datetime as dt

import numpy as np

from matcher.demo.builder import Builder, _day, _scaled
from matcher.demo.text import pick
from matcher.demo.ties import project_ties
from matcher.types import NodeType, OrgKind, PersonKind, Relationship, RelationshipKind


def relationships(bld: Builder) -> None:
    rng = bld.rng
    orgs = [o for o in bld.orgs if o.kind in (OrgKind.SME, OrgKind.RESEARCH_GROUP, OrgKind.HEI)]
    rels: list[tuple[RelationshipKind, NodeType, str, NodeType, str, dt.date, str]] = []
    # the candidate lists are built once (the same lists, in the same order, as one scan per draw)
    abroad = {c: [o for o in orgs if o.country != c] for c in sorted({o.country for o in orgs})}
    for _ in range(_scaled("joint_eu_projects", bld.scale, 3)):
        a = pick(rng, orgs)
        b = pick(rng, abroad[a.country])
        year = int(rng.integers(2012, 2025))
        prov = f"CORDIS project {int(rng.integers(600000, 1100000))} (synthetic)"
        src, dst = sorted((a.id, b.id))
        rels.append(
            (
                RelationshipKind.JOINT_EU_PROJECT,
                NodeType.ORGANISATION,
                src,
                NodeType.ORGANISATION,
                dst,
                dt.date(year, int(rng.integers(1, 13)), 1),
                prov,
            )
        )
    smes = [o for o in bld.orgs if o.kind is OrgKind.SME]
    groups = [o for o in bld.orgs if o.kind is OrgKind.RESEARCH_GROUP]
    groups_in = {c: [g for g in groups if g.council == c] for c in sorted({s.council for s in smes})}
    for _ in range(_scaled("consultancies_completed", bld.scale, 3)):
        sme = pick(rng, smes)
        local = groups_in[sme.council] or groups
        g = pick(rng, local)
        cohort = int(rng.integers(2021, 2025))
        rels.append(
            (
                RelationshipKind.CONSULTANCY_COMPLETED,
                NodeType.ORGANISATION,
                sme.id,
                NodeType.ORGANISATION,
                g.id,
                dt.date(cohort + 1, 6, 30),
                f"programme records, consultancy cohort {cohort}/{(cohort + 1) % 100:02d}",
            )
        )
    academics = [p for p in bld.people if p.kind is PersonKind.ACADEMIC]
    for _ in range(_scaled("placements_held", bld.scale, 2)):
        acad = pick(rng, academics)
        sme = pick(rng, smes)
        rels.append(
            (
                RelationshipKind.PLACEMENT_HELD,
                NodeType.PERSON,
                acad.id,
                NodeType.ORGANISATION,
                sme.id,
                _day(rng, dt.date(2022, 1, 10), 1000),
                "programme records, Change of Perspective",
            )
        )
    # joint EU projects over time with structure (matcher/demo/ties.py), from their own generator
    ties_rng = np.random.default_rng(int(rng.integers(2**32)))
    rels += project_ties(ties_rng, orgs, bld.topics_of, n_projects=max(10, round(250 * bld.scale)))
    for i, (kind, st, s, tt, t, date, prov) in enumerate(rels, start=1):
        rid = f"rel-{i:05d}"
        bld.relationships.append(Relationship(rid, kind, st, s, tt, t, date, prov))
        bld.council_of[rid] = bld.council_of[s]
