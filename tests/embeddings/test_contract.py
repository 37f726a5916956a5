"""One contract suite, run against every encoder: shapes, dtype, unit norm, empty text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher.embeddings import CachedEncoder, EmbeddingCache, Encoder, FakeEncoder

TEXTS = ["Additive manufacturing of titanium brackets.", "", "Diseño de moldes", "x " * 400]


@pytest.fixture(
    params=[
        "fake",
        "cached-fake",
        pytest.param("minilm", marks=pytest.mark.slow),
        pytest.param("minilm_onnx", marks=pytest.mark.slow),
        pytest.param("use_multilingual", marks=pytest.mark.slow),
    ]
)
def encoder(request: pytest.FixtureRequest, tmp_path: Path) -> Encoder:
    if request.param == "fake":
        return FakeEncoder()
    if request.param == "cached-fake":
        return CachedEncoder(FakeEncoder(), EmbeddingCache(tmp_path / "emb.sqlite"))
    enc: Encoder = request.getfixturevalue(request.param)
    return enc


def test_encoder_contract(encoder: Encoder) -> None:
    assert isinstance(encoder, Encoder)
    assert isinstance(encoder.model_id, str) and encoder.model_id
    out = encoder.encode(TEXTS)
    assert out.shape == (len(TEXTS), encoder.dim)
    assert out.dtype == np.float32
    norms = np.linalg.norm(out, axis=1)
    np.testing.assert_allclose(norms[[0, 2, 3]], 1.0, atol=1e-5)
    assert norms[1] == 0.0  # the empty text is the zero vector
    assert encoder.encode([]).shape == (0, encoder.dim)
    np.testing.assert_allclose(encoder.encode(TEXTS[:1]), out[:1], atol=1e-5)
