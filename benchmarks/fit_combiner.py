"""Fit the ``learned`` ranking method's coefficients on the DEV splits only, and ship them as data.

    MATCHER_EMBEDDING_BACKEND=onnx-int8 python benchmarks/fit_combiner.py \
        --out data/ranking/learned-combiner.json

Reads the demo programme (var/demo) and data/expert-finding-dblp through the benchmark's own
loaders (cached vectors), computes the learned method's features with
``ProfileRanker(method="learned").pool_features``, splits each data set's queries with
``split_queries(seed=13)`` exactly as ``matcher evaluate benchmark`` does, and never looks at
the test halves.  ``C`` is chosen by 5-fold cross-validation over dev queries with the
benchmark's rule (mean over data sets of the mean nDCG@10 of their match types; the demo's
four types share query folds); the final coefficients are refitted on all dev queries.
Paste the printed ``coef`` into ``matcher/ranking/combiner.py:DEFAULT_COMBINER`` (a test
checks that the JSON and the constant agree).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from evaluation.builtin import MATCH_TYPES
from evaluation.corpora import load_demo_corpus, load_file_dataset, reachable_qrels, rules_mask
from evaluation.metrics import evaluate_run
from evaluation.split import split_queries
from matcher.config import load_settings
from matcher.embeddings.language import stop_words
from matcher.formats.trec import read_qrels
from matcher.ranking import LEARNED_FEATURES, LinearCombiner, ProfileRanker
from matcher.services.engine import make_encoders

CS = (0.01, 0.1, 1.0, 10.0)


def _features(fit: dict, query: dict) -> np.ndarray:
    r = ProfileRanker(method="learned", stop_words=stop_words()).fit(**fit)
    return r.pool_features(r.score_documents(**query))


def _relevance(qrels, qids, pids) -> np.ndarray:
    R = np.zeros((len(qids), len(pids)), np.int8)
    qi, pi = {q: i for i, q in enumerate(qids)}, {p: j for j, p in enumerate(pids)}
    for q, docs in qrels.items():
        for p, g in docs.items():
            if q in qi and p in pi:
                R[qi[q], pi[p]] = g
    return R


def _ndcg(scores, qrels, qids, pids, rows) -> float:
    run = {}
    for i in rows:
        s = scores[i]
        order = np.argsort(-np.where(np.isfinite(s), s, -1e300), kind="stable")[:100]
        run[qids[i]] = {pids[j]: float(s[j]) for j in order if np.isfinite(s[j])}
    q = {qids[i]: qrels[qids[i]] for i in rows if qids[i] in qrels and qrels[qids[i]]}
    run = {k: v for k, v in run.items() if k in q}
    return evaluate_run(q, run, ["ndcg@10"]).mean["ndcg@10"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--demo", type=Path, default=Path("var/demo"))
    ap.add_argument("--dataset", type=Path, default=Path("data/expert-finding-dblp"))
    ap.add_argument("--split-seed", type=int, default=13)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)

    enc, multi = make_encoders(load_settings())
    sets = []  # (name, data set, F, R, mask, qrels, qids, pids, dev_rows)
    c = load_demo_corpus(args.demo, enc, multi)
    F = _features(
        dict(doc_profile=c.doc_profile, doc_vectors=c.doc_vectors, doc_texts=c.doc_texts,
             doc_multi_vectors=c.doc_multi, doc_lang=c.doc_lang, n_profiles=len(c.profile_ids)),
        dict(query_vectors=c.challenge_vectors, query_texts=c.challenge_texts,
             query_multi_vectors=c.challenge_multi, query_lang=c.challenge_lang),
    )  # fmt: skip
    dev, _ = split_queries(c.challenge_ids, dev_fraction=0.5, seed=args.split_seed)
    dev_rows = np.array([i for i, q in enumerate(c.challenge_ids) if q in set(dev)])
    for mt in MATCH_TYPES:
        mask = rules_mask(c, mt)
        q = reachable_qrels(c, read_qrels(args.demo / "ground_truth" / f"{mt}.qrels"), mask)
        R = _relevance(q, c.challenge_ids, c.profile_ids)
        sets.append((mt, "demo", F, R, mask, q, c.challenge_ids, c.profile_ids, dev_rows))
    ds = load_file_dataset(args.dataset, enc, multi)
    inp = ds.inputs
    F = _features(
        dict(doc_profile=inp.doc_profile, doc_vectors=inp.doc_vectors, doc_texts=inp.doc_texts,
             doc_multi_vectors=inp.doc_multi, doc_lang=inp.doc_lang, n_profiles=len(inp.profile_ids)),
        dict(query_vectors=inp.query_vectors, query_texts=inp.query_texts,
             query_multi_vectors=inp.query_multi, query_lang=inp.query_lang),
    )  # fmt: skip
    qids, pids = list(inp.query_ids), list(inp.profile_ids)
    dev, _ = split_queries(qids, dev_fraction=0.5, seed=args.split_seed)
    rows = np.array([i for i, q in enumerate(qids) if q in set(dev)])
    R = _relevance(ds.qrels, qids, pids)
    sets.append((ds.name, ds.name, F, R, np.ones(R.shape, bool), ds.qrels, qids, pids, rows))
    n_types = {d: sum(1 for s in sets if s[1] == d) for d in {s[1] for s in sets}}

    rng = np.random.default_rng(0)
    folds = {d: None for d in n_types}
    for s in sets:
        if folds[s[1]] is None:
            folds[s[1]] = rng.permutation(len(s[8])) % args.folds

    def fit(C: float, keep) -> LinearCombiner:  # keep(data set, dev rows) -> rows used
        xs, rs, ms, ws = [], [], [], []
        for _name, d, F, R, m, _q, _qi, _pi, dvr in sets:
            use = keep(d, dvr)
            judged = use[R[use].max(axis=1) > 0]
            xs.append(F[judged])
            rs.append(R[judged])
            ms.append(m[judged])
            ws.append(np.full(len(judged), 1.0 / max(1, len(judged)) / n_types[d]))
        return LinearCombiner(feature_names=LEARNED_FEATURES, C=C, pairs_per_query=60, random_state=0).fit(
            xs, rs, mask=ms, query_weight=ws
        )

    def rule(per_type: dict[str, float]) -> float:
        by: dict[str, list[float]] = {}
        for s in sets:
            by.setdefault(s[1], []).append(per_type[s[0]])
        return float(np.mean([np.mean(v) for v in by.values()]))

    cv = {}
    for C in CS:
        scores = {s[0]: np.full(s[2].shape[:2], -np.inf) for s in sets}
        for f in range(args.folds):
            comb = fit(C, lambda d, dvr, f=f: dvr[folds[d] != f])
            for name, d, F, _R, m, *_rest, dvr in sets:
                held = dvr[folds[d] == f]
                scores[name][held] = np.where(
                    m[held], comb.score(np.where(np.isfinite(F[held]), F[held], 0)), -np.inf
                )
        per = {s[0]: _ndcg(scores[s[0]], s[5], s[6], s[7], s[8]) for s in sets}
        cv[C] = (rule(per), per)
        print(
            f"C={C}: cross-validated dev rule {cv[C][0]:.4f}",
            {k: round(v, 3) for k, v in per.items()},
            file=sys.stderr,
        )
    best = max(CS, key=lambda C: (cv[C][0], -CS.index(C)))
    comb = fit(best, lambda d, dvr: dvr)
    out = comb.to_dict()
    out["cv_dev_rule"] = {str(C): round(v[0], 4) for C, v in cv.items()}
    out["cv_dev_ndcg10"] = {k: round(v, 4) for k, v in cv[best][1].items()}
    out["command"] = "MATCHER_EMBEDDING_BACKEND=onnx-int8 python benchmarks/fit_combiner.py --out " + str(
        args.out
    )
    out["fitted_on"] = f"dev splits (split_queries seed {args.split_seed}) of {args.demo} and {args.dataset}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"C": best, "coef": out["coef"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
