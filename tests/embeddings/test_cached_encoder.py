"""CachedEncoder embeds each distinct text once per model id."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher.embeddings import CachedEncoder, EmbeddingCache, Encoder, FakeEncoder, text_hash
from matcher.exceptions import ModelMismatchError

TEXTS = ["laser welding of thin sheets", "smart grid control", "", "laser welding of thin sheets"]


def test_second_run_embeds_nothing(tmp_path: Path) -> None:
    fake = FakeEncoder()
    cached = CachedEncoder(fake, EmbeddingCache(tmp_path / "emb.sqlite"))
    first = cached.encode(TEXTS)
    assert fake.calls == 3  # the repeated text is encoded once
    assert (cached.hits, cached.misses) == (0, 3)
    second = cached.encode(TEXTS)
    assert fake.calls == 3
    assert (cached.hits, cached.misses) == (3, 3)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, FakeEncoder().encode(TEXTS))


def test_cache_survives_a_new_encoder_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "emb.sqlite"
    CachedEncoder(FakeEncoder(), EmbeddingCache(path)).encode(TEXTS)
    fresh = FakeEncoder()
    CachedEncoder(fresh, EmbeddingCache(path)).encode(TEXTS[:2])
    assert fresh.calls == 0


def test_two_model_ids_never_share_vectors(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    a = FakeEncoder(dim=32, model_id="fake-a")
    b = FakeEncoder(dim=32, model_id="fake-b")
    CachedEncoder(a, cache).encode(TEXTS)
    out_b = CachedEncoder(b, cache).encode(TEXTS)
    assert b.calls == 3  # nothing of model a was reused
    assert cache.stats().by_model == {"fake-a": 3, "fake-b": 3}
    h = text_hash(TEXTS[0])
    assert cache.get_many("fake-a", [h])[h] is not None
    np.testing.assert_array_equal(out_b, b.encode(TEXTS))


def test_cached_vector_of_another_dimension_is_refused(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    cache.put_many("fake-hash-64", {text_hash("x"): np.ones(3, dtype=np.float32)})
    with pytest.raises(ModelMismatchError):
        CachedEncoder(FakeEncoder(), cache).encode(["x"])


def test_it_is_an_encoder(tmp_path: Path) -> None:
    cached = CachedEncoder(FakeEncoder(), EmbeddingCache(tmp_path / "emb.sqlite"))
    assert isinstance(cached, Encoder)
    assert (cached.model_id, cached.dim) == ("fake-hash-64", 64)
    assert cached.encode([]).shape == (0, 64)
