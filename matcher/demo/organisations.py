"""Demo organisations: the six councils' institutions, SMEs and research groups."""

from __future__ import annotations

from matcher.demo import text
from matcher.demo.builder import _SME_SUFFIX, _STEMS, Builder, _apportion, _ascii, _draw_topics, _scaled
from matcher.demo.councils import COUNCIL_CODES, DEPARTMENTS, REGIONS
from matcher.demo.ground_truth import ProfileTruth
from matcher.demo.text import cap, pick, sample
from matcher.demo.topics import TOPIC_BY_ID
from matcher.types import DocumentKind, Organisation, OrgKind, OwnerType, SizeClass, Visibility


def institutions(bld: Builder) -> None:
    for code in COUNCIL_CODES:
        r = REGIONS[code]
        c = r.council
        for oid, kind, name in (
            (f"hei-{code}", OrgKind.HEI, r.hei_name),
            (f"park-{code}", OrgKind.SCIENCE_PARK, r.park_name),
        ):
            bld.orgs.append(
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
            bld.council_of[oid] = code


def smes(bld: Builder) -> None:
    rng = bld.rng
    n = _scaled("smes", bld.scale, 6)
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
            bld.orgs.append(
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
            bld.council_of[oid] = code
            bld.topics_of[oid] = topics
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
            bld.add_profile(
                OwnerType.ORGANISATION,
                oid,
                name,
                [(DocumentKind.DESCRIPTION, f"About {name}", body, lang, None)],
                ProfileTruth("", "sme", r.council.country, code, tuple(topics)),
            )


def research_groups(bld: Builder) -> None:
    rng = bld.rng
    n = _scaled("research_groups", bld.scale, 6)
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
            bld.orgs.append(
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
            bld.council_of[oid] = code
            bld.topics_of[oid] = main
            hei_topics.extend(drawn)
            docs: list[tuple[DocumentKind, str, str, str, int | None]] = []
            for _ in range(int(rng.integers(5, 21))):
                tid = pick(rng, main) if rng.random() < 0.75 else pick(rng, minor)
                other = TOPIC_BY_ID[pick(rng, drawn)] if rng.random() < 0.4 else None
                if rng.random() < 0.6:
                    title, body = text.publication(rng, TOPIC_BY_ID[tid], other)
                    docs.append((DocumentKind.PUBLICATION, title, body, "en", int(rng.integers(2014, 2025))))
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
            bld.add_profile(
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
        bld.add_profile(
            OwnerType.ORGANISATION,
            f"hei-{code}",
            r.hei_name,
            [(DocumentKind.DESCRIPTION, f"About {r.hei_name}", body, "en", None)],
            ProfileTruth("", "hei", r.council.country, code, (), minor_hei),
        )
