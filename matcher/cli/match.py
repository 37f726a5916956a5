"""`matcher match`, `matcher fits` and `matcher partners`: suggestions on the stored programme."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from matcher.config import load_settings

out = Console(width=max(Console().width, 140))
err = Console(stderr=True, soft_wrap=True)

MATCH_TYPES = ["consultancy", "placement", "partner", "facility"]


def _matcher(method: str | None):  # type: ignore[no-untyped-def]
    from matcher.services.database import open_database
    from matcher.services.engine import make_programme_matcher

    settings = load_settings()
    _, factory = open_database(settings.resolved_database_url)
    return factory, make_programme_matcher(settings, method=method, progress=True)


def _split(value: str | None) -> set[str] | None:
    return {v.strip() for v in value.split(",") if v.strip()} if value else None


def _print(suggestions, as_json: bool, title: str) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        typer.echo(json.dumps([s.to_dict() for s in suggestions], ensure_ascii=False, indent=2))
        return
    if not suggestions:
        err.print("no candidate passes the filters")
        return
    table = Table(title=title, show_lines=True)
    for col in ("#", "candidate", "kind", "where", "score", "why"):
        table.add_column(col, overflow="fold")
    for s in suggestions:
        r = s.reasons
        why = []
        if r.get("skill_overlap"):
            why.append("skills: " + ", ".join(r["skill_overlap"]))
        if r.get("key_terms"):
            why.append("terms: " + ", ".join(r["key_terms"]))
        why.append(f"dense {r.get('dense', 0):+.2f}, lexical {r.get('lexical', 0):+.2f}")
        why.append(f"languages {r.get('query_language')}→{','.join(r.get('profile_languages', []))}")
        if r.get("availability"):
            why.append("availability: " + r["availability"])
        if s.summary is not None:
            summary = s.summary
            why.insert(0, f"private challenge, anonymised (contact: {s.contact or 'not requested'})")
            if summary.get("sector"):
                why.insert(1, f"sector: {summary['sector']}")
            if summary.get("required_skills"):
                why.insert(1, "needs: " + ", ".join(summary["required_skills"]))
        elif s.contact:
            why.insert(0, f"private challenge, contact {s.contact} (match {s.match_id})")
        if r.get("best_sentence_text"):
            why.append(
                f"best sentence ({r.get('best_sentence_score', 0):.2f}): " + r["best_sentence_text"][:200]
            )
        elif r.get("best_document_excerpt"):
            why.append("best: " + r["best_document_excerpt"][:160])
        name = s.name or "(private challenge)"
        table.add_row(str(s.rank), f"{name}\n[dim]{s.candidate_id}[/dim]", s.kind, f"{s.council} ({s.country})",
                      f"{s.score:.3f}", "\n".join(why))  # fmt: skip
    out.print(table)


def match(
    challenge_id: Annotated[str, typer.Argument(help="External id of a stored challenge")],
    match_type: Annotated[
        str, typer.Option("--type", "-t", help="consultancy | placement | partner | facility")
    ] = ("consultancy"),
    k: Annotated[int, typer.Option("-k", "--top-k", min=0, help="How many suggestions (0 = all)")] = 10,
    council: Annotated[str | None, typer.Option(help="Only these councils (comma-separated codes)")] = None,
    country: Annotated[
        str | None, typer.Option(help="Only these countries (comma-separated ISO codes)")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Only candidates writing in these languages")] = None,
    kind: Annotated[
        str | None, typer.Option(help="Only these kinds (research_group, academic, student, lab...)")
    ] = None,
    cross_border: Annotated[
        bool, typer.Option("--cross-border", help="Only candidates in another country")
    ] = False,
    min_capacity: Annotated[int | None, typer.Option(help="Facilities: places needed")] = None,
    strict_availability: Annotated[
        bool,
        typer.Option(
            "--strict-availability",
            help="Candidates must be available within the challenge's opened..deadline window "
            "(default: only those whose availability ended before the challenge opened are left out)",
        ),
    ] = False,
    method: Annotated[str | None, typer.Option(help="Ranking method (see docs/ranking.md)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
) -> None:
    """Ranked suggestions with reasons for a stored challenge."""
    from matcher.services.matching import MatchFilters

    if match_type not in MATCH_TYPES:
        raise typer.BadParameter(f"choose from {', '.join(MATCH_TYPES)}", param_hint="--type")
    filters = MatchFilters(
        councils=_split(council), countries=_split(country), languages=_split(language), kinds=_split(kind),
        cross_border_only=cross_border, min_capacity=min_capacity, strict_availability=strict_availability,
    )  # fmt: skip
    factory, matcher = _matcher(method)
    with factory() as session:
        suggestions = matcher.suggest(challenge_id, match_type, session=session, k=k, filters=filters)
    _print(suggestions, as_json, f"{match_type} suggestions for {challenge_id}")


def fits(
    profile_id: Annotated[str, typer.Argument(help="External id of a capability profile")],
    k: Annotated[int, typer.Option("-k", "--top-k", min=0, help="How many challenges (0 = all)")] = 10,
    method: Annotated[str | None, typer.Option(help="Ranking method")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
) -> None:
    """The open challenges that a capability profile fits best.

    Another SME's private challenge is shown as an anonymised summary (sector, council, country,
    language, skills, programmes) named by its match record's id (stored if new), on which the
    profile's side requests contact over the API; in full once its SME or council approved.
    """
    from matcher.store import transaction

    factory, matcher = _matcher(method)
    with transaction(factory) as session:  # anonymised challenges' match records are kept
        suggestions = matcher.fits(profile_id, session=session, k=k)
    _print(suggestions, as_json, f"challenges that {profile_id} fits")


def partners(
    organisation_id: Annotated[str, typer.Argument(help="External id of an organisation (usually an SME)")],
    k: Annotated[int, typer.Option("-k", "--top-k", min=0)] = 10,
    method: Annotated[str | None, typer.Option(help="Ranking method")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
) -> None:
    """Cross-border partner suggestions (universities, research groups, SMEs abroad)."""
    factory, matcher = _matcher(method)
    with factory() as session:
        suggestions = matcher.partners(organisation_id, session=session, k=k)
    _print(suggestions, as_json, f"cross-border partners for {organisation_id}")


def register(app: typer.Typer) -> None:
    app.command("match")(match)
    app.command("fits")(fits)
    app.command("partners")(partners)
