"""``matcher rank``: rank capability profiles for challenges from JSONL files into a TREC run."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import typer

from matcher.ranking import DEFAULT_METHOD, METHODS


def register(app: typer.Typer) -> None:
    """Add ``rank`` to ``app``."""

    @app.command("rank")
    def rank(
        challenges: Path = typer.Option(
            ..., "--challenges", help='JSONL: {"id", "text", "language"?} per line.'
        ),
        profiles: Path = typer.Option(
            ..., "--profiles", help='JSONL: {"id", "documents": [{"id", "text", "language"?}, ...]} per line.'
        ),
        out: Path = typer.Option(..., "--out", help="TREC run to write; the sidecar is <out>.json."),
        top_k: int = typer.Option(
            100, "--top-k", min=0, help="Profiles per challenge; 0 lists every profile."
        ),
        method: str = typer.Option(DEFAULT_METHOD, "--method", help=f"One of: {', '.join(METHODS)}."),
        cache: Path | None = typer.Option(
            None, "--cache", help="Embedding cache (default MATCHER_CACHE_PATH or var/embeddings.sqlite)."
        ),
        model: str | None = typer.Option(
            None, "--model", help="Embedding model (default MATCHER_EMBEDDING_MODEL)."
        ),
        backend: str | None = typer.Option(
            None, "--backend", help="torch or onnx-int8 (default MATCHER_EMBEDDING_BACKEND)."
        ),
        run_name: str | None = typer.Option(
            None, "--run-name", help="Last TREC column; default cluster-match-<method>."
        ),
        multilingual: bool | None = typer.Option(
            None, "--multilingual/--no-multilingual", help="Multilingual encoder for cross-language pairs."
        ),
        threads: int | None = typer.Option(None, "--threads", min=1, help="Inference threads."),
        index: str = typer.Option(
            "exact",
            "--index",
            help="exact (default: score every profile), or fetch each challenge's nearest documents first "
            "and score only their profiles (corpora of millions of documents; needs the 'ann' extra): "
            "exact-int8 finds exactly the nearest documents with an int8 scan and a proven bound; "
            "faiss / usearch find them approximately with an HNSW graph.",
        ),
        index_docs: int | None = typer.Option(
            None,
            "--index-docs",
            min=1,
            help="With --index exact-int8|faiss|usearch: documents fetched per challenge "
            "(default max(200, 10 x top-k)).",
        ),
        quiet: bool = typer.Option(False, "--quiet", help="No progress on stderr."),
    ) -> None:
        """Rank every profile for every challenge; write a TREC run and a JSON sidecar."""
        from matcher.config import load_settings
        from matcher.embeddings import CachedEncoder, EmbeddingCache, FakeEncoder, make_encoder
        from matcher.exceptions import Location, ValidationError
        from matcher.services.rank_files import INDEXES, rank_files

        settings = load_settings()
        model_name = model or settings.embedding_model
        backend_name = backend or settings.embedding_backend
        if backend_name not in ("torch", "onnx-int8", "fake"):  # "fake": deterministic test encoder
            raise ValidationError("must be torch or onnx-int8", Location(field="--backend"))
        if method not in METHODS:
            raise ValidationError(
                f"unknown method; choose from {', '.join(METHODS)}", Location(field="--method")
            )
        if index not in INDEXES:
            raise ValidationError(f"must be one of {', '.join(INDEXES)}", Location(field="--index"))
        cache_path = cache or settings.resolved_cache_path
        n_threads = threads or settings.embedding_threads
        use_multi = settings.multilingual if multilingual is None else multilingual
        cache_path.parent.mkdir(parents=True, exist_ok=True)

        encoder = make_encoder(
            model_name,
            backend_name,
            threads=n_threads,
            batch_size=settings.embedding_batch_size,
            cache_path=cache_path,
        )

        def multi_factory():
            if backend_name == "fake":
                return CachedEncoder(
                    FakeEncoder(dim=48, model_id="fake-multi-48"), EmbeddingCache(cache_path)
                )
            from matcher.embeddings import make_multilingual_encoder

            return make_multilingual_encoder(threads=n_threads, cache_path=cache_path)

        def log(msg: str) -> None:
            if not quiet:
                typer.echo(f"rank: {msg}", err=True)

        command = ["matcher", "rank", "--challenges", str(challenges), "--profiles", str(profiles)]
        command += ["--out", str(out), "--top-k", str(top_k), "--method", method, "--cache", str(cache_path)]
        command += ["--model", model_name, "--backend", backend_name]
        command += ["--multilingual" if use_multi else "--no-multilingual", "--index", index]
        if index_docs:
            command += ["--index-docs", str(index_docs)]
        if run_name:
            command += ["--run-name", run_name]
        summary = rank_files(
            challenges,
            profiles,
            out,
            encoder=encoder,
            multi_encoder=multi_factory if use_multi else None,
            top_k=top_k,
            method=method,
            run_name=run_name,
            progress=not quiet and sys.stderr.isatty(),
            log=log,
            settings={
                "model": model_name,
                "backend": backend_name,
                "threads": n_threads,
                "batch_size": settings.embedding_batch_size,
                "cache_path": str(cache_path),
                "multilingual": use_multi,
                "index": index,
            },
            command_line=shlex.join(command),
            index=index,
            index_docs=index_docs,
            threads=n_threads,
        )
        log(
            f"{summary.n_lines} lines, {summary.n_challenges} challenges x {summary.n_profiles} profiles "
            f"-> {summary.out_path} (+ {summary.sidecar_path.name})"
        )
