"""A small stored programme whose needs are known by construction (shared by the needs tests)."""

from __future__ import annotations

import datetime as dt

from matcher import types as t

WELD = "laser welding seams aluminium frames robot"
SOLAR = "solar battery storage inverter photovoltaic"


def needs_programme() -> dict[str, list[object]]:
    """Two councils; 6 welding and 6 solar challenges; welding capability only in Bologna."""
    K, P = t.OrgKind, t.Visibility
    orgs = [
        t.Organisation("sme-bo-1", K.SME, "Saldature", "bologna", "IT", sector="metalworking"),
        t.Organisation("sme-bo-2", K.SME, "Telai", "bologna", "IT", sector="automotive"),
        t.Organisation("sme-ma-1", K.SME, "Solar Sur", "malaga", "ES", sector="energy"),
        t.Organisation("sme-ma-2", K.SME, "Baterías", "malaga", "ES", sector="energy"),
        t.Organisation("hei-bo", K.HEI, "Università di Bologna", "bologna", "IT"),
        t.Organisation("rg-bo-weld", K.RESEARCH_GROUP, "Welding Lab", "bologna", "IT", parent_id="hei-bo"),
        t.Organisation("hei-ma", K.HEI, "Universidad de Málaga", "malaga", "ES"),
        t.Organisation("rg-ma-bio", K.RESEARCH_GROUP, "Marine Biology", "malaga", "ES", parent_id="hei-ma"),
    ]
    challenges = []
    for i in range(6):
        sme = "sme-bo-1" if i % 2 else "sme-bo-2"
        challenges.append(
            t.Challenge(f"ch-weld-{i}", sme, f"Welding need {i}", f"{WELD} problem {i}", language="en",
                        sector="metalworking", required_skills=("welding", "robotics"),
                        opened=dt.date(2026, 1 + 3 * (i % 3), 5),
                        visibility=P.PRIVATE if i == 0 else P.PUBLIC)
        )  # fmt: skip
        sme = "sme-ma-1" if i % 2 else "sme-ma-2"
        challenges.append(
            t.Challenge(f"ch-solar-{i}", sme, f"Solar need {i}", f"{SOLAR} problem {i}", language="en",
                        sector="energy", required_skills=("photovoltaics",), opened=dt.date(2026, 4, 5 + i))
        )  # fmt: skip
    D = t.DocumentKind
    profiles = [
        t.CapabilityProfile("prof-weld", t.OwnerType.ORGANISATION, "rg-bo-weld"),
        t.CapabilityProfile("prof-bio", t.OwnerType.ORGANISATION, "rg-ma-bio"),
    ]
    documents = [
        t.Document("d-weld-1", "prof-weld", D.PUBLICATION, f"{WELD} research"),
        t.Document("d-weld-2", "prof-weld", D.PROJECT, "laser welding robot cells for aluminium"),
        t.Document("d-bio-1", "prof-bio", D.PUBLICATION, "fish migration in coastal lagoons"),
    ]
    return {"organisations": orgs, "challenges": challenges, "profiles": profiles, "documents": documents}
