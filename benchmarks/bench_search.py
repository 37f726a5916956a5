"""Benchmark exact top-k search (ours vs FAISS IndexFlatIP) and HNSW recall/speed.

Run once, from the repository root::

    .venv/bin/python benchmarks/bench_search.py --threads 2

Data are synthetic unit vectors drawn from a mixture of 1,000 Gaussian clusters
(closer to sentence embeddings than isotropic noise, which is the worst case for
HNSW).  Prints a Markdown report on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--dim", type=int, default=384)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--single-queries", type=int, default=50, help="queries timed one at a time")
    p.add_argument("--batch-queries", type=int, default=1000, help="queries per batched run")
    p.add_argument("--threads", type=int, default=2, help="BLAS/OpenMP threads for every engine")
    p.add_argument("--ann-size", type=int, default=1_000_000, help="0 skips the HNSW part")
    p.add_argument("--hnsw-m", type=int, default=16)
    p.add_argument("--hnsw-ef-construction", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


ARGS = _parse()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from matcher.ranking import VectorIndex, exact_top_k  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rss_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def clustered(n: int, dim: int, centers: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``n`` unit vectors: a random centre plus isotropic noise, built in float32 chunks."""
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, 100_000):
        m = min(100_000, n - s)
        x = rng.standard_normal((m, dim), dtype=np.float32) * np.float32(1.0 / np.sqrt(dim))
        x += centers[rng.integers(0, len(centers), m)]
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[s : s + m] = x
    return out


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    faiss.omp_set_num_threads(ARGS.threads)
    rng = np.random.default_rng(ARGS.seed)
    dim, k = ARGS.dim, ARGS.k
    centers = rng.standard_normal((1000, dim), dtype=np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    n_max = max(max(ARGS.sizes), ARGS.ann_size)
    log(f"generating {n_max:,} x {dim} vectors ...")
    base = clustered(n_max, dim, centers, rng)
    queries = clustered(max(ARGS.batch_queries, ARGS.single_queries), dim, centers, rng)

    # Memory bandwidth: a large copy reads and writes every byte once.
    buf = base[: min(n_max, 400_000)]
    dst = np.empty_like(buf)
    t_copy = timed(lambda: np.copyto(dst, buf), repeat=3)
    bandwidth = 2 * buf.nbytes / t_copy
    dst = None
    print("# Search benchmark\n")
    print(f"- vectors: clustered synthetic unit vectors, dim {dim}, float32; k = {k}")
    print(f"- threads: {ARGS.threads} (BLAS and FAISS OpenMP)")
    print(f"- numpy {np.__version__}, faiss {faiss.__version__}")
    gb = buf.nbytes / 1e9
    print(f"- measured copy bandwidth: {bandwidth / 1e9:.1f} GB/s (read + write of {gb:.2f} GB)\n")

    print("## Exact top-k\n")
    print(
        "| n | ours single (ms/query) | FAISS flat single (ms/query) | ratio ours/FAISS "
        "| ours batched (queries/s) | FAISS flat batched (queries/s) | ratio | bandwidth bound (ms/scan) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in ARGS.sizes:
        corpus = base[:n]
        flat = faiss.IndexFlatIP(dim)
        flat.add(corpus)
        nb = ARGS.batch_queries if n < 1_000_000 else min(ARGS.batch_queries, 256)
        qs, qb = queries[: ARGS.single_queries], queries[:nb]
        # agreement check
        ours_i, _ = exact_top_k(qb[:20], corpus, k)
        _, ff_i = flat.search(qb[:20], k)
        agree = float(np.mean([len(set(a) & set(b)) / k for a, b in zip(ours_i, ff_i, strict=True)]))
        log(f"n={n:,}: top-{k} agreement ours vs FAISS flat = {agree:.3f}")

        def ours_single(corpus=corpus, qs=qs):
            for q in qs:
                exact_top_k(q[None, :], corpus, k)

        def faiss_single(flat=flat, qs=qs):
            for q in qs:
                flat.search(q[None, :], k)

        t_os = timed(ours_single, 2) / len(qs)
        t_fs = timed(faiss_single, 2) / len(qs)
        t_ob = timed(lambda corpus=corpus, qb=qb: exact_top_k(qb, corpus, k), 1)
        t_fb = timed(lambda flat=flat, qb=qb: flat.search(qb, k), 1)
        bound = corpus.nbytes / bandwidth
        print(
            f"| {n:,} | {t_os * 1e3:.2f} | {t_fs * 1e3:.2f} | {t_os / t_fs:.2f} | {nb / t_ob:,.0f} "
            f"| {nb / t_fb:,.0f} | {t_fb / t_ob:.2f} | {bound * 1e3:.1f} |"
        )
        log(f"n={n:,} done")
        del flat
    print("\nratio (batched) = ours throughput / FAISS throughput.\n")

    if ARGS.ann_size:
        n = ARGS.ann_size
        corpus = base[:n]
        nq = min(ARGS.batch_queries, 1000)
        qb = queries[:nq]
        log(f"exact ground truth for {nq} queries at n={n:,} ...")
        truth, _ = exact_top_k(qb, corpus, k)
        params = f"M={ARGS.hnsw_m}, efConstruction={ARGS.hnsw_ef_construction}"
        print(f"## HNSW at n = {n:,} (FAISS IndexHNSWFlat, {params})\n")
        rss0 = rss_bytes()
        t0 = time.perf_counter()
        log("building HNSW ...")
        index = VectorIndex(
            backend="faiss", m=ARGS.hnsw_m, ef_construction=ARGS.hnsw_ef_construction, threads=ARGS.threads
        ).fit(corpus, "bench")
        t_build = time.perf_counter() - t0
        extra = rss_bytes() - rss0
        print(f"- build: {t_build:.0f} s ({n / t_build:,.0f} vectors/s)")
        print(
            f"- memory per million vectors: raw float32 {corpus.nbytes / n * 1e6 / 1e9:.2f} GB; "
            f"HNSW index (vectors + graph, RSS growth) {extra / n * 1e6 / 1e9:.2f} GB\n"
        )
        print("| efSearch | recall@10 | single (ms/query) | batched (queries/s) |")
        print("|---|---|---|---|")
        for ef in (16, 32, 64, 128, 256):
            index.ef_search = ef
            found, _ = index.search(qb, k, "bench")
            recall = float(np.mean([len(set(a) & set(b)) / k for a, b in zip(found, truth, strict=True)]))

            def single(index=index):
                for q in qb[:200]:
                    index.search(q[None, :], k, "bench")

            t_s = timed(single, 1) / 200
            t_b = timed(lambda index=index: index.search(qb, k, "bench"), 1)
            print(f"| {ef} | {recall:.3f} | {t_s * 1e3:.3f} | {nq / t_b:,.0f} |")
            log(f"ef={ef} recall={recall:.3f}")


if __name__ == "__main__":
    main()
