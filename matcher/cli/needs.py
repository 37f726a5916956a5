"""``matcher needs cluster|map``: need clusters of SME challenges and the councils' needs map."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

needs_app = typer.Typer(
    help="Needs: cluster challenges by need; map a council's needs and gaps.", no_args_is_help=True
)


def _encoder(model: str | None, backend: str | None, cache: Path | None):
    from matcher.config import load_settings
    from matcher.embeddings import make_encoder
    from matcher.exceptions import Location, ValidationError

    settings = load_settings()
    backend_name = backend or settings.embedding_backend
    if backend_name not in ("torch", "onnx-int8", "fake"):
        raise ValidationError("must be torch or onnx-int8", Location(field="--backend"))
    cache_path = cache or settings.resolved_cache_path
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    return make_encoder(
        model or settings.embedding_model,
        backend_name,
        threads=settings.embedding_threads,
        batch_size=settings.embedding_batch_size,
        cache_path=cache_path,
    )


@needs_app.command("cluster")
def cluster(
    challenges: Path = typer.Option(..., "--challenges", help='JSONL: {"id", "text", "language"?} per line.'),
    out: Path = typer.Option(
        ..., "--out", help='JSON to write: {"clusters": [{"id", "label", "terms", "members"}]}.'
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed (same input and seed, same clusters)."),
    cache: Path | None = typer.Option(None, "--cache", help="Embedding cache (default MATCHER_CACHE_PATH)."),
    model: str | None = typer.Option(
        None, "--model", help="Embedding model (default MATCHER_EMBEDDING_MODEL)."
    ),
    backend: str | None = typer.Option(
        None, "--backend", help="torch or onnx-int8 (default MATCHER_EMBEDDING_BACKEND)."
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress on stderr."),
) -> None:
    """Cluster challenges by need (no database); the number of clusters comes from the data."""
    from matcher.services.needs import cluster_file

    def log(msg: str) -> None:
        if not quiet:
            typer.echo(f"needs: {msg}", err=True)

    summary = cluster_file(
        challenges, out, encoder=_encoder(model, backend, cache), random_state=seed,
        progress=not quiet and sys.stderr.isatty(), log=log,
    )  # fmt: skip
    sizes = ", ".join(str(len(c.members)) for c in summary.clusters)
    log(f"{summary.n_challenges} challenges -> {len(summary.clusters)} clusters ({sizes})")


@needs_app.command("map")
def needs_map(
    out: Path = typer.Option(
        ..., "--out", help="Folder for report.md, report.html, needs.json and the PNG plots."
    ),
    council: str | None = typer.Option(
        None, "--council", help="A council code (default: the whole programme)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed of the clustering."),
) -> None:
    """Map the stored challenges' needs: clusters, sizes, trends and coverage gaps, with plots.

    Private challenges appear in the examples only as anonymised summaries.
    """
    from matcher.config import load_settings
    from matcher.services.database import open_database
    from matcher.services.engine import make_programme_matcher
    from matcher.services.needs_map import build_needs_map
    from matcher.services.needs_report import write_needs_report
    from matcher.store.db import transaction

    settings = load_settings()
    _, factory = open_database(settings.resolved_database_url)
    matcher = make_programme_matcher(settings, progress=sys.stderr.isatty())
    typer.echo("needs: clustering the stored challenges and scoring their coverage", err=True)
    with transaction(factory) as session:
        needs = build_needs_map(matcher, session=session, council=council, random_state=seed)
    paths = write_needs_report(needs, out)
    typer.echo(f"needs: {needs.n_challenges} challenges, {len(needs.clusters)} clusters -> {paths['markdown']}, "
               f"{paths['html']}", err=True)  # fmt: skip


training_app = typer.Typer(
    help="Training: import the catalogue and self-assessments; suggest modules to SMEs and demand to trainers.",
    no_args_is_help=True,
)


def _session_and_encoder():
    from matcher.config import load_settings
    from matcher.services.database import open_database

    settings = load_settings()
    _, factory = open_database(settings.resolved_database_url)
    return factory, _encoder(None, None, None)


def _print(body: dict, as_json: bool, lines: list[str]) -> None:
    import json

    typer.echo(json.dumps(body, indent=2, ensure_ascii=False) if as_json else "\n".join(lines))


@training_app.command("import")
def training_import(
    path: Path = typer.Argument(..., help="training_modules.csv|jsonl or assessments.csv|jsonl"),
    entity: str | None = typer.Option(
        None, "--entity", help="training_modules or assessments (default: file name)."
    ),
) -> None:
    """Validate and store a file of training modules or self-assessment rows (all rows or none)."""
    from matcher.config import load_settings
    from matcher.services.database import open_database
    from matcher.services.training import import_training_file
    from matcher.store.db import transaction

    _, factory = open_database(load_settings().resolved_database_url)
    with transaction(factory) as session:
        counts = import_training_file(path, entity, session=session)
    typer.echo(f"{path}: {counts['rows']} rows stored")


@training_app.command("recommend")
def training_recommend(
    sme_id: str = typer.Argument(..., help="The SME's organisation id."),
    k: int = typer.Option(10, "-k", min=0, help="Modules to list (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Training modules for an SME, each with the challenge or weak area it answers (mobility: abroad)."""
    from matcher.services.training import recommend_for_sme
    from matcher.store.db import transaction

    factory, encoder = _session_and_encoder()
    with transaction(factory) as session:
        body = recommend_for_sme(encoder, sme_id, session=session, k=k)
    lines = [
        f"{sme_id}: latest assessment "
        + ", ".join(f"{a} {v['score']}" for a, v in body["assessment"].items())
    ]
    for i, s in enumerate(body["suggestions"], 1):
        need = s["reasons"]["answers"]
        why = (
            f"challenge {need['challenge']}"
            if "challenge" in need
            else f"weak area {need['area']} ({need['score']})"
        )
        abroad = " [mobility: " + s["council"] + "]" if s["mobility"] else ""
        lines.append(f"{i:>2}. {s['module']} {s['title']} ({s['score']:.2f}) answers {why}{abroad}")
    _print(body, as_json, lines)


@training_app.command("demand")
def training_demand(
    council: str = typer.Option(..., "--council", help="The trainer's council."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """A council's uncovered needs, the SMEs that would benefit from each local module, and SME groups."""
    from matcher.services.training import trainer_view
    from matcher.store.db import transaction

    factory, encoder = _session_and_encoder()
    with transaction(factory) as session:
        body = trainer_view(encoder, council, session=session)
    lines = [f"uncovered needs in {council}:"]
    lines += [f"  {c['id']} {c['label']} ({len(c['members'])} challenges, SMEs {', '.join(c['smes'])})"
              for c in body["uncovered"]] or ["  none"]  # fmt: skip
    lines.append("who would benefit from each module:")
    for b in body["beneficiaries"]:
        lines.append(
            f"  {b['module']} {b['title']}: " + ", ".join(f"{s['sme']} ({s['score']:.2f})" for s in b["smes"])
        )
    lines.append("SMEs sharing a need:")
    lines += [f"  {g['cluster']} {g['label']}: {', '.join(g['smes'])}" for g in body["groups"]] or ["  none"]
    _print(body, as_json, lines)


def register(app: typer.Typer) -> None:
    """Add ``needs`` and ``training`` to ``app``."""
    app.add_typer(needs_app, name="needs")
    app.add_typer(training_app, name="training")


@training_app.command("mobility")
def training_mobility(
    council: str = typer.Option(..., "--council", help="The council whose SME staff to plan for."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """SME staff to training or placements abroad, where the best capability for a need is in another council."""
    from matcher import types as t
    from matcher.config import load_settings
    from matcher.exceptions import NotFoundError
    from matcher.services.engine import make_programme_matcher
    from matcher.services.matching import MatchFilters
    from matcher.services.mobility import mobility_plan
    from matcher.services.training import recommend_for_sme
    from matcher.store.db import transaction

    factory, _ = _session_and_encoder()
    ranker = make_programme_matcher(load_settings(), progress=True)

    def score(challenge_id: str, k: int, programme: t.Programme = t.Programme.CONSULTANCY,
              kinds: frozenset[str] = frozenset()) -> list[tuple[str, str, float]]:  # fmt: skip
        with factory() as s:
            found = ranker.suggest(
                challenge_id, programme, session=s, k=k, filters=MatchFilters(kinds=set(kinds) or None)
            )
        return [(x.candidate_type, x.candidate_id, x.score) for x in found]

    with transaction(factory) as session:

        def recommend(sme: str) -> list[dict]:  # type: ignore[type-arg]
            try:
                return recommend_for_sme(ranker.encoder, sme, session=session, k=0)["suggestions"]
            except NotFoundError:  # an empty catalogue: no training abroad either
                return []

        body = mobility_plan(council, recommend, score, session=session)
    lines = [f"mobility from {council}: {len(body['smes'])} SMEs with an option abroad"]
    for s in body["smes"]:
        lines.append(f"  {s['sme']} (staff: {', '.join(s['staff'])})")
        lines += [f"    training {m['module']} in {m['council']} ({m['score']:.2f})" for m in s["training"]]
        lines += [f"    placement at {p['research_group']} in {p['council']} for {p['challenge']} ({p['score']:.2f})"
                  for p in s["placements"]]  # fmt: skip
    _print(body, as_json, lines)
