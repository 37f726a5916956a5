"""The texts matching reads: the candidate corpus and the query contexts, in few queries."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from matcher.exceptions import NotFoundError
from matcher.store.models import (
    ChallengeRow,
    DocumentRow,
    FacilityRow,
    OrganisationRow,
    PersonRow,
    ProfileRow,
    RelationshipRow,
)
from matcher.types import challenge_text_of


@dataclass(frozen=True, slots=True)
class Candidate:
    """A capability profile with the attributes of its owner that filters need."""

    profile_id: str
    owner_type: str  # organisation | person | facility
    owner_id: str
    name: str
    kind: str  # organisation kind, person kind or facility kind
    council: str
    country: str
    organisation_id: str  # the owning organisation (itself, employer, or host)
    visibility: str
    consent: bool
    language: str = ""  # the most common of its documents' (build_corpus)
    skills: tuple[str, ...] = ()
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    capacity: int | None = None


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    id: str
    profile_id: str
    text: str
    language: str


@dataclass(frozen=True)
class Corpus:
    candidates: list[Candidate]
    documents: list[CorpusDocument]


@dataclass(frozen=True)
class QueryContext:
    """What matching needs to know about the query side (a challenge or an organisation)."""

    query_id: str
    text: str
    language: str
    council: str
    country: str
    organisation_id: str
    related: frozenset[str]
    skills: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None


def corpus_stamp(*, session: Session) -> tuple[object, ...]:
    """Changes whenever anything that matching reads about candidates changes.

    Row counts catch inserts and deletes, the sum of versions catches edits (every
    edit bumps a row's version), the largest key catches a delete followed by an insert.
    """
    parts: list[object] = []
    for cls in (ProfileRow, DocumentRow, OrganisationRow, PersonRow, FacilityRow):
        parts.extend(session.execute(select(func.count(), func.sum(cls.version), func.max(cls.pk))).one())
    return tuple(parts)


def build_corpus(profiles: Iterable[tuple[Candidate, Iterable[CorpusDocument]]]) -> Corpus:
    """The corpus matching reads, from each profile's candidate and documents, however stored.

    One home for which profiles match and in what order, shared by :func:`load_corpus` (the
    database, for ``matcher match`` and the API) and the benchmark (the demo files,
    :func:`evaluation.corpora.load_demo_corpus`): profiles without documents are left out
    (nothing to match on), the rest come in profile-id order, each profile's documents in
    document-id order, and a candidate's ``language`` is the most common of its documents'
    (a tie goes to the first in that order).  The order matters, not only for display: the
    ranker draws its calibration background as random pairs of document *positions*
    (:func:`matcher.ranking.calibration.background_pairs`), so two orders of the same
    documents give slightly different scores, and the database returns a profile's documents
    in no defined order.
    """
    candidates: list[Candidate] = []
    documents: list[CorpusDocument] = []
    for cand, docs in sorted(profiles, key=lambda e: e[0].profile_id):
        ordered = sorted(docs, key=lambda d: d.id)
        if not ordered:
            continue
        lang = Counter(d.language for d in ordered).most_common(1)[0][0]
        candidates.append(replace(cand, language=lang))
        documents.extend(ordered)
    return Corpus(candidates, documents)


def load_corpus(*, session: Session) -> Corpus:
    """Every profile that has documents, with its owner's attributes (:func:`build_corpus`).

    Reads plain columns, never ORM objects: at 100k profiles (250k documents) loading the
    rows as mapped objects with their owners peaked at ~1 GB of Python objects to hand over
    ~250 MB, and the heap it left behind stayed with the process (docs/performance.md,
    "Server memory").  Documents are streamed in batches, and the few distinct short values
    (languages, kinds, councils, countries, visibility) are interned, so 250k documents
    share one ``"en"``.
    """
    owner_of: dict[int, Candidate] = {}
    for org in session.execute(_ORGANISATION_PROFILES):
        pk, pid, oid, name, kind, council, country, visibility, consent = org
        owner_of[pk] = Candidate(pid, "organisation", oid, name, _i(kind), _i(council), _i(country), oid,
                                 _i(visibility), bool(consent))  # fmt: skip
    for person in session.execute(_PERSON_PROFILES):
        pk, pid, eid, name, kind, skills, start, end, consent, oid, council, country, visibility, oc = person
        owner_of[pk] = Candidate(pid, "person", eid, name, _i(kind), _i(council), _i(country), oid, _i(visibility),
                                 bool(consent and oc), skills=tuple(skills or ()), available_from=start,
                                 available_to=end)  # fmt: skip
    for facility in session.execute(_FACILITY_PROFILES):
        pk, pid, fid, name, kind, council, country, start, end, capacity, hid, visibility, consent = facility
        owner_of[pk] = Candidate(pid, "facility", fid, name, _i(kind), _i(council), _i(country), hid,
                                 _i(visibility), bool(consent), available_from=start, available_to=end,
                                 capacity=capacity)  # fmt: skip
    docs: dict[int, list[CorpusDocument]] = {}
    for ppk, did, text, language in session.execute(_DOCUMENTS.execution_options(yield_per=_BATCH)):
        cand = owner_of.get(ppk)
        if cand is not None:  # else its profile was written after the queries above: the next fit has it
            docs.setdefault(ppk, []).append(CorpusDocument(did, cand.profile_id, text, _i(language)))
    return build_corpus((cand, docs.pop(pk, ())) for pk, cand in owner_of.items())


def _i(value: str) -> str:
    """One shared string object for each of the few distinct short values of a column."""
    return sys.intern(value) if isinstance(value, str) else value


_BATCH = 5_000  # documents fetched at a time
_Employer = aliased(OrganisationRow)
_Host = aliased(OrganisationRow)
_O = OrganisationRow
_ORGANISATION_PROFILES = select(
    ProfileRow.pk, ProfileRow.external_id, _O.external_id, _O.name, _O.kind, _O.council, _O.country,
    _O.visibility, _O.consent,
).join(_O, ProfileRow.organisation_pk == _O.pk)  # fmt: skip
_PERSON_PROFILES = (
    select(
        ProfileRow.pk,
        ProfileRow.external_id,
        PersonRow.external_id,
        PersonRow.name,
        PersonRow.kind,
        PersonRow.skills,
        PersonRow.available_from,
        PersonRow.available_to,
        PersonRow.consent,
        _Employer.external_id,
        _Employer.council,
        _Employer.country,
        _Employer.visibility,
        _Employer.consent,
    )
    .join(PersonRow, ProfileRow.person_pk == PersonRow.pk)
    .join(_Employer, PersonRow.organisation_pk == _Employer.pk)
)
_FACILITY_PROFILES = (
    select(
        ProfileRow.pk,
        ProfileRow.external_id,
        FacilityRow.external_id,
        FacilityRow.name,
        FacilityRow.kind,
        FacilityRow.council,
        FacilityRow.country,
        FacilityRow.available_from,
        FacilityRow.available_to,
        FacilityRow.capacity,
        _Host.external_id,
        _Host.visibility,
        _Host.consent,
    )
    .join(FacilityRow, ProfileRow.facility_pk == FacilityRow.pk)
    .join(_Host, FacilityRow.host_pk == _Host.pk)
)
_DOCUMENTS = select(DocumentRow.profile_pk, DocumentRow.external_id, DocumentRow.text, DocumentRow.language)


def _related(node_ids: list[str], *, session: Session) -> frozenset[str]:
    rows = session.execute(
        select(RelationshipRow.source_id, RelationshipRow.target_id).where(
            or_(RelationshipRow.source_id.in_(node_ids), RelationshipRow.target_id.in_(node_ids))
        )
    ).all()
    return frozenset({a for a, _ in rows} | {b for _, b in rows}) - set(node_ids)


def challenge_text(row: ChallengeRow) -> str:
    return challenge_text_of(row.title, row.description, list(row.required_skills))


def challenge_row(challenge_id: str, *, session: Session) -> ChallengeRow:
    """One stored challenge with its SME loaded; :class:`NotFoundError` when unknown."""
    row = session.scalar(
        select(ChallengeRow)
        .options(selectinload(ChallengeRow.sme))
        .where(ChallengeRow.external_id == challenge_id)
    )
    if row is None:
        raise NotFoundError(f"no challenge with id {challenge_id!r}")
    return row


def challenge_context(challenge_id: str, *, session: Session) -> QueryContext:
    row = challenge_row(challenge_id, session=session)
    sme = row.sme
    return QueryContext(
        challenge_id, challenge_text(row), row.language, sme.council, sme.country, sme.external_id,
        _related([sme.external_id], session=session), tuple(row.required_skills), row.opened, row.deadline,
    )  # fmt: skip


def organisation_context(organisation_id: str, *, session: Session) -> QueryContext:
    """An organisation as a query: its description, profile documents and open challenges."""
    org = session.scalar(select(OrganisationRow).where(OrganisationRow.external_id == organisation_id))
    if org is None:
        raise NotFoundError(f"no organisation with id {organisation_id!r}")
    texts = [org.description] if org.description else []
    texts += list(
        session.scalars(
            select(DocumentRow.text)
            .join(DocumentRow.profile)
            .where(ProfileRow.organisation_pk == org.pk)
            .limit(20)
        )
    )
    challenges = session.scalars(
        select(ChallengeRow).where(
            ChallengeRow.sme_pk == org.pk, ChallengeRow.status.in_(["open", "matched"])
        )
    ).all()
    texts += [challenge_text(c) for c in challenges]
    if not texts:
        raise NotFoundError(
            f"organisation {organisation_id!r} has no description, profile or challenge to match on"
        )
    langs = Counter(c.language for c in challenges) or Counter({"en": 1})
    skills = tuple(sorted({s for c in challenges for s in c.required_skills}))
    return QueryContext(
        organisation_id, "\n".join(texts), langs.most_common(1)[0][0], org.council, org.country,
        org.external_id, _related([org.external_id], session=session), skills,
    )  # fmt: skip
