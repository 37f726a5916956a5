"""Real sentence embeddings for the search benchmarks, and a 1M-vector set mixed from them.

Real vectors (all-MiniLM-L6-v2 on the default ONNX int8 backend, 384-d, unit norm) of
every text we have on this machine:

* each DBLP document and query (title + abstract), whole, and each of its sentences
  (``../shared/data/expert-finding-dblp``);
* every distinct CORDIS Horizon Europe organisation name, and each distinct
  "name, city, country" line (``../shared/data/cordis-he-participants``).

Encoding a million real texts is beyond this machine (~2 hours), so the large set is
built from the real ones by **mixing**: each synthetic vector is a random convex
combination of 2 real vectors (weights Dirichlet(1, 1)) plus a small Gaussian jitter of
norm 0.05 in the span of the real set's top 64 principal directions, renormalised.
Mixtures stay inside the cone the real embeddings occupy, so they keep their
anisotropy (a few dominant directions, mean cosine far from 0) — the property that
decides how hard exact pruning and HNSW graphs find a data set — which isotropic noise
does not.  The queries are held-out real vectors (DBLP queries and a sample of real
texts never mixed into the base), so recall is measured on real query vectors.

Run once (cached)::

    .venv/bin/python benchmarks/real_vectors.py --out /tmp/real-vectors.npz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
SHARED = next(
    (p / "shared" / "data" for p in (_REPO.parent, _REPO.parent.parent) if (p / "shared" / "data").is_dir()),
    _REPO.parent / "shared" / "data",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def real_texts(shared: Path = SHARED) -> tuple[list[str], list[str]]:
    """(corpus texts, query texts): distinct real texts from the shared data sets."""
    corpus: dict[str, None] = {}
    dblp = shared / "expert-finding-dblp"
    with (dblp / "profiles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for doc in json.loads(line)["documents"]:
                corpus[doc["text"]] = None
                for s in _SENTENCE.split(doc["text"]):
                    if len(s.split()) >= 4:
                        corpus[s] = None
    queries = [json.loads(line)["text"] for line in (dblp / "challenges.jsonl").open(encoding="utf-8")]
    with gzip.open(shared / "cordis-he-participants" / "organization.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = " ".join((row.get("name") or "").split())
            if name:
                corpus[name] = None
                corpus[f"{name}, {row.get('city') or ''}, {row.get('country') or ''}"] = None
    return [t for t in corpus if t not in set(queries)], queries


def mixed(real: np.ndarray, n: int, *, seed: int = 0, jitter: float = 0.05) -> np.ndarray:
    """``n`` unit vectors mixed from ``real`` (see the module docstring), float32."""
    rng = np.random.default_rng(seed)
    mean = real.mean(axis=0)
    _, _, vt = np.linalg.svd(real[: min(len(real), 20_000)] - mean, full_matrices=False)
    basis = vt[:64].astype(np.float32)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    for s in range(0, n, 100_000):
        m = min(100_000, n - s)
        a, b = rng.integers(0, len(real), m), rng.integers(0, len(real), m)
        w = rng.dirichlet((1.0, 1.0), m).astype(np.float32)
        x = w[:, :1] * real[a] + w[:, 1:] * real[b]
        noise = rng.standard_normal((m, basis.shape[0]), dtype=np.float32) @ basis
        noise *= jitter / np.linalg.norm(noise, axis=1, keepdims=True)
        x += noise
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[s : s + m] = x
    return out


def load_or_build(
    path: Path, *, threads: int = 2, held_out: int = 1000, seed: int = 0
) -> dict[str, np.ndarray]:
    """``{"base": real corpus vectors, "queries": held-out real vectors}``, cached in ``path``."""
    path = Path(path)
    if path.exists():
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    from matcher.embeddings import OnnxInt8Encoder

    corpus, queries = real_texts()
    print(f"embedding {len(corpus):,} corpus and {len(queries)} query texts ...", file=sys.stderr, flush=True)
    t = time.perf_counter()
    enc = OnnxInt8Encoder(threads=threads, cache_dir=path.parent / "onnx")
    vecs = enc.encode(corpus + queries, progress=True)
    print(f"embedded in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(corpus))
    held, kept = order[:held_out], order[held_out:]
    out = {
        "base": vecs[: len(corpus)][kept],
        "queries": np.concatenate([vecs[len(corpus) :], vecs[: len(corpus)][held]]),
    }
    np.savez(path, **out)
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("/tmp/real-vectors.npz"))
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    v = load_or_build(a.out, threads=a.threads)
    print({k: x.shape for k, x in v.items()})
