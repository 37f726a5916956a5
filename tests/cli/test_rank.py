"""``matcher rank`` end to end with the fake encoder, and its service with an injected encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.embeddings import CachedEncoder, EmbeddingCache, FakeEncoder
from matcher.ranking import DEFAULT_METHOD
from matcher.services.rank_files import rank_files

TOPICS = {
    "weld": "laser welding of aluminium frames for automotive chassis",
    "solar": "photovoltaic solar panel efficiency and energy storage batteries",
    "pack": "packaging machinery for food with robotic pick and place",
    "med": "medical device sterilisation and pharma process validation",
}


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for var in ("MATCHER_CACHE_PATH", "MATCHER_VAR_DIR", "MATCHER_EMBEDDING_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    challenges = _write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": f"c-{k}", "text": f"we need help with {v}", "language": "en", "extra": 1}
            for k, v in TOPICS.items()
        ],
    )
    profiles = _write_jsonl(
        tmp_path / "p.jsonl",
        [
            {
                "id": f"p-{k}",
                "language": "en",
                "documents": [{"id": f"{k}-{i}", "text": f"study {i}: {v}"} for i in range(3)],
            }
            for k, v in TOPICS.items()
        ],
    )
    return tmp_path, challenges, profiles


def _run(tmp: Path, c: Path, p: Path, *extra: str) -> int:
    args = ["rank", "--challenges", str(c), "--profiles", str(p), "--out", str(tmp / "run.trec")]
    return main([*args, "--backend", "fake", "--cache", str(tmp / "cache.sqlite"), *extra])


def test_rank_writes_trec_lines_and_sidecar(inputs):
    tmp, c, p = inputs
    assert _run(tmp, c, p, "--top-k", "2", "--run-name", "tag1") == 0
    lines = (tmp / "run.trec").read_text().splitlines()
    assert len(lines) == 4 * 2
    rows = [ln.split(" ") for ln in lines]
    assert all(len(r) == 6 and r[1] == "Q0" and r[5] == "tag1" for r in rows)
    by_query: dict[str, list[list[str]]] = {}
    for r in rows:
        by_query.setdefault(r[0], []).append(r)
    for qid, rs in by_query.items():
        assert [int(r[3]) for r in rs] == [1, 2]
        assert float(rs[0][4]) >= float(rs[1][4])
        assert rs[0][2] == qid.replace("c-", "p-")  # the right profile first
    meta = json.loads((tmp / "run.trec.json").read_text())
    assert meta["method"] == DEFAULT_METHOD and meta["model_id"] == "fake-hash-64"
    assert meta["counts"] == {"challenges": 4, "profiles": 4, "documents": 12, "lines": 8}
    assert meta["command_line"].startswith("matcher rank ") and meta["timestamp"]


def test_top_k_zero_lists_every_profile_and_methods(inputs):
    tmp, c, p = inputs
    assert _run(tmp, c, p, "--top-k", "0", "--method", "dense-max") == 0
    lines = (tmp / "run.trec").read_text().splitlines()
    assert len(lines) == 16
    assert lines[0].endswith(" cluster-match-dense-max")


def test_second_run_embeds_nothing(inputs):
    tmp, c, p = inputs
    assert _run(tmp, c, p) == 0
    first = json.loads((tmp / "run.trec.json").read_text())["embedding"]["main"]
    assert first["encoded"] == 16
    assert _run(tmp, c, p) == 0
    second = json.loads((tmp / "run.trec.json").read_text())["embedding"]["main"]
    assert second["encoded"] == 0 and second["cached"] == 16


def test_service_with_injected_encoder_embeds_each_text_once(inputs):
    tmp, c, p = inputs
    fake = FakeEncoder()
    encoder = CachedEncoder(fake, EmbeddingCache(tmp / "svc.sqlite"))
    multi = FakeEncoder(dim=32, model_id="fake-multi")
    s1 = rank_files(c, p, tmp / "a.trec", encoder=encoder, multi_encoder=multi, top_k=0)
    calls = fake.calls
    assert calls == 16 and s1.n_lines == 16 and s1.multi_model_id is None  # all English: no multilingual
    rank_files(c, p, tmp / "b.trec", encoder=encoder, top_k=0)
    assert fake.calls == calls
    assert (tmp / "a.trec").read_text() != "" and (tmp / "b.trec").read_text() == (tmp / "a.trec").read_text()


def test_cross_language_uses_multilingual_encoder(inputs):
    tmp, c, p = inputs
    _write_jsonl(c, [{"id": "c-es", "text": "soldadura laser de aluminio", "language": "es"}])
    multi = FakeEncoder(dim=32, model_id="fake-multi")
    s = rank_files(c, p, tmp / "x.trec", encoder=FakeEncoder(), multi_encoder=lambda: multi, top_k=0)
    assert s.multi_model_id == "fake-multi" and multi.calls == 13
    meta = json.loads((tmp / "x.trec.json").read_text())
    assert meta["languages"]["challenges"] == {"es": 1}


@pytest.mark.parametrize(
    ("which", "rows", "expected"),
    [
        ("c", ['{"id": "a", "text": "x"}', "{not json"], "line 2"),
        ("c", [{"id": "a"}], "line 1, field 'text'"),
        ("c", [{"id": 3, "text": "x"}], "field 'id'"),
        ("c", [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], "line 2, field 'id': duplicate"),
        ("c", ["", "   "], "holds no records"),
        ("c", [{"id": "a b", "text": "x"}], "whitespace"),
        ("p", [{"id": "p", "documents": []}], "line 1, field 'documents'"),
        ("p", [{"id": "p", "documents": [{"id": "d", "text": 5}]}], "field 'documents[0].text'"),
        ("p", [{"id": "p", "documents": [{"id": "d", "text": "t"}]}, {"id": "p", "documents": []}], "line 2"),
    ],
)
def test_validation_errors_exit_2_with_location(inputs, capsys, which, rows, expected):
    tmp, c, p = inputs
    bad = _write_jsonl(tmp / "bad.jsonl", rows)
    code = _run(tmp, bad, p) if which == "c" else _run(tmp, c, bad)
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.jsonl" in err and expected in err


def test_unknown_method_exits_2(inputs, capsys):
    tmp, c, p = inputs
    assert _run(tmp, c, p, "--method", "nope") == 2
    assert "--method" in capsys.readouterr().err


def _trec(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        q, _, p, *_ = line.split(" ")
        out.setdefault(q, []).append(p)
    return out


@pytest.mark.parametrize("backend", ["exact", "faiss", "usearch"])
def test_rank_index_option_matches_exact_search(inputs, backend):
    tmp, c, p = inputs
    if backend != "exact":
        pytest.importorskip(backend)
    assert _run(tmp, c, p, "--top-k", "2") == 0
    exact = (tmp / "run.trec").read_text()
    assert _run(tmp, c, p, "--top-k", "2", "--index", backend, "--index-docs", "6") == 0
    got = (tmp / "run.trec").read_text()
    if backend == "exact":
        assert got == exact
    else:  # approximate candidates, exact re-scoring: the right profile still comes first
        assert {q: ps[0] for q, ps in _trec(tmp / "run.trec").items()} == {f"c-{k}": f"p-{k}" for k in TOPICS}
    meta = json.loads((tmp / "run.trec.json").read_text())
    assert meta["index"] == backend


def test_rank_rejects_an_unknown_index(inputs):
    tmp, c, p = inputs
    assert _run(tmp, c, p, "--index", "annoy") == 2
