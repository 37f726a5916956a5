"""Deterministic generator of a realistic demo programme for the six councils.

``generate(out_dir, seed=7, scale=1.0)`` writes one JSON Lines file per entity type
(named after :data:`matcher.types.ENTITY_TYPES`) and, apart, ``ground_truth/`` with
graded qrels per match type and the latent topics.  Every draw comes from one
``numpy.random.default_rng(seed)`` in a fixed order, and nothing depends on the clock
or on hash order, so the same seed and scale give byte-identical files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.demo import text
from matcher.demo.councils import COUNCIL_CODES, DEPARTMENTS, DISCIPLINES, REGIONS
from matcher.demo.ground_truth import ChallengeTruth, ProfileTruth, format_qrels, qrels
from matcher.demo.text import cap, pick, sample
from matcher.demo.topics import TOPIC_BY_ID, TOPICS
from matcher.ingest.files import write_records
from matcher.types import (
    ENTITY_TYPES,
    CapabilityProfile,
    Challenge,
    ChallengeStatus,
    Document,
    DocumentKind,
    Facility,
    FacilityKind,
    NodeType,
    Organisation,
    OrgKind,
    OwnerType,
    Person,
    PersonKind,
    Programme,
    Relationship,
    RelationshipKind,
    SizeClass,
    StudyLevel,
    Visibility,
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


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    out_dir : Path
        Where the files are.
    seed, scale : int, float
        The generator's arguments.
    counts : dict of str to int
        Records per entity type (keys of :data:`matcher.types.ENTITY_TYPES`).
    per_council : dict of str to dict of str to int
        Records per council and entity type.
    qrels : dict of str to int
        Judged (grade >= 1) pairs per match type.
    """

    out_dir: Path
    seed: int
    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    per_council: dict[str, dict[str, int]] = field(default_factory=dict)
    qrels: dict[str, int] = field(default_factory=dict)


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


class _Builder:
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

    def _profile(
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

    # -- organisations ---------------------------------------------------------------------

    def institutions(self) -> None:
        for code in COUNCIL_CODES:
            r = REGIONS[code]
            c = r.council
            for oid, kind, name in (
                (f"hei-{code}", OrgKind.HEI, r.hei_name),
                (f"park-{code}", OrgKind.SCIENCE_PARK, r.park_name),
            ):
                self.orgs.append(
                    Organisation(
                        id=oid,
                        kind=kind,
                        name=name,
                        council=code,
                        country=c.country,
                        city=c.city,
                        website=f"https://{'www' if kind is OrgKind.HEI else 'park'}.{r.hei_domain}",
                        description=(
                            f"Lead university of the {c.name}."
                            if kind is OrgKind.HEI
                            else f"Science park of the {c.region} region, partner of the {c.name}."
                        ),
                    )
                )
                self.council_of[oid] = code

    def smes(self) -> None:
        rng = self.rng
        n = _scaled("smes", self.scale, 6)
        per = _apportion(n, [REGIONS[c].sme_weight for c in COUNCIL_CODES], minimum=1)
        used_names: set[str] = set()
        for code, k in zip(COUNCIL_CODES, per, strict=True):
            r = REGIONS[code]
            for i in range(1, k + 1):
                oid = f"sme-{code}-{i:04d}"
                topics = _draw_topics(rng, code, 2 if rng.random() < 0.5 else 1)
                main = TOPIC_BY_ID[topics[0]]
                size = pick(rng, (SizeClass.MICRO, SizeClass.SMALL, SizeClass.SMALL, SizeClass.MEDIUM))
                employees = int(
                    {
                        "micro": rng.integers(2, 10),
                        "small": rng.integers(10, 50),
                        "medium": rng.integers(50, 250),
                    }[size.value]
                )
                for _ in range(20):
                    stem = (
                        pick(rng, r.surnames)
                        if rng.random() < 0.5
                        else pick(rng, _STEMS) + pick(rng, ("tec", "mek", "lab", "dyn", "tron", "sis"))
                    )
                    name = f"{stem} {pick(rng, _SME_SUFFIX[r.council.country])}"
                    if name not in used_names:
                        break
                used_names.add(name)
                city = pick(rng, r.cities)
                self.orgs.append(
                    Organisation(
                        id=oid,
                        kind=OrgKind.SME,
                        name=name,
                        council=code,
                        country=r.council.country,
                        city=city,
                        website=f"https://{_ascii(stem)}.example.com",
                        description=f"{cap(main.sector)} SME in {city}.",
                        size_class=size,
                        nace=main.nace,
                        sector=main.sector,
                        founded=int(rng.integers(1965, 2022)),
                        employees=employees,
                        consent=bool(rng.random() < 0.95),
                        visibility=Visibility.PRIVATE if rng.random() < 0.05 else Visibility.PUBLIC,
                    )
                )
                self.council_of[oid] = code
                self.topics_of[oid] = topics
                lang = r.language if r.language != "en" and rng.random() < 0.35 else "en"
                body = text.sme_description(
                    rng,
                    [TOPIC_BY_ID[t] for t in topics],
                    lang,
                    name=name,
                    size=size.value,
                    city=city,
                    employees=employees,
                    sector=main.sector,
                )
                self._profile(
                    OwnerType.ORGANISATION,
                    oid,
                    name,
                    [(DocumentKind.DESCRIPTION, f"About {name}", body, lang, None)],
                    ProfileTruth("", "sme", r.council.country, code, tuple(topics)),
                )

    def research_groups(self) -> None:
        rng = self.rng
        n = _scaled("research_groups", self.scale, 6)
        for code, k in zip(COUNCIL_CODES, _apportion(n, [1.0] * 6, minimum=1), strict=True):
            r = REGIONS[code]
            hei_topics: list[str] = []
            for i in range(1, k + 1):
                oid = f"rg-{code}-{i:02d}"
                n_main = 1 if rng.random() < 0.4 else 2
                n_minor = int(rng.integers(1, 3))
                drawn = _draw_topics(rng, code, n_main + n_minor)
                main, minor = drawn[:n_main], drawn[n_main:]
                t0 = TOPIC_BY_ID[main[0]]
                name = pick(rng, ("{} Research Group", "Laboratory for {}", "{} Lab")).format(
                    cap(pick(rng, t0.tech))
                )
                techs = [pick(rng, TOPIC_BY_ID[t].tech) for t in drawn]
                desc = (
                    f"The {name} at {r.hei_name} works on {', '.join(techs[:-1]) or techs[0]}"
                    f"{' and ' + techs[-1] if len(techs) > 1 else ''}. "
                    "We develop models, prototypes and test methods together with industry."
                )
                self.orgs.append(
                    Organisation(
                        id=oid,
                        kind=OrgKind.RESEARCH_GROUP,
                        name=name,
                        council=code,
                        country=r.council.country,
                        city=r.council.city,
                        description=desc,
                        parent_id=f"hei-{code}",
                        sector=DEPARTMENTS[t0.family],
                    )
                )
                self.council_of[oid] = code
                self.topics_of[oid] = main
                hei_topics.extend(drawn)
                docs: list[tuple[DocumentKind, str, str, str, int | None]] = []
                for _ in range(int(rng.integers(5, 21))):
                    tid = pick(rng, main) if rng.random() < 0.75 else pick(rng, minor)
                    other = TOPIC_BY_ID[pick(rng, drawn)] if rng.random() < 0.4 else None
                    if rng.random() < 0.6:
                        title, body = text.publication(rng, TOPIC_BY_ID[tid], other)
                        docs.append(
                            (DocumentKind.PUBLICATION, title, body, "en", int(rng.integers(2014, 2025)))
                        )
                    else:
                        countries = sorted(
                            {
                                r.council.country,
                                *sample(rng, ["ES", "IT", "IE", "TR", "FR", "DE", "NL", "PT"], 3),
                            }
                        )
                        title, body, year = text.project_summary(
                            rng, TOPIC_BY_ID[tid], other, countries=countries
                        )
                        docs.append((DocumentKind.PROJECT, title, body, "en", year))
                self._profile(
                    OwnerType.ORGANISATION,
                    oid,
                    name,
                    docs,
                    ProfileTruth("", "research_group", r.council.country, code, tuple(main), tuple(minor)),
                )
            # the university's own profile: broad, so every topic of its groups is a minor one
            minor_hei = tuple(dict.fromkeys(hei_topics))
            hei_techs = ", ".join(pick(rng, TOPIC_BY_ID[t].tech) for t in minor_hei[:6])
            body = (
                f"{r.hei_name} is a public university with strong engineering schools. "
                f"Its research groups cover {hei_techs}. The university coordinates the {r.council.name} "
                "and hosts students from across Europe."
            )
            self._profile(
                OwnerType.ORGANISATION,
                f"hei-{code}",
                r.hei_name,
                [(DocumentKind.DESCRIPTION, f"About {r.hei_name}", body, "en", None)],
                ProfileTruth("", "hei", r.council.country, code, (), minor_hei),
            )

    # -- people ----------------------------------------------------------------------------

    def academics(self) -> None:
        rng = self.rng
        n = _scaled("academics", self.scale, 6)
        for code, k in zip(COUNCIL_CODES, _apportion(n, [1.0] * 6, minimum=1), strict=True):
            r = REGIONS[code]
            groups = [o.id for o in self.orgs if o.kind is OrgKind.RESEARCH_GROUP and o.council == code]
            for i in range(1, k + 1):
                pid = f"acad-{code}-{i:03d}"
                if groups and rng.random() < 0.6:
                    main = sample(rng, self.topics_of[pick(rng, groups)], int(rng.integers(1, 3)))
                else:
                    main = _draw_topics(rng, code, int(rng.integers(1, 3)))
                minor = _draw_topics(rng, code, 1, exclude=main) if rng.random() < 0.4 else []
                tops = [TOPIC_BY_ID[t] for t in main]
                skills = list(dict.fromkeys(s for t in tops for s in sample(rng, t.skills, 3)))
                name = _person_name(rng, code)
                start = _day(rng, dt.date(2025, 2, 1), 300)
                self.people.append(
                    Person(
                        id=pid,
                        kind=PersonKind.ACADEMIC,
                        name=f"Dr {name}",
                        organisation_id=f"hei-{code}",
                        email=f"{_ascii(name)}@{r.hei_domain}",
                        department=DEPARTMENTS[tops[0].family],
                        skills=tuple(skills),
                        languages=_languages(rng, code),
                        available_from=start,
                        available_to=start + dt.timedelta(days=int(rng.integers(60, 240))),
                        willing_abroad=bool(rng.random() < 0.5),
                    )
                )
                self.council_of[pid] = code
                self.topics_of[pid] = main
                docs: list[tuple[DocumentKind, str, str, str, int | None]] = []
                for _ in range(int(rng.integers(2, 7))):
                    tid = pick(rng, main) if not minor or rng.random() < 0.8 else minor[0]
                    other = TOPIC_BY_ID[pick(rng, main + minor)] if rng.random() < 0.4 else None
                    title, body = text.publication(rng, TOPIC_BY_ID[tid], other)
                    docs.append((DocumentKind.PUBLICATION, title, body, "en", int(rng.integers(2012, 2025))))
                self._profile(
                    OwnerType.PERSON,
                    pid,
                    f"Dr {name}",
                    docs,
                    ProfileTruth("", "academic", r.council.country, code, tuple(main), tuple(minor)),
                )

    def students(self) -> None:
        rng = self.rng
        n = _scaled("students", self.scale, 6)
        for code, k in zip(COUNCIL_CODES, _apportion(n, [1.0] * 6, minimum=1), strict=True):
            r = REGIONS[code]
            for i in range(1, k + 1):
                pid = f"stu-{code}-{i:04d}"
                main = _draw_topics(rng, code, 1 if rng.random() < 0.6 else 2)
                tops = [TOPIC_BY_ID[t] for t in main]
                skills = [s for t in tops for s in sample(rng, t.skills, 2)]
                skills += sample(rng, _GENERIC_SKILLS, int(rng.integers(1, 3)))
                skills = list(dict.fromkeys(skills))
                level = pick(
                    rng, (StudyLevel.BACHELOR,) * 9 + (StudyLevel.MASTER,) * 8 + (StudyLevel.PHD,) * 3
                )
                discipline = pick(rng, DISCIPLINES[tops[0].family])
                langs = _languages(rng, code)
                autumn = rng.random() < 0.5
                self.people.append(
                    Person(
                        id=pid,
                        kind=PersonKind.STUDENT,
                        name=_person_name(rng, code),
                        organisation_id=f"hei-{code}",
                        discipline=discipline,
                        level=level,
                        skills=tuple(skills),
                        languages=langs,
                        available_from=dt.date(2025, 9, 15) if autumn else dt.date(2026, 2, 1),
                        available_to=dt.date(2026, 1, 31) if autumn else dt.date(2026, 6, 30),
                        willing_abroad=bool(rng.random() < 0.35),
                        consent=bool(rng.random() < 0.97),
                    )
                )
                self.council_of[pid] = code
                self.topics_of[pid] = main
                cv = text.cv_text(
                    rng,
                    tops,
                    level=level.value,
                    discipline=discipline,
                    hei=r.hei_name,
                    skills=skills,
                    langs=langs,
                )
                docs: list[tuple[DocumentKind, str, str, str, int | None]] = [
                    (DocumentKind.CV, "CV", cv, "en", 2025)
                ]
                for _ in range(int(rng.integers(1, 3))):
                    title, body = text.coursework_text(rng, TOPIC_BY_ID[pick(rng, main)])
                    docs.append((DocumentKind.COURSEWORK, title, body, "en", int(rng.integers(2022, 2026))))
                self._profile(
                    OwnerType.PERSON,
                    pid,
                    f"Student profile {pid}",
                    docs,
                    ProfileTruth("", "student", r.council.country, code, tuple(main)),
                )

    def sme_staff(self) -> None:
        rng = self.rng
        smes = [o for o in self.orgs if o.kind is OrgKind.SME]
        n = min(len(smes), _scaled("sme_staff", self.scale, 6))
        chosen = sorted(sample(rng, smes, n), key=lambda o: o.id)
        counter: Counter[str] = Counter()
        for sme in chosen:
            code = sme.council
            counter[code] += 1
            pid = f"staff-{code}-{counter[code]:03d}"
            name = _person_name(rng, code)
            tops = [TOPIC_BY_ID[t] for t in self.topics_of[sme.id]]
            self.people.append(
                Person(
                    id=pid,
                    kind=PersonKind.SME_STAFF,
                    name=name,
                    organisation_id=sme.id,
                    email=f"{_ascii(name)}@{_ascii(sme.website.split('//')[1])}",
                    skills=tuple(dict.fromkeys(s for t in tops for s in sample(rng, t.skills, 2))),
                    languages=_languages(rng, code),
                    willing_abroad=bool(rng.random() < 0.4),
                )
            )
            self.council_of[pid] = code

    # -- facilities ------------------------------------------------------------------------

    def facilities_(self) -> None:
        rng = self.rng
        n = _scaled("facilities", self.scale, 6)
        plan = ("lab", "hot_desk", "equipment", "access_point", "lab", "equipment", "lab", "equipment")
        for code, k in zip(COUNCIL_CODES, _apportion(n, [1.0] * 6, minimum=1), strict=True):
            r = REGIONS[code]
            for i in range(1, k + 1):
                fid = f"fac-{code}-{i:02d}"
                kind = plan[(i - 1) % len(plan)]
                topics: list[str]
                if kind == "hot_desk":
                    host, topics = f"park-{code}", []
                elif kind == "access_point":
                    host, topics = f"hei-{code}", []
                else:
                    host = f"hei-{code}" if rng.random() < 0.6 else f"park-{code}"
                    topics = _draw_topics(rng, code, int(rng.integers(1, 4)) if kind == "lab" else 1)
                host_name = r.hei_name if host.startswith("hei") else r.park_name
                tops = [TOPIC_BY_ID[t] for t in topics]
                equip = pick(rng, tops[0].equipment) if tops else ""
                name = {
                    "lab": f"{cap(equip)} laboratory",
                    "equipment": cap(equip),
                    "hot_desk": f"Hot desks, {r.park_name}",
                    "access_point": f"University access point, {r.hei_name}",
                }[kind]
                body = text.facility_text(rng, kind, tops, name=name, host=host_name, equip=equip)
                start = _day(rng, dt.date(2025, 1, 1), 180)
                capacity = int(
                    {
                        "lab": rng.integers(1, 7),
                        "equipment": rng.integers(1, 3),
                        "hot_desk": rng.integers(4, 21),
                        "access_point": rng.integers(5, 31),
                    }[kind]
                )
                self.facilities.append(
                    Facility(
                        id=fid,
                        host_id=host,
                        kind=FacilityKind(kind),
                        name=name,
                        description=body,
                        capacity=capacity,
                        council=code,
                        country=r.council.country,
                        city=r.council.city,
                        available_from=start,
                        available_to=start + dt.timedelta(days=int(rng.integers(180, 720))),
                        conditions=pick(rng, _CONDITIONS),
                    )
                )
                self.council_of[fid] = code
                self._profile(
                    OwnerType.FACILITY,
                    fid,
                    name,
                    [(DocumentKind.FACILITY, name, body, "en", None)],
                    ProfileTruth("", "facility", r.council.country, code, tuple(topics), facility_kind=kind),
                )

    # -- challenges ------------------------------------------------------------------------

    def challenges_(self) -> None:
        rng = self.rng
        counter: Counter[str] = Counter()
        for sme in [o for o in self.orgs if o.kind is OrgKind.SME]:
            code = sme.council
            r = REGIONS[code]
            u = rng.random()
            n_ch = 1 if u < 0.65 else 2 if u < 0.97 else 3
            for _ in range(n_ch):
                counter[code] += 1
                cid = f"ch-{code}-{counter[code]:04d}"
                own = self.topics_of[sme.id]
                v = rng.random()
                first = own[0] if v < 0.6 else own[-1] if v < 0.8 else _draw_topics(rng, code, 1)[0]
                topics = [first]
                if rng.random() < 0.4:
                    topics += _draw_topics(rng, code, 1, exclude=topics)
                programmes = [
                    p
                    for p, q in (
                        ("consultancy", 0.7),
                        ("placement", 0.3),
                        ("partner", 0.35),
                        ("facility", 0.3),
                    )
                    if rng.random() < q
                ] or ["consultancy"]
                need = None
                if "facility" in programmes:
                    need = str(
                        rng.choice(["lab", "equipment", "hot_desk", "access_point"], p=[0.45, 0.35, 0.1, 0.1])
                    )
                lang = r.language if r.language != "en" and rng.random() < LOCAL_LANGUAGE_SHARE else "en"
                title, desc = text.challenge_text(
                    rng,
                    [TOPIC_BY_ID[t] for t in topics],
                    lang,
                    city=sme.city,
                    employees=sme.employees or 10,
                    founded=sme.founded or 2000,
                    programmes=programmes,
                    facility_need=need,
                )
                skills = [
                    s for t in topics for s in sample(rng, TOPIC_BY_ID[t].skills, int(rng.integers(1, 4)))
                ]
                if rng.random() < 0.3:
                    skills.append(pick(rng, _GENERIC_SKILLS))
                budget_min = budget_max = None
                if rng.random() < 0.8:
                    budget_min = int(pick(rng, (0, 1000, 2000, 5000, 10000, 20000)))
                    budget_max = budget_min + int(pick(rng, (2000, 5000, 10000, 25000, 50000)))
                status = ChallengeStatus(
                    str(rng.choice(["open", "draft", "matched", "closed"], p=[0.65, 0.1, 0.15, 0.1]))
                )
                opened = _day(rng, dt.date(2025, 3, 3), 540)
                self.challenges.append(
                    Challenge(
                        id=cid,
                        sme_id=sme.id,
                        title=title,
                        description=desc,
                        language=lang,
                        sector=sme.sector or "",
                        required_skills=tuple(dict.fromkeys(skills)),
                        programmes=tuple(Programme(p) for p in programmes),
                        budget_min=budget_min,
                        budget_max=budget_max,
                        status=status,
                        opened=opened,
                        deadline=opened + dt.timedelta(days=int(rng.integers(60, 241))),
                        visibility=Visibility.PRIVATE if rng.random() < 0.1 else Visibility.PUBLIC,
                    )
                )
                self.council_of[cid] = code
                self.challenge_truth.append(
                    ChallengeTruth(cid, r.council.country, code, tuple(topics), tuple(programmes), need)
                )

    # -- relationships ---------------------------------------------------------------------

    def relationships_(self) -> None:
        rng = self.rng
        orgs = [o for o in self.orgs if o.kind in (OrgKind.SME, OrgKind.RESEARCH_GROUP, OrgKind.HEI)]
        rels: list[tuple[RelationshipKind, NodeType, str, NodeType, str, dt.date, str]] = []
        for _ in range(_scaled("joint_eu_projects", self.scale, 3)):
            a = pick(rng, orgs)
            b = pick(rng, [o for o in orgs if o.country != a.country])
            year = int(rng.integers(2012, 2025))
            prov = f"CORDIS project {int(rng.integers(600000, 1100000))} (synthetic)"
            src, dst = sorted((a.id, b.id))
            rels.append(
                (
                    RelationshipKind.JOINT_EU_PROJECT,
                    NodeType.ORGANISATION,
                    src,
                    NodeType.ORGANISATION,
                    dst,
                    dt.date(year, int(rng.integers(1, 13)), 1),
                    prov,
                )
            )
        smes = [o for o in self.orgs if o.kind is OrgKind.SME]
        groups = [o for o in self.orgs if o.kind is OrgKind.RESEARCH_GROUP]
        for _ in range(_scaled("consultancies_completed", self.scale, 3)):
            sme = pick(rng, smes)
            local = [g for g in groups if g.council == sme.council] or groups
            g = pick(rng, local)
            cohort = int(rng.integers(2021, 2025))
            rels.append(
                (
                    RelationshipKind.CONSULTANCY_COMPLETED,
                    NodeType.ORGANISATION,
                    sme.id,
                    NodeType.ORGANISATION,
                    g.id,
                    dt.date(cohort + 1, 6, 30),
                    f"programme records, consultancy cohort {cohort}/{(cohort + 1) % 100:02d}",
                )
            )
        academics = [p for p in self.people if p.kind is PersonKind.ACADEMIC]
        for _ in range(_scaled("placements_held", self.scale, 2)):
            acad = pick(rng, academics)
            sme = pick(rng, smes)
            rels.append(
                (
                    RelationshipKind.PLACEMENT_HELD,
                    NodeType.PERSON,
                    acad.id,
                    NodeType.ORGANISATION,
                    sme.id,
                    _day(rng, dt.date(2022, 1, 10), 1000),
                    "programme records, Change of Perspective",
                )
            )
        for i, (kind, st, s, tt, t, date, prov) in enumerate(rels, start=1):
            rid = f"rel-{i:05d}"
            self.relationships.append(Relationship(rid, kind, st, s, tt, t, date, prov))
            self.council_of[rid] = self.council_of[s]

    def build(self) -> None:
        self.institutions()
        self.smes()
        self.research_groups()
        self.academics()
        self.students()
        self.sme_staff()
        self.facilities_()
        self.challenges_()
        self.relationships_()


def generate(out_dir: Path, *, seed: int = 7, scale: float = 1.0) -> DemoSummary:
    """Write a demo programme for the six councils into ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Created if needed.  Receives ``<entity>.jsonl`` for every key of
        :data:`matcher.types.ENTITY_TYPES` and ``ground_truth/`` (qrels per match type,
        ``topics.json``, ``README.md``), which the engine never reads.
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed and scale give
        byte-identical files.
    scale : float
        Multiplies the target counts (300 SMEs, ~400 challenges, 600 students...).

    Returns
    -------
    DemoSummary
        Counts per entity type, per council, and judged pairs per match type.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out_dir = Path(out_dir)
    b = _Builder(seed, scale)
    b.build()
    records: dict[str, list[Any]] = {
        "organisations": b.orgs,
        "people": b.people,
        "challenges": b.challenges,
        "facilities": b.facilities,
        "profiles": b.profiles,
        "documents": b.documents,
        "relationships": b.relationships,
    }
    assert list(records) == list(ENTITY_TYPES)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, recs in records.items():
        write_records(out_dir / f"{name}.jsonl", name, recs)

    gt = out_dir / "ground_truth"
    gt.mkdir(exist_ok=True)
    judged = qrels(b.challenge_truth, b.profile_truth)
    for mtype, per in judged.items():
        (gt / f"{mtype}.qrels").write_text(format_qrels(per), encoding="utf-8", newline="\n")
    topics_doc = {
        "topics": {t.id: {"label": t.label, "family": t.family} for t in TOPICS},
        "challenges": {
            c.challenge_id: {
                "topics": list(c.topics),
                "programmes": list(c.programmes),
                "facility_need": c.facility_need,
            }
            for c in b.challenge_truth
        },
        "profiles": {
            p.profile_id: {"group": p.group, "main": list(p.main), "minor": list(p.minor)}
            | ({"facility_kind": p.facility_kind} if p.facility_kind else {})
            for p in b.profile_truth
        },
    }
    (gt / "topics.json").write_text(
        json.dumps(topics_doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    from matcher.demo.training import write_training  # issue 14: training catalogue, assessments, qrels

    write_training(out_dir, b, seed)
    (gt / "README.md").write_text(
        f"Ground truth of the demo programme (seed={seed}, scale={scale}); never read by the engine. "
        "TREC qrels `challenge_id 0 profile_id grade`, grades 1-3 from latent topic overlap; "
        "see docs/demo-data.md.\n",
        encoding="utf-8",
        newline="\n",
    )

    per_council = {
        code: {name: sum(1 for r in recs if b.council_of[r.id] == code) for name, recs in records.items()}
        for code in COUNCIL_CODES
    }
    return DemoSummary(
        out_dir=out_dir,
        seed=seed,
        scale=scale,
        counts={name: len(recs) for name, recs in records.items()},
        per_council=per_council,
        qrels={m: sum(len(v) for v in per.values()) for m, per in judged.items()},
    )
