"""CPU and memory of one upload (``POST /imports/{entity}``'s service), worst cases first.

Run on demand, from the repository root::

    .venv/bin/python benchmarks/bench_import.py              # ~1 min
    .venv/bin/python benchmarks/bench_import.py --rows 50000 # smaller files

Each case builds one file in memory and passes it to
:func:`matcher.services.records.import_upload` -- the function the API and the import page
call -- against a fresh SQLite database holding the test programme, in a child process of
its own so that the peak RSS is the case's.  Printed per case: the file's size, the answer
(status and counts), CPU seconds and wall seconds of the call, and the child's peak RSS.

Cases (``--rows`` rows each, default :data:`~matcher.services.records.MAX_UPLOAD_ROWS`; with
``PYTHONPATH`` naming another checkout, that version is measured: before and after a change):

- ``bad ids``: every row has an invalid id (the issue #11 probe: an all-bad CSV);
- ``past the limit``: three times ``--rows`` bad rows (refused at the first record past
  the limit, before any row is validated);
- ``good, admin`` and ``good, council``: new organisations of one council, imported by an
  admin and by that council (whose ownership checks run over every row).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "PYTHONPATH" not in os.environ:  # else it names the checkout to measure (before/after a change)
    sys.path.insert(0, str(ROOT))

HEADER = "id,kind,name,council,country\n"


def _bad(n: int) -> bytes:
    return (HEADER + "".join(f"bad id {i},sme,X,bologna,IT\n" for i in range(n))).encode()


def _good(n: int) -> bytes:
    return (HEADER + "".join(f"sme-bench-{i},sme,Firm {i},bologna,IT\n" for i in range(n))).encode()


def _case(name: str, content: bytes, role: str, skip_invalid: bool, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from matcher.exceptions import ValidationError
    from matcher.services import records
    from matcher.services.access import Principal, Role
    from matcher.services.database import open_database
    from matcher.store import records as repo
    from matcher.store.db import transaction
    from tests.factories import mini_programme

    folder = tempfile.mkdtemp(prefix="cm-bench-import-")
    _, factory = open_database(f"sqlite:///{folder}/bench.db")
    with transaction(factory) as session:
        for entity, recs in mini_programme().items():
            repo.upsert(entity, recs, session=session)
    principal = Principal(Role.ADMIN) if role == "admin" else Principal(Role.COUNCIL, council="bologna")
    cpu, wall = time.process_time(), time.perf_counter()
    with factory() as session:
        try:
            result = records.import_upload(
                "organisations", content, "csv", principal, skip_invalid=skip_invalid, session=session
            )
            answer = f"200, {dict(result.counts)}, {len(result.rejected):,} rejected"
        except ValidationError as exc:
            count = len(getattr(exc, "errors", [exc]))
            answer = f"422, {count:,} errors; first: {str(exc)[:70]}"
        session.rollback()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({"case": name, "mb": len(content) / 1e6, "answer": answer, "cpu": cpu, "wall": wall, "rss": rss})


def main() -> None:
    from matcher.services import records

    limit = getattr(records, "MAX_UPLOAD_ROWS", None)  # None: a version from before the limit
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--rows", type=int, default=limit or 100_000, help="rows per file")
    args = p.parse_args()
    n = args.rows
    cases = [
        ("bad ids (skip_invalid)", _bad(n), "admin", True),
        ("past the limit", _bad(3 * n), "admin", False),
        ("good, admin", _good(n), "admin", False),
        ("good, council", _good(n), "council", False),
    ]
    print(
        f"code: {Path(records.__file__).parent.parent.parent}; rows per file: {n:,}; MAX_UPLOAD_ROWS = {limit}\n"
    )
    print("| case | file (MB) | answer | CPU (s) | wall (s) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    ctx = mp.get_context("spawn")
    for name, content, role, skip in cases:
        out = ctx.Queue()
        proc = ctx.Process(target=_case, args=(name, content, role, skip, out))
        proc.start()
        row = out.get()
        proc.join()
        print(f"| {row['case']} | {row['mb']:.1f} | {row['answer']} | {row['cpu']:.2f} | {row['wall']:.2f} | "
              f"{row['rss']:.0f} |", flush=True)  # fmt: skip
    print(json.dumps({"load_average": [round(x, 1) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
