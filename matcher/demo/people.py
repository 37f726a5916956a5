"""Demo people: academics, students and SME staff, each with a capability profile."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from matcher.demo import text
from matcher.demo.builder import (
    _GENERIC_SKILLS,
    Builder,
    _apportion,
    _ascii,
    _day,
    _draw_topics,
    _languages,
    _person_name,
    _scaled,
)
from matcher.demo.councils import COUNCIL_CODES, DEPARTMENTS, DISCIPLINES, REGIONS
from matcher.demo.ground_truth import ProfileTruth
from matcher.demo.text import pick, sample
from matcher.demo.topics import TOPIC_BY_ID
from matcher.types import DocumentKind, OrgKind, OwnerType, Person, PersonKind, StudyLevel


def academics(bld: Builder) -> None:
    rng = bld.rng
    n = _scaled("academics", bld.scale, 6)
    for code, k in zip(COUNCIL_CODES, _apportion(n, [1.0] * 6, minimum=1), strict=True):
        r = REGIONS[code]
        groups = [o.id for o in bld.orgs if o.kind is OrgKind.RESEARCH_GROUP and o.council == code]
        for i in range(1, k + 1):
            pid = f"acad-{code}-{i:03d}"
            if groups and rng.random() < 0.6:
                main = sample(rng, bld.topics_of[pick(rng, groups)], int(rng.integers(1, 3)))
            else:
                main = _draw_topics(rng, code, int(rng.integers(1, 3)))
            minor = _draw_topics(rng, code, 1, exclude=main) if rng.random() < 0.4 else []
            tops = [TOPIC_BY_ID[t] for t in main]
            skills = list(dict.fromkeys(s for t in tops for s in sample(rng, t.skills, 3)))
            name = _person_name(rng, code)
            start = _day(rng, dt.date(2025, 2, 1), 300)
            bld.people.append(
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
            bld.council_of[pid] = code
            bld.topics_of[pid] = main
            docs: list[tuple[DocumentKind, str, str, str, int | None]] = []
            for _ in range(int(rng.integers(2, 7))):
                tid = pick(rng, main) if not minor or rng.random() < 0.8 else minor[0]
                other = TOPIC_BY_ID[pick(rng, main + minor)] if rng.random() < 0.4 else None
                title, body = text.publication(rng, TOPIC_BY_ID[tid], other)
                docs.append((DocumentKind.PUBLICATION, title, body, "en", int(rng.integers(2012, 2025))))
            bld.add_profile(
                OwnerType.PERSON,
                pid,
                f"Dr {name}",
                docs,
                ProfileTruth("", "academic", r.council.country, code, tuple(main), tuple(minor)),
            )


def students(bld: Builder) -> None:
    rng = bld.rng
    n = _scaled("students", bld.scale, 6)
    for code, k in zip(COUNCIL_CODES, _apportion(n, [1.0] * 6, minimum=1), strict=True):
        r = REGIONS[code]
        for i in range(1, k + 1):
            pid = f"stu-{code}-{i:04d}"
            main = _draw_topics(rng, code, 1 if rng.random() < 0.6 else 2)
            tops = [TOPIC_BY_ID[t] for t in main]
            skills = [s for t in tops for s in sample(rng, t.skills, 2)]
            skills += sample(rng, _GENERIC_SKILLS, int(rng.integers(1, 3)))
            skills = list(dict.fromkeys(skills))
            level = pick(rng, (StudyLevel.BACHELOR,) * 9 + (StudyLevel.MASTER,) * 8 + (StudyLevel.PHD,) * 3)
            discipline = pick(rng, DISCIPLINES[tops[0].family])
            langs = _languages(rng, code)
            autumn = rng.random() < 0.5
            bld.people.append(
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
            bld.council_of[pid] = code
            bld.topics_of[pid] = main
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
            bld.add_profile(
                OwnerType.PERSON,
                pid,
                f"Student profile {pid}",
                docs,
                ProfileTruth("", "student", r.council.country, code, tuple(main)),
            )


def sme_staff(bld: Builder) -> None:
    rng = bld.rng
    smes = [o for o in bld.orgs if o.kind is OrgKind.SME]
    n = min(len(smes), _scaled("sme_staff", bld.scale, 6))
    chosen = sorted(sample(rng, smes, n), key=lambda o: o.id)
    counter: Counter[str] = Counter()
    for sme in chosen:
        code = sme.council
        counter[code] += 1
        pid = f"staff-{code}-{counter[code]:03d}"
        name = _person_name(rng, code)
        tops = [TOPIC_BY_ID[t] for t in bld.topics_of[sme.id]]
        bld.people.append(
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
        bld.council_of[pid] = code
