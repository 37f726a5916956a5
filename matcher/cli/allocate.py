"""``matcher allocate teams|placements|facilities|audit``: the allocation solvers on JSON files.

File contracts (issue #10, ``docs/allocation.md``): each command reads an instance file,
validates it (a located error and exit 2 when it is invalid), solves, and writes the result
file.  ``audit`` prints the blocking pairs of a given placement matching (or the broken rules
of a team assignment) and exits 1 when there are any.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from matcher.exceptions import Location, ValidationError

allocate_app = typer.Typer(
    name="allocate",
    help="Form consultancy teams, stable placements and facility bookings from JSON files, and audit them.",
    no_args_is_help=True,
)


def read_json(path: Path) -> Any:
    """Decode a JSON file; a missing file or bad JSON is a located :class:`ValidationError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError("no such file", Location(file=str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read: {exc}", Location(file=str(path))) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", Location(file=str(path), line=exc.lineno)
        ) from None


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _log(quiet: bool, message: str) -> None:
    if not quiet:
        typer.echo(f"allocate: {message}", err=True)


INSTANCE = typer.Option(..., "--instance", help="The instance, a JSON file (format in docs/allocation.md).")
OUT = typer.Option(..., "--out", help="Where to write the result JSON.")
QUIET = typer.Option(False, "--quiet", help="No progress on stderr.")
TIME_LIMIT = typer.Option(None, "--time-limit", min=0.1, help="Seconds; unset solves to proven optimality.")


@allocate_app.command("teams")
def teams(
    instance: Path = INSTANCE,
    out: Path = OUT,
    time_limit: float | None = TIME_LIMIT,
    quiet: bool = QUIET,
) -> None:
    """Consultancy teams: maximise total affinity under team sizes, skills and council mix (HiGHS MILP).

    Writes {"status", "objective", "bound", "gap", "teams": [{"challenge", "members"}], "unassigned",
    "explanation", "reasons", "quality"}; when infeasible, "explanation" names the binding constraints.
    """
    from matcher.allocation import parse_team_instance, solve_teams, team_quality, team_reasons

    inst = parse_team_instance(read_json(instance), source=str(instance))
    _log(
        quiet,
        f"{len(inst.students)} students, {len(inst.challenges)} challenges, {inst.n_edges} acceptable pairs; solving",
    )
    solution = solve_teams(inst, time_limit=time_limit)
    result = solution.to_json(inst)
    reasons = team_reasons(inst, solution.teams)
    result["reasons"] = {inst.students[s].id: why for s, why in sorted(reasons.items())}
    result["quality"] = team_quality(inst, solution.teams) if solution.teams else None
    write_json(out, result)
    gap = "" if solution.gap is None else f", gap {solution.gap:.2g}"
    _log(
        quiet,
        f"{solution.status} in {solution.seconds:.2f} s: objective {result['objective']}, bound {result['bound']}{gap}; "
        f"{len(solution.teams)} teams, {len(solution.unassigned)} unassigned -> {out}",
    )
    for line in solution.explanation if solution.status != "optimal" else ():
        _log(quiet, line)


@allocate_app.command("placements")
def placements(
    instance: Path = INSTANCE,
    out: Path = OUT,
    optimal_for: str = typer.Option(
        "applicants", "--optimal-for", help="applicants or hosts: whose optimal stable matching."
    ),
    quiet: bool = QUIET,
) -> None:
    """Change of Perspective placements: a weakly stable matching with capacities, ties and partial lists.

    Writes {"matching": [{"applicant", "host"}], "unmatched": [..], "blocking_pairs": []}.
    """
    from matcher.allocation import parse_placement_instance, placements_to_json, stable_placements

    if optimal_for not in ("applicants", "hosts"):
        raise ValidationError("must be applicants or hosts", Location(field="--optimal-for"))
    inst = parse_placement_instance(read_json(instance), source=str(instance))
    matching = stable_placements(inst, optimal_for=optimal_for)
    result = placements_to_json(inst, matching)
    write_json(out, result)
    _log(
        quiet,
        f"{len(matching)} placed, {len(result['unmatched'])} unmatched ({optimal_for}-optimal) -> {out}",
    )


@allocate_app.command("facilities")
def facilities(
    instance: Path = INSTANCE,
    out: Path = OUT,
    time_limit: float | None = TIME_LIMIT,
    quiet: bool = QUIET,
) -> None:
    """Facility bookings: requests with time windows vs capacity per period, maximising total fit.

    Writes {"status", "objective", "bound", "bookings": [{"request", "facility", "start", "end"}], "unassigned"}.
    """
    from matcher.allocation import parse_facility_instance, solve_facilities

    inst = parse_facility_instance(read_json(instance), source=str(instance))
    solution = solve_facilities(inst, time_limit=time_limit)
    write_json(out, solution.to_json(inst))
    _log(
        quiet,
        f"{solution.status} in {solution.seconds:.2f} s: {len(solution.bookings)} of {len(inst.requests)} booked, "
        f"total fit {solution.objective:.3f} -> {out}",
    )


@allocate_app.command("audit")
def audit(
    instance: Path = INSTANCE,
    matching: Path = typer.Option(
        ..., "--matching", help='A result file (placements: {"matching": [...]}; teams: {"teams": [...]}).'
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the audit as JSON."),
) -> None:
    """Audit a matching, e.g. one edited by hand: print its blocking pairs; exit 1 when there are any.

    With a team instance, prints the rules the teams break and the quality figures instead
    (exit 1 when a rule is broken).
    """
    data = read_json(instance)
    result = read_json(matching)
    if isinstance(data, dict) and "students" in data:
        from matcher.allocation import parse_team_instance, team_quality, teams_from_json

        inst = parse_team_instance(data, source=str(instance))
        quality = team_quality(inst, teams_from_json(inst, result, source=str(matching)))
        problems = quality["violations"]
        if as_json:
            typer.echo(json.dumps(quality, indent=2))
        else:
            for line in problems:
                typer.echo(f"broken: {line}")
            typer.echo(
                f"{len(problems)} broken rules; total affinity {quality['total_affinity']}, envy {quality['envy']}, "
                f"skill coverage {quality['skill_coverage']}"
            )
        if problems:
            raise typer.Exit(1)
        return
    from matcher.allocation import blocking_pairs, matching_from_json, parse_placement_instance

    p_inst = parse_placement_instance(data, source=str(instance))
    pairs = blocking_pairs(p_inst, matching_from_json(p_inst, result, source=str(matching)))
    rows = [{"applicant": p_inst.applicant_ids[a], "host": p_inst.host_ids[h]} for a, h in pairs]
    if as_json:
        typer.echo(json.dumps({"blocking_pairs": rows}, indent=2))
    else:
        for row in rows:
            typer.echo(
                f"blocking pair: applicant {row['applicant']} and host {row['host']} prefer each other"
            )
        typer.echo(f"{len(rows)} blocking pairs" + ("" if rows else ": the matching is weakly stable"))
    if rows:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``allocate`` (and its subcommands) to ``app``."""
    from matcher.cli import allocate_round

    allocate_round.register(allocate_app)
    app.add_typer(allocate_app, name="allocate")
