"""Erase a person everywhere the store knows: records, match records, relationships, cached vectors,
and their node in the collaboration graph.

One service for every edge that erases (``matcher erase-person`` and
``DELETE /people/{id}``), so that the right to erasure means the same thing in both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matcher.embeddings.shared import purge_matrices
from matcher.services import graph
from matcher.store import Session
from matcher.store import erasure as erasure_store


def erase_person(person_id: str, *, session: Session, cache_path: Path | None) -> dict[str, Any]:
    """Delete a person, everything that names them, and the cached vectors of their documents.

    The rows go in the caller's transaction (:func:`matcher.store.erasure.erase_person`);
    the vectors are purged from the embedding cache at once.  Should the transaction later
    roll back, the person is still there and their vectors are simply computed again on
    next use -- whereas purging after the commit could leave vectors of an erased person
    behind if the process stopped in between.

    Parameters
    ----------
    person_id : str
        The person's external id.
    session : Session
        The caller's session; it is flushed, never committed.
    cache_path : Path or None
        The embedding cache (``Settings.resolved_cache_path``); ``None`` or a missing file
        means there is nothing cached to purge.

    Returns
    -------
    dict
        Counts of what was removed: ``person``, ``profiles``, ``documents``,
        ``match_records``, ``relationships``, ``cached_vectors`` (vectors of every model) and
        ``shared_matrices`` (files of :mod:`matcher.embeddings.shared`, all of them: derived data).

    Raises
    ------
    NotFoundError
        No person has this id.
    """
    removed = erasure_store.erase_person(person_id, session=session)
    texts: list[str] = removed.pop("texts")
    removed["cached_vectors"] = purge_cached_vectors(texts, cache_path=cache_path)
    # the shared document matrices hold their vectors too; they are rebuilt from the cache on the next fit
    removed["shared_matrices"] = purge_matrices(cache_path)
    graph.forget_node(person_id)  # the node and its edges leave every cached collaboration graph
    return removed


def purge_cached_vectors(texts: list[str], *, cache_path: Path | None) -> int:
    """Remove every model's cached vector of ``texts``; the number of vectors removed."""
    if not texts or cache_path is None or not Path(cache_path).exists():
        return 0
    from matcher.embeddings.cache import EmbeddingCache

    return int(EmbeddingCache(cache_path).delete_texts(texts))
