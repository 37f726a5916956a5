"""Tests of the demo programme generator (matcher.demo)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import typing
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matcher.demo import TARGETS, DemoSummary, generate
from matcher.types import ENTITY_TYPES

QRELS = ("consultancy", "placement", "partner", "facility")


@pytest.fixture(scope="session")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    out = tmp_path_factory.mktemp("demo_full")
    return out, generate(out, seed=7, scale=1.0)


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    out = tmp_path_factory.mktemp("demo_small")
    return out, generate(out, seed=7, scale=0.1)


def _read(out: Path, name: str) -> list[dict[str, Any]]:
    with (out / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _qrels(out: Path, mtype: str) -> list[tuple[str, str, int]]:
    rows = []
    for line in (out / "ground_truth" / f"{mtype}.qrels").read_text(encoding="utf-8").splitlines():
        cid, zero, pid, grade = line.split()
        assert zero == "0"
        rows.append((cid, pid, int(grade)))
    return rows


def _convert(tp: Any, value: Any) -> Any:
    """Convert a JSON value to the annotated type (a stand-in for the real ingest)."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value)
    if origin is tuple:
        assert isinstance(value, list)
        return tuple(_convert(args[0], v) for v in value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    if tp in (str, int, bool):
        assert isinstance(value, tp), (tp, value)
    return value


def _build(cls: type, rec: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    assert set(rec) <= names, set(rec) - names
    return cls(**{k: _convert(hints[k], v) for k, v in rec.items()})


def test_files_named_after_entity_types(full: tuple[Path, DemoSummary]) -> None:
    out, summary = full
    for name in ENTITY_TYPES:
        assert (out / f"{name}.jsonl").is_file()
    for m in QRELS:
        assert (out / "ground_truth" / f"{m}.qrels").stat().st_size > 0
    assert (out / "ground_truth" / "topics.json").is_file()
    assert (out / "ground_truth" / "README.md").is_file()
    assert set(summary.counts) == set(ENTITY_TYPES)
    assert set(summary.per_council) == {"malaga", "alcala", "bologna", "cork", "istanbul", "paris"}
    for name, n in summary.counts.items():
        assert sum(c[name] for c in summary.per_council.values()) == n


def test_every_record_parses_into_its_dataclass(full: tuple[Path, DemoSummary]) -> None:
    out, summary = full
    for name, cls in ENTITY_TYPES.items():
        recs = _read(out, name)
        assert len(recs) == summary.counts[name]
        built = [_build(cls, r) for r in recs]
        assert len({b.id for b in built}) == len(built), f"duplicate ids in {name}"


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path, small: tuple[Path, DemoSummary]) -> None:
    out, _ = small
    again = generate(tmp_path / "a", seed=7, scale=0.1)
    other = generate(tmp_path / "b", seed=8, scale=0.1)
    files = [f"{n}.jsonl" for n in ENTITY_TYPES] + [f"ground_truth/{m}.qrels" for m in QRELS]
    files.append("ground_truth/topics.json")
    for f in files:
        assert (out / f).read_bytes() == (again.out_dir / f).read_bytes(), f
    assert (out / "challenges.jsonl").read_bytes() != (other.out_dir / "challenges.jsonl").read_bytes()
    assert (out / "documents.jsonl").read_bytes() != (other.out_dir / "documents.jsonl").read_bytes()


def test_counts_near_targets(full: tuple[Path, DemoSummary]) -> None:
    out, s = full
    orgs = Counter(r["kind"] for r in _read(out, "organisations"))
    people = Counter(r["kind"] for r in _read(out, "people"))
    assert orgs["sme"] == TARGETS["smes"]
    assert orgs["hei"] == 6 and orgs["science_park"] == 6
    assert 35 <= orgs["research_group"] <= 45
    assert 50 <= people["academic"] <= 70
    assert 550 <= people["student"] <= 650
    assert people["sme_staff"] > 50
    assert 350 <= s.counts["challenges"] <= 450
    assert 35 <= s.counts["facilities"] <= 45
    assert 2000 <= s.counts["documents"] + s.counts["challenges"] <= 4000
    for council, counts in s.per_council.items():
        assert counts["challenges"] > 30, council


def test_counts_proportional_at_small_scale(
    full: tuple[Path, DemoSummary], small: tuple[Path, DemoSummary]
) -> None:
    (_, f), (so, s) = full, small
    for name in ("challenges", "people", "documents", "profiles"):
        ratio = s.counts[name] / f.counts[name]
        assert 0.06 <= ratio <= 0.16, (name, ratio)
    assert Counter(r["kind"] for r in _read(so, "organisations"))["sme"] == 30


def test_references_resolve(full: tuple[Path, DemoSummary]) -> None:
    out, _ = full
    orgs = {r["id"]: r for r in _read(out, "organisations")}
    people = {r["id"]: r for r in _read(out, "people")}
    facilities = {r["id"]: r for r in _read(out, "facilities")}
    challenges = {r["id"]: r for r in _read(out, "challenges")}
    profiles = {r["id"]: r for r in _read(out, "profiles")}
    for o in orgs.values():
        if o["kind"] == "research_group":
            assert orgs[o["parent_id"]]["kind"] == "hei"
    assert all(p["organisation_id"] in orgs for p in people.values())
    assert all(orgs[c["sme_id"]]["kind"] == "sme" for c in challenges.values())
    assert all(f["host_id"] in orgs for f in facilities.values())
    owners = {"organisation": orgs, "person": people, "facility": facilities}
    for p in profiles.values():
        assert p["owner_id"] in owners[p["owner_type"]]
        assert p["id"] == f"prof-{p['owner_id']}"
    assert all(d["profile_id"] in profiles for d in _read(out, "documents"))
    nodes = {"organisation": orgs, "person": people, "facility": facilities, "challenge": challenges}
    for r in _read(out, "relationships"):
        assert r["source_id"] in nodes[r["source_type"]] and r["target_id"] in nodes[r["target_type"]]
        if r["kind"] == "joint_eu_project":
            assert orgs[r["source_id"]]["country"] != orgs[r["target_id"]]["country"]
    for m in QRELS:
        rows = _qrels(out, m)
        assert rows, m
        for cid, pid, grade in rows:
            assert cid in challenges and pid in profiles and 1 <= grade <= 3
            assert m in challenges[cid]["programmes"]


def test_about_a_fifth_of_challenges_not_in_english(full: tuple[Path, DemoSummary]) -> None:
    out, _ = full
    orgs = {r["id"]: r for r in _read(out, "organisations")}
    local = {"malaga": "es", "alcala": "es", "bologna": "it", "paris": "fr", "istanbul": "tr", "cork": "en"}
    chs = _read(out, "challenges")
    share = sum(c["language"] != "en" for c in chs) / len(chs)
    assert 0.14 <= share <= 0.27, share
    for c in chs:
        assert c["language"] in ("en", local[orgs[c["sme_id"]]["council"]])


def test_partner_qrels_always_cross_country(full: tuple[Path, DemoSummary]) -> None:
    out, _ = full
    orgs = {r["id"]: r for r in _read(out, "organisations")}
    sme_of = {c["id"]: c["sme_id"] for c in _read(out, "challenges")}
    owner = {p["id"]: p["owner_id"] for p in _read(out, "profiles")}
    for cid, pid, _ in _qrels(out, "partner"):
        assert orgs[owner[pid]]["kind"] in ("research_group", "hei", "sme")
        assert orgs[owner[pid]]["country"] != orgs[sme_of[cid]]["country"]


def test_challenge_texts_vary_in_length(full: tuple[Path, DemoSummary]) -> None:
    out, _ = full
    words = np.array([len(c["description"].split()) for c in _read(out, "challenges")])
    assert (words <= 30).mean() > 0.15
    assert (words >= 150).mean() > 0.1
    docs = [d for d in _read(out, "documents") if d["kind"] == "publication"]
    lengths = [len(d["text"].split()) for d in docs]
    assert min(lengths) >= 80 and max(lengths) <= 200


def test_matching_is_neither_trivial_nor_random(full: tuple[Path, DemoSummary]) -> None:
    """Top TF-IDF profile is a grade-3 profile well below always, far above chance."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    out, _ = full
    texts: dict[str, list[str]] = {}
    for d in _read(out, "documents"):
        texts.setdefault(d["profile_id"], []).append(d["text"])
    chs = {c["id"]: c for c in _read(out, "challenges")}
    qrels: dict[str, dict[str, int]] = {}
    for cid, pid, g in _qrels(out, "consultancy"):
        qrels.setdefault(cid, {})[pid] = g
    owner_kind = {p["id"]: p["owner_id"].split("-")[0] for p in _read(out, "profiles")}
    cands = sorted(p for p in texts if owner_kind[p] in ("rg", "acad", "stu"))
    qids = sorted(c for c in qrels if chs[c]["language"] == "en")
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    P = vec.fit_transform([" ".join(texts[p]) for p in cands])
    Q = vec.transform([chs[c]["title"] + " " + chs[c]["description"] for c in qids])
    top = np.asarray((Q @ P.T).argmax(axis=1)).ravel()
    hits = np.mean([qrels[c].get(cands[i], 0) == 3 for c, i in zip(qids, top, strict=True)])
    chance = np.mean([sum(g == 3 for g in qrels[c].values()) / len(cands) for c in qids])
    assert hits < 0.85, hits
    assert hits > 4 * chance, (hits, chance)
    assert hits > 0.25, hits


def test_no_topic_ids_or_shared_templates_in_texts(full: tuple[Path, DemoSummary]) -> None:
    out, _ = full
    chs = _read(out, "challenges")
    docs = _read(out, "documents")
    assert not any(" T0" in c["description"] or " T1" in c["description"] for c in chs)
    ch_sents = {s.strip() for c in chs for s in c["description"].split(".") if len(s.split()) > 6}
    doc_sents = {s.strip() for d in docs for s in d["text"].split(".") if len(s.split()) > 6}
    assert len(ch_sents & doc_sents) == 0


def test_no_template_slot_is_left_unfilled(full: tuple[Path, DemoSummary]) -> None:
    import re

    out, _ = full
    slot = re.compile(r"\{[a-z_0-9]*\}")
    for name in ("challenges.jsonl", "documents.jsonl", "organisations.jsonl", "facilities.jsonl"):
        text = (out / name).read_text(encoding="utf-8")
        assert not slot.search(text), f"{name}: {slot.search(text).group(0)}"  # type: ignore[union-attr]
