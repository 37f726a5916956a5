"""``matcher allocate round|show|override``: a consultancy round on the stored programme."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from matcher.config import load_settings


def _sessions():  # type: ignore[no-untyped-def]
    from matcher.services.database import open_database

    settings = load_settings()
    _, factory = open_database(settings.resolved_database_url)
    return settings, factory


def _print_round(view: dict, as_json: bool) -> None:  # type: ignore[type-arg]
    if as_json:
        typer.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    typer.echo(f"round {view['id']}: {view['status']} ({view['message']})")
    result = view.get("result") or {}
    for team in result.get("teams", []):
        typer.echo(f"  {team['challenge']}: {', '.join(team['members'])}")
        for member in team["members"]:
            typer.echo(f"      {member}: {result['reasons'].get(member, '')}")
    for line in result.get("explanation", []):
        typer.echo(f"  {line}")
    quality = result.get("quality") or {}
    if quality:
        typer.echo(
            f"  quality: total affinity {quality['total_affinity']}, min {quality['min_affinity']}, "
            f"skill coverage {quality['skill_coverage']}, envy {quality['envy']}, free seats {quality['free_seats']}, "
            f"unassigned {quality['unassigned']}"
        )
        for line in quality["violations"]:
            typer.echo(f"  broken: {line}")


def register(app: typer.Typer) -> None:
    """Add ``round``, ``show`` and ``override`` to the ``allocate`` group."""

    @app.command("round")
    def round_(
        council: str | None = typer.Option(None, "--council", help="Only this council's open challenges."),
        k: int = typer.Option(20, "--k", min=1, help="Students scored per challenge (the acceptable pairs)."),
        min_size: int = typer.Option(3, "--min-size", min=1),
        max_size: int = typer.Option(5, "--max-size", min=1),
        min_councils: int = typer.Option(1, "--min-councils", min=0, help="Councils each team must mix."),
        time_limit: float | None = typer.Option(None, "--time-limit", min=0.1),
        instance_out: Path | None = typer.Option(
            None, "--instance-out", help="Also write the instance JSON here."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the round as JSON."),
    ) -> None:
        """Run a consultancy round on the stored programme: score, solve, store proposals with reasons."""
        from matcher import types as t
        from matcher.services import allocation
        from matcher.services.engine import make_programme_matcher
        from matcher.services.matching import MatchFilters
        from matcher.store import transaction

        settings, factory = _sessions()
        spec = allocation.RoundSpec.from_params(
            {"council": council, "k": k, "min_size": min_size, "max_size": max_size,
             "min_councils": min_councils, "time_limit": time_limit}
        )  # fmt: skip
        programme = make_programme_matcher(settings, progress=True)
        students = MatchFilters(kinds={"student"})
        with transaction(factory) as session:
            record = allocation.new_round(spec, None, session=session)

        def score(challenge_id: str, n: int) -> list[tuple[str, str, float]]:
            with factory() as session:
                found = programme.suggest(
                    challenge_id, t.Programme.CONSULTANCY, session=session, k=n, filters=students
                )
                return [(s.candidate_type, s.candidate_id, s.score) for s in found]

        typer.echo(f"allocate: round {record.id}: scoring and solving", err=True)
        done = allocation.run_round(record.id, score, sessions=factory)
        if instance_out is not None and done.instance is not None:
            instance_out.write_text(json.dumps(done.instance, indent=2) + "\n", encoding="utf-8")
        _print_round(allocation.round_view(done), as_json)
        if done.status == "failed":
            raise typer.Exit(1)

    @app.command("show")
    def show(
        round_id: str = typer.Argument(..., help="The round's id (alloc-...)."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """A stored round: status, teams, each student's reason, quality figures."""
        from matcher.services import allocation
        from matcher.store import allocation_repository as arepo

        _, factory = _sessions()
        with factory() as session:
            _print_round(allocation.round_view(arepo.get_round(round_id, session=session)), as_json)

    @app.command("override")
    def override(
        round_id: str = typer.Argument(..., help="The round's id."),
        student: str = typer.Argument(..., help="The student to move."),
        to: str | None = typer.Option(None, "--to", help="The challenge to move the student to."),
        unassign: bool = typer.Option(False, "--unassign", help="Take the student off every team."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Move one student by hand, then re-audit the round (exit 1 when a rule is now broken)."""
        from matcher.exceptions import Location, ValidationError
        from matcher.services import allocation
        from matcher.store import transaction

        if (to is None) == (not unassign):
            raise ValidationError("give exactly one of --to CHALLENGE or --unassign", Location(field="--to"))
        _, factory = _sessions()
        with transaction(factory) as session:
            record = allocation.override(round_id, student, to, session=session)
        _print_round(allocation.round_view(record), as_json)
        if record.result and record.result["quality"]["violations"]:
            raise typer.Exit(1)
