"""Demo facilities and SME challenges (with their latent truths)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from matcher.demo import text
from matcher.demo.builder import (
    _CONDITIONS,
    _GENERIC_SKILLS,
    LOCAL_LANGUAGE_SHARE,
    Builder,
    _apportion,
    _day,
    _draw_topics,
    _scaled,
)
from matcher.demo.councils import COUNCIL_CODES, REGIONS
from matcher.demo.ground_truth import ChallengeTruth, ProfileTruth
from matcher.demo.text import cap, pick, sample
from matcher.demo.topics import TOPIC_BY_ID
from matcher.types import (
    Challenge,
    ChallengeStatus,
    DocumentKind,
    Facility,
    FacilityKind,
    OrgKind,
    OwnerType,
    Programme,
    Visibility,
)


def facilities(bld: Builder) -> None:
    rng = bld.rng
    n = _scaled("facilities", bld.scale, 6)
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
            bld.facilities.append(
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
            bld.council_of[fid] = code
            bld.add_profile(
                OwnerType.FACILITY,
                fid,
                name,
                [(DocumentKind.FACILITY, name, body, "en", None)],
                ProfileTruth("", "facility", r.council.country, code, tuple(topics), facility_kind=kind),
            )


def challenges(bld: Builder) -> None:
    rng = bld.rng
    counter: Counter[str] = Counter()
    for sme in [o for o in bld.orgs if o.kind is OrgKind.SME]:
        code = sme.council
        r = REGIONS[code]
        u = rng.random()
        n_ch = 1 if u < 0.65 else 2 if u < 0.97 else 3
        for _ in range(n_ch):
            counter[code] += 1
            cid = f"ch-{code}-{counter[code]:04d}"
            own = bld.topics_of[sme.id]
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
            skills = [s for t in topics for s in sample(rng, TOPIC_BY_ID[t].skills, int(rng.integers(1, 4)))]
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
            bld.challenges.append(
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
            bld.council_of[cid] = code
            bld.challenge_truth.append(
                ChallengeTruth(cid, r.council.country, code, tuple(topics), tuple(programmes), need)
            )
