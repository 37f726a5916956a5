"""``matcher needs cluster``: the file contract, end to end with the fake encoder."""

from __future__ import annotations

import json

import pytest

from matcher.cli import main

GROUPS = {
    "weld": ["laser welding of aluminium frames", "laser welding seams crack", "welding robot laser cell"],
    "solar": [
        "solar panel efficiency storage",
        "solar inverter battery storage",
        "battery storage solar farm",
    ],
    "pack": ["packaging machinery food trays", "food packaging line speed", "packaging film food sealing"],
}


@pytest.fixture
def challenges(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MATCHER_EMBEDDING_BACKEND", "fake")
    monkeypatch.setenv("MATCHER_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("MATCHER_CACHE_PATH", raising=False)
    rows = [{"id": f"{g}-{i}", "text": t, "language": "en", "sector": "x"}
            for g, texts in GROUPS.items() for i, t in enumerate(texts)]  # fmt: skip
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_contract(challenges, tmp_path):
    out = tmp_path / "out" / "clusters.json"
    assert main(["needs", "cluster", "--challenges", str(challenges), "--out", str(out), "--quiet"]) == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert list(body) == ["clusters"]
    members = []
    for c in body["clusters"]:
        assert set(c) == {"id", "label", "terms", "members"}
        assert isinstance(c["label"], str) and c["label"]
        assert all(isinstance(t, str) for t in c["terms"])
        members += c["members"]
    ids = [f"{g}-{i}" for g, texts in GROUPS.items() for i in range(len(texts))]
    assert sorted(members) == sorted(ids) and len(members) == len(set(members))
    # the three groups share words within and none across: they are the clusters
    found = sorted(sorted(c["members"]) for c in body["clusters"])
    assert found == sorted(sorted(f"{g}-{i}" for i in range(3)) for g in GROUPS)
    again = tmp_path / "again.json"
    assert main(["needs", "cluster", "--challenges", str(challenges), "--out", str(again), "--quiet"]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "message"),
    [('{"id": "a", "text": ""}', "c.jsonl, line 2, field 'text': must not be empty"),
     ('{"id": "weld-0", "text": "x"}', "c.jsonl, line 2, field 'id': duplicate id"),
     ("not json", "c.jsonl, line 2: invalid JSON")],
)  # fmt: skip
def test_bad_input_is_located_and_exits_2(tmp_path, monkeypatch, capsys, line, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MATCHER_EMBEDDING_BACKEND", "fake")
    monkeypatch.setenv("MATCHER_VAR_DIR", str(tmp_path / "var"))
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "weld-0", "text": "laser"}\n' + line + "\n", encoding="utf-8")
    out = tmp_path / "clusters.json"
    assert main(["needs", "cluster", "--challenges", str(path), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
