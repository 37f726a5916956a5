"""The SQLite embedding cache: round trips, model scoping, erasure, many processes."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import numpy as np

from matcher.embeddings import EmbeddingCache, text_hash


def _vec(seed: int, dim: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


def test_round_trip_keeps_float32_values_and_dim(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "sub" / "emb.sqlite")
    cache.put_many("m", {"a": _vec(1), "b": _vec(2, dim=3)})
    got = cache.get_many("m", ["a", "b", "absent"])
    assert set(got) == {"a", "b"}
    np.testing.assert_array_equal(got["a"], _vec(1))
    assert got["b"].shape == (3,) and got["b"].dtype == np.float32
    assert cache.get_many("m", []) == {}


def test_model_ids_never_share_vectors(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    cache.put_many("model-a", {"h": _vec(1)})
    assert cache.get_many("model-b", ["h"]) == {}
    cache.put_many("model-b", {"h": _vec(2)})
    np.testing.assert_array_equal(cache.get_many("model-a", ["h"])["h"], _vec(1))
    np.testing.assert_array_equal(cache.get_many("model-b", ["h"])["h"], _vec(2))


def test_delete_texts_erases_every_models_vector(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    secret, kept = "CV of Ana García", "a public project summary"
    for model in ("m1", "m2"):
        cache.put_many(model, {text_hash(secret): _vec(1), text_hash(kept): _vec(2)})
    assert cache.delete_texts([secret, secret]) == 2
    assert cache.get_many("m1", [text_hash(secret)]) == {}
    assert cache.get_many("m2", [text_hash(secret)]) == {}
    assert cache.stats().by_model == {"m1": 1, "m2": 1}
    assert cache.delete_texts([]) == 0


def test_stats_and_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "emb.sqlite"
    cache = EmbeddingCache(path)
    empty = cache.stats()
    assert empty.n_vectors == 0 and empty.by_model == {}
    cache.put_many("m", {str(i): _vec(i) for i in range(1200)})  # more than one IN-chunk
    assert len(cache.get_many("m", [str(i) for i in range(1200)])) == 1200
    stats = cache.stats()
    assert stats.n_vectors == 1200 and stats.by_model == {"m": 1200} and stats.size_bytes > 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _writer(path: str, start: int) -> None:
    cache = EmbeddingCache(path)
    for i in range(start, start + 40):
        cache.put_many("m", {f"k{i}": _vec(i)})


def test_two_processes_write_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "emb.sqlite"
    EmbeddingCache(path).stats()  # create the file first
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), start)) for start in (0, 40)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert EmbeddingCache(path).stats().n_vectors == 80
