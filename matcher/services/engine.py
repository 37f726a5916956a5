"""Build the engine's heavy parts from settings: encoders and the programme matcher."""

from __future__ import annotations

from matcher.config import Settings
from matcher.embeddings import Encoder, make_encoder, make_multilingual_encoder
from matcher.embeddings.shared import matrix_dir
from matcher.ranking import RankingConfig
from matcher.services.matching import ProgrammeMatcher


def make_encoders(settings: Settings) -> tuple[Encoder, Encoder | None]:
    """The main encoder and (when enabled) the multilingual one, both behind the vector cache."""
    # No environment is set here: every model-loading backend forbids hub downloads itself
    # (matcher.embeddings._runtime.force_offline) when it loads.
    cache = settings.resolved_cache_path
    encoder = make_encoder(
        settings.embedding_model,
        settings.embedding_backend,
        threads=settings.embedding_threads,
        batch_size=settings.embedding_batch_size,
        cache_path=cache,
    )
    multi = None
    if settings.multilingual and settings.embedding_backend != "fake":
        multi = make_multilingual_encoder(threads=settings.embedding_threads, cache_path=cache)
    return encoder, multi


def make_programme_matcher(
    settings: Settings,
    *,
    method: str | None = None,
    config: RankingConfig | None = None,
    progress: bool = False,
) -> ProgrammeMatcher:
    encoder, multi = make_encoders(settings)
    return ProgrammeMatcher(
        encoder=encoder,
        multi_encoder=multi,
        method=method,
        config=config,
        progress=progress,
        graph_weight=settings.graph_weight,
        answer_cache=settings.answer_cache,
        freshness_interval=settings.freshness_interval,
        shared_vectors=matrix_dir(settings.resolved_cache_path) if settings.shared_vectors else None,
    )
