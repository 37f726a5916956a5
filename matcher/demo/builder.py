"""State and shared draws of the demo generator (:mod:`matcher.demo.generator`).

One :class:`Builder` accumulates records and latent truths; the entity modules
(``organisations``, ``people``, ``offers``, ``relationships``) add to it in a fixed order,
drawing from its one ``numpy.random.Generator``, so a seed gives byte-identical files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np

from matcher.demo.councils import REGIONS
from matcher.demo.ground_truth import ChallengeTruth, ProfileTruth
from matcher.demo.text import pick
from matcher.demo.topics import TOPICS
from matcher.types import (
    CapabilityProfile,
    Challenge,
    Document,
    DocumentKind,
    Facility,
    Organisation,
    OwnerType,
    Person,
    Relationship,
)

#: Target counts at scale 1.0.
TARGETS: dict[str, int] = {
    "smes": 300,
    "research_groups": 40,
    "academics": 60,
    "students": 600,
    "sme_staff": 100,
    "facilities": 40,
    "joint_eu_projects": 60,
    "consultancies_completed": 40,
    "placements_held": 20,
}

#: Topics useful in every region (general engineering needs).
GENERAL_TOPICS: tuple[str, ...] = ("T01", "T02", "T04", "T05", "T27", "T28", "T36")

#: Share of non-English challenges in councils that have a local language (Cork has none),
#: chosen so that about a fifth of all challenges are not in English.
LOCAL_LANGUAGE_SHARE = 0.25

_GENERIC_SKILLS = ("python", "Excel", "teamwork", "technical writing", "CAD", "project management")
_SME_SUFFIX = {
    "ES": ("Ingeniería S.L.", "Sistemas S.L.", "Automatización S.L.", "Tecnología S.A."),
    "IT": ("Meccanica S.r.l.", "Automazione S.r.l.", "Impianti S.r.l.", "Engineering S.p.A."),
    "IE": ("Engineering Ltd", "Technologies Ltd", "Systems Ltd", "Precision Ltd"),
    "TR": ("Makina A.Ş.", "Mühendislik Ltd. Şti.", "Teknoloji A.Ş.", "Otomasyon Ltd. Şti."),
    "FR": ("Ingénierie SAS", "Systèmes SARL", "Technologies SAS", "Industrie SA"),
}
_STEMS = (
    "Tecno",
    "Indus",
    "Meca",
    "Electro",
    "Hidro",
    "Termo",
    "Auto",
    "Aero",
    "Nova",
    "Metal",
    "Opti",
    "Dyna",
)
_CONDITIONS = (
    "Free for programme SMEs up to 5 days a year; then at cost.",
    "Booked through the host's facility office; 2 weeks' notice.",
    "At cost, technician time included; safety induction required.",
    "Free for joint projects with the host's research groups.",
    "Weekly booking; programme members get a 50% discount.",
)
_REF_DAY = dt.date(2025, 1, 1)


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------


def _apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    parts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - parts), kind="stable")[: total - int(parts.sum())]:
        parts[i] += 1
    return [max(int(p), minimum) for p in parts]


def _scaled(name: str, scale: float, minimum: int) -> int:
    return max(minimum, round(TARGETS[name] * scale))


def _council_weights(code: str) -> np.ndarray:
    """Probability of each topic (in ``TOPICS`` order) for records of council ``code``."""
    w = np.array(
        [6.0 if code in t.councils else 1.5 if t.id in GENERAL_TOPICS else 0.3 for t in TOPICS], dtype=float
    )
    return w / w.sum()


def _draw_topics(rng: np.random.Generator, code: str, k: int, exclude: Iterable[str] = ()) -> list[str]:
    """``k`` distinct topic ids drawn with the council's weights."""
    w = _council_weights(code).copy()
    for tid in exclude:
        w[[t.id for t in TOPICS].index(tid)] = 0.0
    w /= w.sum()
    idx = rng.choice(len(TOPICS), size=k, replace=False, p=w)
    return [TOPICS[int(i)].id for i in idx]


def _day(rng: np.random.Generator, start: dt.date, span_days: int) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, span_days)))


def _ascii(s: str) -> str:
    table = str.maketrans("áéíóúüñàèìòùâêîôûçëïößşğıİÇŞĞÖÜ' ", "aeiouunaeiouaeioucei0ssgiiCSGOU-.")
    return s.lower().translate(table).replace("0", "o")


def _person_name(rng: np.random.Generator, code: str) -> str:
    r = REGIONS[code]
    return f"{pick(rng, r.first_names)} {pick(rng, r.surnames)}"


def _languages(rng: np.random.Generator, code: str) -> tuple[str, ...]:
    local = REGIONS[code].language
    langs = [local] if local == "en" else [local, "en"]
    if rng.random() < 0.3:
        extra = pick(rng, [x for x in ("es", "it", "fr", "de", "tr") if x not in langs])
        langs.append(extra)
    return tuple(langs)


# ------------------------------------------------------------------------------------------
# the generator
# ------------------------------------------------------------------------------------------


class Builder:
    """Accumulates records and latent truths; one instance per :func:`generate` call."""

    def __init__(self, seed: int, scale: float) -> None:
        self.rng = np.random.default_rng(seed)
        self.scale = scale
        self.orgs: list[Organisation] = []
        self.people: list[Person] = []
        self.challenges: list[Challenge] = []
        self.facilities: list[Facility] = []
        self.profiles: list[CapabilityProfile] = []
        self.documents: list[Document] = []
        self.relationships: list[Relationship] = []
        self.council_of: dict[str, str] = {}  # record id -> council
        self.topics_of: dict[str, list[str]] = {}  # org/person id -> main topics
        self.profile_truth: list[ProfileTruth] = []
        self.challenge_truth: list[ChallengeTruth] = []

    # -- profiles --------------------------------------------------------------------------

    def add_profile(
        self,
        owner_type: OwnerType,
        owner_id: str,
        title: str,
        docs: Sequence[tuple[DocumentKind, str, str, str, int | None]],
        truth: ProfileTruth | None,
    ) -> None:
        pid = f"prof-{owner_id}"
        self.profiles.append(CapabilityProfile(id=pid, owner_type=owner_type, owner_id=owner_id, title=title))
        self.council_of[pid] = self.council_of[owner_id]
        for i, (kind, title_d, body, lang, year) in enumerate(docs, start=1):
            did = f"{pid}-d{i:02d}"
            self.documents.append(
                Document(
                    id=did, profile_id=pid, kind=kind, text=body, title=title_d, language=lang, year=year
                )
            )
            self.council_of[did] = self.council_of[owner_id]
        if truth is not None:
            self.profile_truth.append(dataclasses.replace(truth, profile_id=pid))
