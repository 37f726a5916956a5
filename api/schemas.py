"""Pydantic schemas of the HTTP API (STYLE.md rule 6: pydantic lives only here).

The record schemas are derived from the same field specifications that validate
files (:func:`matcher.ingest.schema.field_specs`), so that the OpenAPI document
describes exactly what ``matcher import`` accepts; the service then validates
with the importer's own rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from matcher import types as t
from matcher.domain.matches import Contact
from matcher.ingest.schema import (
    CODE_LISTS,
    COUNTRY_PATTERN,
    ID_FIELDS,
    ID_PATTERN,
    LANG_PATTERN,
    LIST_ITEM_MAX,
    LIST_MAX,
    SAFE_TEXT_PATTERN,
    field_specs,
)
from matcher.services.access import Role
from matcher.services.outcomes.rules import Action

#: The entities served as REST resources, with the name of one record in schema titles.
RESOURCES: dict[str, str] = {
    "organisations": "Organisation",
    "people": "Person",
    "challenges": "Challenge",
    "profiles": "Profile",
    "documents": "Document",
    "facilities": "Facility",
}

_BIG = 2_000_000_000


#: Request bodies use SAFE_TEXT_PATTERN, the importer's rule (no NUL, no lone surrogate).  Query parameters are decoded from UTF-8 (a broken sequence becomes U+FFFD), so only NUL can
#: arrive; this is the pattern the Rust regex engine of query validation accepts.
QUERY_TEXT_PATTERN = r"^[^\x00]*$"
#: Request bodies validate patterns with Python's ``re`` (surrogate ranges are not Rust regex).
INPUT_CONFIG = ConfigDict(extra="forbid", regex_engine="python-re")


def _field_type(entity: str, name: str, *, output: bool = False) -> Any:
    spec = field_specs(entity)[name]
    codes = CODE_LISTS.get(name)
    if spec.kind == "text":
        if codes and not output:
            return Literal[tuple(sorted(codes[0]))]  # type: ignore[valid-type]
        pattern = SAFE_TEXT_PATTERN
        if name in ID_FIELDS:
            pattern = ID_PATTERN.pattern
        elif name == "language":
            pattern = LANG_PATTERN.pattern
        elif name == "country":
            pattern = COUNTRY_PATTERN.pattern
        return Annotated[str, Field(max_length=spec.max_len, pattern=None if output else pattern)]
    if spec.kind == "int":
        return Annotated[int, Field(ge=-_BIG, le=_BIG)]
    if spec.kind == "float":
        return float
    if spec.kind == "bool":
        return bool
    if spec.kind == "date":
        return dt.date
    if spec.kind == "enum":
        return spec.enum
    item: Any = spec.enum if spec.kind == "enum_list" else Annotated[str, Field(max_length=LIST_ITEM_MAX)]
    if spec.kind == "list" and not output:
        item = Annotated[str, Field(max_length=LIST_ITEM_MAX, pattern=SAFE_TEXT_PATTERN)]
    if codes and not output:
        item = Literal[tuple(sorted(codes[0]))]
    return Annotated[list[item], Field(max_length=LIST_MAX)]  # type: ignore[valid-type]


def _record_model(
    entity: str, title: str, *, suffix: str, with_id: bool, output: bool, versioned: bool = True
) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, spec in field_specs(entity).items():
        if name == "id" and not with_id:
            continue
        tp = _field_type(entity, name, output=output)
        if spec.required:
            fields[name] = (tp, ...)
        else:
            fields[name] = (tp | None, None)
    if output and versioned:
        fields["version"] = (int | None, Field(None, description="Row version; also the ETag."))
    config = ConfigDict(extra="ignore") if output else INPUT_CONFIG
    return create_model(f"{title}{suffix}", __config__=config, **fields)


CREATE_MODELS = {
    e: _record_model(e, n, suffix="Create", with_id=True, output=False) for e, n in RESOURCES.items()
}
UPDATE_MODELS = {
    e: _record_model(e, n, suffix="Update", with_id=False, output=False) for e, n in RESOURCES.items()
}
OUT_MODELS = {e: _record_model(e, n, suffix="", with_id=True, output=True) for e, n in RESOURCES.items()}
PAGE_MODELS = {
    e: create_model(
        f"{n}Page",
        items=(list[OUT_MODELS[e]], ...),  # type: ignore[valid-type]
        total=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
    )
    for e, n in RESOURCES.items()
}


RelationshipCreate = _record_model(
    "relationships", "Relationship", suffix="Create", with_id=True, output=False
)
RelationshipOut = _record_model(
    "relationships", "Relationship", suffix="", with_id=True, output=True, versioned=False
)
RelationshipPage = create_model(
    "RelationshipPage",
    items=(list[RelationshipOut], ...),  # type: ignore[valid-type]
    total=(int, ...),
    limit=(int, ...),
    offset=(int, ...),
)


class CouncilOut(BaseModel):
    """One of the programme's Cluster Growth Councils."""

    code: str
    name: str
    city: str
    nuts2: str
    region: str
    country: str
    languages: list[str]


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A stable URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        None,
        description="Located problems: file, line, field, reason (validation and imports); "
        "the first 100 of them.",
    )
    error_count: int | None = Field(None, description="How many problems there were in all.")


class Erased(BaseModel):
    """What a deletion removed (a person is erased everywhere)."""

    deleted: dict[str, Any]


class MatchEventOut(BaseModel):
    status: t.MatchStatus = Field(description="The record's status after the event.")
    at: dt.datetime | None
    actor: str = Field(
        description="Who took the step (the other side's is withheld on an anonymised record)."
    )
    reason: t.DeclineReason | None = None
    note: str = ""
    rating: int | None = None
    contact: Contact | None = Field(
        None, description="Set on a contact step (requested, approved, declined); the status is unchanged."
    )


class ChallengeSummaryOut(BaseModel):
    """An anonymised private challenge: categories only, never its SME, title or text."""

    sector: str | None = None
    council: str
    country: str
    language: str
    required_skills: list[str] = Field(default_factory=list)
    programmes: list[t.Programme] = Field(default_factory=list)


ChallengeOut = OUT_MODELS["challenges"]

_ANONYMISED = (
    "True when this is a private challenge the caller may not read and whose side has not "
    "approved contact: no challenge id, SME, title or text, reasons without the best sentence, "
    "excerpt or key terms, and `summary` instead."
)
_CONTACT = "Where a contact request on this private challenge stands: requested, approved, declined."


class MatchOut(BaseModel):
    id: str
    match_type: t.Programme
    challenge_id: str | None = Field(description="Null when anonymised.")
    candidate_type: t.NodeType
    candidate_id: str
    score: float
    reasons: dict[str, Any] = Field(default_factory=dict)
    status: t.MatchStatus
    decline_reason: t.DeclineReason | None = None
    rating: int | None = None
    history: list[MatchEventOut] = Field(default_factory=list)
    version: int
    anonymised: bool = Field(False, description=_ANONYMISED)
    contact: Contact | None = Field(None, description=_CONTACT)
    summary: ChallengeSummaryOut | None = Field(None, description="The anonymised challenge.")
    challenge: ChallengeOut | None = Field(  # type: ignore[valid-type]
        None,
        description="The whole challenge, when the caller sees it through this record (contact approved).",
    )


class MatchList(BaseModel):
    challenge_id: str
    match_type: t.Programme
    k: int
    items: list[MatchOut]


class StoredMatchPage(BaseModel):
    """Stored match records of a challenge (no matching is run), best first within each type."""

    challenge_id: str
    items: list[MatchOut]
    total: int
    limit: int
    offset: int


class Candidate(BaseModel):
    """A ranked suggestion (challenges for a profile, partners).

    A private challenge the caller may not read comes anonymised: ``candidate_id`` is then
    the id of the match record on which to request contact (``match_id``).
    """

    candidate_type: t.NodeType
    candidate_id: str
    score: float
    reasons: dict[str, Any] = Field(default_factory=dict)
    anonymised: bool = Field(False, description=_ANONYMISED)
    match_id: str | None = Field(
        None, description="Private challenges: the match record on which contact is requested and approved."
    )
    contact: Contact | None = Field(None, description=_CONTACT)
    summary: ChallengeSummaryOut | None = Field(None, description="The anonymised challenge.")
    challenge: ChallengeOut | None = Field(  # type: ignore[valid-type]
        None, description="The whole private challenge, once its side approved contact."
    )


class CandidateList(BaseModel):
    query_id: str
    k: int
    items: list[Candidate]


class Decision(BaseModel):
    """A decision on a match: accept, decline (with a reason), meeting held, complete, rate; or a
    contact step on a private challenge: request_contact (the candidate's side), approve_contact
    or decline_contact (the challenge's SME, its council, an admin)."""

    model_config = INPUT_CONFIG

    action: Action
    reason: t.DeclineReason | None = Field(
        None, description="Required with decline; optional with decline_contact; refused otherwise."
    )
    note: Annotated[str, Field(max_length=2000, pattern=SAFE_TEXT_PATTERN)] = ""
    rating: Annotated[int, Field(ge=1, le=5)] | None = Field(
        None, description="1-5; with 'rate' or 'complete'."
    )
    date: dt.date | None = Field(None, description="When it happened; default today.")


class KeyCreate(BaseModel):
    model_config = INPUT_CONFIG

    role: Role
    organisation_id: Annotated[str, Field(pattern=ID_PATTERN.pattern)] | None = None
    council: Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN.pattern)] | None = None
    label: Annotated[str, Field(max_length=300, pattern=SAFE_TEXT_PATTERN)] = ""


class KeyOut(BaseModel):
    id: int
    prefix: str
    role: Role
    organisation_id: str | None
    council: str | None
    label: str
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The API key; shown once, never stored.")


class Me(BaseModel):
    role: Role
    organisation_id: str | None
    council: str | None
    managed: list[str]
    key_id: int | None


class ImportOut(BaseModel):
    entity: str
    rows: int
    counts: dict[str, int]
    rejected: list[dict[str, Any]] = Field(description="The first 100 rejected rows (with skip_invalid).")
    rejected_count: int = Field(0, description="How many rows were rejected in all.")


class ExportPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Ready(BaseModel):
    status: Literal["ready"]
    database: Literal["ok"]
    matcher: Literal["ok"]


class Version(BaseModel):
    version: str
    api: str
    env: str
    embedding_model: str
    matcher: str | None
