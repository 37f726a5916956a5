"""Demo training catalogue, SME self-assessments and graded SME -> module relevance (issue 14).

Written beside the demo programme: ``training_modules.jsonl``, ``assessments.jsonl`` and
``ground_truth/training.qrels`` (``sme_id 0 module_id grade``), which the engine never reads.

By construction:

- one *topic module* per latent topic, run by a university of one of the topic's councils, its
  text made of the topic's capability-side terms and skills; grade 2 for an SME with an open
  challenge whose main topic it is, 1 when the topic is a secondary topic of one, or of the same
  family as a main topic;
- one *management module* per assessment area, run by a university of a random council; grade 2
  for an SME whose latest score in the area is 1 or 2, else not relevant;
- every SME assesses itself on two dates (the second a little better on average).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from matcher import types as t
from matcher.demo.topics import TOPICS
from matcher.formats.trec import write_qrels
from matcher.ingest.files import write_records

__all__ = ["write_training"]

_AREAS = (
    ("strategy", "Strategy and planning for engineering SMEs", "growth plan, business model, markets and a roadmap"),
    ("operations", "Lean operations", "lean processes, quality control, maintenance and on-time delivery"),
    ("people", "People and leadership", "hiring, leadership, training plans and retaining skilled staff"),
    ("digital", "Digital basics for the shop floor", "data, software, automation and cybersecurity in daily work"),
    ("innovation", "Managing innovation", "R&D projects, prototypes, working with universities, intellectual property"),
    ("finance", "Finance for growth", "costing, cash flow, grants and investment"),
    ("internationalisation", "Going abroad", "exports, partners abroad and EU projects"),
    ("sustainability", "Sustainable production", "energy efficiency, emissions and the circular economy"),
)  # fmt: skip


def write_training(out_dir: Path, b: Any, seed: int, *, ground_truth: bool = True) -> dict[str, int]:
    """Write the training files for the demo builder ``b``; returns record and judgement counts.

    ``ground_truth=False`` leaves out ``ground_truth/training.qrels`` (the judgements are still counted).
    """
    rng = np.random.default_rng([seed, 14])
    heis: dict[str, list[str]] = defaultdict(list)
    for o in b.orgs:
        if o.kind == t.OrgKind.HEI:
            heis[o.council].append(o.id)
    councils = sorted(heis)
    modules: list[t.TrainingModule] = []
    topic_of: dict[str, str] = {}
    for topic in TOPICS:
        home = [c for c in topic.councils if c in heis] or councils
        council = home[int(rng.integers(len(home)))]
        terms = list(rng.choice(topic.tech, size=min(4, len(topic.tech)), replace=False))
        mid = f"tm-{topic.id}"
        modules.append(t.TrainingModule(
            mid, heis[council][int(rng.integers(len(heis[council])))], f"{topic.label}: a practical course",
            f"Hands-on training in {', '.join(terms)} for engineers of SMEs.", council,
            skills=tuple(topic.skills[:3]), areas=("innovation",),
            format=t.TrainingFormat.BLENDED, starts=dt.date(2026, 9, 1), ends=dt.date(2026, 12, 15), places=20,
        ))  # fmt: skip
        topic_of[mid] = topic.id
    for code, title, what in _AREAS:
        council = councils[int(rng.integers(len(councils)))]
        modules.append(t.TrainingModule(
            f"tm-area-{code}", heis[council][0], title, f"A course for SME managers on {what}.", council,
            areas=(code,), format=t.TrainingFormat.ONLINE, starts=dt.date(2026, 10, 1), places=40,
        ))  # fmt: skip

    assessments: list[t.Assessment] = []
    latest: dict[str, dict[str, int]] = {}
    smes = [o for o in b.orgs if o.kind == t.OrgKind.SME]
    for o in smes:
        first = rng.integers(1, 6, size=len(_AREAS))
        second = np.clip(first + rng.integers(-1, 3, size=len(_AREAS)), 1, 5)
        for day, scores in ((dt.date(2026, 1, 15), first), (dt.date(2026, 7, 15), second)):
            for (code, _, _), s in zip(_AREAS, scores, strict=True):
                assessments.append(t.Assessment(f"as-{o.id}-{day:%Y%m}-{code}", o.id, day, code, int(s)))
        latest[o.id] = {code: int(s) for (code, _, _), s in zip(_AREAS, second, strict=True)}

    family = {tp.id: tp.family for tp in TOPICS}
    sme_of = {c.id: c.sme_id for c in b.challenges}
    status = {c.id: c.status for c in b.challenges}
    mains: dict[str, set[str]] = defaultdict(set)
    minors: dict[str, set[str]] = defaultdict(set)
    for truth in b.challenge_truth:
        if status.get(truth.challenge_id) != t.ChallengeStatus.OPEN:
            continue
        sme = sme_of[truth.challenge_id]
        mains[sme].add(truth.topics[0])
        minors[sme].update(truth.topics[1:])
    qrels: dict[str, dict[str, int]] = {}
    for o in smes:
        judged: dict[str, int] = {}
        for m in modules:
            if m.id in topic_of:
                tp = topic_of[m.id]
                if tp in mains[o.id]:
                    judged[m.id] = 2
                elif tp in minors[o.id] or family[tp] in {family[x] for x in mains[o.id]}:
                    judged[m.id] = 1
            elif latest[o.id][m.areas[0]] <= 2:
                judged[m.id] = 2
        if judged:
            qrels[o.id] = judged
    write_records(out_dir / "training_modules.jsonl", "training_modules", modules)
    write_records(out_dir / "assessments.jsonl", "assessments", assessments)
    if ground_truth:
        gt = out_dir / "ground_truth"
        gt.mkdir(exist_ok=True)
        write_qrels(gt / "training.qrels", qrels)
    return {"training_modules": len(modules), "assessments": len(assessments),
            "training_judgements": sum(len(v) for v in qrels.values())}  # fmt: skip
