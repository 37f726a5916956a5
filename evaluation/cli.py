"""``matcher evaluate``: offline match-quality evaluation from the command line.

Commands::

    matcher evaluate run --qrels Q --run R [--run R2 ...] [--metrics ...] [--out DIR]
                         [--bootstrap N] [--seed S] [--test student|fisher]
                         [--query-languages F --doc-languages F] [--item-groups F] [--k K]
    matcher evaluate --qrels Q --run R ...      (the same as ``evaluate run``)
    matcher evaluate pairwise --ratings R.tsv --run RUN [--transpose]
    matcher evaluate benchmark [--out DIR] [--data DIR] [--methods a,b] [--bootstrap N]

``matcher evaluate run`` is the canonical spelling; ``matcher evaluate --qrels ...``
(the group's own options, no subcommand) is accepted as a shorthand and does exactly
the same.  Invalid input raises :class:`~matcher.exceptions.ValidationError`, which the
``matcher`` entry point turns into exit code 2 and a one-line message.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Any

import typer

from matcher.exceptions import Location, ValidationError
from matcher.formats.trec import read_qrels, read_run

from .io import read_mapping, read_ratings, read_run_metadata
from .metrics import DEFAULT_METRICS, parse_metrics

DEFAULT_OUT = Path("var/evaluation")
_RUN_SUFFIXES = {".trec", ".run", ".txt", ".tsv", ".json"}

QrelsOpt = Annotated[
    Path | None, typer.Option("--qrels", help="Judgements: TREC qrels or JSON {query: {doc: grade}}.")
]
RunOpt = Annotated[
    list[Path] | None,
    typer.Option("--run", help="A run (TREC run or JSON); repeat for several. The first is the baseline."),
]
MetricsOpt = Annotated[
    str, typer.Option("--metrics", help="Comma-separated: ndcg, map, mrr, recall, precision[@k].")
]
OutOpt = Annotated[Path, typer.Option("--out", help="Directory for report.md, report.html and the plots.")]
BootstrapOpt = Annotated[int, typer.Option("--bootstrap", min=1, help="Bootstrap resamples of the queries.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the bootstrap and the randomisation test.")]
TestOpt = Annotated[
    str,
    typer.Option(
        "--test", help="Significance test: student (paired t-test, ranx) or fisher (randomisation)."
    ),
]
QueryLangOpt = Annotated[
    Path | None, typer.Option("--query-languages", help="Two columns: query_id language.")
]
DocLangOpt = Annotated[Path | None, typer.Option("--doc-languages", help="Two columns: doc_id language.")]
GroupsOpt = Annotated[
    Path | None, typer.Option("--item-groups", help="Two columns: doc_id group (council, org type, size).")
]
KOpt = Annotated[int, typer.Option("--k", min=1, help="Cut-off for coverage and exposure.")]


def _run_name(path: Path, taken: set[str]) -> str:
    name = path.name
    while Path(name).suffix.lower() in _RUN_SUFFIXES:
        name = name[: -len(Path(name).suffix)]
    name = name or "run"
    unique, i = name, 2
    while unique in taken:
        unique, i = f"{name}-{i}", i + 1
    taken.add(unique)
    return unique


def _command(parts: list[tuple[str, Any]], head: str) -> str:
    args = shlex.split(head)
    for flag, value in parts:
        if value is None or value is False:
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            args += [flag] if v is True else [flag, str(v)]
    return shlex.join(args)


def evaluate_files(
    *,
    qrels: Path,
    runs: list[Path],
    metrics: str = ",".join(DEFAULT_METRICS),
    out: Path = DEFAULT_OUT,
    bootstrap: int = 1000,
    seed: int = 0,
    test: str = "student",
    query_languages: Path | None = None,
    doc_languages: Path | None = None,
    item_groups: Path | None = None,
    k: int = 10,
) -> Path:
    """Load files, print the table and write the report; returns the report directory."""
    from .report import build_report

    metric_names = parse_metrics(metrics)
    if test not in {"fisher", "student"}:
        raise ValidationError(f"unknown test {test!r}; use fisher or student", Location(field="--test"))
    if not runs:
        raise ValidationError("give at least one --run", Location(field="--run"))
    if (query_languages is None) != (doc_languages is None):
        raise ValidationError(
            "--query-languages and --doc-languages go together", Location(field="--doc-languages")
        )
    judged = read_qrels(qrels)
    taken: set[str] = set()
    loaded, metadata = {}, {}
    for path in runs:
        name = _run_name(path, taken)
        loaded[name] = read_run(path, query_ids=set(judged))
        metadata[name] = read_run_metadata(path)
    command = _command(
        [
            ("--qrels", qrels),
            ("--run", list(runs)),
            ("--metrics", ",".join(metric_names)),
            ("--out", out),
            ("--bootstrap", bootstrap),
            ("--seed", seed),
            ("--test", test),
            ("--query-languages", query_languages),
            ("--doc-languages", doc_languages),
            ("--item-groups", item_groups),
            ("--k", k),
        ],
        "matcher evaluate run",
    )
    build_report(
        judged,
        loaded,
        out_dir=out,
        command=command,
        metrics=metric_names,
        metadata=metadata,
        query_languages=read_mapping(query_languages, field="language") if query_languages else None,
        doc_languages=read_mapping(doc_languages, field="language") if doc_languages else None,
        item_groups=read_mapping(item_groups, field="group") if item_groups else None,
        n_resamples=bootstrap,
        seed=seed,
        test=test,
        k=k,
    )
    return out


def _build_app() -> typer.Typer:
    app = typer.Typer(
        name="evaluate",
        help="Evaluate match quality offline: metrics with confidence intervals, comparisons, reports.",
        add_completion=False,
    )

    @app.callback(invoke_without_command=True)
    def evaluate_group(
        ctx: typer.Context,
        qrels: QrelsOpt = None,
        run: RunOpt = None,
        metrics: MetricsOpt = ",".join(DEFAULT_METRICS),
        out: OutOpt = DEFAULT_OUT,
        bootstrap: BootstrapOpt = 1000,
        seed: SeedOpt = 0,
        test: TestOpt = "student",
        query_languages: QueryLangOpt = None,
        doc_languages: DocLangOpt = None,
        item_groups: GroupsOpt = None,
        k: KOpt = 10,
    ) -> None:
        """Evaluate match quality. `matcher evaluate --qrels Q --run R` is short for `evaluate run`."""
        if ctx.invoked_subcommand is not None:
            if qrels is not None or run:
                raise typer.BadParameter("put --qrels/--run after the subcommand name")
            return
        if qrels is None:
            typer.echo(ctx.get_help())
            raise typer.Exit(0 if run is None else 2)
        evaluate_files(
            qrels=qrels,
            runs=list(run or []),
            metrics=metrics,
            out=out,
            bootstrap=bootstrap,
            seed=seed,
            test=test,
            query_languages=query_languages,
            doc_languages=doc_languages,
            item_groups=item_groups,
            k=k,
        )

    @app.command("run")
    def run_command(
        qrels: Annotated[Path, typer.Option("--qrels", help="Judgements: TREC qrels or JSON.")],
        run: Annotated[
            list[Path], typer.Option("--run", help="A run; repeat for several. First is baseline.")
        ],
        metrics: MetricsOpt = ",".join(DEFAULT_METRICS),
        out: OutOpt = DEFAULT_OUT,
        bootstrap: BootstrapOpt = 1000,
        seed: SeedOpt = 0,
        test: TestOpt = "student",
        query_languages: QueryLangOpt = None,
        doc_languages: DocLangOpt = None,
        item_groups: GroupsOpt = None,
        k: KOpt = 10,
    ) -> None:
        """Score runs against qrels; print the table and write DIR/report.md and report.html."""
        evaluate_files(
            qrels=qrels,
            runs=run,
            metrics=metrics,
            out=out,
            bootstrap=bootstrap,
            seed=seed,
            test=test,
            query_languages=query_languages,
            doc_languages=doc_languages,
            item_groups=item_groups,
            k=k,
        )

    @app.command("pairwise")
    def pairwise_command(
        ratings: Annotated[
            Path, typer.Option("--ratings", help="Three columns: profile_id challenge_id rating.")
        ],
        run: Annotated[Path, typer.Option("--run", help="Run whose query ids are profile ids.")],
        transpose: Annotated[
            bool,
            typer.Option("--transpose", help="The run is keyed by challenge (query) then profile (doc)."),
        ] = False,
    ) -> None:
        """Weighted pairwise ordering loss of a run against graded ratings (0 perfect, 0.5 uninformative)."""
        from rich.console import Console
        from rich.table import Table

        from .pairwise import weighted_pairwise_loss

        rated = read_ratings(ratings)
        scores = read_run(run)
        if transpose:
            flipped: dict[str, dict[str, float]] = {}
            for challenge_id, docs in scores.items():
                for profile_id, score in docs.items():
                    flipped.setdefault(profile_id, {})[challenge_id] = score
            scores = flipped
        if not set(rated) & set(scores):
            hint = "" if transpose else " (is the run keyed by challenge? use --transpose)"
            raise ValidationError(
                f"no profile of the ratings appears in the run{hint}", Location(str(run), None, "query_id")
            )
        result = weighted_pairwise_loss(rated, scores)
        table = Table(title=f"Weighted pairwise ordering loss: {run}")
        for column in ("loss", "pairs", "pairs without a score (ties)", "profiles", "total weight"):
            table.add_column(column)
        table.add_row(
            f"{result.loss:.4f}",
            str(result.n_pairs),
            str(result.n_missing),
            str(len(result.per_profile)),
            f"{result.total_weight:g}",
        )
        Console().print(table)

    @app.command("benchmark")
    def benchmark_command(
        out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("var/benchmark"),
        data: Annotated[
            Path | None, typer.Option("--data", help="Demo programme directory (default: generate it).")
        ] = None,
        methods: Annotated[
            str | None, typer.Option("--methods", help="Comma-separated ranking methods (default: all).")
        ] = None,
        bootstrap: BootstrapOpt = 1000,
        seed: SeedOpt = 0,
        split_seed: Annotated[int, typer.Option("--split-seed", help="Seed of the dev/test split.")] = 13,
        dataset: Annotated[
            list[Path] | None,
            typer.Option(
                "--dataset",
                help="A real data set folder in the `matcher rank` contract (challenges.jsonl, "
                "profiles.jsonl, qrels.trec); repeat for several. Default: the shipped data/expert-finding-dblp.",
            ),
        ] = None,
        no_datasets: Annotated[
            bool, typer.Option("--no-datasets", help="Demo only: no real data set.")
        ] = False,
        no_demo: Annotated[
            bool, typer.Option("--no-demo", help="Real data sets only: skip the demo.")
        ] = False,
    ) -> None:
        """Run every built-in ranking method on the demo and real data sets; choose on dev, report test.

        Each method gets one setting for every data set, chosen on dev by the rule "mean over data
        sets of the mean dev nDCG@10 of each data set's match types"; benchmark.md names the method
        the rule ranks first.
        """
        from rich.console import Console

        from matcher.config import load_settings

        from .benchmark import run_benchmark, write_benchmark

        settings = load_settings()
        data = data or settings.var_dir / "demo"  # resolved, so the printed command names it
        from .corpora import shipped_datasets

        folders = [] if no_datasets else list(dataset or shipped_datasets())
        b = _real_benchmark_inputs(None if no_demo else data, folders)
        challenges, profiles, qrels_by_type, rank, all_methods, grid, model = (
            b.challenges, b.profiles, b.qrels_by_type, b.rank, b.methods, b.settings_grid, b.model
        )  # fmt: skip
        chosen = [m.strip() for m in methods.split(",") if m.strip()] if methods else list(all_methods)
        unknown = sorted(set(chosen) - set(all_methods))
        if unknown:
            raise ValidationError(
                f"unknown method(s) {', '.join(unknown)}; known: {', '.join(all_methods)}",
                Location(field="--methods"),
            )
        result = run_benchmark(
            challenges, profiles, qrels_by_type, rank, methods=chosen, settings_grid=grid, seed=split_seed,
            query_sets=b.query_sets, datasets=b.datasets,
        )  # fmt: skip
        command = _command(
            [
                ("--out", out),
                ("--data", data),
                ("--methods", ",".join(chosen)),
                ("--bootstrap", bootstrap),
                ("--seed", seed),
                ("--split-seed", split_seed),
                *[("--dataset", f) for f in folders],
                ("--no-datasets", no_datasets),
                ("--no-demo", no_demo),
            ],
            f"MATCHER_EMBEDDING_BACKEND={settings.embedding_backend} matcher evaluate benchmark",
        )
        paths = write_benchmark(
            result, out, command=command, model=model, n_resamples=bootstrap, seed=seed, console=Console(),
            report_options={} if no_demo else _demo_report_options(data),
        )  # fmt: skip
        typer.echo(f"benchmark written to {paths['benchmark']}")
        if (data / "ground_truth" / "training.qrels").exists():  # issue 14: training suggestions
            from .training_benchmark import report_training_benchmark

            report_training_benchmark(data, out, n_resamples=bootstrap, seed=seed)

    from .graph_cli import add_graph_command

    add_graph_command(app)
    return app


def _demo_report_options(data: Path | None) -> dict[str, Any]:
    """Languages and councils of the demo programme for the reports, when its files are there."""
    from matcher.config import load_settings

    from .annotations import demo_annotations

    folder = data or load_settings().var_dir / "demo"
    return demo_annotations(folder) if (folder / "profiles.jsonl").exists() else {}


def _real_benchmark_inputs(data: Path | None, datasets: list[Path]) -> Any:
    """The demo programme (``data=None``: none), real data sets and the ranking package (:mod:`evaluation.builtin`)."""
    from matcher.config import load_settings

    from .builtin import load_benchmark

    return load_benchmark(data, load_settings().var_dir, datasets=datasets, demo=data is not None)


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` sub-app to the ``matcher`` command line (idempotent)."""
    if any(group.name == "evaluate" for group in app.registered_groups):
        return
    app.add_typer(_build_app(), name="evaluate")
