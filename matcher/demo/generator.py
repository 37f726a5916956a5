"""Deterministic generator of a realistic demo programme for the six councils.

``generate(out_dir, seed=7, scale=1.0)`` writes one JSON Lines file per entity type
(named after :data:`matcher.types.ENTITY_TYPES`) and, apart, ``ground_truth/`` with
graded qrels per match type and the latent topics.  Every draw comes from one
``numpy.random.default_rng(seed)`` in a fixed order, and nothing depends on the clock
or on hash order, so the same seed and scale give byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.demo import offers, organisations, people, relationships
from matcher.demo.builder import TARGETS, Builder
from matcher.demo.councils import COUNCIL_CODES
from matcher.demo.ground_truth import qrels
from matcher.demo.topics import TOPICS
from matcher.formats.trec import write_qrels
from matcher.ingest.files import write_records
from matcher.types import ENTITY_TYPES

__all__ = ["STEPS", "TARGETS", "DemoSummary", "build", "generate"]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    out_dir : Path
        Where the files are.
    seed, scale : int, float
        The generator's arguments.
    counts : dict of str to int
        Records per entity type (keys of :data:`matcher.types.ENTITY_TYPES`).
    per_council : dict of str to dict of str to int
        Records per council and entity type.
    qrels : dict of str to int
        Judged (grade >= 1) pairs per match type.
    """

    out_dir: Path
    seed: int
    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    per_council: dict[str, dict[str, int]] = field(default_factory=dict)
    qrels: dict[str, int] = field(default_factory=dict)


#: The entity steps, in the order they draw from the generator (changing it changes every file).
STEPS = (
    organisations.institutions,
    organisations.smes,
    organisations.research_groups,
    people.academics,
    people.students,
    people.sme_staff,
    offers.facilities,
    offers.challenges,
    relationships.relationships,
)


def build(seed: int, scale: float) -> Builder:
    """Run every step, in order, on a new :class:`Builder`."""
    bld = Builder(seed, scale)
    for step in STEPS:
        step(bld)
    return bld


def generate(out_dir: Path, *, seed: int = 7, scale: float = 1.0, ground_truth: bool = True) -> DemoSummary:
    """Write a demo programme for the six councils into ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Created if needed.  Receives ``<entity>.jsonl`` for every key of
        :data:`matcher.types.ENTITY_TYPES` and ``ground_truth/`` (qrels per match type,
        ``topics.json``, ``README.md``), which the engine never reads.
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed and scale give
        byte-identical files.
    scale : float
        Multiplies the target counts (300 SMEs, ~400 challenges, 600 students...).
    ground_truth : bool
        ``False`` writes no ``ground_truth/`` (and ``qrels`` is empty): the graded pairs
        grow as challenges x profiles, most of the time and disk at large scales.  The
        entity files are the same either way.

    Returns
    -------
    DemoSummary
        Counts per entity type, per council, and judged pairs per match type.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out_dir = Path(out_dir)
    b = build(seed, scale)
    records: dict[str, list[Any]] = {
        "organisations": b.orgs,
        "people": b.people,
        "challenges": b.challenges,
        "facilities": b.facilities,
        "profiles": b.profiles,
        "documents": b.documents,
        "relationships": b.relationships,
    }
    assert list(records) == list(ENTITY_TYPES)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, recs in records.items():
        write_records(out_dir / f"{name}.jsonl", name, recs)

    judged: dict[str, dict[str, dict[str, int]]] = {}
    if ground_truth:
        judged = _write_ground_truth(out_dir / "ground_truth", b, seed=seed, scale=scale)
    from matcher.demo.training import write_training  # issue 14: training catalogue, assessments, qrels

    write_training(out_dir, b, seed, ground_truth=ground_truth)

    per_council = {
        code: {name: sum(1 for r in recs if b.council_of[r.id] == code) for name, recs in records.items()}
        for code in COUNCIL_CODES
    }
    return DemoSummary(
        out_dir=out_dir,
        seed=seed,
        scale=scale,
        counts={name: len(recs) for name, recs in records.items()},
        per_council=per_council,
        qrels={m: sum(len(v) for v in per.values()) for m, per in judged.items()},
    )


def _write_ground_truth(
    gt: Path, b: Builder, *, seed: int, scale: float
) -> dict[str, dict[str, dict[str, int]]]:
    """Write ``gt/`` (qrels per match type, ``topics.json``, ``README.md``); returns the qrels."""
    gt.mkdir(exist_ok=True)
    judged = qrels(b.challenge_truth, b.profile_truth)
    for mtype, per in judged.items():
        write_qrels(gt / f"{mtype}.qrels", per)
    topics_doc = {
        "topics": {t.id: {"label": t.label, "family": t.family} for t in TOPICS},
        "challenges": {
            c.challenge_id: {
                "topics": list(c.topics),
                "programmes": list(c.programmes),
                "facility_need": c.facility_need,
            }
            for c in b.challenge_truth
        },
        "profiles": {
            p.profile_id: {"group": p.group, "main": list(p.main), "minor": list(p.minor)}
            | ({"facility_kind": p.facility_kind} if p.facility_kind else {})
            for p in b.profile_truth
        },
    }
    (gt / "topics.json").write_text(
        json.dumps(topics_doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    (gt / "README.md").write_text(
        f"Ground truth of the demo programme (seed={seed}, scale={scale}); never read by the engine. "
        "TREC qrels `challenge_id 0 profile_id grade`, grades 1-3 from latent topic overlap; "
        "see docs/demo-data.md.\n",
        encoding="utf-8",
        newline="\n",
    )
    return judged
