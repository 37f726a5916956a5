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


def register(app: typer.Typer) -> None:
    """Add ``needs`` to ``app``."""
    app.add_typer(needs_app, name="needs")
