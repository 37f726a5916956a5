"""Document matrices held once per machine: a read-only memory-mapped file per (model, texts).

Every server worker (and ``matcher match`` beside it) that fits the same stored documents with
the same model needs the same ``(n_docs, dim)`` float32 matrix.  Built in each process, that
is one copy per worker (0.9 GB per worker at 100k profiles with both real encoders).  Here the
first process writes the matrix to ``<dir>/<model>-<n>-<digest>.npy`` (atomically: a temporary
file, then a rename) and every process maps that file read-only, so its pages live once in the
operating system's page cache and are shared by all of them.

The file name is a digest of the model id and of every text's hash, in order, so a file is
either the right matrix or not used at all: correctness never depends on when files are
written or removed.  After writing a matrix, older matrices of the same model are removed (a
process still mapping one keeps its pages until it refits; on POSIX an unlinked mapped file
stays readable).  The files are derived data, rebuilt from the embedding cache on demand;
erasing a person removes them all (:func:`purge_matrices`), so no vector of an erased text
outlives the erasure on disk.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matcher.embeddings.base import Encoder, text_hash

log = logging.getLogger(__name__)

__all__ = ["encode_shared", "matrix_dir", "matrix_path", "purge_matrices"]


def matrix_dir(cache_path: Path) -> Path:
    """Where the shared matrices of the embedding cache ``cache_path`` live: ``<cache>.matrices/``."""
    return Path(cache_path).with_suffix(".matrices")


def _slug(model_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", model_id)[:80] or "model"


def matrix_path(directory: Path, model_id: str, texts: Sequence[str]) -> Path:
    """The file of the matrix of ``texts`` (in order) under ``model_id``."""
    h = hashlib.sha256(model_id.encode("utf-8"))
    for t in texts:
        h.update(bytes.fromhex(text_hash(t)))
    return Path(directory) / f"{_slug(model_id)}-{len(texts)}-{h.hexdigest()[:40]}.npy"


def _open(path: Path, rows: int, dim: int) -> np.ndarray | None:
    """The mapped matrix at ``path`` if it is one of the expected shape, else ``None``."""
    try:
        m = np.load(path, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # truncated or foreign file: rebuild it
        log.warning("shared matrix %s is unreadable (%s); rebuilding it", path, exc)
        return None
    if m.dtype != np.float32 or m.shape != (rows, dim):
        log.warning(
            "shared matrix %s has %s %s, expected float32 %s; rebuilding it",
            path,
            m.dtype,
            m.shape,
            (rows, dim),
        )
        return None
    return m


def _prune(path: Path) -> None:
    """Remove the other matrices of the same model (names ``<slug>-<n>-<digest>.npy``)."""
    slug = path.name.rsplit("-", 2)[0]
    for other in path.parent.glob("*.npy"):
        if other != path and other.name.rsplit("-", 2)[0] == slug:
            other.unlink(missing_ok=True)


def encode_shared(
    encoder: Encoder, texts: Sequence[str], directory: Path | None, *, progress: bool = False
) -> np.ndarray:
    """``encoder.encode(texts)``, held in a memory-mapped file under ``directory`` shared by processes.

    With ``directory=None`` this is plain ``encoder.encode``.  Otherwise the result is a
    read-only ``np.memmap`` of shape ``(len(texts), encoder.dim)``, float32, equal to what
    ``encoder.encode`` returns.  When the file cannot be written (read-only disk, disk full),
    the in-process matrix is returned and a warning logged: sharing saves memory, it is never
    needed for a right answer.
    """
    texts = list(texts)
    if directory is None or not texts:
        return encoder.encode(texts, progress=progress)
    path = matrix_path(directory, encoder.model_id, texts)
    mapped = _open(path, len(texts), encoder.dim)
    if mapped is not None:
        log.info("mapped %s (%d x %d) shared with other processes", path.name, *mapped.shape)
        return mapped
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.parent / ".lock", "a+b")  # noqa: SIM115 -- held until the matrix is on disk
    except OSError as exc:
        log.warning(
            "could not use %s for shared matrices (%s); this process keeps its own copy", path.parent, exc
        )
        return encoder.encode(texts, progress=progress)
    with lock:
        # Workers that start together wait here for the first one's file instead of embedding the
        # same corpus each and mapping files of their own (which would share nothing).
        fcntl.flock(lock, fcntl.LOCK_EX)
        mapped = _open(path, len(texts), encoder.dim)
        if mapped is not None:
            log.info("mapped %s (%d x %d), built by another process", path.name, *mapped.shape)
            return mapped
        vectors = np.ascontiguousarray(encoder.encode(texts, progress=progress), dtype=np.float32)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with open(tmp, "wb") as fh:
                np.save(fh, vectors, allow_pickle=False)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            log.warning("could not write shared matrix %s (%s); this process keeps its own copy", path, exc)
            return vectors
        _prune(path)
    mapped = _open(path, len(texts), encoder.dim)  # the private copy is freed when this returns
    return vectors if mapped is None else mapped  # None: removed by another process in between


def purge_matrices(cache_path: Path | None) -> int:
    """Remove every shared matrix of the embedding cache ``cache_path``; the number of files removed."""
    if cache_path is None:
        return 0
    directory = matrix_dir(cache_path)
    if not directory.is_dir():
        return 0
    n = 0
    for f in directory.iterdir():
        if f.suffix in (".npy", ".tmp"):
            f.unlink(missing_ok=True)
            n += 1
    return n
