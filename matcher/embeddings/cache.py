"""A persistent embedding cache: one SQLite file, keyed by (model_id, text hash).

Vectors are stored as raw float32 bytes with their dimension.  The file runs in
WAL mode with a busy timeout, so several processes (the API and a batch job) may
read and write it at once; every call opens its own short-lived connection and
writes in one transaction.  Only the stdlib ``sqlite3`` is used: the cache is an
adapter of this package, not part of the application database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.embeddings.base import text_hash

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id  TEXT    NOT NULL,
    text_hash TEXT    NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB    NOT NULL,
    PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_embeddings_text_hash ON embeddings (text_hash);
"""
_CHUNK = 500  # bound parameters per statement (SQLite allows at least 999)


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class CacheStats:
    """What an :class:`EmbeddingCache` holds.

    Attributes
    ----------
    path : str
    n_vectors : int
        Vectors over all models.
    by_model : dict of str to int
        Vectors per ``model_id``.
    size_bytes : int
        Size of the SQLite file (without its WAL).
    """

    path: str
    n_vectors: int
    by_model: dict[str, int]
    size_bytes: int


class EmbeddingCache:
    """Vectors keyed by ``(model_id, text_hash)`` in a SQLite file.

    Parameters
    ----------
    path : Path
        The SQLite file; it and its parent directory are created on first use.

    Notes
    -----
    Two model ids never share a vector: every lookup is scoped by ``model_id``.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._ready = False

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30.0)
        with closing(conn):
            conn.execute("PRAGMA busy_timeout = 30000")
            if not self._ready:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.executescript(_SCHEMA)
                self._ready = True
            conn.execute("PRAGMA synchronous = NORMAL")
            with conn:  # one transaction: commit on success, roll back on error
                yield conn

    def get_many(self, model_id: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Cached vectors of ``model_id`` for the given text hashes.

        Returns
        -------
        dict of str to ndarray of shape (dim,), dtype float32
            Only the hashes that are cached.
        """
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        if not wanted:
            return found
        with self._connect() as conn:
            for part in _chunks(wanted):
                marks = ",".join("?" * len(part))
                rows = conn.execute(
                    f"SELECT text_hash, dim, vector FROM embeddings "
                    f"WHERE model_id = ? AND text_hash IN ({marks})",
                    (model_id, *part),
                )
                for h, dim, blob in rows:
                    found[h] = np.frombuffer(blob, dtype=np.float32, count=dim).copy()
        return found

    def put_many(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Store (or replace) vectors of ``model_id`` keyed by text hash.

        Parameters
        ----------
        model_id : str
        vectors : mapping of str to ndarray of shape (dim,)
            Stored as float32.
        """
        rows = []
        for h, vec in vectors.items():
            arr = np.ascontiguousarray(vec, dtype=np.float32).ravel()
            rows.append((model_id, h, int(arr.shape[0]), arr.tobytes()))
        if not rows:
            return
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model_id, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
                rows,
            )

    def delete_texts(self, texts: Iterable[str]) -> int:
        """Erase every model's vector of these texts (e.g. a person's data on request).

        Returns
        -------
        int
            Vectors removed.
        """
        hashes = list(dict.fromkeys(text_hash(t) for t in texts))
        removed = 0
        if not hashes:
            return removed
        with self._connect() as conn:
            for part in _chunks(hashes):
                marks = ",".join("?" * len(part))
                cur = conn.execute(f"DELETE FROM embeddings WHERE text_hash IN ({marks})", tuple(part))
                removed += cur.rowcount
        return removed

    def stats(self) -> CacheStats:
        """Counts of cached vectors, overall and per model, and the file size."""
        with self._connect() as conn:
            by_model = {
                str(m): int(n)
                for m, n in conn.execute(
                    "SELECT model_id, COUNT(*) FROM embeddings GROUP BY model_id ORDER BY model_id"
                )
            }
        return CacheStats(
            path=str(self.path),
            n_vectors=sum(by_model.values()),
            by_model=by_model,
            size_bytes=self.path.stat().st_size if self.path.exists() else 0,
        )
