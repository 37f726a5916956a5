"""Attributes of the demo programme that reports group by: languages and councils.

``query_languages`` (challenge -> language), ``doc_languages`` (profile -> the majority
language of its documents) and ``item_groups`` (profile -> council of its owner) feed the
per-language-pair bars and the exposure Lorenz curves of the benchmark reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from matcher.formats.jsonl import read_objects


def demo_annotations(data: Path) -> dict[str, dict[str, str]]:
    """``{"query_languages": ..., "doc_languages": ..., "item_groups": ...}`` from the demo files in ``data``."""
    data = Path(data)
    orgs = {o["id"]: o for o in read_objects(data / "organisations.jsonl")}
    people = {p["id"]: p for p in read_objects(data / "people.jsonl")}
    facilities = {f["id"]: f for f in read_objects(data / "facilities.jsonl")}
    langs: dict[str, Counter[str]] = defaultdict(Counter)
    for d in read_objects(data / "documents.jsonl"):
        langs[d["profile_id"]][d.get("language", "en")] += 1
    councils: dict[str, str] = {}
    for p in read_objects(data / "profiles.jsonl"):
        owner = p["owner_id"]
        if p["owner_type"] == "organisation":
            councils[p["id"]] = orgs[owner]["council"]
        elif p["owner_type"] == "person":
            councils[p["id"]] = orgs[people[owner]["organisation_id"]]["council"]
        else:
            councils[p["id"]] = facilities[owner]["council"]
    return {
        "query_languages": {
            c["id"]: c.get("language", "en") for c in read_objects(data / "challenges.jsonl")
        },
        "doc_languages": {pid: c.most_common(1)[0][0] for pid, c in langs.items()},
        "item_groups": councils,
    }
