"""Texts to L2-normalised float32 vectors; the only package that imports sentence-transformers / torch.

Importing this package loads no model and imports neither torch nor onnxruntime:
they are imported when an encoder is first used.
"""

from matcher.embeddings.base import Encoder, l2_normalise, text_hash
from matcher.embeddings.cache import CacheStats, EmbeddingCache
from matcher.embeddings.cached import CachedEncoder
from matcher.embeddings.chunking import plan_windows, pool_windows, token_windows
from matcher.embeddings.factory import BACKENDS, make_encoder, make_multilingual_encoder
from matcher.embeddings.fake import FakeEncoder
from matcher.embeddings.language import LANGUAGES, detect_language, detect_languages, stop_words
from matcher.embeddings.multilingual import MultilingualEncoder
from matcher.embeddings.onnx_int8 import OnnxInt8Encoder, export_onnx_int8
from matcher.embeddings.sentence_transformer import SentenceTransformerEncoder
from matcher.embeddings.windowed import WindowedEncoder

__all__ = [
    "BACKENDS",
    "LANGUAGES",
    "CacheStats",
    "CachedEncoder",
    "EmbeddingCache",
    "Encoder",
    "FakeEncoder",
    "MultilingualEncoder",
    "OnnxInt8Encoder",
    "SentenceTransformerEncoder",
    "WindowedEncoder",
    "detect_language",
    "detect_languages",
    "export_onnx_int8",
    "l2_normalise",
    "make_encoder",
    "make_multilingual_encoder",
    "plan_windows",
    "pool_windows",
    "stop_words",
    "text_hash",
    "token_windows",
]
