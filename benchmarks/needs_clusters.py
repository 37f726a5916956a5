"""Needs clustering on real text: NMI and ARI against the 7 expertise topics of the DBLP queries.

Run on demand, from the repository root::

    .venv/bin/python benchmarks/needs_clusters.py                     # real MiniLM, onnx-int8
    .venv/bin/python benchmarks/needs_clusters.py --seeds 10 --backend torch

The 114 queries of ``../shared/data/expert-finding-dblp`` each have a topic, but the file
holds only ``id`` and ``text``; the topic is recovered from ``qrels.trec``: a researcher is
relevant to a query when one of their labels is the query's topic, so all queries of one topic
share one relevant set.  The 7 most common relevant sets are the 7 topics (105 queries);
the 9 queries whose relevant set is a union of two or three topics' sets carry several
labels and are clustered but not scored.

Compared in one process, over ``--seeds`` seeds: k-means told k = 7 (``n_init=10``, the
issue's baseline) and the needs clustering (:func:`matcher.needs.cluster_needs`, k chosen by
the method).  Prints Markdown on stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from matcher.config import load_settings
from matcher.embeddings import make_encoder
from matcher.needs import ConsensusClustering

_ROOT = Path(__file__).resolve().parents[1]
# ../shared from a clone beside it (/work/main), ../../shared from a worktree (/work/wt/NAME)
DATA = next(
    (p / "shared" / "data" / "expert-finding-dblp" for p in (_ROOT.parent, _ROOT.parent.parent)
     if (p / "shared" / "data" / "expert-finding-dblp").is_dir()),
    _ROOT.parent / "shared" / "data" / "expert-finding-dblp",
)  # fmt: skip


def topics(data: Path) -> tuple[list[str], list[str], np.ndarray]:
    """Ids, texts and topic index (-1 for multi-topic queries) of the DBLP queries."""
    rows = [json.loads(line) for line in (data / "challenges.jsonl").read_text().splitlines() if line.strip()]
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in (data / "qrels.trec").read_text().splitlines():
        qid, _, doc, value = line.split()
        if int(value) > 0:
            relevant[qid].add(doc)
    sets = [s for s, _ in Counter(frozenset(s) for s in relevant.values()).most_common(7)]
    labels = np.array([sets.index(frozenset(relevant[r["id"]])) if frozenset(relevant[r["id"]]) in sets else -1
                       for r in rows])  # fmt: skip
    return [r["id"] for r in rows], [r["text"] for r in rows], labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--backend", default=None, help="onnx-int8 (default setting) or torch")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    settings = load_settings()
    backend = args.backend or settings.embedding_backend
    cache = args.cache or settings.resolved_cache_path
    cache.parent.mkdir(parents=True, exist_ok=True)
    encoder = make_encoder(
        settings.embedding_model, backend, threads=settings.embedding_threads, cache_path=cache
    )
    _, texts, labels = topics(args.data)
    scored = labels >= 0
    print(f"embedding {len(texts)} queries with {encoder.model_id}", file=sys.stderr)
    X = encoder.encode(texts)

    def score(pred: np.ndarray) -> tuple[float, float]:
        return (normalized_mutual_info_score(labels[scored], pred[scored]),
                adjusted_rand_score(labels[scored], pred[scored]))  # fmt: skip

    rows = {}
    for name in ("k-means, told k = 7", "needs clustering (k from the data)"):
        nmi, ari, ks, secs = [], [], [], []
        for seed in range(args.seeds):
            t0 = time.perf_counter()
            if name.startswith("k-means"):
                pred = KMeans(7, n_init=10, random_state=seed).fit_predict(X)
            else:
                pred = ConsensusClustering(random_state=seed).fit_predict(X)
            secs.append(time.perf_counter() - t0)
            a, b = score(pred)
            nmi.append(a)
            ari.append(b)
            ks.append(len(set(pred.tolist())))
        rows[name] = (nmi, ari, ks, secs)

    print(f"\n{int(scored.sum())} single-topic queries of {len(texts)} scored; model {encoder.model_id}; "
          f"seeds 0..{args.seeds - 1}\n")  # fmt: skip
    print("| method | NMI mean (min–max) | ARI mean (min–max) | clusters | seconds per run |")
    print("|---|---|---|---|---|")
    for name, (nmi, ari, ks, secs) in rows.items():
        print(f"| {name} | {statistics.mean(nmi):.3f} ({min(nmi):.3f}–{max(nmi):.3f}) | "
              f"{statistics.mean(ari):.3f} ({min(ari):.3f}–{max(ari):.3f}) | "
              f"{min(ks)}–{max(ks)} (median {statistics.median(ks):g}) | {statistics.mean(secs):.2f} |")  # fmt: skip
    base, ours = rows["k-means, told k = 7"], rows["needs clustering (k from the data)"]
    print(f"\nratio vs baseline: NMI x{statistics.mean(ours[0]) / statistics.mean(base[0]):.2f}, "
          f"ARI x{statistics.mean(ours[1]) / statistics.mean(base[1]):.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
