"""Texts to L2-normalised float32 vectors; the only package that imports sentence-transformers / torch."""

from matcher.embeddings.base import Encoder, l2_normalise, text_hash
from matcher.embeddings.fake import FakeEncoder

__all__ = ["Encoder", "FakeEncoder", "l2_normalise", "text_hash"]
