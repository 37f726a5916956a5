"""Exact top-k (float32 scan, projected scan, int8 scan with a proven bound, FAISS flat) and HNSW, on real-derived vectors.

Run from the repository root::

    .venv/bin/python benchmarks/bench_search.py                    # 1M exact, 200k HNSW (~5 min)
    .venv/bin/python benchmarks/bench_search.py --ann-size 1000000 # HNSW at 1M too (longer)

Vectors: real all-MiniLM-L6-v2 embeddings of every DBLP and CORDIS text on this machine,
mixed up to the benchmark size (``benchmarks/real_vectors.py`` says exactly how); queries
are held-out *real* vectors.  Every engine runs in this process, one after another on the
same data, with the same thread count; ratios compare figures of this one run.  Prints
a Markdown report on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--single-queries", type=int, default=20, help="queries timed one at a time")
    p.add_argument("--batch-queries", type=int, default=256, help="queries per batched run")
    p.add_argument("--threads", type=int, default=2, help="BLAS/OpenMP threads for every engine")
    p.add_argument("--components", type=int, nargs="+", default=[128], help="projected scan dimensions")
    p.add_argument("--candidates", type=int, default=200, help="re-ranked exactly per query")
    p.add_argument("--ann-size", type=int, default=200_000, help="0 skips the HNSW part")
    p.add_argument("--vectors", type=Path, default=Path("/tmp/cluster-match-real-vectors.npz"))
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


ARGS = _parse()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import faiss  # noqa: E402
import numpy as np  # noqa: E402
from real_vectors import load_or_build, mixed  # noqa: E402

from matcher.ranking.projected import ProjectedSearch  # noqa: E402
from matcher.ranking.quantised import QuantisedExactSearch  # noqa: E402
from matcher.ranking.search import exact_top_k  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rss_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def copy_bandwidth(buf: np.ndarray) -> float:
    """Bytes/s of a large copy (reads and writes every byte once)."""
    dst = np.empty_like(buf)
    return 2 * buf.nbytes / timed(lambda: np.copyto(dst, buf), repeat=3)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(found, truth, strict=True)]))


def exact_section(base: np.ndarray, queries: np.ndarray, bandwidth: float) -> None:
    k = ARGS.k
    print("## Exact top-k\n")
    print(
        "| n | engine | single (ms/query) | x FAISS flat | batched (queries/s) | x FAISS flat "
        "| recall@10 vs float32 | certified exact |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in ARGS.sizes:
        corpus = base[:n]
        qs, qb = queries[: ARGS.single_queries], queries[: ARGS.batch_queries]
        truth, _ = exact_top_k(qb, corpus, k)
        flat = faiss.IndexFlatIP(corpus.shape[1])
        flat.add(corpus)
        engines = {"FAISS IndexFlatIP": (lambda q, flat=flat: flat.search(q, k)[::-1], None)}
        engines["ours float32 scan"] = (lambda q, corpus=corpus: exact_top_k(q, corpus, k), None)
        for r in ARGS.components:
            t = time.perf_counter()
            index = ProjectedSearch(n_components=r, n_candidates=ARGS.candidates).fit(corpus)
            log(f"n={n:,} projected r={r}: fit {time.perf_counter() - t:.1f} s")
            name = f"ours projected scan r={r} + exact re-rank of {ARGS.candidates}"
            engines[name] = (lambda q, index=index: index.search(q, k), index)
        t = time.perf_counter()
        quantised = QuantisedExactSearch(threads=ARGS.threads).fit(corpus)
        log(f"n={n:,} int8 + certified re-rank: fit {time.perf_counter() - t:.1f} s")
        engines["ours int8 scan + proven-bound float32 re-rank (QuantisedExactSearch)"] = (
            lambda q, quantised=quantised: quantised.search(q, k),
            quantised,
        )
        rows = {}
        for name, (fn, index) in engines.items():
            found = fn(qb)[0]
            t_single = timed(lambda fn=fn, qs=qs: [fn(q[None, :]) for q in qs], 2) / len(qs)
            if isinstance(index, QuantisedExactSearch):
                fn(qs[:1])
                rescored = np.mean([(fn(q[None, :]), index.candidates_[0])[1] for q in qs])
                certified = f"all (proven bound; {rescored:,.0f} rows re-scored per single query)"
            elif index is not None:
                certified = f"{index.certified_ / len(qb):.2f}"
            else:
                certified = "all (full scan)"
            t_batch = timed(lambda fn=fn, qb=qb: fn(qb), 1)
            rows[name] = (t_single, len(qb) / t_batch, recall(found, truth), certified)
            log(f"n={n:,} {name}: {t_single * 1e3:.1f} ms single")
        fs, fb = rows["FAISS IndexFlatIP"][:2]
        for name, (ts, tb, rec, certified) in rows.items():
            print(
                f"| {n:,} | {name} | {ts * 1e3:.1f} | {fs / ts:.2f} | {tb:,.0f} | {tb / fb:.2f} "
                f"| {rec:.4f} | {certified} |"
            )
        print(f"| {n:,} | float32 bandwidth bound | {corpus.nbytes / bandwidth * 1e3:.1f} | | | | | |")
        print(f"| {n:,} | int8 bandwidth bound | {corpus.nbytes / 4 / bandwidth * 1e3:.1f} | | | | | |")
        del flat, engines
    print(
        "\nx FAISS flat: single = FAISS time / ours (higher is faster); batched = ours throughput / FAISS."
        " certified exact = share of queries whose answer the residual bound proves exact.\n"
    )


def ann_section(base: np.ndarray, queries: np.ndarray) -> None:
    from usearch.index import Index

    n, k = ARGS.ann_size, ARGS.k
    corpus = np.ascontiguousarray(base[:n])
    qb = queries[: min(len(queries), 1000)]
    truth, _ = exact_top_k(qb, corpus, k)
    t_exact = timed(lambda: [exact_top_k(q[None, :], corpus, k) for q in qb[:50]], 1) / 50
    print(f"## HNSW at n = {n:,} (real-derived vectors, {len(qb)} real queries)\n")
    print(f"- exact float32 scan, single query: {t_exact * 1e3:.1f} ms (the 'x exact' baseline)\n")
    print(
        "| library | M | efConstruction | build (s) | vectors/s | memory (GB per 1M) | efSearch "
        "| recall@10 | single (ms) | x exact | batched (queries/s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    configs = [("usearch", 16, 64), ("faiss", 16, 64)]
    for lib, m, efc in configs:
        rss0 = rss_bytes()
        t = time.perf_counter()
        if lib == "usearch":
            index = Index(ndim=corpus.shape[1], metric="ip", dtype="f32", connectivity=m, expansion_add=efc)
            index.add(np.arange(n, dtype=np.uint64), corpus, threads=ARGS.threads)
        else:
            faiss.omp_set_num_threads(ARGS.threads)
            index = faiss.IndexHNSWFlat(corpus.shape[1], m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = efc
            index.add(corpus)
        build = time.perf_counter() - t
        mem = (rss_bytes() - rss0) / n * 1e6 / 1e9
        log(f"{lib} M={m}: build {build:.0f} s")
        for ef in (16, 32, 64, 128):
            if lib == "usearch":
                index.expansion_search = ef

                def run(q, index=index):
                    return np.atleast_2d(index.search(q, k, threads=ARGS.threads).keys)
            else:
                index.hnsw.efSearch = ef

                def run(q, index=index):
                    return index.search(q, k)[1]

            rec = recall(run(qb).astype(np.int64), truth)
            t_single = timed(lambda run=run: [run(q[None, :]) for q in qb[:200]], 1) / 200
            t_batch = timed(lambda run=run: run(qb), 1)
            print(
                f"| {lib} | {m} | {efc} | {build:.0f} | {n / build:,.0f} | {mem:.2f} | {ef} | {rec:.3f} "
                f"| {t_single * 1e3:.3f} | {t_exact / t_single:,.0f} | {len(qb) / t_batch:,.0f} |"
            )
        del index
    print(
        "\nmemory = RSS growth while building, per million vectors (float32 vectors are "
        f"{corpus.shape[1] * 4 / 1e3:.2f} GB per 1M of it).\n"
    )


def main() -> None:
    faiss.omp_set_num_threads(ARGS.threads)
    real = load_or_build(ARGS.vectors, threads=ARGS.threads)
    n_max = max(max(ARGS.sizes), ARGS.ann_size)
    log(f"mixing {n_max:,} vectors from {len(real['base']):,} real ones ...")
    base = mixed(real["base"], n_max, seed=ARGS.seed)
    queries = np.ascontiguousarray(real["queries"], dtype=np.float32)
    rng = np.random.default_rng(ARGS.seed)
    queries = queries[rng.permutation(len(queries))]

    buf = base[: min(n_max, 400_000)]
    bandwidth = copy_bandwidth(buf)
    print("# Search benchmark\n")
    print(
        f"- base: {n_max:,} vectors mixed from {len(real['base']):,} real MiniLM embeddings "
        f"(benchmarks/real_vectors.py); queries: {len(queries):,} held-out real embeddings; dim 384 float32"
    )
    print(
        f"- threads: {ARGS.threads} (BLAS and FAISS/usearch); k = {ARGS.k}; numpy {np.__version__}, "
        f"faiss {faiss.__version__}"
    )
    print(
        f"- measured copy bandwidth: {bandwidth / 1e9:.1f} GB/s (read + write of {buf.nbytes / 1e9:.2f} GB)"
    )
    print(f"- load average at start: {os.getloadavg()[0]:.1f} (2 cores shared with other jobs)\n")
    exact_section(base, queries, bandwidth)
    if ARGS.ann_size:
        ann_section(base, queries)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
