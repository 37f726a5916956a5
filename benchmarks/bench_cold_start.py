"""Cold start: ``make run`` from a fresh clone to a warmed ``GET /ready`` on the demo programme.

Run on demand (minutes; not part of ``make bench``)::

    .venv/bin/python benchmarks/bench_cold_start.py --repo . --clone /tmp/fresh-clone

Clones ``--repo`` (its committed HEAD) into ``--clone`` (which must not exist), runs
``make run`` there with ``MATCHER_PORT`` set to a free port, and polls ``/ready`` every
0.5 s.  Prints the time to each milestone of the log (venv installed, demo loaded,
server up, the embedding progress lines, ready), then stops the server.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repo", type=Path, default=Path("."))
    p.add_argument("--clone", type=Path, required=True)
    p.add_argument("--timeout", type=float, default=900.0)
    a = p.parse_args()
    if a.clone.exists():
        sys.exit(f"{a.clone} exists; give a new directory")
    port = free_port()
    t0 = time.monotonic()
    subprocess.run(["git", "clone", "--quiet", str(a.repo.resolve()), str(a.clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATCHER_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env["MATCHER_PORT"] = str(port)
    log_path = a.clone / "make-run.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            ["make", "run"],
            cwd=a.clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ready_at = None
    try:
        while time.monotonic() - t0 < a.timeout and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as r:
                    if r.status == 200:
                        ready_at = time.monotonic() - t0
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    print(f"# Cold start: git clone + make run -> warmed /ready (port {port})\n")
    print(f"- log: {log_path}")
    print(f"- load average at the end: {os.getloadavg()[0]:.1f} (2 shared cores)")
    if ready_at is None:
        print(f"- NOT READY within {a.timeout:.0f} s (make exited with {proc.returncode})")
    else:
        print(f"- **ready after {ready_at:.0f} s** ({ready_at / 60:.1f} min), install included")
    print("\nembedding progress lines from the log:\n")
    for line in log_path.read_text(errors="replace").splitlines():
        if "Embedding (" in line or "warmed up" in line:
            print("    " + line[:200])


if __name__ == "__main__":
    main()
