"""``matcher evaluate graph``: time-split link prediction on the demo and on CORDIS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def add_graph_command(app: typer.Typer) -> None:
    @app.command("graph")
    def graph_command(
        out: Annotated[
            Path, typer.Option("--out", help="Directory for report.md and graph_evaluation.json")
        ] = Path("var/evaluation-graph"),
        database_url: Annotated[
            list[str] | None,
            typer.Option(
                "--database-url", help="Programme(s) to evaluate (repeat); default MATCHER_DATABASE_URL"
            ),
        ] = None,
        weight: Annotated[
            float | None,
            typer.Option("--weight", min=0, max=1, help="Blend weight; default MATCHER_GRAPH_WEIGHT"),
        ] = None,
        train_share: Annotated[float, typer.Option("--train-share", min=0.1, max=0.95)] = 0.8,
        max_queries: Annotated[int, typer.Option("--max-queries", min=10)] = 300,
        bootstrap: Annotated[int, typer.Option("--bootstrap", min=1)] = 1000,
        seed: Annotated[int, typer.Option("--seed")] = 0,
    ) -> None:
        """Ties before T predict the new ties after T: content, graph and blended (nDCG@10, recall@20, AUC)."""
        from matcher.config import load_settings
        from matcher.exceptions import ValidationError

        from .graph_eval import evaluate_ties, store_ties, write_graph_evaluation

        settings = load_settings()
        urls = database_url or [settings.resolved_database_url]
        w = settings.graph_weight if weight is None else weight
        results = {}
        for url in urls:
            ties, texts, countries = store_ties(url)
            if len(ties) < 20:
                raise ValidationError(f"{url}: only {len(ties)} dated organisation ties; nothing to split")
            typer.echo(f"{url}: {len(ties)} ties ...", err=True)
            results[url] = evaluate_ties(ties, texts, countries, weight=w, train_share=train_share,
                                         max_queries=max_queries, seed=seed, n_resamples=bootstrap)  # fmt: skip
        args = " ".join(f"--database-url {u}" for u in urls)
        command = (f"matcher evaluate graph --out {out} {args} --weight {w} --train-share {train_share} "
                   f"--max-queries {max_queries} --bootstrap {bootstrap} --seed {seed}")  # fmt: skip
        path = write_graph_evaluation(results, out, command=command)
        typer.echo(path.read_text(encoding="utf-8"))
