"""Load test of the match endpoint over HTTP: throughput and p50/p99 latency with ~10k profiles.

Run on demand, from the repository root::

    .venv/bin/python benchmarks/bench_api.py                       # fake encoder, ~10k profiles
    .venv/bin/python benchmarks/bench_api.py --backend torch --scale 1 \\
        --cache /tmp/mv2/embeddings.sqlite                        # the real model, demo scale
    .venv/bin/python benchmarks/bench_api.py --scale 96 --data /tmp/cm-bench-api-96 \\
        --ready-timeout 3600                                     # ~100k profiles, kept for reruns

What it does, in a temporary ``MATCHER_VAR_DIR`` (nothing of ``var/`` is touched), or in
``--data DIR``, which is kept:

1. generates the demo programme at ``--scale`` (9.6 gives ~10,000 capability profiles, 96
   ~100,000) and loads it with ``matcher demo-data --no-ground-truth``, unless ``--data DIR``
   already holds a loaded one (its ``demo/organisations.jsonl`` has as many lines as its
   database has organisations; ``--scale`` is then not checked); makes an admin key with
   ``matcher keys create``;
2. starts ``matcher serve --workers N`` (uvicorn) on 127.0.0.1 and a free port, and waits
   (at most ``--ready-timeout`` seconds) until ``/ready`` answers 200 on 20 new connections
   in a row (each worker fits its own matcher; a worker still fitting answers 503) and one
   match request has been answered (the warm-up);
3. fires ``--requests`` requests with ``--concurrency`` client threads (keep-alive
   connections, loopback only) at ``GET /health`` (the baseline: the HTTP stack alone)
   and then at ``GET /challenges/{id}/matches?type=consultancy&k=10``, a different open
   challenge per request, round robin;
4. prints the figures as Markdown on stdout (progress on stderr) and stops the server.

Memory is RSS and PSS (``/proc/<pid>/smaps_rollup``) summed over every process of the
server: the ``matcher serve`` process and all its descendants (uvicorn's workers and
multiprocessing helpers).  PSS counts a page shared by k processes as 1/k in each, so the
PSS sum is what the server costs the machine; the RSS sum counts shared pages once per
process.

Every match request ranks all profiles and stores its ten suggestions as match records,
exactly as a user's call does (so runs on the same ``--data`` accumulate match records).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--scale", type=float, default=9.6, help="demo scale; 1.0 ~ 1,050 profiles")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--backend", default="fake", choices=["fake", "torch", "onnx-int8"])
    p.add_argument("--cache", type=Path, default=None, help="embedding cache to reuse (default: a fresh one)")
    p.add_argument("--requests", type=int, default=300, help="requests per endpoint (bounded)")
    p.add_argument("--concurrency", type=int, default=4, help="client threads")
    p.add_argument("--warmup", type=int, default=20, help="untimed requests per endpoint first")
    p.add_argument("--k", type=int, default=10)
    p.add_argument(
        "--ready-timeout", type=float, default=1800.0, help="seconds to wait for the fit (and per request)"
    )
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument("--data", type=Path, default=None, help="folder to keep (or reuse) the loaded demo in")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return p.parse_args()


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """``pid`` and every live process below it (from ``/proc/*/stat``), ``pid`` first."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += sorted(c for c, pp in parent.items() if pp == p)
    return out


def memory_mb(pid: int) -> dict[int, tuple[float, float]]:
    """``{pid: (RSS MB, PSS MB)}`` of ``pid`` and its descendants (``/proc/<pid>/smaps_rollup``)."""
    out: dict[int, tuple[float, float]] = {}
    for p in descendants(pid):
        fields: dict[str, int] = {}
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss"):
                    fields[name] = int(rest.split()[0])
        except OSError:
            continue  # gone meanwhile
        out[p] = (fields.get("Rss", 0) / 1024, fields.get("Pss", 0) / 1024)
    return out


def total(mem: dict[int, tuple[float, float]]) -> tuple[float, float]:
    return sum(r for r, _ in mem.values()), sum(q for _, q in mem.values())


def stored_organisations(db: Path) -> int:
    """Organisations in the SQLite database ``db`` (0 when it or the table is missing)."""
    import sqlite3

    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM organisations").fetchone()[0])
        except sqlite3.Error:
            return 0


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


class Client:
    """One keep-alive HTTP/1.1 connection per thread, to 127.0.0.1 only."""

    def __init__(self, port: int, key: str, timeout: float = 600.0) -> None:
        self.port, self.key, self.timeout = port, key, timeout
        self.local = threading.local()

    def get(self, path: str) -> tuple[int, float, bytes]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        conn.request("GET", path, headers={"X-API-Key": self.key})
        response = conn.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - started, body


def load(client: Client, paths: list[str], concurrency: int) -> dict[str, float]:
    """Fire every path once over ``concurrency`` threads; latency percentiles and throughput."""
    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(client.get, paths))
        wall = time.perf_counter() - started
    bad = [(s, b[:200]) for s, _, b in results if s != 200]
    if bad:
        raise SystemExit(f"{len(bad)} requests failed, e.g. {bad[0]}")
    ms = sorted(1000 * t for _, t, _ in results)

    def pct(q: float) -> float:
        return ms[min(len(ms) - 1, max(0, round(q * len(ms)) - 1))]

    return {
        "n": len(ms),
        "wall_s": wall,
        "rps": len(ms) / wall,
        "p50": statistics.median(ms),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": ms[-1],
        "mean": statistics.fmean(ms),
    }


def main() -> None:
    args = _parse()
    if args.data is not None:
        args.data.mkdir(parents=True, exist_ok=True)
    tmp = args.data.resolve() if args.data is not None else Path(tempfile.mkdtemp(prefix="cm-bench-api-"))
    env = {
        **os.environ,
        "MATCHER_ENV": "development",
        "MATCHER_VAR_DIR": str(tmp),
        "MATCHER_DATABASE_URL": f"sqlite:///{tmp / 'matcher.db'}",
        "MATCHER_CACHE_PATH": str(args.cache or tmp / "embeddings.sqlite"),
        "MATCHER_EMBEDDING_BACKEND": args.backend,
        "MATCHER_EMBEDDING_THREADS": os.environ.get("MATCHER_EMBEDDING_THREADS", "1"),
        "MATCHER_LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    env.pop("MATCHER_ADMIN_KEY", None)
    matcher = str(BIN / "matcher")

    t0 = time.perf_counter()
    orgs_file = tmp / "demo" / "organisations.jsonl"
    n_orgs = sum(1 for _ in orgs_file.open()) if orgs_file.exists() else -1
    loaded = stored_organisations(tmp / "matcher.db") == n_orgs
    made = tmp / "bench-demo.json"  # the --scale and --seed the folder's demo was generated with
    wanted = {"scale": args.scale, "seed": args.seed}
    if loaded:
        was = json.loads(made.read_text()) if made.exists() else None
        if was is not None and was != wanted:
            sys.exit(
                f"{tmp} holds the demo at {was}, not {wanted}: give another --data folder or those options"
            )
        log(
            f"reusing the demo programme loaded in {tmp}"
            + ("" if was else " (generated elsewhere: options not checked)")
        )
    else:
        log(f"generating and loading the demo programme at scale {args.scale} into {tmp} ...")
        scale, seed = str(args.scale), str(args.seed)
        run([matcher, "demo-data", "--scale", scale, "--seed", seed, "--no-ground-truth"], env)
        made.write_text(json.dumps(wanted) + "\n")
    counts = {
        p.stem: sum(1 for _ in p.open(encoding="utf-8")) for p in sorted((tmp / "demo").glob("*.jsonl"))
    }
    challenges = [
        c["id"]
        for c in map(json.loads, (tmp / "demo" / "challenges.jsonl").open(encoding="utf-8"))
        if c.get("status", "open") == "open"
    ]
    load_s = time.perf_counter() - t0
    key = (
        run([matcher, "keys", "create", "--role", "admin", "--label", "bench"], env).strip().splitlines()[-1]
    )

    port = free_port()
    log(f"{counts.get('profiles')} profiles, {counts.get('documents')} documents ready in {load_s:.0f} s; "
        f"serving on 127.0.0.1:{port} ...")  # fmt: skip
    server = subprocess.Popen(
        [matcher, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "server.log", "wb"),  # noqa: SIM115
    )
    try:
        client = Client(port, key, timeout=args.ready_timeout)
        t1 = time.perf_counter()
        in_a_row = 0  # /ready on a new connection each time, so that every worker gets asked
        while in_a_row < 20:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped; see {tmp / 'server.log'}")
            client.local.conn = None
            try:
                in_a_row = in_a_row + 1 if client.get("/ready")[0] == 200 else 0
            except OSError:
                in_a_row = 0
            if time.perf_counter() - t1 > args.ready_timeout:
                raise SystemExit(f"the server did not become ready in {args.ready_timeout:.0f} s")
            if in_a_row == 0:
                time.sleep(1.0)
        ready_s = time.perf_counter() - t1
        path = f"/challenges/{{}}/matches?type=consultancy&k={args.k}"
        status, first, body = client.get(path.format(challenges[0]))  # waits for the background fit
        if status != 200:
            raise SystemExit(f"first match request failed: {status} {body[:300]!r}")
        warm_s = time.perf_counter() - t1
        mem_warm = memory_mb(server.pid)
        log(f"ready after {ready_s:.1f} s, first match request {first:.1f} s; "
            f"RSS/PSS {total(mem_warm)[0]:,.0f}/{total(mem_warm)[1]:,.0f} MB in {len(mem_warm)} processes")  # fmt: skip

        n, c = args.requests, args.concurrency
        load(client, ["/health"] * args.warmup, c)
        health = load(client, ["/health"] * n, c)
        log(f"health: {health['rps']:.0f} req/s")
        load(client, [path.format(challenges[i % len(challenges)]) for i in range(args.warmup)], c)
        match = load(client, [path.format(challenges[(i + 1) % len(challenges)]) for i in range(n)], c)
        log(f"matches: {match['rps']:.1f} req/s")
        mem_after = memory_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"## bench_api: backend={args.backend}, scale={args.scale}, seed={args.seed}\n")
    print(f"- programme: {counts.get('profiles', 0):,} capability profiles, {counts.get('documents', 0):,} "
          f"documents, {counts.get('challenges', 0):,} challenges ({len(challenges):,} open)")  # fmt: skip
    made = f"reused from {tmp}" if loaded else f"{load_s:.0f} s"
    print(f"- generate + load: {made}; server start to a fitted matcher: {warm_s:.1f} s")
    (rss_w, pss_w), (rss_a, pss_a) = total(mem_warm), total(mem_after)
    print(f"- server memory, {args.workers} worker(s), summed over {len(mem_warm)} processes: "
          f"RSS {rss_w:,.0f} MB / PSS {pss_w:,.0f} MB once fitted, "
          f"RSS {rss_a:,.0f} MB / PSS {pss_a:,.0f} MB after the load")  # fmt: skip
    for label, mem in (("fitted", mem_warm), ("after the load", mem_after)):
        each = ", ".join(f"{p}: {r:,.0f}/{q:,.0f}" for p, (r, q) in mem.items())
        print(f"  - per process, {label} (pid: RSS/PSS MB; the first is `matcher serve`): {each}")
    print(
        f"- {n} requests per endpoint, {c} client threads, keep-alive, loopback; {args.warmup} warm-up requests"
    )
    print()
    print("| endpoint | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |")
    print("|---|---|---|---|---|---|")
    for name, r in (
        ("GET /health (baseline)", health),
        (f"GET /challenges/{{id}}/matches?type=consultancy&k={args.k}", match),
    ):
        print(f"| {name} | {r['rps']:,.1f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {r['max']:.1f} |")  # fmt: skip
    print()
    print(f"- matches / health: throughput ×{match['rps'] / health['rps']:.3f}, "
          f"p50 latency ×{match['p50'] / health['p50']:.1f}")  # fmt: skip
    if args.keep or args.data is not None:
        log(f"kept {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
