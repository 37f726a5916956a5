"""The collaboration graph on the full CORDIS Horizon Europe table: import, stats, link prediction.

Run on demand, from the repository root::

    .venv/bin/python benchmarks/bench_graph.py [--file ../shared/data/cordis-he-participants/organization.csv.gz]

In a temporary SQLite database (nothing of ``var/`` is touched) it times:

1. ``import_cordis`` of every country (one transaction), and the idempotent re-run;
2. loading the graph from the store, and ``graph_stats`` with approximate betweenness
   (256 sampled sources; Louvain skipped above 200k pairs, timed separately);
3. top-10 Adamic-Adar link predictions for one organisation (the median of 50 queries over
   random organisations), against the baseline of networkx's own ``adamic_adar_index`` over
   the same organisation's unconnected pairs, in the same process.

Figures print as Markdown on stdout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--file", type=Path, default=Path("../shared/data/cordis-he-participants/organization.csv.gz")
    )
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--louvain", action="store_true", help="also time Louvain on the whole graph")
    args = parser.parse_args()

    from matcher.graph import LinkPredictor, communities, graph_stats, simple_graph
    from matcher.services.cordis import import_cordis
    from matcher.services.database import open_database
    from matcher.services.graph import load_graph
    from matcher.store.db import transaction

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        _, factory = open_database(f"sqlite:///{tmp}/bench.db")
        t, c = time.perf_counter(), time.process_time()
        with transaction(factory) as session:
            report = import_cordis(args.file, session=session, countries=None)
        rows.append(
            (
                "import-cordis, all countries (one transaction)",
                time.perf_counter() - t,
                time.process_time() - c,
            )
        )
        t, c = time.perf_counter(), time.process_time()
        with transaction(factory) as session:
            import_cordis(args.file, session=session, countries=None)
        rows.append(
            (
                "import-cordis again (idempotent: nothing written)",
                time.perf_counter() - t,
                time.process_time() - c,
            )
        )
        t, c = time.perf_counter(), time.process_time()
        with factory() as session:
            G = load_graph(session=session)
        rows.append(("load the graph from the store", time.perf_counter() - t, time.process_time() - c))
        t, c = time.perf_counter(), time.process_time()
        stats = graph_stats(G)
        rows.append(
            (
                "graph_stats (approximate betweenness, 256 sources)",
                time.perf_counter() - t,
                time.process_time() - c,
            )
        )
        S = simple_graph(G)
        t, c = time.perf_counter(), time.process_time()
        predictor = LinkPredictor().fit(S)
        rows.append(
            ("LinkPredictor.fit (sparse adjacency)", time.perf_counter() - t, time.process_time() - c)
        )
        rng = np.random.default_rng(0)
        connected = [n for n in S if S.degree(n) > 0]
        picks = [connected[i] for i in rng.choice(len(connected), size=args.queries, replace=False)]
        ours, base = [], []
        for org in picks:
            t, c = time.perf_counter(), time.process_time()
            top = predictor.top_k(org, 10)
            ours.append(time.perf_counter() - t)
        for org in picks[:5]:
            t, c = time.perf_counter(), time.process_time()
            pairs = [(org, v) for v in S if v != org and not S.has_edge(org, v)]
            ref = sorted(nx.adamic_adar_index(S, pairs), key=lambda x: -x[2])[:10]
            expected = [score for _, _, score in ref if score > 0]
            got = [score for _, score in predictor.top_k(org, 10)]
            assert np.allclose(expected, got), (org, expected, got)  # the same top-10 scores as networkx
            base.append(time.perf_counter() - t)
        if args.louvain:
            t, c = time.perf_counter(), time.process_time()
            found = communities(S, seed=0)
            rows.append(
                (
                    f"Louvain on the whole graph ({sum(len(m) > 1 for m in found)} communities)",
                    time.perf_counter() - t,
                    time.process_time() - c,
                )
            )

    print(f"- load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"- table: {report.rows:,} rows, {report.projects:,} projects; {report.organisations['created']:,} "
        f"organisations; {report.relationships_created:,} joint_eu_project relationships "
        f"({stats['edges']:,} connected pairs, {stats['components']:,} components, density {stats['density']:.2e})"
    )
    print("\n| step | wall s | CPU s |\n|---|---|---|")
    for name, s, cpu in rows:
        print(f"| {name} | {s:.1f} | {cpu:.1f} |")
    med, ref_med = statistics.median(ours) * 1000, statistics.median(base) * 1000
    print(f"| top-10 link predictions for one organisation, median of {len(ours)} | {med:.1f} ms | |")
    print(
        f"| baseline: networkx adamic_adar_index over its unconnected pairs, median of {len(base)} | {ref_med:.0f} ms | |"
    )
    print(f"\nsparse / networkx: {ref_med / med:.0f}x faster; last top-10: {top[:3]}")


if __name__ == "__main__":
    main()
