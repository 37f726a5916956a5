"""A tiny programme built from the domain dataclasses, for store and ingest tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from matcher import types as t
from matcher.ingest.files import write_records


def mini_programme() -> dict[str, list[object]]:
    """Every entity type, with references that resolve, tricky text included."""
    orgs = [
        t.Organisation("hei-cork", t.OrgKind.HEI, "University College Cork", "cork", "IE", city="Cork"),
        t.Organisation("rg-cork-01", t.OrgKind.RESEARCH_GROUP, "Marine Energy Lab", "cork", "IE",
                       parent_id="hei-cork", description="Wave energy converters; tidal turbines."),
        t.Organisation("sme-bo-1", t.OrgKind.SME, "Saldature Emiliane", "bologna", "IT", city="Modena",
                       size_class=t.SizeClass.SMALL, nace="C25.6", sector="metalworking", founded=1998,
                       employees=34, description="=HYPERLINK(\"http://x\")  welding, \"quoted\", comma, and\nnewline"),
        t.Organisation("sme-ma-1", t.OrgKind.SME, "Agrotec Málaga", "malaga", "ES", size_class=t.SizeClass.MICRO,
                       visibility=t.Visibility.PRIVATE, consent=False),
    ]  # fmt: skip
    people = [
        t.Person("acad-cork-1", t.PersonKind.ACADEMIC, "Dr Aoife Murphy", "hei-cork", department="Civil Eng.",
                 skills=("hydrodynamics", "CFD"), languages=("en",)),
        t.Person("stu-cork-1", t.PersonKind.STUDENT, "Seán Ó Briain", "hei-cork", discipline="mechanical",
                 level=t.StudyLevel.MASTER, skills=("CAD", "Python"), languages=("en", "ga"),
                 available_from=dt.date(2026, 9, 1), available_to=dt.date(2027, 1, 31), willing_abroad=True),
    ]  # fmt: skip
    challenges = [
        t.Challenge("ch-bo-1", "sme-bo-1", "Robotic welding", "Our welding line stops twice a shift; @risk",
                    language="en", required_skills=("robotics", "welding"),
                    programmes=(t.Programme.CONSULTANCY, t.Programme.FACILITY), budget_min=5000, budget_max=20000,
                    opened=dt.date(2026, 10, 1), deadline=dt.date(2027, 3, 1)),
        t.Challenge("ch-ma-1", "sme-ma-1", "Riego inteligente", "Necesitamos sensores para el riego.",
                    language="es", visibility=t.Visibility.PRIVATE, status=t.ChallengeStatus.DRAFT),
    ]  # fmt: skip
    facilities = [
        t.Facility("fac-cork-1", "hei-cork", t.FacilityKind.LAB, "Wave tank", "A 30 m wave tank.", capacity=2,
                   council="cork", country="IE", available_from=dt.date(2026, 1, 1), conditions="+ safety course"),
    ]  # fmt: skip
    profiles = [
        t.CapabilityProfile("prof-rg-cork-01", t.OwnerType.ORGANISATION, "rg-cork-01", "Marine Energy Lab"),
        t.CapabilityProfile("prof-stu-cork-1", t.OwnerType.PERSON, "stu-cork-1"),
        t.CapabilityProfile("prof-fac-cork-1", t.OwnerType.FACILITY, "fac-cork-1"),
    ]  # fmt: skip
    documents = [
        t.Document("prof-rg-cork-01-d01", "prof-rg-cork-01", t.DocumentKind.PUBLICATION,
                   "We model wave energy converters.\n\nSecond paragraph.", title="WEC modelling", year=2024),
        t.Document("prof-stu-cork-1-d01", "prof-stu-cork-1", t.DocumentKind.CV, "-5 degrees testing; CAD."),
        t.Document("prof-fac-cork-1-d01", "prof-fac-cork-1", t.DocumentKind.FACILITY, "Wave tank with paddles."),
    ]  # fmt: skip
    relationships = [
        t.Relationship("rel-1", t.RelationshipKind.JOINT_EU_PROJECT, t.NodeType.ORGANISATION, "hei-cork",
                       t.NodeType.ORGANISATION, "sme-bo-1", date=dt.date(2020, 5, 1), provenance="CORDIS 101000"),
        t.Relationship("rel-2", t.RelationshipKind.PLACEMENT_HELD, t.NodeType.PERSON, "stu-cork-1",
                       t.NodeType.ORGANISATION, "sme-bo-1"),
    ]  # fmt: skip
    return {
        "organisations": orgs, "people": people, "challenges": challenges, "facilities": facilities,
        "profiles": profiles, "documents": documents, "relationships": relationships,
    }  # fmt: skip


def write_programme(folder: Path, fmt: str = "jsonl") -> dict[str, list[object]]:
    programme = mini_programme()
    folder.mkdir(parents=True, exist_ok=True)
    for entity, records in programme.items():
        write_records(folder / f"{entity}.{fmt}", entity, records)
    return programme
