"""Sweep one method's settings on the DEV splits of the demo and of every real data set.

Prints dev nDCG@10 per match type and the rule that chooses the product's single default
setting: the mean over data sets of the mean dev score of each data set's match types
(:func:`evaluation.benchmark.dataset_rule`).  The test splits are never read here.

    MATCHER_VAR_DIR=var .venv/bin/python benchmarks/sweep_defaults.py [METHOD]

METHOD defaults to the product's ``DEFAULT_METHOD``; its grid is ``evaluation.builtin.SETTINGS_GRID``.
The demo programme under $MATCHER_VAR_DIR/demo is generated when missing and the shipped real
data sets (``data/``) are read; vectors come from the embedding cache, so a second run embeds
nothing.
"""

from __future__ import annotations

import sys

from evaluation.benchmark import dataset_rule
from evaluation.builtin import load_benchmark
from evaluation.corpora import shipped_datasets
from evaluation.metrics import evaluate_run
from evaluation.split import split_queries
from matcher.config import load_settings
from matcher.ranking import DEFAULT_METHOD


def main() -> None:
    method = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_METHOD
    b = load_benchmark(None, load_settings().var_dir, datasets=shipped_datasets())
    types = sorted(b.qrels_by_type)
    print(f"{method}: dev nDCG@10; rule = mean over data sets of the mean over their types")
    print("settings | " + " | ".join(types) + " | rule")
    for settings in b.settings_grid.get(method, [{}]):
        row = {}
        for match_type in types:
            queries = b.query_sets.get(match_type, b.challenges)
            dev, _test = split_queries(queries, dev_fraction=0.5, seed=13)
            dev_qrels = {q: docs for q, docs in b.qrels_by_type[match_type].items() if q in set(dev)}
            run = b.rank(method, list(dev_qrels), b.profiles, settings=settings, match_type=match_type)
            row[match_type] = evaluate_run(dev_qrels, run, ["ndcg@10", "map"]).mean["ndcg@10"]
        cells = " | ".join(f"{row[t]:.4f}" for t in types)
        print(f"{settings} | {cells} | {dataset_rule(row, b.datasets):.4f}")


if __name__ == "__main__":
    main()
