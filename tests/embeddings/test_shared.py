"""Document matrices shared by processes through one read-only memory-mapped file."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from matcher.embeddings import FakeEncoder
from matcher.embeddings.shared import encode_shared, matrix_dir, matrix_path, purge_matrices

TEXTS = ["robotic welding cells", "sensor networks", "", "robotic welding cells", "laser cutting of steel"]


def _files(directory: Path) -> list[str]:
    """Every file but the lock (temporary files included)."""
    return sorted(p.name for p in directory.iterdir() if p.name != ".lock")


class Counting:
    """The fake encoder, counting its ``encode`` calls."""

    def __init__(self) -> None:
        self.inner = FakeEncoder()
        self.model_id, self.dim = self.inner.model_id, self.inner.dim
        self.calls = 0

    def encode(self, texts, *, progress=False):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.inner.encode(texts, progress=progress)


def test_the_mapped_matrix_is_what_the_encoder_returns_and_is_read_only(tmp_path: Path) -> None:
    enc = Counting()
    m = encode_shared(enc, TEXTS, tmp_path)
    assert isinstance(m, np.memmap) and m.dtype == np.float32 and m.shape == (len(TEXTS), enc.dim)
    np.testing.assert_array_equal(np.asarray(m), FakeEncoder().encode(TEXTS))
    assert Path(m.filename) == matrix_path(tmp_path, enc.model_id, TEXTS)
    with pytest.raises(ValueError, match="read-only"):
        m[0, 0] = 1.0  # no process can change what the others read


def test_a_second_process_maps_the_file_without_encoding(tmp_path: Path) -> None:
    first, second = Counting(), Counting()
    a = encode_shared(first, TEXTS, tmp_path)
    b = encode_shared(second, TEXTS, tmp_path)  # another worker: a new encoder, the same corpus
    assert (first.calls, second.calls) == (1, 0)
    assert a.filename == b.filename
    np.testing.assert_array_equal(a, b)
    assert _files(tmp_path) == [Path(a.filename).name]  # no temporary file left


def test_the_file_name_depends_on_model_order_and_every_text(tmp_path: Path) -> None:
    base = matrix_path(tmp_path, "m", TEXTS)
    assert matrix_path(tmp_path, "m", list(TEXTS)) == base
    assert matrix_path(tmp_path, "m2", TEXTS) != base
    assert matrix_path(tmp_path, "m", TEXTS[::-1]) != base
    assert matrix_path(tmp_path, "m", [*TEXTS[:-1], TEXTS[-1] + "."]) != base
    assert matrix_path(tmp_path, "m", TEXTS[:-1]) != base


def test_a_new_corpus_replaces_the_old_matrix_of_its_model_only(tmp_path: Path) -> None:
    small, other = FakeEncoder(), FakeEncoder(dim=16, model_id="fake-hash-16")  # two models
    old = encode_shared(small, TEXTS, tmp_path)
    kept = encode_shared(other, TEXTS, tmp_path)
    new = encode_shared(small, [*TEXTS, "one more profile"], tmp_path)
    names = _files(tmp_path)
    assert names == sorted([Path(kept.filename).name, Path(new.filename).name])
    np.testing.assert_array_equal(old, FakeEncoder().encode(TEXTS))  # a process still mapping it reads on


@pytest.mark.parametrize("damage", ["truncate", "wrong shape"])
def test_a_damaged_file_is_rebuilt(tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    enc = Counting()
    path = matrix_path(tmp_path, enc.model_id, TEXTS)
    tmp_path.mkdir(exist_ok=True)
    if damage == "truncate":
        path.write_bytes(b"\x93NUMPY\x01\x00")
    else:
        np.save(path, np.zeros((2, 3), np.float32))
    with caplog.at_level(logging.WARNING, logger="matcher.embeddings.shared"):
        m = encode_shared(enc, TEXTS, tmp_path)
    assert enc.calls == 1 and "rebuilding it" in caplog.text
    np.testing.assert_array_equal(m, FakeEncoder().encode(TEXTS))


def test_an_unwritable_directory_keeps_a_private_copy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with caplog.at_level(logging.WARNING, logger="matcher.embeddings.shared"):
        m = encode_shared(FakeEncoder(), TEXTS, blocked / "matrices")
    assert not isinstance(m, np.memmap) and "keeps its own copy" in caplog.text
    np.testing.assert_array_equal(m, FakeEncoder().encode(TEXTS))


def test_without_a_directory_it_is_the_plain_encoder(tmp_path: Path) -> None:
    m = encode_shared(FakeEncoder(), TEXTS, None)
    assert not isinstance(m, np.memmap)
    np.testing.assert_array_equal(m, FakeEncoder().encode(TEXTS))


def test_purge_removes_every_matrix_of_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "embeddings.sqlite"
    d = matrix_dir(cache)
    assert d == tmp_path / "embeddings.matrices"
    encode_shared(FakeEncoder(), TEXTS, d)
    encode_shared(FakeEncoder(dim=16, model_id="fake-hash-16"), TEXTS, d)
    assert purge_matrices(cache) == 2 and _files(d) == []
    assert purge_matrices(cache) == 0 and purge_matrices(None) == 0
    assert purge_matrices(tmp_path / "elsewhere.sqlite") == 0


def _build(directory: str, results) -> None:  # type: ignore[no-untyped-def]
    m = encode_shared(FakeEncoder(), TEXTS * 200, Path(directory))
    results.put(m.filename)


def test_workers_starting_together_map_one_file(tmp_path: Path) -> None:
    """Processes racing to build the same matrix wait for the first one's file (a lock), so all share it."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_build, args=(str(tmp_path), results)) for _ in range(3)]
    for p in procs:
        p.start()
    names = {results.get(timeout=120) for _ in procs}
    for p in procs:
        p.join(timeout=60)
    assert len(names) == 1 and _files(tmp_path) == [Path(names.pop()).name]
