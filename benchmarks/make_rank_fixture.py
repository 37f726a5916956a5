"""Write ``matcher rank`` inputs of a given size from the demo programme's texts.

The issue's size is 500 challenges x 60 profiles x 20 long abstracts each::

    .venv/bin/python benchmarks/make_rank_fixture.py --demo var/demo --out /tmp/rankfix \\
        --challenges 500 --profiles 60 --docs 20

Challenges are the demo challenges (title, description, required skills: the text
the product matches on), recycled with a second challenge's description appended
when more are asked for than the demo holds, so every text is distinct. Each
profile is seeded by one demo research group or academic; its documents are "long
abstracts" of at least ``--min-words`` words (default 150), made of sentences
drawn at random from that owner's publications and project summaries, topped up
from other ones. Every text is distinct (a cache hit would otherwise flatter the
cold timing). Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

from matcher.formats.jsonl import read_objects, write_jsonl

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def make_fixture(
    demo: Path, out: Path, *, n_challenges: int, n_profiles: int, n_docs: int, min_words: int, seed: int
) -> tuple[Path, Path]:
    """Write ``out/challenges.jsonl`` and ``out/profiles.jsonl``; return their paths."""
    from matcher.ranking.rules import challenge_text_of

    rng = np.random.default_rng(seed)
    challenges = sorted(read_objects(demo / "challenges.jsonl"), key=lambda c: c["id"])
    docs = [d for d in read_objects(demo / "documents.jsonl") if d["kind"] in ("publication", "project")]
    by_profile: dict[str, list[str]] = {}
    for d in docs:
        by_profile.setdefault(d["profile_id"], []).extend(
            s for s in _SENTENCE_END.split(d["text"]) if len(s.split()) >= 4
        )
    all_sentences = [s for ss in by_profile.values() for s in ss]
    owners = sorted(p for p, ss in by_profile.items() if len(ss) >= 6)

    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n_challenges):
        c = challenges[i % len(challenges)]
        text = challenge_text_of(c["title"], c["description"], c.get("required_skills", []))
        if i >= len(challenges):
            other = challenges[(i * 7 + 3) % len(challenges)]
            text += "\n" + other["description"]
        rows.append({"id": f"c{i:04d}", "text": text, "language": c.get("language", "en")})
    write_jsonl(out / "challenges.jsonl", rows)

    seen: set[str] = set()
    profiles = []
    for j in range(n_profiles):
        owner = owners[int(rng.integers(len(owners)))]
        own = by_profile[owner]
        documents = []
        for k in range(n_docs):
            words, parts = 0, []
            while words < min_words:
                pool = own if rng.random() < 0.7 else all_sentences
                s = pool[int(rng.integers(len(pool)))]
                parts.append(s)
                words += len(s.split())
            text = " ".join(parts)
            while text in seen:  # astronomically rare; keep every text distinct
                text += " " + all_sentences[int(rng.integers(len(all_sentences)))]
            seen.add(text)
            documents.append({"id": f"p{j:03d}-d{k:02d}", "text": text, "language": "en"})
        profiles.append({"id": f"p{j:03d}", "seed_profile": owner, "documents": documents})
    write_jsonl(out / "profiles.jsonl", profiles)
    return out / "challenges.jsonl", out / "profiles.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--demo", type=Path, default=Path("var/demo"), help="demo programme folder")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--challenges", type=int, default=500)
    ap.add_argument("--profiles", type=int, default=60)
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--min-words", type=int, default=150)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    c, p = make_fixture(
        a.demo, a.out, n_challenges=a.challenges, n_profiles=a.profiles, n_docs=a.docs,
        min_words=a.min_words, seed=a.seed,
    )  # fmt: skip
    n_words = [len(d["text"].split()) for line in p.open() for d in json.loads(line)["documents"]]
    print(f"wrote {c} and {p}: {len(n_words)} documents, mean {np.mean(n_words):.0f} words")


if __name__ == "__main__":
    main()
