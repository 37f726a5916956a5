"""Issue #8, round 2: reciprocal-rank fusion and a per-query lexical weight, measured on DEV.

    MATCHER_EMBEDDING_BACKEND=onnx-int8 python benchmarks/explore_fusion.py

Same inputs and split as ``matcher evaluate benchmark`` (demo with the match rules, dblp at
full depth, split_queries seed 13).  Prints the benchmark rule on dev (mean over data sets
of the mean nDCG@10 of their match types) and, for reference, test nDCG@10 per type.

- RRF (Cormack et al., 2009): ``sum_s 1 / (k + rank_s)`` over two profile rankings (the
  default hybrid-topk and dense-topk-lse; dense-topk and lexical), k in {10, 60}.  Rank-based,
  so a profile's score depends on the other candidates: it would break the ``rank``
  contract (scores comparable across challenges) even if it won.
- Adaptive lexical weight: hybrid-topk (k=2, z-scores) with a per-query weight
  ``w_q = clip(w0 + a * (spec_q - mean) / std, 0, 1)``, ``spec_q`` the mean idf of the
  query's terms (the vocabulary's specificity), mean/std over the dev queries of the data set.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

from evaluation.builtin import MATCH_TYPES
from evaluation.corpora import load_demo_corpus, load_file_dataset, reachable_qrels, rules_mask
from evaluation.split import split_queries
from matcher.config import load_settings
from matcher.embeddings.language import stop_words
from matcher.formats.trec import read_qrels
from matcher.ranking import ProfileRanker, RankingConfig, aggregate_profiles
from matcher.services.engine import make_encoders

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_combiner import _relevance  # the same relevance matrix as the fit


def _ndcg10(S, R, rows) -> float:
    disc = 1 / np.log2(np.arange(2, 12))
    out = []
    for i in rows:
        if R[i].max() <= 0:
            continue
        s = S[i]
        order = np.argsort(-np.where(np.isfinite(s), s, -1e300), kind="stable")[:10]
        order = order[np.isfinite(s[order])]
        ideal = np.sort(R[i])[::-1][:10]
        out.append((R[i][order] * disc[: len(order)]).sum() / (ideal * disc[: len(ideal)]).sum())
    return float(np.mean(out))


def _signals(fit, query):
    out = {}
    for name, method, cfg in (
        ("hybrid", "hybrid-topk", {}),
        ("lse", "dense-topk-lse", {"topk": 10, "temperature": 1.0}),
        ("dtop3", "dense-topk", {"topk": 3}),
        ("lex", "lexical", {}),
    ):
        out[name] = (
            ProfileRanker(method=method, config=RankingConfig(**cfg), stop_words=stop_words())
            .fit(**fit)
            .score(**query)
        )
    dense = ProfileRanker(method="dense-max", stop_words=stop_words()).fit(**fit)
    lex = ProfileRanker(method="lexical", stop_words=stop_words()).fit(**fit)
    out["doc_dense"] = dense.score_documents(**query).score
    out["doc_lex"] = lex.score_documents(**query).score
    q = lex.lexical_.transform(query["query_texts"])
    idf = lex.lexical_.idf_
    out["spec"] = np.array([idf[row.indices].mean() if row.nnz else 0.0 for row in q])
    return out


def main() -> None:
    enc, multi = make_encoders(load_settings())
    sets = []
    c = load_demo_corpus(Path("var/demo"), enc, multi)
    sig = _signals(
        dict(doc_profile=c.doc_profile, doc_vectors=c.doc_vectors, doc_texts=c.doc_texts, doc_multi_vectors=c.doc_multi,
             doc_lang=c.doc_lang, n_profiles=len(c.profile_ids)),
        dict(query_vectors=c.challenge_vectors, query_texts=c.challenge_texts, query_multi_vectors=c.challenge_multi,
             query_lang=c.challenge_lang),
    )  # fmt: skip
    dev, _ = split_queries(c.challenge_ids, dev_fraction=0.5, seed=13)
    dv = np.array([q in set(dev) for q in c.challenge_ids])
    for mt in MATCH_TYPES:
        mask = rules_mask(c, mt)
        R = _relevance(
            reachable_qrels(c, read_qrels(Path("var/demo/ground_truth") / f"{mt}.qrels"), mask),
            c.challenge_ids,
            c.profile_ids,
        )
        sets.append((mt, "demo", sig, c.doc_profile, R, mask, dv))
    ds = load_file_dataset(Path("data/expert-finding-dblp"), enc, multi)
    inp = ds.inputs
    sig2 = _signals(
        dict(doc_profile=inp.doc_profile, doc_vectors=inp.doc_vectors, doc_texts=inp.doc_texts,
             doc_multi_vectors=inp.doc_multi, doc_lang=inp.doc_lang, n_profiles=len(inp.profile_ids)),
        dict(query_vectors=inp.query_vectors, query_texts=inp.query_texts, query_multi_vectors=inp.query_multi,
             query_lang=inp.query_lang),
    )  # fmt: skip
    dev, _ = split_queries(list(inp.query_ids), dev_fraction=0.5, seed=13)
    dv2 = np.array([q in set(dev) for q in inp.query_ids])
    R = _relevance(ds.qrels, list(inp.query_ids), list(inp.profile_ids))
    sets.append(("dblp", "dblp", sig2, inp.doc_profile, R, np.ones(R.shape, bool), dv2))

    def report(label, fn):
        dev_s, test_s = {}, {}
        for name, _d, s, prof, R, m, dvr in sets:
            S = np.where(m, fn(s, prof, dvr), -np.inf)
            dev_s[name] = _ndcg10(S, R, np.flatnonzero(dvr))
            test_s[name] = _ndcg10(S, R, np.flatnonzero(~dvr))
        rule = (np.mean([dev_s[t] for t in MATCH_TYPES]) + dev_s["dblp"]) / 2
        print(
            f"{label:44s} dev rule {rule:.4f} | test " + " ".join(f"{k}={v:.3f}" for k, v in test_s.items())
        )
        return rule

    report("hybrid-topk (default)", lambda s, p, d: s["hybrid"])

    def rrf(a, b, k):
        def f(s, p, d):
            ranks = [np.argsort(np.argsort(-s[x], axis=1), axis=1) + 1 for x in (a, b)]
            return sum(1.0 / (k + r) for r in ranks)

        return f

    for (a, b), k in itertools.product((("hybrid", "lse"), ("dtop3", "lex"), ("lse", "lex")), (10, 60)):
        report(f"rrf({a}, {b}) k={k}", rrf(a, b, k))

    def adaptive(w0, a):
        def f(s, prof, dvr):
            spec = s["spec"]
            z = (spec - spec[dvr].mean()) / (spec[dvr].std() + 1e-9)
            w = np.clip(w0 + a * z, 0, 1)[:, None]
            doc = (1 - w) * s["doc_dense"] + w * s["doc_lex"]
            return aggregate_profiles(doc, prof, method="topk_mean", k=2, n_profiles=s["hybrid"].shape[1])

        return f

    best = max(
        (
            (report(f"adaptive w0={w0} a={a}", adaptive(w0, a)), w0, a)
            for w0 in (0.4, 0.5, 0.6)
            for a in (-0.2, -0.1, 0.0, 0.1, 0.2)
        ),
    )
    print("best adaptive on dev:", best)


if __name__ == "__main__":
    main()
