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

The shipped coefficients (``DEFAULT_COMBINER``, "keep") are scored on the same dev queries
without fitting: every held-out fold gets the same fixed scores, so their cross-validated
equivalent is their plain dev score (optimistic only if they were fitted on these dev queries).
``--features a,b,c`` (repeatable) fits other sets of ``matcher.ranking.ranker.POOL_FEATURES``
as candidates; the features of all sets are computed once, each set is cross-validated on the
same folds, and ``--out`` gets the set with the best cross-validated dev rule.  Pairs: 60
random (relevant, non-relevant) pairs per judged dev query, each weighing its positive's grade;
every query of a data set weighs ``1 / (its type's judged queries) / (the data set's types)``,
so the demo (four types) and dblp each weigh one half.
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
from matcher.ranking import DEFAULT_COMBINER, LEARNED_FEATURES, LinearCombiner, ProfileRanker
from matcher.ranking.ranker import POOL_FEATURES
from matcher.services.engine import make_encoders

CS = (0.01, 0.1, 1.0, 10.0)


def _features(fit: dict, query: dict, names: tuple[str, ...]) -> np.ndarray:
    r = ProfileRanker(method="learned", stop_words=stop_words()).fit(**fit)
    return r.pool_features(r.score_documents(**query), names=names)


def _feature_set(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in POOL_FEATURES]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown features {unknown}; choose from {', '.join(POOL_FEATURES)}"
        )
    return names


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
    ap.add_argument(
        "--features",
        type=_feature_set,
        action="append",
        help="comma-separated POOL_FEATURES to fit (repeatable); default the learned method's "
        + ",".join(LEARNED_FEATURES),
    )
    args = ap.parse_args(argv)
    candidates: list[tuple[str, ...]] = args.features or [LEARNED_FEATURES]
    every = tuple(dict.fromkeys([*LEARNED_FEATURES, *(n for c in candidates for n in c)]))

    enc, multi = make_encoders(load_settings())
    sets = []  # (name, data set, F, R, mask, qrels, qids, pids, dev_rows)
    c = load_demo_corpus(args.demo, enc, multi)
    F = _features(
        dict(doc_profile=c.doc_profile, doc_vectors=c.doc_vectors, doc_texts=c.doc_texts,
             doc_multi_vectors=c.doc_multi, doc_lang=c.doc_lang, n_profiles=len(c.profile_ids)),
        dict(query_vectors=c.challenge_vectors, query_texts=c.challenge_texts,
             query_multi_vectors=c.challenge_multi, query_lang=c.challenge_lang),
        every,
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
        every,
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

    def fit(names: tuple[str, ...], C: float, keep) -> LinearCombiner:  # keep(data set, dev rows) -> rows
        cols = [every.index(n) for n in names]
        xs, rs, ms, ws = [], [], [], []
        for _name, d, F, R, m, _q, _qi, _pi, dvr in sets:
            use = keep(d, dvr)
            judged = use[R[use].max(axis=1) > 0]
            xs.append(F[judged][..., cols])
            rs.append(R[judged])
            ms.append(m[judged])
            ws.append(np.full(len(judged), 1.0 / max(1, len(judged)) / n_types[d]))
        return LinearCombiner(feature_names=names, C=C, pairs_per_query=60, random_state=0).fit(
            xs, rs, mask=ms, query_weight=ws
        )

    def rule(per_type: dict[str, float]) -> float:
        by: dict[str, list[float]] = {}
        for s in sets:
            by.setdefault(s[1], []).append(per_type[s[0]])
        return float(np.mean([np.mean(v) for v in by.values()]))

    def held_out(comb: LinearCombiner, rows_of, scores) -> None:
        cols = [every.index(n) for n in comb.feature_names]
        for name, d, F, _R, m, *_rest, dvr in sets:
            held = rows_of(d, dvr)
            x = F[held][..., cols]
            s = comb.score(np.where(np.isfinite(x), x, 0))
            scores[name][held] = np.where(m[held] & np.isfinite(x[..., 0]), s, -np.inf)

    def evaluate(scores) -> tuple[float, dict[str, float]]:
        per = {s[0]: _ndcg(scores[s[0]], s[5], s[6], s[7], s[8]) for s in sets}
        return rule(per), per

    def show(label: str, value: float, per: dict[str, float]) -> None:
        print(
            f"{label}: cross-validated dev rule {value:.4f}",
            {k: round(v, 4) for k, v in per.items()},
            file=sys.stderr,
        )

    # keep: the shipped coefficients on the same held-out folds (no fitting)
    shipped = LinearCombiner.from_dict(DEFAULT_COMBINER)
    scores = {s[0]: np.full(s[2].shape[:2], -np.inf) for s in sets}
    for f in range(args.folds):
        held_out(shipped, lambda d, dvr, f=f: dvr[folds[d] == f], scores)
    keep_rule, keep_per = evaluate(scores)
    show("keep (shipped coefficients)", keep_rule, keep_per)

    results = []  # (rule, names, C, cv by C, per type)
    for names in candidates:
        cv = {}
        for C in CS:
            scores = {s[0]: np.full(s[2].shape[:2], -np.inf) for s in sets}
            for f in range(args.folds):
                comb = fit(names, C, lambda d, dvr, f=f: dvr[folds[d] != f])
                held_out(comb, lambda d, dvr, f=f: dvr[folds[d] == f], scores)
            cv[C] = evaluate(scores)
            show(f"refit {','.join(names)} C={C}", *cv[C])
        best = max(CS, key=lambda C: (cv[C][0], -CS.index(C)))
        results.append((cv[best][0], names, best, cv, cv[best][1]))
    print("\n| candidate | C | CV dev rule | " + " | ".join(s[0] for s in sets) + " |", file=sys.stderr)
    print(f"| keep (shipped) | {DEFAULT_COMBINER['C']} | {keep_rule:.4f} | "
          + " | ".join(f"{keep_per[s[0]]:.4f}" for s in sets) + " |", file=sys.stderr)  # fmt: skip
    for value, names, C, _cv, per in results:
        print(f"| refit {', '.join(names)} | {C} | {value:.4f} | "
              + " | ".join(f"{per[s[0]]:.4f}" for s in sets) + " |", file=sys.stderr)  # fmt: skip
    value, names, best, cv, per = max(results, key=lambda r: r[0])  # the first of equals
    print(f"rule: {'refit ' + ','.join(names) if value > keep_rule else 'keep'} "
          f"({value:.4f} vs keep {keep_rule:.4f})", file=sys.stderr)  # fmt: skip
    comb = fit(names, best, lambda d, dvr: dvr)
    out = comb.to_dict()
    out["cv_dev_rule"] = {str(C): round(v[0], 4) for C, v in cv.items()}
    out["cv_dev_ndcg10"] = {k: round(v, 4) for k, v in per.items()}
    out["command"] = (
        "MATCHER_EMBEDDING_BACKEND=onnx-int8 python benchmarks/fit_combiner.py --out "
        + str(args.out)
        + "".join(f" --features {','.join(c)}" for c in (args.features or []))
    )
    out["fitted_on"] = f"dev splits (split_queries seed {args.split_seed}) of {args.demo} and {args.dataset}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"features": list(names), "C": best, "coef": out["coef"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
