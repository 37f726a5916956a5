"""Sweep hybrid-softmax's lexical weight and temperature on the demo benchmark's DEV split.

Prints dev nDCG@10 per match type and their mean: the table in docs/ranking.md that chose
the product's single default setting.  The test split is never read here.

    MATCHER_VAR_DIR=var .venv/bin/python benchmarks/sweep_defaults.py

(the demo programme under $MATCHER_VAR_DIR/demo is generated when missing; vectors come from
the embedding cache, so a second run embeds nothing).
"""

from __future__ import annotations

from evaluation.builtin import benchmark_inputs
from evaluation.metrics import evaluate_run
from evaluation.split import split_queries
from matcher.config import load_settings

WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
TEMPERATURES = (0.5, 1.0)


def main() -> None:
    challenges, profiles, qrels, rank, _methods, _grid, _model = benchmark_inputs(
        None, load_settings().var_dir
    )
    dev, _test = split_queries(challenges, dev_fraction=0.5, seed=13)
    dev_set = set(dev)
    print("lexical_weight temperature " + " ".join(qrels) + " mean")
    for weight in WEIGHTS:
        for tau in TEMPERATURES:
            row = []
            for match_type, judged in qrels.items():
                dev_qrels = {q: docs for q, docs in judged.items() if q in dev_set}
                run = rank("hybrid-softmax", list(dev_qrels), profiles,
                           settings={"lexical_weight": weight, "temperature": tau}, match_type=match_type)  # fmt: skip
                row.append(evaluate_run(dev_qrels, run, ["ndcg@10", "map"]).mean["ndcg@10"])
            print(weight, tau, " ".join(f"{x:.4f}" for x in row), f"{sum(row) / len(row):.4f}")


if __name__ == "__main__":
    main()
