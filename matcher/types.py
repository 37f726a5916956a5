"""Frozen dataclasses that carry records between the layers (STYLE.md rule 6).

These are the domain records: ingest produces them, the store persists them, the
services hand them to the pure ranking, allocation and graph code.  Identifiers are
the programme's *external ids* (strings chosen by whoever owns the record), never
database keys.  Field names here are the column names of the file formats in
``docs/formats.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OrgKind(StrEnum):
    SME = "sme"
    HEI = "hei"
    RESEARCH_GROUP = "research_group"
    SCIENCE_PARK = "science_park"
    COUNCIL_BODY = "council_body"
    # CORDIS participants (``matcher import-cordis``): kinds from activityType and the SME flag
    COMPANY = "company"
    RESEARCH_CENTRE = "research_centre"
    PUBLIC_BODY = "public_body"
    OTHER = "other"


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"


class PersonKind(StrEnum):
    STUDENT = "student"
    ACADEMIC = "academic"
    SME_STAFF = "sme_staff"


class StudyLevel(StrEnum):
    BACHELOR = "bachelor"
    MASTER = "master"
    PHD = "phd"


class Programme(StrEnum):
    """The four kinds of match the programme makes."""

    CONSULTANCY = "consultancy"
    PLACEMENT = "placement"
    PARTNER = "partner"
    FACILITY = "facility"


class ChallengeStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"


class Visibility(StrEnum):
    """``public``: visible to the whole programme; ``private``: the owner and its council."""

    PUBLIC = "public"
    PRIVATE = "private"


class OwnerType(StrEnum):
    ORGANISATION = "organisation"
    PERSON = "person"
    FACILITY = "facility"


class DocumentKind(StrEnum):
    PUBLICATION = "publication"
    PROJECT = "project"
    COURSEWORK = "coursework"
    CV = "cv"
    FACILITY = "facility"
    DESCRIPTION = "description"


class FacilityKind(StrEnum):
    HOT_DESK = "hot_desk"
    LAB = "lab"
    EQUIPMENT = "equipment"
    ACCESS_POINT = "access_point"


class NodeType(StrEnum):
    """What a relationship end or a match candidate points at."""

    ORGANISATION = "organisation"
    PERSON = "person"
    FACILITY = "facility"
    CHALLENGE = "challenge"


class RelationshipKind(StrEnum):
    MATCH_ACCEPTED = "match_accepted"
    CONSULTANCY_COMPLETED = "consultancy_completed"
    PLACEMENT_HELD = "placement_held"
    JOINT_EU_PROJECT = "joint_eu_project"
    SHARED_FACILITY = "shared_facility"
    MEETING_HELD = "meeting_held"


class MatchStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    MEETING_HELD = "meeting_held"
    COMPLETED = "completed"


class DeclineReason(StrEnum):
    NOT_RELEVANT = "not_relevant"
    TOO_EARLY = "too_early"
    NO_CAPACITY = "no_capacity"
    ALREADY_WORKING_TOGETHER = "already_working_together"
    OTHER = "other"


@dataclass(frozen=True)
class Council:
    """A Cluster Growth Council and its region."""

    code: str
    name: str
    city: str
    nuts2: str
    region: str
    country: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    id: str
    kind: OrgKind
    name: str
    council: str
    country: str
    city: str = ""
    website: str = ""
    description: str = ""
    parent_id: str | None = None  # a research group's HEI
    size_class: SizeClass | None = None  # SMEs only
    nace: str | None = None  # SMEs: NACE Rev.2 code, e.g. "C28.4"
    sector: str | None = None
    founded: int | None = None
    employees: int | None = None
    consent: bool = True  # may be shown to other parties
    visibility: Visibility = Visibility.PUBLIC


@dataclass(frozen=True)
class Person:
    """A student, an academic or a member of SME staff; minimal personal data."""

    id: str
    kind: PersonKind
    name: str
    organisation_id: str
    email: str = ""
    discipline: str = ""  # students
    level: StudyLevel | None = None  # students
    department: str = ""  # academics
    skills: tuple[str, ...] = ()  # students' skills, academics' expertise
    languages: tuple[str, ...] = ()
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    willing_abroad: bool = False
    consent: bool = True


@dataclass(frozen=True)
class Challenge:
    """An SME's stated need: the query side of most matches."""

    id: str
    sme_id: str
    title: str
    description: str
    language: str = "en"
    sector: str = ""
    required_skills: tuple[str, ...] = ()
    programmes: tuple[Programme, ...] = (Programme.CONSULTANCY,)
    budget_min: int | None = None  # euros
    budget_max: int | None = None
    status: ChallengeStatus = ChallengeStatus.OPEN
    opened: dt.date | None = None
    deadline: dt.date | None = None
    visibility: Visibility = Visibility.PUBLIC


@dataclass(frozen=True)
class CapabilityProfile:
    """What an organisation, a person or a facility offers; its texts are its documents."""

    id: str
    owner_type: OwnerType
    owner_id: str
    title: str = ""


@dataclass(frozen=True)
class Document:
    """One text of a capability profile (an abstract, a project summary, a CV...)."""

    id: str
    profile_id: str
    kind: DocumentKind
    text: str
    title: str = ""
    language: str = "en"
    year: int | None = None


@dataclass(frozen=True)
class Facility:
    id: str
    host_id: str  # the organisation that offers it
    kind: FacilityKind
    name: str
    description: str
    capacity: int = 1
    council: str = ""
    country: str = ""
    city: str = ""
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    conditions: str = ""


@dataclass(frozen=True)
class Relationship:
    """A typed, dated edge of the collaboration graph, with where it came from."""

    id: str
    kind: RelationshipKind
    source_type: NodeType
    source_id: str
    target_type: NodeType
    target_id: str
    date: dt.date | None = None
    provenance: str = ""


@dataclass(frozen=True)
class MatchEvent:
    """One change of a match record's status: who, when, what."""

    status: MatchStatus
    at: dt.datetime
    actor: str = ""
    reason: DeclineReason | None = None
    note: str = ""
    rating: int | None = None


@dataclass(frozen=True)
class MatchRecord:
    """A suggested pairing with its score, reasons and the history of its status."""

    id: str
    match_type: Programme
    challenge_id: str
    candidate_type: NodeType
    candidate_id: str
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)
    status: MatchStatus = MatchStatus.PROPOSED
    decline_reason: DeclineReason | None = None
    rating: int | None = None
    history: tuple[MatchEvent, ...] = ()


#: Entity names as they appear in file names, CLI arguments and the API, in load order
#: (an entity may only refer to entities loaded before it).
ENTITY_TYPES: dict[str, type] = {
    "organisations": Organisation,
    "people": Person,
    "challenges": Challenge,
    "facilities": Facility,
    "profiles": CapabilityProfile,
    "documents": Document,
    "relationships": Relationship,
}


def challenge_text_of(title: str, description: str, required_skills: Sequence[str]) -> str:
    """The text that represents a challenge in matching: title, description, skills.

    The skills go on a line of their own with no label: a label word ("skills") would
    itself match every CV that says "skills" and bias the lexical signal towards them.
    """
    skills = f"\n{', '.join(required_skills)}." if required_skills else ""
    return f"{title}.\n{description}{skills}"


# --------------------------------------------------------------------------- training (issue 14)
class TrainingFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"
    PLACEMENT = "placement"  # training by a stay abroad (mobility)


@dataclass(frozen=True)
class TrainingModule:
    """A course a provider organisation offers to SMEs' staff."""

    id: str
    provider_id: str  # the organisation that runs it (and may edit it)
    title: str
    description: str
    council: str
    language: str = "en"
    skills: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # management areas it improves (codes of data/assessment_areas.csv)
    format: TrainingFormat = TrainingFormat.IN_PERSON
    starts: dt.date | None = None
    ends: dt.date | None = None
    places: int | None = None


@dataclass(frozen=True)
class Assessment:
    """One area's score in an SME's management self-assessment; one assessment = one date's rows."""

    id: str
    sme_id: str
    assessed_on: dt.date
    area: str  # a code of data/assessment_areas.csv
    score: int  # 1 (weak) .. 5 (strong)
    note: str = ""


#: Training entities: imported and validated like ENTITY_TYPES, kept apart from the generic record API.
TRAINING_TYPES: dict[str, type] = {"training_modules": TrainingModule, "assessments": Assessment}
