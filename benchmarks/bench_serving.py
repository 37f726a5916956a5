"""Match endpoints under sustained load: materialised answers vs the exhaustive path, same run.

Run on demand, from the repository root (needs Debian's ``wrk``: ``apt-get install -y wrk``)::

    .venv/bin/python benchmarks/bench_serving.py                    # ~10k profiles, fake encoder
    .venv/bin/python benchmarks/bench_serving.py --data /tmp/cm-serving --rate 200 --duration 60

What it does (in ``--data``, reused between runs; nothing of ``var/`` is touched):

1. generates the demo programme at ``--scale`` (9.6: ~10,000 profiles, ~25k documents) and
   imports it, once; makes an admin key;
2. starts ``matcher serve`` twice on 127.0.0.1 -- with ``MATCHER_ANSWER_CACHE=0`` (the
   exhaustive path: every request scores every document) and with the default cache --
   and for each one:

   - fetches ``/challenges/{id}/matches?type=consultancy&k=10`` once for every open
     challenge (``--challenges`` of them; for the cached server this is the materialisation
     pass, timed), and the same for ``/profiles/{id}/challenges`` and
     ``/organisations/{id}/partners`` on ``--others`` ids;
   - runs ``wrk`` at its saturation rate (``--connections`` connections, no pacing) for
     ``--baseline-duration`` seconds, and, for the cached server, paced at ``--rate``
     requests/s for ``--duration`` seconds on a fixed schedule (request *n* is due at
     *n*/rate, however long the earlier ones took; ``--rate``/4 connections), each request a
     different challenge, round robin;
3. prints, as Markdown: latency percentiles, throughput, the ratio to the exhaustive server,
   and **overlap@10** between the two servers' answers for every challenge fetched.

Every match request still checks freshness, loads the challenge, stores its ten
suggestions as match records and applies the access rules: only the scoring is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import BIN, ROOT, Client, free_port, log, rss_mb, run

ENTITIES = ("organisations", "people", "challenges", "facilities", "profiles", "documents", "relationships")


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "cm-bench-serving")
    p.add_argument("--scale", type=float, default=9.6, help="demo scale; 9.6 ~ 10,000 profiles")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--challenges", type=int, default=400, help="open challenges fetched and loaded (bounded)")
    p.add_argument("--others", type=int, default=4, help="profiles and organisations fetched per server")
    p.add_argument("--rate", type=int, default=200, help="paced requests/s for the cached server")
    p.add_argument("--duration", type=int, default=60, help="seconds of paced load")
    p.add_argument("--baseline-duration", type=int, default=20, help="seconds of unpaced load per server")
    p.add_argument("--connections", type=int, default=4, help="connections of the unpaced runs")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--ready-timeout", type=float, default=3600.0, help="seconds to wait for the warm-up")
    p.add_argument("--backend", default="fake", choices=["fake", "onnx-int8", "torch"],
                   help="encoder of both servers (onnx-int8: the real models, MiniLM and USE-multilingual; "
                   "the vectors are cached in --data, so only the first run embeds)")  # fmt: skip
    return p.parse_args()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    matcher = str(BIN / "matcher")
    if not (args.data / "matcher.db").exists():
        log(f"generating the demo programme at scale {args.scale} into {args.data} ...")
        subprocess.run([matcher, "demo-data", "--scale", str(args.scale), "--seed", str(args.seed)],
                       env=env, cwd=ROOT, capture_output=True, check=False)  # fmt: skip
        files = [str(args.data / "demo" / f"{e}.jsonl") for e in ENTITIES]
        run([matcher, "import", *files], env)  # unchanged rows stay as they are
    key_file = args.data / "admin.key"
    if not key_file.exists():
        out = run([matcher, "keys", "create", "--role", "admin", "--label", "bench-serving"], env)
        key_file.write_text(out.strip().splitlines()[-1])


def ids(args: argparse.Namespace) -> tuple[list[str], list[str], list[str]]:
    demo = args.data / "demo"

    def rows(name: str) -> list[dict[str, object]]:
        return [json.loads(line) for line in (demo / f"{name}.jsonl").open(encoding="utf-8")]

    challenges = [str(c["id"]) for c in rows("challenges") if c.get("status", "open") == "open"]
    profiles = [str(p["id"]) for p in rows("profiles")]
    orgs = {str(o["id"]): o for o in rows("organisations")}
    partner_orgs = [o for o, r in orgs.items() if r.get("kind") in ("sme", "hei")]
    step_p = max(1, len(profiles) // args.others)
    step_o = max(1, len(partner_orgs) // args.others)
    return (challenges[: args.challenges], profiles[::step_p][: args.others],
            partner_orgs[::step_o][: args.others])  # fmt: skip


class Server:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(BIN / "matcher"), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log_path.open("wb"),
        )  # fmt: skip

    def wait_ready(self, client: Client, timeout: float) -> None:
        t0 = time.perf_counter()
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("the server stopped; see its log")
            try:
                if client.get("/ready")[0] == 200:
                    return
            except OSError:
                client.local.conn = None
            if time.perf_counter() - t0 > timeout:
                raise SystemExit("the server did not become ready")
            time.sleep(0.5)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def fetch_all(client: Client, paths: list[str]) -> tuple[dict[str, list[str]], float]:
    """GET each path once, in order; the candidate ids of each answer, and the seconds it took."""
    out: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    for path in paths:
        status, _, body = client.get(path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {body[:300]!r}")
        data = json.loads(body)
        items = data if isinstance(data, list) else next(v for v in data.values() if isinstance(v, list))
        out[path] = [str(i.get("candidate_id") or i.get("challenge_id") or i.get("id")) for i in items]
    return out, time.perf_counter() - t0


#: Constant-rate pacing (an open schedule, as wrk2 does): request n is due at t0 + n / rate
#: whatever the earlier ones took, so the offered rate does not sag with latency; a connection
#: whose turn comes waits for the next free slot.  wrk's LuaJIT reads the wall clock via ffi.
PACED = """
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } cm_timeval; int gettimeofday(cm_timeval *tv, void *tz); ]]
local tv = ffi.new("cm_timeval")
local function now_ms() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000 end
local interval, next_slot = 1000 / %(rate)s, 0
delay = function()
  local now = now_ms()
  if next_slot < now then next_slot = now end
  local wait = next_slot - now
  next_slot = next_slot + interval
  return math.floor(wait)
end
"""

WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
wrk.headers["X-API-Key"] = "%(key)s"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
%(delay)s
done = function(summary, latency, requests)
  local out = {requests = summary.requests, duration_us = summary.duration,
               errors = summary.errors.status + summary.errors.timeout + summary.errors.connect
                        + summary.errors.read + summary.errors.write,
               p50 = latency:percentile(50) / 1000, p90 = latency:percentile(90) / 1000,
               p99 = latency:percentile(99) / 1000, max = latency.max / 1000}
  io.stderr:write("WRK-JSON " .. string.format(
    '{"requests": %%d, "duration_us": %%d, "errors": %%d, "p50": %%f, "p90": %%f, "p99": %%f, "max": %%f}',
    out.requests, out.duration_us, out.errors, out.p50, out.p90, out.p99, out.max) .. "\\n")
end
"""


def wrk(port: int, key: str, paths: list[str], *, connections: int, seconds: int, rate: int | None) -> dict:
    """Run wrk (one thread, 127.0.0.1 only); offering ``rate`` requests/s on a fixed schedule when given."""
    delay = PACED % {"rate": rate} if rate else ""
    lua = WRK_SCRIPT % {"paths": ",".join(json.dumps(p) for p in paths), "key": key, "delay": delay}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name,
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=False, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        os.unlink(f.name)
    m = re.search(r"WRK-JSON (\{.*\})", done.stderr + done.stdout)
    if not m:
        raise SystemExit(f"wrk failed: {done.stderr[-1000:]} {done.stdout[-1000:]}")
    r = json.loads(m.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def overlap(a: list[str], b: list[str], k: int) -> float:
    top = set(b[:k])
    return len(set(a[:k]) & top) / len(top) if top else 1.0


def main() -> None:
    args = _parse()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    args.data.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "MATCHER_ENV": "development",
        "MATCHER_VAR_DIR": str(args.data),
        "MATCHER_DATABASE_URL": f"sqlite:///{args.data / 'matcher.db'}",
        "MATCHER_CACHE_PATH": str(args.data / "embeddings.sqlite"),
        "MATCHER_EMBEDDING_BACKEND": args.backend,
        "MATCHER_EMBEDDING_THREADS": os.environ.get("MATCHER_EMBEDDING_THREADS", "1"),
        "MATCHER_LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    env.pop("MATCHER_ADMIN_KEY", None)
    prepare(args, env)
    key = (args.data / "admin.key").read_text().strip()
    challenges, profiles, orgs = ids(args)
    match_paths = [f"/challenges/{c}/matches?type=consultancy&k={args.k}" for c in challenges]
    other_paths = [f"/profiles/{p}/challenges?k={args.k}" for p in profiles] + [
        f"/organisations/{o}/partners?k={args.k}" for o in orgs
    ]
    results: dict[str, dict] = {}
    answers: dict[str, dict[str, list[str]]] = {}
    for name, cache in (("exhaustive", "0"), ("materialised", "8192")):
        server = Server({**env, "MATCHER_ANSWER_CACHE": cache}, args.data / f"server-{name}.log")
        try:
            client = Client(server.port, key)
            server.wait_ready(client, args.ready_timeout)
            t0 = time.perf_counter()
            client.get(match_paths[0])  # waits for the background fit
            fit_s = time.perf_counter() - t0
            log(f"{name}: fitted in {fit_s:.1f} s; fetching {len(match_paths)} challenges' matches ...")
            got, fetch_s = fetch_all(client, match_paths)
            others, others_s = fetch_all(client, other_paths)
            answers[name] = got | others
            log(f"{name}: {fetch_s:.1f} s for the matches, {others_s:.1f} s for profiles and partners")
            r = {"fit_s": fit_s, "fetch_s": fetch_s, "others_s": others_s}
            r["saturated"] = wrk(server.port, key, match_paths, connections=args.connections,
                                 seconds=args.baseline_duration, rate=None)  # fmt: skip
            log(f"{name}: saturated {r['saturated']['rps']:.1f} req/s, p99 {r['saturated']['p99']:.1f} ms")
            # exhaustive: a profile's fits scores every open challenge (seconds each), so only timed above
            if cache != "0":
                r["saturated_others"] = wrk(server.port, key, other_paths, connections=args.connections,
                                            seconds=max(5, args.baseline_duration // 2), rate=None)  # fmt: skip
                r["paced"] = wrk(server.port, key, match_paths, connections=max(8, args.rate // 4),
                                 seconds=args.duration, rate=args.rate)  # fmt: skip
                log(f"{name}: paced {r['paced']['rps']:.1f} req/s, p99 {r['paced']['p99']:.1f} ms")
            r["rss_mb"] = rss_mb(server.proc.pid)
            results[name] = r
        finally:
            server.stop()

    ex, ma = results["exhaustive"], results["materialised"]
    ov = [overlap(ma_ids, answers["exhaustive"][p], args.k) for p, ma_ids in answers["materialised"].items()]
    ov_match = [overlap(answers["materialised"][p], answers["exhaustive"][p], args.k) for p in match_paths]
    print(
        f"## bench_serving: scale={args.scale}, seed={args.seed}, {args.backend} encoder, one uvicorn worker\n"
    )
    print(
        f"- {len(match_paths)} open challenges (consultancy), {len(profiles)} profiles, {len(orgs)} organisations"
    )
    print(f"- fit: exhaustive {ex['fit_s']:.1f} s, materialised {ma['fit_s']:.1f} s; materialising "
          f"{len(match_paths)} challenges' answers: {ma['fetch_s']:.1f} s "
          f"({1000 * ma['fetch_s'] / len(match_paths):.0f} ms each, the exhaustive cost)")  # fmt: skip
    print(f"- RSS: exhaustive {ex['rss_mb']:,.0f} MB, materialised {ma['rss_mb']:,.0f} MB")
    print(
        f"- overlap@{args.k} materialised vs exhaustive: matches mean {sum(ov_match) / len(ov_match):.4f} "
        f"(min {min(ov_match):.2f}); all endpoints mean {sum(ov) / len(ov):.4f} (min {min(ov):.2f})"
    )
    print()
    print("| server | load | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors |")
    print("|---|---|---|---|---|---|---|---|")
    rows = [
        ("exhaustive", f"matches, unpaced, {args.connections} conn", ex["saturated"]),
        ("materialised", f"matches, unpaced, {args.connections} conn", ma["saturated"]),
        ("materialised", f"profiles+partners, unpaced, {args.connections} conn", ma["saturated_others"]),
        ("materialised", f"matches, paced at {args.rate}/s for {args.duration} s", ma["paced"]),
    ]
    for server, load, r in rows:
        print(f"| {server} | {load} | {r['rps']:,.1f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
              f"| {r['max']:.1f} | {r['errors']} |")  # fmt: skip
    print()
    print(f"- materialised / exhaustive, matches unpaced: throughput ×{ma['saturated']['rps'] / ex['saturated']['rps']:.1f}, "
          f"p99 ×{ex['saturated']['p99'] / ma['saturated']['p99']:.1f} lower")  # fmt: skip
    n_others = len(other_paths)
    print(
        f"- profiles+partners, one request at a time: exhaustive {1000 * ex['others_s'] / n_others:,.0f} ms "
        f"per request (first pass), materialised p50 {ma['saturated_others']['p50']:.1f} ms under load: "
        f"×{1000 * ex['others_s'] / n_others / ma['saturated_others']['p50']:,.0f}"
    )
    load = os.getloadavg()
    print(
        f"- load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 cores shared with other jobs)"
    )


if __name__ == "__main__":
    main()
