"""``matcher import-cordis`` and ``matcher graph stats|report|export``: the collaboration graph."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.commands import DbOption, _db, err, out
from matcher.exceptions import Location, ValidationError

graph_app = typer.Typer(
    name="graph",
    help="The collaboration graph: statistics, a report with plots, exports for Gephi and networkx.",
    no_args_is_help=True,
    add_completion=False,
)

AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Snapshot date YYYY-MM-DD: only ties formed by then")
]


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"expected a date YYYY-MM-DD, got {value!r}", Location(field=option)) from None


def import_cordis(
    file: Annotated[Path, typer.Argument(help="CORDIS organization table (.csv or .csv.gz; ';' or ',')")],
    countries: Annotated[
        str, typer.Option("--countries", help="Comma-separated ISO codes to import; 'all' for every country")
    ] = "ES,IT,IE,TR,FR",
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows and report the bad ones")
    ] = False,
    database_url: DbOption = None,
) -> None:
    """Import CORDIS participants as organisations (id cordis-<organisationID>) and one
    joint_eu_project relationship per pair of them per shared project.

    One transaction: a bad row (reported with file, line and field; exit code 2) stores
    nothing unless --skip-invalid is given.  Re-running on the same file changes nothing.
    """
    from matcher.services.cordis import import_cordis as run
    from matcher.store.db import transaction

    wanted = (
        None if countries.strip().lower() == "all" else [c.strip() for c in countries.split(",") if c.strip()]
    )
    if wanted is not None:
        bad = [c for c in wanted if len(c) != 2 or not c.isalpha()]
        if bad or not wanted:
            raise ValidationError(
                f"expected two-letter country codes, got {countries!r}", Location(field="--countries")
            )
    _, factory = _db(database_url)
    err.print(f"reading {file} ...", markup=False)
    with transaction(factory) as session:
        report = run(file, session=session, countries=wanted, skip_invalid=skip_invalid)
    out.print(report.summary(), soft_wrap=True, markup=False)
    for exc in report.rejected[:5]:
        err.print(f"  rejected: {exc}", markup=False)


@graph_app.command("stats")
def stats_cmd(
    as_of: AsOfOpt = None,
    council: Annotated[str | None, typer.Option("--council", help="One council's view (its ties)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    sample: Annotated[
        int | None, typer.Option("--betweenness-sample", min=1, help="Sources sampled for betweenness")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of Louvain and of the betweenness sample")] = 0,
    database_url: DbOption = None,
) -> None:
    """Nodes, edges, components, density, cross-border and SME shares, brokers, communities."""
    from matcher.services import graph

    _, factory = _db(database_url)
    with factory() as session:
        s = graph.stats(
            session=session,
            as_of=_date(as_of, "--as-of"),
            council=council,
            seed=seed,
            betweenness_sample=sample,
        )
    if as_json:
        typer.echo(json.dumps(s, ensure_ascii=False))
        return
    scope = f"council {council}" if council else "the programme"
    out.print(f"Collaboration graph of {scope}" + (f" as of {as_of}" if as_of else ""), markup=False)
    for key in ("nodes", "edges", "relationships", "components", "largest_component", "density",
                "cross_border_share", "sme_tie_share", "communities", "modularity"):  # fmt: skip
        value = s.get(key)
        out.print(
            f"  {key:20} {value:.4f}" if isinstance(value, float) else f"  {key:20} {value}", markup=False
        )
    out.print(
        "  edges by kind        " + ", ".join(f"{k}: {v}" for k, v in s["edges_by_kind"].items()),
        markup=False,
    )
    out.print("  top degree           " + ", ".join(f"{r['id']} ({r['degree']})" for r in s["top_degree"][:5]),
              markup=False)  # fmt: skip
    b = s["betweenness"]
    label = f"approximate, {b['sample']} sources" if b["approximate"] else "exact"
    out.print(f"  top brokers ({label}) " + ", ".join(r["id"] for r in b["top"][:5]), markup=False)


@graph_app.command("export")
def export_cmd(
    out_file: Annotated[Path, typer.Option("--out", help="File to write")],
    fmt: Annotated[str, typer.Option("--format", help="graphml, gexf or json (node-link)")] = "graphml",
    as_of: AsOfOpt = None,
    database_url: DbOption = None,
) -> None:
    """Write the graph for Gephi (GraphML, GEXF) or networkx (GraphML, node-link JSON)."""
    from matcher.graph import FORMATS
    from matcher.services import graph

    if fmt not in FORMATS:
        raise ValidationError(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", Location(field="--format")
        )
    _, factory = _db(database_url)
    with factory() as session:
        n, m = graph.export(out_file, fmt, session=session, as_of=_date(as_of, "--as-of"))
    out.print(f"{out_file}: {n} nodes, {m} edges ({fmt})", markup=False)


@graph_app.command("report")
def report_cmd(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Directory for report.md, report.html and the plots")
    ] = Path("var/graph-report"),
    as_of: AsOfOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of Louvain, the layout and the betweenness sample")] = 0,
    database_url: DbOption = None,
) -> None:
    """Write report.md and report.html: per-council figures, the council network, cross-border share
    of new ties per quarter, degree distribution."""
    from matcher.services.graph_report import write_graph_report

    _, factory = _db(database_url)
    with factory() as session:
        paths = write_graph_report(out_dir, session=session, as_of=_date(as_of, "--as-of"), seed=seed)
    out.print(
        f"graph report written to {paths['html']} ({', '.join(p.name for p in paths.values())})", markup=False
    )


def register(app: typer.Typer) -> None:
    app.command("import-cordis")(import_cordis)
    app.add_typer(graph_app, name="graph")
