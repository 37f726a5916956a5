"""Memory of N worker processes holding the document matrices: a private copy each vs one mapped file.

    .venv/bin/python benchmarks/bench_shared_vectors.py                 # 25k docs, 2 workers; ~1 min
    .venv/bin/python benchmarks/bench_shared_vectors.py --docs 250000   # the 100k-profile corpus

Each worker does what a server worker's fit does with the document vectors
(``matcher.embeddings.shared.encode_shared`` with the directory ``ProgrammeMatcher`` is given,
or without it), for the main and the multilingual encoder at their real dimensions (384 and
512; the deterministic fake encoder stands in for the models, whose weights are not the point
here), then reads every vector once (a search touches them all) and reports its RSS and PSS
from ``/proc/self/smaps_rollup``.  PSS charges a shared page to its sharers in equal parts,
so the sum of the workers' PSS is what they cost the machine together.  Both modes run in
this process's turn, one after the other, over the same texts.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import memory_mb


def _rollup() -> dict[str, int]:
    """This process's RSS and PSS in bytes (``bench_api.memory_mb``, the one reader of smaps_rollup)."""
    rss, pss = memory_mb(os.getpid())[os.getpid()]
    return {"Rss": int(rss * 2**20), "Pss": int(pss * 2**20)}


def _worker(n_docs: int, dims: list[int], directory: str | None, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from matcher.embeddings import FakeEncoder
    from matcher.embeddings.shared import encode_shared

    texts = [
        f"document {i}: robotic welding, sensor networks and laser cutting, part {i % 97}"
        for i in range(n_docs)
    ]
    base = _rollup()
    held = []
    for d in dims:
        enc = FakeEncoder(dim=d, model_id=f"fake-hash-{d}")
        m = encode_shared(enc, texts, Path(directory) if directory else None)
        held.append(m)
        float(np.asarray(m).sum(dtype=np.float64))  # fault every page in, as a full scan does
    barrier.wait()  # every worker holds its matrices: now PSS divides the shared pages among them
    r = _rollup()
    results.put(
        {
            "rss": r["Rss"] - base["Rss"],
            "pss": r["Pss"] - base["Pss"],
            "mapped": all(isinstance(m, np.memmap) for m in held),
        }
    )
    barrier.wait()


def _run(n_docs: int, dims: list[int], workers: int, directory: str | None) -> list[dict]:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(n_docs, dims, directory, barrier, results)) for _ in range(workers)
    ]
    for p in procs:
        p.start()
    out = [results.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--docs", type=int, default=25_000, help="documents (the demo at 10k profiles has 24,876)"
    )
    ap.add_argument("--dims", default="384,512", help="vector dimensions, one per encoder")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    dims = [int(d) for d in args.dims.split(",")]
    matrix_mb = args.docs * sum(dims) * 4 / 1e6
    print(f"## bench_shared_vectors: {args.docs:,} documents x {'+'.join(map(str, dims))} dims float32 "
          f"= {matrix_mb:,.0f} MB per copy, {args.workers} workers")  # fmt: skip
    print("| mode | per worker RSS (MB) | per worker PSS (MB) | workers' PSS together (MB) | × private |")
    print("|---|---|---|---|---|")
    rows = {}
    for mode in ("private", "shared"):
        with tempfile.TemporaryDirectory() as tmp:
            res = _run(args.docs, dims, args.workers, tmp if mode == "shared" else None)
        assert all(r["mapped"] == (mode == "shared") for r in res)
        rows[mode] = sum(r["pss"] for r in res)
        rss = "/".join(f"{r['rss'] / 1e6:.0f}" for r in res)
        pss = "/".join(f"{r['pss'] / 1e6:.0f}" for r in res)
        print(f"| {mode} | {rss} | {pss} | {rows[mode] / 1e6:.0f} | {rows[mode] / rows['private']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
