"""Graded relevance of the demo programme, derived from the latent topics.

Grades (written as TREC qrels by :func:`matcher.formats.trec.write_qrels`, only grade >= 1):

* **3**: the challenge's main topic is a *main* topic of the profile;
* **2**: the main topic is a *minor* topic of the profile, or the challenge's secondary
  topic is a main topic of the profile;
* **1**: the secondary topic is a minor topic of the profile, or the main topic belongs to
  the same family (e.g. energy, ICT) as one of the profile's main topics.

Which profiles are candidates depends on the match type: consultancy (research groups,
academics, students), placement (academics), partner (research groups, HEIs and SMEs in
another country), facility (facility profiles; labs and equipment by topic, minus one
grade when the kind differs from the kind the challenge asks for; hot desks and access
points by kind, 2 in the challenge's own council and 1 elsewhere).
Only challenges that ask for a programme get judgements for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.demo.topics import TOPIC_BY_ID


@dataclass(frozen=True)
class ProfileTruth:
    """Latent facts about one capability profile."""

    profile_id: str
    group: str  # research_group | academic | student | hei | sme | facility
    country: str
    council: str
    main: tuple[str, ...]
    minor: tuple[str, ...] = ()
    facility_kind: str | None = None


@dataclass(frozen=True)
class ChallengeTruth:
    """Latent facts about one challenge."""

    challenge_id: str
    country: str
    council: str
    topics: tuple[str, ...]  # main first
    programmes: tuple[str, ...]
    facility_need: str | None = None


def topic_grade(challenge_topics: Sequence[str], main: Iterable[str], minor: Iterable[str] = ()) -> int:
    """Grade 0-3 of a profile with ``main``/``minor`` topics for a challenge (main topic first)."""
    main_s, minor_s = set(main), set(minor)
    p = challenge_topics[0]
    s = challenge_topics[1] if len(challenge_topics) > 1 else None
    if p in main_s:
        return 3
    if p in minor_s or (s is not None and s in main_s):
        return 2
    if s is not None and s in minor_s:
        return 1
    if TOPIC_BY_ID[p].family in {TOPIC_BY_ID[t].family for t in main_s}:
        return 1
    return 0


def facility_grade(ch: ChallengeTruth, prof: ProfileTruth) -> int:
    """Grade of a facility profile for a challenge that asks for a facility."""
    need, kind = ch.facility_need, prof.facility_kind
    if need in ("lab", "equipment"):
        if kind not in ("lab", "equipment"):
            return 0
        g = topic_grade(ch.topics, prof.main)
        return max(0, g - 1) if kind != need else g
    if kind != need:
        return 0
    return 2 if prof.council == ch.council else 1


CANDIDATES: dict[str, tuple[str, ...]] = {
    "consultancy": ("research_group", "academic", "student"),
    "placement": ("academic",),
    "partner": ("research_group", "hei", "sme"),
    "facility": ("facility",),
}


def qrels(
    challenges: Sequence[ChallengeTruth], profiles: Sequence[ProfileTruth]
) -> dict[str, dict[str, dict[str, int]]]:
    """Graded judgements per match type: ``{match_type: {challenge_id: {profile_id: grade}}}``."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for mtype, groups in CANDIDATES.items():
        pool = [p for p in profiles if p.group in groups]
        per: dict[str, dict[str, int]] = {}
        for ch in challenges:
            if mtype not in ch.programmes:
                continue
            judged: dict[str, int] = {}
            for prof in pool:
                if mtype == "partner" and prof.country == ch.country:
                    continue
                if mtype == "facility":
                    g = facility_grade(ch, prof)
                else:
                    g = topic_grade(ch.topics, prof.main, prof.minor)
                if g >= 1:
                    judged[prof.profile_id] = g
            if judged:
                per[ch.challenge_id] = judged
        out[mtype] = per
    return out
