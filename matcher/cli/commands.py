"""Core commands: database, import/export, demo data, stats, erasure, serve."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from matcher.config import load_settings
from matcher.exceptions import InvalidInputError, Location

err = Console(stderr=True, soft_wrap=True)
out = Console(width=max(Console().width, 120))

DbOption = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL; default MATCHER_DATABASE_URL or var/matcher.db"),
]


def _db(url: str | None, *, initialise: bool = True):  # type: ignore[no-untyped-def]
    from matcher.services.database import open_database

    settings = load_settings()
    return open_database(url or settings.resolved_database_url, initialise=initialise)


def init_db(database_url: DbOption = None) -> None:
    """Create the database (or bring it up to date) and load the six councils."""
    from matcher.store.db import current_revision

    engine, _ = _db(database_url)
    out.print(
        f"database ready at {engine.url.render_as_string()} (schema revision {current_revision(engine)})"
    )


def migrate_cmd(
    database_url: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target Alembic revision")] = "head",
) -> None:
    """Apply the schema migrations (Alembic) up to REVISION."""
    from matcher.services.database import open_database
    from matcher.store.db import current_revision, migrate

    settings = load_settings()
    engine, _ = open_database(database_url or settings.resolved_database_url, initialise=False)
    migrate(engine, revision)
    out.print(f"schema at revision {current_revision(engine)}")


def import_cmd(
    paths: Annotated[
        list[Path], typer.Argument(help="Entity files (people.csv, challenges.jsonl, ...) or folders")
    ],
    entity: Annotated[str | None, typer.Option(help="Entity type when the file name does not say it")] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Store the good rows and write the bad ones to --rejects")
    ] = False,
    rejects: Annotated[
        Path, typer.Option(help="Where rejected rows go with their reasons (JSON Lines)")
    ] = Path("rejects.jsonl"),
    database_url: DbOption = None,
) -> None:
    """Validate and import entity files; one transaction per file.

    A file with a bad row stores nothing and the first problem is reported with its
    file, line and field (exit code 2), unless --skip-invalid is given.  Folders are
    imported in dependency order (organisations, people, challenges, facilities,
    profiles, documents, relationships).  Re-importing a file changes nothing.
    """
    _import_files(paths, entity, skip_invalid, rejects, database_url)


def _import_files(
    paths: list[Path],
    entity: str | None,
    skip_invalid: bool,
    rejects: Path,
    database_url: str | None,
    *,
    one_transaction: bool = False,
    then: Callable[[Any], None] | None = None,
    ignore: tuple[Path, ...] = (),
) -> None:
    """``matcher import``; with ``one_transaction`` every file is stored in a single transaction
    (and ``then(session)``, when given, runs inside it after the files)."""
    from matcher.ingest.files import iter_entity_files
    from matcher.services.importing import check_rejects_path, import_file, write_rejects
    from matcher.store.db import transaction

    files: list[tuple[str | None, Path]] = []
    for path in paths:
        if path.is_dir():
            found = list(iter_entity_files(path, ignore=[rejects, *ignore]))
            if not found:
                raise InvalidInputError(
                    "folder holds no entity files (e.g. organisations.csv)", Location(str(path))
                )
            files.extend(found)
        else:
            files.append((entity, path))
    if skip_invalid:
        check_rejects_path(rejects, [p for _, p in files])
    _, factory = _db(database_url)
    reports = []
    with contextlib.ExitStack() as stack:
        shared = stack.enter_context(transaction(factory)) if one_transaction else None
        for ent, path in files:
            with contextlib.ExitStack() as per_file:
                session = shared or per_file.enter_context(transaction(factory))
                report = import_file(path, session=session, entity=ent, skip_invalid=skip_invalid)
            out.print(report.summary(), soft_wrap=True)
            reports.append(report)
            for _row, exc in report.rejected[:5]:
                err.print(f"  rejected: {exc}", markup=False)
        if then is not None and shared is not None:
            then(shared)
    if skip_invalid:
        total_rejected = write_rejects(reports, rejects)
        if total_rejected:
            err.print(f"{total_rejected} rejected rows written to {rejects}", markup=False)


def export_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder to write <entity>.<format> files into")],
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "jsonl",
    database_url: DbOption = None,
) -> None:
    """Export every entity in the import formats (import -> export -> import is lossless)."""
    from matcher.services.importing import export_all

    if fmt not in ("csv", "jsonl"):
        raise typer.BadParameter("use csv or jsonl", param_hint="--format")
    _, factory = _db(database_url)
    with factory() as session:
        counts = export_all(folder, session=session, fmt=fmt)
    for entity, n in counts.items():
        out.print(f"{folder / f'{entity}.{fmt}'}: {n} records")


#: ``matcher demo-data --scale`` at most (~200,000 profiles).
MAX_DEMO_SCALE = 200
#: Above this scale ``demo-data`` asks for ``--no-ground-truth``.
MAX_GROUND_TRUTH_SCALE = 20


def demo_data(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Where the demo files and ground truth go; default <var>/demo"),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files")] = 7,
    scale: Annotated[
        float,
        typer.Option(min=0.01, max=MAX_DEMO_SCALE, help="1.0 = ~300 SMEs, ~600 students, ~1,000 profiles"),
    ] = 1.0,
    load: Annotated[bool, typer.Option(help="Import the files into the database")] = True,
    ground_truth: Annotated[
        bool,
        typer.Option(
            "--ground-truth/--no-ground-truth",
            help=f"Write ground_truth/ (qrels); required off above --scale {MAX_GROUND_TRUTH_SCALE:g}",
        ),
    ] = True,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the database already holds organisations")
    ] = False,
    database_url: DbOption = None,
) -> None:
    """Generate the demo programme of the six councils (and its ground truth) and load it."""
    from matcher.demo import generate

    if ground_truth and scale > MAX_GROUND_TRUTH_SCALE:
        raise typer.BadParameter(
            f"ground truth is written only up to scale {MAX_GROUND_TRUTH_SCALE:g} (its judged pairs grow as "
            "challenges x profiles); add --no-ground-truth",
            param_hint="--scale",
        )

    if if_empty:
        from matcher.store import records as repo

        _, factory = _db(database_url)
        with factory() as session:
            n = repo.table_counts(session=session)["organisations"]
        if n:
            out.print(f"database already holds {n} organisations; demo data not loaded again")
            return

    out_dir = out_dir or load_settings().var_dir / "demo"
    summary = generate(out_dir, seed=seed, scale=scale, ground_truth=ground_truth)
    counts = ", ".join(f"{n} {entity}" for entity, n in summary.counts.items())
    truth = f"ground truth in {out_dir / 'ground_truth'}" if ground_truth else "no ground truth"
    out.print(f"demo programme written to {out_dir}: {counts}; {truth}")
    if load:  # one transaction: a load that is interrupted leaves the database empty, so --if-empty retries
        _import_files([out_dir], None, False, Path("rejects.jsonl"), database_url, one_transaction=True,
                      then=_demo_training(out_dir), ignore=tuple(out_dir / n for n in DEMO_TRAINING))  # fmt: skip


DEMO_TRAINING = ("training_modules.jsonl", "assessments.jsonl")


def _demo_training(out_dir: Path) -> Callable[[Any], None]:
    """Store the demo's training modules and assessments (``matcher training import``) in the load's transaction."""

    def load(session: Any) -> None:
        from matcher.services.training import import_training_file

        for name in DEMO_TRAINING:
            if (out_dir / name).exists():
                rows = import_training_file(out_dir / name, session=session)["rows"]
                out.print(f"{out_dir / name}: {rows} {name.split('.')[0].replace('_', ' ')} stored")

    return load


def stats(database_url: DbOption = None) -> None:
    """Counts of the stored programme by council and type."""
    from matcher.store import records as repo

    _, factory = _db(database_url)
    with factory() as session:
        by_council = repo.counts_by_council(session=session)
        totals = repo.table_counts(session=session)
    columns = {"sme": "SMEs", "hei": "HEIs", "research_group": "groups", "science_park": "parks",
               "academic": "academics", "student": "students", "sme_staff": "staff",
               "challenges": "challenges", "facilities": "facilities"}  # fmt: skip
    labels = list(columns)
    table = Table(title="Cluster Match programme by council")
    table.add_column("council")
    for header in columns.values():
        table.add_column(header, justify="right")
    for council in sorted(by_council):
        table.add_row(council, *(str(by_council[council].get(label, 0)) for label in labels))
    table.add_row(
        "all", *(str(sum(c.get(label, 0) for c in by_council.values())) for label in labels), style="bold"
    )
    out.print(table)
    out.print("  ".join(f"{k}: {v}" for k, v in totals.items()))


def erase_person(
    person_id: Annotated[str, typer.Argument(help="External id of the person")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    database_url: DbOption = None,
) -> None:
    """Erase a person everywhere: record, profiles, documents, matches, relationships, cached vectors."""
    from matcher.services.erasure import erase_person as erase
    from matcher.store.db import transaction

    if not yes:
        typer.confirm(f"Erase person {person_id} and everything that names them?", abort=True)
    _, factory = _db(database_url)
    with transaction(factory) as session:
        removed = erase(person_id, session=session, cache_path=load_settings().resolved_cache_path)
    out.print(", ".join(f"{k}: {v}" for k, v in removed.items()))


def serve(
    host: Annotated[str | None, typer.Option(help="Default MATCHER_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default MATCHER_PORT or 8000")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes; they map one shared copy of the document vectors (MATCHER_SHARED_VECTORS)",
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    if reload and workers > 1:
        raise typer.BadParameter(
            "--reload serves with one process; drop --workers or --reload", param_hint="--workers"
        )
    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    err.print(
        f"Cluster Match API on http://{host}:{port}  (docs: http://{host}:{port}/docs)"
        + (f", {workers} workers" if workers > 1 else ""),
        markup=False,
    )
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""
    app.command("init-db")(init_db)
    app.command("migrate")(migrate_cmd)
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.command("demo-data")(demo_data)
    app.command("stats")(stats)
    app.command("erase-person")(erase_person)
    app.command("serve")(serve)
