"""What a fitted ProgrammeMatcher holds in memory, part by part, on a loaded demo database.

Run on demand, from the repository root, on a folder that ``benchmarks/bench_api.py --data
DIR`` generated and loaded (``DIR/matcher.db``; the embedding cache ``DIR/embeddings.sqlite``
is reused, so with the fake encoder nothing needs embedding twice)::

    .venv/bin/python benchmarks/bench_memory.py --data /tmp/cm-bench-api-10k
    .venv/bin/python benchmarks/bench_memory.py --data /tmp/cm-bench-api-96 --tracemalloc

It opens the database, imports the libraries the fit imports on first use (scipy and
stopwordsiso; the fit no longer imports scikit-learn or pandas, so this step imports neither:
before the in-house TF-IDF it imported both, about 100 MB), optionally traces the peak of one
``load_corpus`` (``--tracemalloc``: Python allocations only, several times slower), then fits
a ProgrammeMatcher in this process exactly as the server's warm-up does
(``make_programme_matcher(settings)`` then ``ensure_fresh``) and prints, as Markdown:

- the process RSS after each step, the last one after glibc's ``malloc_trim(0)`` (which the
  server does not call): the difference is heap that is free but still held;
- the bytes of every attribute of the fitted matcher, and of the attributes inside them
  down to ``--depth`` levels: numpy arrays and scipy sparse matrices by their buffers,
  Python objects by ``sys.getsizeof`` of everything they reach.  An object reached twice
  (the explainer and the ranker share the document arrays) is counted where it is first
  met, in the order printed.  The encoders are included (their caches and, for a real
  backend, the Python side of the model; weights held by torch or onnxruntime outside
  Python objects are not seen).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SKIP: set[str] = set()  # attribute names left out of the breakdown


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--data", type=Path, required=True, help="folder with matcher.db (bench_api.py --data)")
    p.add_argument("--backend", default="fake", choices=["fake", "torch", "onnx-int8"])
    p.add_argument("--tracemalloc", action="store_true", help="trace the peak of load_corpus (slow)")
    p.add_argument("--depth", type=int, default=3, help="levels of attributes to break down")
    p.add_argument("--min-mb", type=float, default=0.5, help="hide parts smaller than this")
    return p.parse_args()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(obj: Any) -> Iterator[tuple[str, Any]]:
    """The named parts of an object worth breaking down (attributes, dataclass fields)."""
    if isinstance(obj, dict):
        return
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield f.name, getattr(obj, f.name)
        return
    if hasattr(obj, "__dict__") and not isinstance(obj, (type, types.ModuleType)):
        yield from vars(obj).items()
    for name in getattr(type(obj), "__slots__", ()):
        if hasattr(obj, name):
            yield name, getattr(obj, name)


def deep_size(obj: Any, seen: set[int]) -> int:
    """Bytes reachable from ``obj`` that ``seen`` does not hold yet (``seen`` is updated)."""
    import scipy.sparse as sp

    total, stack = 0, [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, (type, types.ModuleType, types.FunctionType, types.MethodType)):
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            if o.base is None:
                total += o.nbytes
            else:
                stack.append(o.base)  # a view: the buffer it shares, counted once
            if o.dtype == object:
                stack.extend(o.ravel().tolist())
            continue
        if sp.issparse(o):
            stack.extend(getattr(o, a) for a in ("data", "indices", "indptr", "row", "col") if hasattr(o, a))
            continue
        total += sys.getsizeof(o)
        if isinstance(o, (str, bytes, int, float, bool, complex)) or o is None:
            continue
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        else:
            if hasattr(o, "__dict__"):
                stack.append(vars(o))
            for name in getattr(type(o), "__slots__", ()):
                if hasattr(o, name):
                    stack.append(getattr(o, name))
    return total


def describe(obj: Any) -> str:
    import scipy.sparse as sp

    if isinstance(obj, np.ndarray):
        return f"ndarray {obj.dtype} {obj.shape}"
    if sp.issparse(obj):
        return f"{type(obj).__name__} {obj.shape}, {obj.nnz:,} non-zeros"
    if isinstance(obj, (list, tuple, dict, set, frozenset)):
        first = next(iter(obj), None)
        inner = f" of {type(first).__name__}" if first is not None else ""
        return f"{type(obj).__name__}{inner}, {len(obj):,} items"
    return type(obj).__name__


def breakdown(
    obj: Any, seen: set[int], depth: int, prefix: str = ""
) -> tuple[list[tuple[str, int, str]], int]:
    """Rows ``(dotted name, bytes, what)`` of ``obj``'s parts and their parts; and their total."""
    rows: list[tuple[str, int, str]] = []
    total = 0
    for name, part in children(obj):
        if name in SKIP or id(part) in seen:
            continue
        sub: list[tuple[str, int, str]] = []
        sub_total = 0
        if depth > 1 and not isinstance(part, (np.ndarray, list, tuple, dict, str)):
            sub, sub_total = breakdown(part, seen, depth - 1, f"{prefix}{name}.")  # its parts first
        size = deep_size(part, seen) + sub_total  # what is left of it, plus its parts
        rows.append((f"{prefix}{name}", size, describe(part)))
        rows += sub
        total += size
    return rows, total


def main() -> None:
    args = _parse()
    data = args.data.resolve()
    if not (data / "matcher.db").exists():
        raise SystemExit(
            f"{data / 'matcher.db'} not found: run benchmarks/bench_api.py --data {args.data} first"
        )
    os.environ.setdefault("MATCHER_ENV", "development")
    os.environ.setdefault("MATCHER_VAR_DIR", str(data))
    os.environ["MATCHER_DATABASE_URL"] = f"sqlite:///{data / 'matcher.db'}"
    os.environ.setdefault("MATCHER_CACHE_PATH", str(data / "embeddings.sqlite"))
    os.environ["MATCHER_EMBEDDING_BACKEND"] = args.backend
    os.environ.setdefault("MATCHER_EMBEDDING_THREADS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    sys.path.insert(0, str(ROOT))

    from matcher.config import load_settings
    from matcher.services.database import open_database
    from matcher.services.engine import make_programme_matcher
    from matcher.store import corpus as corpus_store

    settings = load_settings()
    _, factory = open_database(settings.resolved_database_url)
    steps: list[tuple[str, float, str]] = [("matcher imported, database open", rss_mb(), "")]
    import scipy.sparse  # noqa: F401  the libraries the fit imports on first use, here so that
    import stopwordsiso  # noqa: F401  the later steps show data rather than code

    steps.append(("scipy, stopwordsiso imported (what the fit imports)", rss_mb(), ""))

    with factory() as session:
        t0 = time.perf_counter()
        if args.tracemalloc:
            import tracemalloc

            tracemalloc.start()
            corpus = corpus_store.load_corpus(session=session)
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            note = f"traced: {peak / 2**20:,.0f} MB peak, {current / 2**20:,.0f} MB kept (the Corpus)"
        else:
            corpus = corpus_store.load_corpus(session=session)
            note = ""
        load_s = time.perf_counter() - t0
        n_profiles, n_docs = len(corpus.candidates), len(corpus.documents)
        corpus_mb = deep_size(corpus, set()) / 2**20
        steps.append((f"load_corpus ({load_s:.0f} s; the Corpus holds {corpus_mb:,.0f} MB)", rss_mb(), note))
        del corpus
        gc.collect()
        steps.append(("Corpus dropped", rss_mb(), ""))

        matcher = make_programme_matcher(settings)
        t1 = time.perf_counter()
        matcher.ensure_fresh(session=session)
        fit_s = time.perf_counter() - t1
    gc.collect()
    steps.append((f"ProgrammeMatcher fitted ({fit_s:.0f} s, load_corpus included)", rss_mb(), ""))
    try:  # glibc keeps freed heap for reuse; how much of the RSS is that?
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        steps.append(
            ("after malloc_trim(0) (freed heap handed back)", rss_mb(), "glibc only; not done by the server")
        )
    except (OSError, AttributeError):
        pass

    seen: set[int] = set()
    rows, top = breakdown(matcher, seen, args.depth)

    print(f"## bench_memory: {data}, backend={args.backend}\n")
    print(
        f"- {n_profiles:,} profiles with documents, {n_docs:,} documents; model {matcher.encoder.model_id}\n"
    )
    print("| step | process RSS (MB) | note |")
    print("|---|---|---|")
    for step, mb, note in steps:
        print(f"| {step} | {mb:,.0f} | {note} |")
    print(f"\nWhat the fitted matcher holds: {top / 2**20:,.1f} MB in all (parts under {args.min_mb} MB hidden; "
          "an indented name is a part of the one above, already included in it)\n")  # fmt: skip
    print("| part | MB | what |")
    print("|---|---|---|")
    for name, n, what in rows:
        if n < args.min_mb * 2**20:
            continue
        depth = name.count(".")
        label = ("&nbsp;&nbsp;" * depth) + f"`{name}`"
        print(f"| {label} | {n / 2**20:,.1f} | {what} |")


if __name__ == "__main__":
    main()
