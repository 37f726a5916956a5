"""Build the configured encoder from plain arguments (the edge reads the settings)."""

from __future__ import annotations

from pathlib import Path

from matcher.embeddings._runtime import DEFAULT_MODEL
from matcher.embeddings.base import Encoder
from matcher.embeddings.cache import EmbeddingCache
from matcher.embeddings.cached import CachedEncoder
from matcher.embeddings.fake import FakeEncoder
from matcher.embeddings.multilingual import MultilingualEncoder
from matcher.embeddings.onnx_int8 import OnnxInt8Encoder
from matcher.embeddings.sentence_transformer import SentenceTransformerEncoder
from matcher.exceptions import ConfigurationError

BACKENDS = ("torch", "onnx-int8", "fake")


def _with_cache(encoder: Encoder, cache_path: Path | None) -> Encoder:
    return encoder if cache_path is None else CachedEncoder(encoder, EmbeddingCache(cache_path))


def make_encoder(
    model: str = DEFAULT_MODEL,
    backend: str = "torch",
    *,
    threads: int = 1,
    batch_size: int = 64,
    cache_path: Path | None = None,
    onnx_dir: Path | None = None,
) -> Encoder:
    """The encoder for ``model`` on ``backend``, cached when ``cache_path`` is given.

    Parameters
    ----------
    model : str
        Sentence-transformers name or local path (ignored by ``"fake"``).
    backend : {"torch", "onnx-int8", "fake"}
    threads : int
        Inference threads.
    batch_size : int
        Windows per forward pass (torch; the int8 backend always runs one window).
    cache_path : Path, optional
        SQLite embedding cache; ``None`` for no cache.
    onnx_dir : Path, optional
        Where int8 exports are cached (default: ``onnx/`` beside ``cache_path``, else
        ``var/onnx``).

    Returns
    -------
    Encoder
        Nothing is loaded yet: the model loads on the first ``encode``.

    Raises
    ------
    ConfigurationError
        Unknown backend, or a non-positive thread count or batch size.
    """
    if threads < 1 or batch_size < 1:
        raise ConfigurationError(f"threads and batch_size must be positive, got {threads}, {batch_size}")
    encoder: Encoder
    if backend == "torch":
        encoder = SentenceTransformerEncoder(model, threads=threads, batch_size=batch_size)
    elif backend == "onnx-int8":
        if onnx_dir is None and cache_path is not None:
            onnx_dir = Path(cache_path).parent / "onnx"
        # one window per pass: int8 activation scales are per batch (see OnnxInt8Encoder)
        encoder = OnnxInt8Encoder(model, threads=threads, cache_dir=onnx_dir)
    elif backend == "fake":
        encoder = FakeEncoder()
    else:
        raise ConfigurationError(f"unknown embedding backend {backend!r}; expected one of {BACKENDS}")
    return _with_cache(encoder, cache_path)


def make_multilingual_encoder(threads: int = 1, cache_path: Path | None = None) -> Encoder:
    """The multilingual USE encoder, cached when ``cache_path`` is given."""
    if threads < 1:
        raise ConfigurationError(f"threads must be positive, got {threads}")
    return _with_cache(MultilingualEncoder(threads=threads), cache_path)
