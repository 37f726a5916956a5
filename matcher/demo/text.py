"""Compose demo texts from latent topics: challenges (SME voice) and capability documents.

All randomness comes from the ``numpy.random.Generator`` passed in, so the same draws
give the same texts.  Challenge texts come in three lengths (terse, medium, long),
carry distractor sentences, noise from unrelated topics and occasional typos;
capability texts are written from a separate vocabulary and separate templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np

from matcher.demo import phrases as P
from matcher.demo.topics import TOPICS, Topic

T = TypeVar("T")


def pick(rng: np.random.Generator, seq: Sequence[T]) -> T:
    """One element of ``seq``, uniformly."""
    return seq[int(rng.integers(len(seq)))]


def sample(rng: np.random.Generator, seq: Sequence[T], k: int) -> list[T]:
    """``k`` distinct elements of ``seq`` (fewer if ``seq`` is shorter), in random order."""
    idx = rng.permutation(len(seq))[: min(k, len(seq))]
    return [seq[int(i)] for i in idx]


def cap(s: str, lang: str = "en") -> str:
    """Upper-case the first letter (Turkish dotted capital for ``i``)."""
    if not s:
        return s
    if lang == "tr" and s[0] == "i":
        return "İ" + s[1:]
    return s[0].upper() + s[1:]


def fill(template: str, lang: str = "en", **slots: object) -> str:
    """Fill ``template`` and capitalise the sentence."""
    return cap(template.format(**slots), lang)


def add_typos(rng: np.random.Generator, text: str, n: int) -> str:
    """Introduce ``n`` keyboard slips (swap, drop or double a letter) in words of 5+ letters."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in sample(rng, candidates, n):
        w = words[i]
        j = int(rng.integers(1, len(w) - 2))
        kind = int(rng.integers(3))
        if kind == 0:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif kind == 1:
            w = w[:j] + w[j + 1 :]
        else:
            w = w[:j] + w[j] + w[j:]
        words[i] = w
    return " ".join(words)


def _other_topic(rng: np.random.Generator, exclude: Sequence[Topic]) -> Topic:
    ids = {t.id for t in exclude}
    pool = [t for t in TOPICS if t.id not in ids]
    return pick(rng, pool)


def challenge_text(
    rng: np.random.Generator,
    topics: Sequence[Topic],
    lang: str,
    *,
    city: str,
    employees: int,
    founded: int,
    programmes: Sequence[str],
    facility_need: str | None,
) -> tuple[str, str]:
    """Write one challenge: ``(title, description)`` in ``lang``.

    ``topics[0]`` is the main topic, ``topics[1]`` (optional) a secondary one.
    """
    main = topics[0]
    terms = sample(rng, main.lay[lang], 3)
    t, t_alt = terms[0], terms[-1]
    t2 = pick(rng, topics[1].lay[lang]) if len(topics) > 1 else None
    noise = pick(rng, _other_topic(rng, topics).lay[lang])
    common = {
        "city": city,
        "n": employees,
        "year": founded,
        "month": pick(rng, P.MONTHS[lang]),
        "pain": pick(rng, P.PAIN[lang]),
        "other": noise,
        "tech": pick(rng, main.tech),
        "equip": pick(rng, main.equipment),
    }

    def s(bank: P.Bank, term: str | None = t) -> str:
        return fill(pick(rng, bank[lang]), lang, t=term, t2=t2, **common)

    asks = [s(P.ASK[p]) for p in programmes if p in P.ASK]
    if facility_need is not None:
        asks.append(s(P.FACILITY_ASK[facility_need]))

    r = rng.random()
    out: list[str] = []
    if r < 0.3:  # terse: one or two sentences
        out.append(s(P.PROBLEM))
        if t2 is not None:
            out.append(s(P.SECONDARY))
        elif rng.random() < 0.5 and asks:
            out.append(pick(rng, asks))
    elif r < 0.75:  # medium
        out.append(s(P.CONTEXT))
        out.append(s(P.PROBLEM))
        if rng.random() < 0.5:
            out.append(fill(P.PAIN_SENTENCE[lang], lang, pain=common["pain"]))
        if t2 is not None:
            out.append(s(P.SECONDARY))
        if rng.random() < 0.2:
            out.append(s(P.JARGON))
        if rng.random() < 0.3:
            out.append(s(P.DISTRACTOR))
        out.append(s(P.GOAL, t_alt))
        out.extend(asks)
    else:  # long: a paragraph or two, 150+ words
        out.append(s(P.CONTEXT))
        out.append(s(P.DISTRACTOR))
        out.append(s(P.PROBLEM))
        out.extend(sample(rng, P.ELABORATE[lang], 2))
        out.append(fill(P.PAIN_SENTENCE[lang], lang, pain=pick(rng, P.PAIN[lang])))
        out.append(s(P.TRIED))
        out.append(s(P.PROBLEM, t_alt))
        if t2 is not None:
            out.append(s(P.SECONDARY))
        out.extend(sample(rng, P.ELABORATE[lang], 2))
        if rng.random() < 0.3:
            out.append(s(P.JARGON))
        out.append(s(P.GOAL, terms[1] if len(terms) > 2 else t))
        out.extend(asks)
        out.extend(fill(x, lang, **common) for x in sample(rng, P.LOGISTICS[lang], 2))
        out.append(s(P.DISTRACTOR))
    desc = " ".join(dict.fromkeys(out))  # drop repeated sentences, keep order
    if rng.random() < 0.15:
        desc = add_typos(rng, desc, int(rng.integers(1, 4)))
    title = fill(pick(rng, P.TITLE[lang]), lang, t=t)
    return title, desc


def _techs(rng: np.random.Generator, main: Topic, second: Topic | None) -> dict[str, Any]:
    a = sample(rng, main.tech, 3)
    b = pick(rng, second.tech) if second is not None else a[1]
    return {"tech": a[0], "Tech": cap(a[0]), "tech2": b, "tech3": a[2]}


def _words(sentences: Sequence[str]) -> int:
    return sum(len(x.split()) for x in sentences)


def publication(
    rng: np.random.Generator, main: Topic, second: Topic | None = None, *, noise: bool = True
) -> tuple[str, str]:
    """A publication abstract of roughly 80-200 words: ``(title, text)``."""
    slots = _techs(rng, main, second) | {
        "method": pick(rng, P.METHODS),
        "n": int(rng.integers(2, 13)),
        "x": int(rng.integers(5, 40)),
    }
    parts = [pick(rng, P.PUB_MOTIVATION)]
    parts += sample(rng, P.PUB_CONTEXT, int(rng.integers(0, 3)))
    parts += [pick(rng, P.PUB_GAP), pick(rng, P.PUB_METHOD)]
    parts += sample(rng, P.PUB_EXPERIMENT, int(rng.integers(1, 4)))
    parts += sample(rng, P.PUB_RESULT, int(rng.integers(1, 3)))
    if noise and rng.random() < 0.3:
        parts.append(pick(rng, P.PUB_NOISE).replace("{noise}", pick(rng, _other_topic(rng, [main]).tech)))
    parts.append(pick(rng, P.PUB_CONCLUSION))
    spare = [x for x in P.PUB_CONTEXT + P.PUB_EXPERIMENT + P.PUB_RESULT if x not in parts]
    for extra in sample(rng, spare, len(spare)):
        if _words([fill(p, **slots) for p in parts]) >= 80:
            break
        parts.insert(-1, extra)
    sentences = [fill(p, **slots) for p in parts]
    while _words(sentences) > 200:
        sentences.pop(-2)
    title = cap(
        pick(
            rng,
            (
                f"{slots['tech']} with {slots['method']}",
                f"On {slots['tech']} and {slots['tech2']}",
                f"Towards industrial {slots['tech']}",
            ),
        )
    )
    return title, " ".join(sentences)


def project_summary(
    rng: np.random.Generator, main: Topic, second: Topic | None, *, countries: Sequence[str]
) -> tuple[str, str, int]:
    """A past project summary: ``(title, text, end year)``."""
    y1 = int(rng.integers(2012, 2022))
    y2 = y1 + int(rng.integers(2, 5))
    acr = "".join(chr(int(c)) for c in rng.integers(65, 91, size=int(rng.integers(4, 7))))
    slots = _techs(rng, main, second) | {
        "acr": acr,
        "y1": y1,
        "y2": y2,
        "funder": pick(rng, P.FUNDERS),
        "n": int(rng.integers(2, 9)),
        "countries": ", ".join(countries),
        "trl": int(rng.integers(4, 8)),
    }
    body = [P.PROJECT[0], *sample(rng, P.PROJECT[1:], int(rng.integers(4, 7)))]
    return f"Project {acr}", " ".join(fill(p, **slots) for p in body), y2


def cv_text(
    rng: np.random.Generator,
    topics: Sequence[Topic],
    *,
    level: str,
    discipline: str,
    hei: str,
    skills: Sequence[str],
    langs: Sequence[str],
) -> str:
    """A short student CV."""
    slots = _techs(rng, topics[0], topics[1] if len(topics) > 1 else None) | {
        "Level": cap(level),
        "discipline": discipline,
        "hei": hei,
        "skills": ", ".join(skills),
        "langs": ", ".join(langs),
        "sector": pick(rng, [t.sector for t in TOPICS]) if rng.random() < 0.3 else topics[0].sector,
    }
    lines = [P.CV[0], P.CV[1], P.CV[2], *sample(rng, P.CV[3:], int(rng.integers(1, 4)))]
    return " ".join(fill(x, **slots) for x in lines)


def coursework_text(rng: np.random.Generator, topic: Topic) -> tuple[str, str]:
    """A coursework description: ``(title, text)``."""
    slots = _techs(rng, topic, None) | {"method": pick(rng, P.METHODS)}
    title = cap(
        pick(
            rng,
            (
                f"{slots['tech']} case study",
                f"Introduction to {slots['tech']}",
                f"Team project on {slots['tech2']}",
            ),
        )
    )
    slots["title"] = title
    lines = [P.COURSEWORK[0], *sample(rng, P.COURSEWORK[1:], int(rng.integers(2, 4)))]
    return title, " ".join(fill(x, **slots) for x in lines)


def facility_text(
    rng: np.random.Generator, kind: str, topics: Sequence[Topic], *, name: str, host: str, equip: str
) -> str:
    """The description of a facility (lab, equipment, hot desk or access point)."""
    slots = _techs(rng, topics[0], topics[1] if len(topics) > 1 else None) if topics else {}
    lines = P.FACILITY_TEXT[kind]
    return " ".join(fill(x, name=name, host=host, equip=equip, **slots) for x in lines)


def sme_description(
    rng: np.random.Generator,
    topics: Sequence[Topic],
    lang: str,
    *,
    name: str,
    size: str,
    city: str,
    employees: int,
    sector: str,
) -> str:
    """An SME's self-description for partner search, in its own words and language.

    Skills and techniques stay in English, as SMEs often list them.
    """
    skills = [s for t in topics for s in t.skills]
    chosen = sample(rng, skills[:4], 1) + sample(rng, skills[4:] or skills[1:], 1)
    slots = {
        "name": name,
        "size": size,
        "city": city,
        "n": employees,
        "sector": sector,
        "skill": chosen[0],
        "skill2": chosen[-1],
        "tech": pick(rng, topics[-1].tech),
    }
    lines = list(P.SME_DESCRIPTION[lang])
    if rng.random() < 0.5:
        lines.pop(2)
    return " ".join(fill(x, lang, **slots) for x in lines)
