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
    if view.get("kind") in ("placements", "facilities"):
        _print_other(view["kind"], result)
        return
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


def _print_other(kind: str, result: dict) -> None:  # type: ignore[type-arg]
    rows = result.get("matching" if kind == "placements" else "bookings", [])
    for row in rows:
        who = row["applicant"] if kind == "placements" else row["request"]
        typer.echo(f"  {who}: {result['reasons'].get(who, '')}")
    for who in result.get("unmatched" if kind == "placements" else "unassigned", []):
        typer.echo(f"  {who}: {result['reasons'].get(who, '')}")
    for pair in result.get("blocking_pairs", []):
        typer.echo(f"  blocking pair: {pair['applicant']} and {pair['host']} prefer each other")
    quality = result.get("quality") or {}
    if quality:
        typer.echo(
            "  quality: "
            + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in quality.items() if k != "violations")
        )
        for line in quality["violations"]:
            typer.echo(f"  broken: {line}")


def _score_fn(ranker, factory):  # type: ignore[no-untyped-def]
    """``(challenge_id, k, programme=..., kinds=...)`` -> the ranker's ``(type, id, score)``, best first."""
    from matcher import types as t
    from matcher.services.matching import MatchFilters

    def score(challenge_id: str, n: int, programme: t.Programme = t.Programme.CONSULTANCY,
              kinds: frozenset[str] = frozenset({"student"})) -> list[tuple[str, str, float]]:  # fmt: skip
        filters = MatchFilters(kinds=set(kinds)) if kinds else MatchFilters()
        with factory() as session:
            found = ranker.suggest(challenge_id, programme, session=session, k=n, filters=filters)
            return [(s.candidate_type, s.candidate_id, s.score) for s in found]

    return score


def register(app: typer.Typer) -> None:
    """Add ``round``, ``show`` and ``override`` to the ``allocate`` group."""

    @app.command("round")
    def round_(
        kind: str = typer.Option(
            "teams",
            "--kind",
            help="teams (consultancy), placements (Change of Perspective) or facilities (bookings).",
        ),
        council: str | None = typer.Option(None, "--council", help="Only this council's open challenges."),
        k: int | None = typer.Option(
            None,
            "--k",
            min=1,
            help="Candidates scored per challenge (teams: 20 "
            "students; placements: 10; facilities: 5 facilities).",
        ),
        min_size: int | None = typer.Option(None, "--min-size", min=1, help="teams: smallest team (3)."),
        max_size: int | None = typer.Option(None, "--max-size", min=1, help="teams: largest team (5)."),
        min_councils: int | None = typer.Option(
            None, "--min-councils", min=0, help="teams: councils each team must mix (1)."
        ),
        direction: str | None = typer.Option(
            None,
            "--direction",
            help="placements: academics (into SMEs, default) or staff (SME staff into research groups).",
        ),
        capacity: int | None = typer.Option(
            None, "--capacity", min=0, help="placements: places per host (1)."
        ),
        top_k: int | None = typer.Option(
            None, "--top-k", min=1, help="placements: partners each side lists (10)."
        ),
        optimal_for: str | None = typer.Option(
            None, "--optimal-for", help="placements: applicants (default) or hosts."
        ),
        tie: float | None = typer.Option(
            None, "--tie", min=0, help="placements: scores this close share a tie group."
        ),
        duration: int | None = typer.Option(
            None, "--duration", min=1, help="facilities: weeks each request books (4)."
        ),
        year: int | None = typer.Option(
            None, "--year", help="facilities: programme year (week 0 = 1 January)."
        ),
        time_limit: float | None = typer.Option(
            None, "--time-limit", min=0.1, help="teams, facilities: solver seconds."
        ),
        instance_out: Path | None = typer.Option(
            None, "--instance-out", help="Also write the instance JSON here."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the round as JSON."),
    ) -> None:
        """Run a round on the stored programme: score, solve, store proposals with reasons.

        teams: consultancy teams (HiGHS); placements: weakly stable Change of Perspective placements
        (deferred acceptance); facilities: facility bookings (HiGHS). Progress on stderr.
        """
        from matcher.exceptions import Location, ValidationError
        from matcher.services import allocation
        from matcher.services.engine import make_programme_matcher
        from matcher.store import transaction

        given = {"council": council, "k": k, "min_size": min_size, "max_size": max_size,
                 "min_councils": min_councils, "direction": direction, "capacity": capacity, "top_k": top_k,
                 "optimal_for": optimal_for, "tie": tie, "duration": duration, "year": year,
                 "time_limit": time_limit}  # fmt: skip
        params = {name: v for name, v in given.items() if v is not None or name in ("council", "time_limit")}
        if kind == "placements":
            params.pop("time_limit")
        settings, factory = _sessions()
        try:
            spec = allocation.spec_from_params(kind, params)
        except ValidationError as exc:  # name the option, not the parameter
            option = "--" + (exc.location.field or "kind").replace("_", "-")
            raise ValidationError(f"{exc.reason} (--kind {kind})", Location(field=option)) from exc
        programme = make_programme_matcher(settings, progress=True)
        with transaction(factory) as session:
            record = allocation.new_round(spec, None, session=session)
        typer.echo(f"allocate: round {record.id} ({kind}): scoring and solving", err=True)

        def phase(fraction: float, message: str) -> None:  # phases, and every 10th challenge scored
            if not message.startswith("scored") or message.split()[1].endswith("0"):
                typer.echo(f"allocate: {fraction:4.0%} {message}", err=True)

        done = allocation.run_round(
            record.id, _score_fn(programme, factory), sessions=factory, on_progress=phase
        )
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
        from matcher.store import rounds as rounds_store

        _, factory = _sessions()
        with factory() as session:
            _print_round(allocation.round_view(rounds_store.get_round(round_id, session=session)), as_json)

    @app.command("override")
    def override(
        round_id: str = typer.Argument(..., help="The round's id."),
        student: str = typer.Argument(..., help="The student (placements: the applicant) to move."),
        to: str | None = typer.Option(None, "--to", help="The challenge (placements: the host) to move to."),
        unassign: bool = typer.Option(False, "--unassign", help="Take the student off every team."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Move one student (or placement applicant) by hand, then re-audit the round.

        Exit 1 when a rule is now broken (teams) or the placements have a blocking pair.
        """
        from matcher.exceptions import Location, ValidationError
        from matcher.services import allocation
        from matcher.store import transaction

        if (to is None) == (not unassign):
            raise ValidationError("give exactly one of --to CHALLENGE or --unassign", Location(field="--to"))
        _, factory = _sessions()
        with transaction(factory) as session:
            record = allocation.override(round_id, student, to, session=session)
        _print_round(allocation.round_view(record), as_json)
        if record.result and (record.result["quality"]["violations"] or record.result.get("blocking_pairs")):
            raise typer.Exit(1)
