"""nDCG of the SME -> training module suggestions on the demo's graded relevance (issue 14).

Reads the demo folder (``challenges.jsonl``, ``training_modules.jsonl``, ``assessments.jsonl``,
``ground_truth/training.qrels``) without a database, ranks every module for every judged SME with
:func:`matcher.needs.best_modules` exactly as :func:`matcher.services.training.recommend_for_sme`
does (open challenges + weak areas as needs, the area bonus), and reports nDCG@10 with a
bootstrap CI, next to two ablations in the same process: challenges only (no assessment) and
areas only (no challenges).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.metrics import evaluate_run
from evaluation.uncertainty import bootstrap_ci
from matcher.formats.jsonl import read_objects
from matcher.formats.trec import read_qrels
from matcher.needs import best_modules
from matcher.services.training import AREA_WEIGHT, WEAK, load_areas, module_text
from matcher.types import challenge_text_of

__all__ = ["training_benchmark"]


def training_benchmark(data: Path, encoder: Any, *, n_resamples: int = 1000, seed: int = 0) -> dict[str, Any]:
    """``{variant: {"ndcg@10": mean, "ci": [lo, hi], "n": queries}}`` for the three variants."""
    data = Path(data)
    qrels = read_qrels(data / "ground_truth" / "training.qrels")
    modules = read_objects(data / "training_modules.jsonl")
    areas = {a.code: a for a in load_areas()}
    challenges: dict[str, list[str]] = defaultdict(list)
    for c in read_objects(data / "challenges.jsonl"):
        if c.get("status", "open") == "open":
            challenges[c["sme_id"]].append(
                challenge_text_of(c["title"], c["description"], c.get("required_skills", []))
            )
    latest: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for a in read_objects(data / "assessments.jsonl"):
        prev = latest[a["sme_id"]].get(a["area"])
        if prev is None or a["assessed_on"] >= prev[0]:
            latest[a["sme_id"]][a["area"]] = (a["assessed_on"], int(a["score"]))
    from matcher import types as t

    mod_records = [t.TrainingModule(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in m.items()
                                       if k not in ("format", "starts", "ends")}) for m in modules]  # fmt: skip
    mod_v = encoder.encode([module_text(m) for m in mod_records])
    runs: dict[str, dict[str, dict[str, float]]] = {"challenges + weak areas": {}, "challenges only": {},
                                                    "weak areas only": {}}  # fmt: skip
    for sme in sorted(qrels):
        weak = [(code, s) for code, (_, s) in sorted(latest[sme].items()) if s <= WEAK and code in areas]
        texts_c = challenges.get(sme, [])
        texts_a = [areas[code].text for code, _ in weak]
        for variant, texts, use_areas in (("challenges + weak areas", texts_c + texts_a, True),
                                          ("challenges only", texts_c, False),
                                          ("weak areas only", texts_a, True)):  # fmt: skip
            if not texts:
                runs[variant][sme] = {}
                continue
            need_v = encoder.encode(texts)
            bonus = np.zeros((len(texts), len(mod_records)))
            if use_areas:
                offset = len(texts) - len(weak)
                for i, (code, score) in enumerate(weak):
                    for j, m in enumerate(mod_records):
                        if code in m.areas:
                            bonus[offset + i, j] = AREA_WEIGHT * (5 - score) / 4
            found = best_modules(need_v, mod_v, area_bonus=bonus, k=0)
            runs[variant][sme] = {mod_records[s.module].id: s.score for s in found}
    out = {}
    for variant, run in runs.items():
        scores = evaluate_run(qrels, run, "ndcg@10")
        per = scores.per_query["ndcg@10"]
        ci = bootstrap_ci(per, n_resamples=n_resamples, random_state=seed)
        out[variant] = {"ndcg@10": round(float(np.mean(per)), 4),
                        "ci": [round(float(ci.low), 4), round(float(ci.high), 4)], "n": len(per)}  # fmt: skip
    return out


def report_training_benchmark(data: Path, out: Path, *, n_resamples: int = 1000, seed: int = 0) -> Path:
    """Run :func:`training_benchmark` with the configured encoder; print a table, write ``training.json``."""
    from matcher.config import load_settings
    from matcher.embeddings import make_encoder

    settings = load_settings()
    encoder = make_encoder(settings.embedding_model, settings.embedding_backend,
                           threads=settings.embedding_threads, cache_path=settings.resolved_cache_path)  # fmt: skip
    result = training_benchmark(data, encoder, n_resamples=n_resamples, seed=seed)
    print(
        f"\ntraining suggestions (SME -> module), nDCG@10 with {n_resamples}-resample 95 % CI, {encoder.model_id}:"
    )
    for variant, r in result.items():
        print(f"  {variant:<26} {r['ndcg@10']:.3f} [{r['ci'][0]:.3f}, {r['ci'][1]:.3f}]  ({r['n']} SMEs)")
    Path(out).mkdir(parents=True, exist_ok=True)
    path = Path(out) / "training.json"
    path.write_text(
        json.dumps({"model": encoder.model_id, "results": result}, indent=2) + "\n", encoding="utf-8"
    )
    return path
