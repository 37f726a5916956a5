"""Reads and bulk writes of the collaboration graph: nodes, relationship ends, CORDIS batches.

Like every repository module, functions take ``*, session`` and never commit.  Reads
return plain tuples (the graph package turns them into a networkx graph); the bulk
writes use executemany inserts so that a CORDIS table of ~700k pair-project
relationships loads in one transaction within seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from matcher.store.models import (
    ChallengeRow,
    CouncilRow,
    FacilityRow,
    OrganisationRow,
    PersonRow,
    RelationshipRow,
)

CHUNK = 5_000


@dataclass(frozen=True)
class NodeRow:
    """An organisation or a person as the graph sees it, with what access rules need."""

    id: str
    node_type: str  # organisation | person
    kind: str
    council: str
    country: str
    organisation_id: str  # the organisation answerable for it (itself, for an organisation)
    public: bool


@dataclass(frozen=True)
class EdgeRow:
    """A stored relationship with both ends resolved to organisations or people."""

    id: str
    kind: str
    source: str
    target: str
    date: dt.date | None


def graph_nodes(*, session: Session) -> list[NodeRow]:
    """Every organisation and person."""
    orgs = session.execute(
        select(
            OrganisationRow.external_id, OrganisationRow.kind, OrganisationRow.council,
            OrganisationRow.country, OrganisationRow.visibility, OrganisationRow.consent,
        )
    )  # fmt: skip
    out = [NodeRow(i, "organisation", k, c, n, i, v == "public" and bool(ok)) for i, k, c, n, v, ok in orgs]
    people = session.execute(
        select(
            PersonRow.external_id, PersonRow.kind, OrganisationRow.council, OrganisationRow.country,
            OrganisationRow.external_id,
        ).join(PersonRow.organisation)
    )  # fmt: skip
    out.extend(NodeRow(i, "person", k, c, n, o, False) for i, k, c, n, o in people)
    return out


def graph_edges(*, session: Session) -> list[EdgeRow]:
    """Every relationship; a facility end stands for its host, a challenge end for its SME."""
    host = dict(
        session.execute(
            select(FacilityRow.external_id, OrganisationRow.external_id).join(FacilityRow.host)
        ).all()
    )
    sme = dict(
        session.execute(
            select(ChallengeRow.external_id, OrganisationRow.external_id).join(ChallengeRow.sme)
        ).all()
    )

    def end(node_type: str, node_id: str) -> str:
        if node_type == "facility":
            return host.get(node_id, node_id)
        if node_type == "challenge":
            return sme.get(node_id, node_id)
        return node_id

    rows = session.execute(
        select(
            RelationshipRow.external_id, RelationshipRow.kind, RelationshipRow.source_type,
            RelationshipRow.source_id, RelationshipRow.target_type, RelationshipRow.target_id,
            RelationshipRow.date,
        )
    )  # fmt: skip
    return [EdgeRow(i, k, end(st, s), end(tt, tg), d) for i, k, st, s, tt, tg, d in rows]


def graph_stamp(*, session: Session) -> tuple[Any, ...]:
    """Changes whenever nodes or relationships are added, removed or edited (for caches)."""
    parts: list[Any] = []
    for cls in (OrganisationRow, PersonRow, RelationshipRow):
        parts.extend(session.execute(select(func.count(), func.max(cls.pk), func.max(cls.updated_at))).one())
    return tuple(parts)


# --------------------------------------------------------------------------- bulk writes
def ensure_council(code: str, *, name: str, country: str, session: Session) -> None:
    """Create a council row when it does not exist (organisations outside the programme's regions)."""
    if session.get(CouncilRow, code) is None:
        session.add(
            CouncilRow(code=code, name=name, city="", nuts2="", region=name, country=country, languages=[])
        )
        session.flush()


def organisation_rows(external_ids: Iterable[str], *, session: Session) -> dict[str, dict[str, Any]]:
    """``{external_id: {kind, name, council, country, city}}`` of those that exist."""
    ids = list(set(external_ids))
    out: dict[str, dict[str, Any]] = {}
    cols = (OrganisationRow.external_id, OrganisationRow.kind, OrganisationRow.name, OrganisationRow.council,
            OrganisationRow.country, OrganisationRow.city)  # fmt: skip
    for i in range(0, len(ids), 500):
        for eid, kind, name, council, country, city in session.execute(
            select(*cols).where(OrganisationRow.external_id.in_(ids[i : i + 500]))
        ):
            out[eid] = {"kind": kind, "name": name, "council": council, "country": country, "city": city}
    return out


def bulk_upsert_organisations(values: Sequence[dict[str, Any]], *, session: Session) -> dict[str, int]:
    """Insert new organisations and update changed ones (``external_id`` identifies them).

    ``values`` hold ``external_id, kind, name, council, country, city``.  Returns counts
    ``created``, ``updated``, ``unchanged``.
    """
    existing = organisation_rows([v["external_id"] for v in values], session=session)
    new = [v for v in values if v["external_id"] not in existing]
    changed = [
        v for v in values
        if v["external_id"] in existing and any(existing[v["external_id"]][k] != v[k] for k in existing[v["external_id"]])
    ]  # fmt: skip
    for chunk in _chunks(new):
        session.execute(insert(OrganisationRow), chunk)
    for v in changed:
        fields = {k: v[k] for k in ("kind", "name", "council", "country", "city")}
        session.execute(
            update(OrganisationRow)
            .where(OrganisationRow.external_id == v["external_id"])
            .values(**fields, version=OrganisationRow.version + 1)
        )
    session.flush()
    return {"created": len(new), "updated": len(changed), "unchanged": len(values) - len(new) - len(changed)}


def relationship_ids_with_prefix(prefix: str, *, session: Session) -> set[str]:
    """External ids of the relationships whose id starts with ``prefix``."""
    return set(
        session.scalars(
            select(RelationshipRow.external_id).where(RelationshipRow.external_id.startswith(prefix))
        )
    )


def bulk_insert_relationships(values: Iterable[dict[str, Any]], *, session: Session) -> int:
    """Insert relationships (``external_id, kind, source_type, source_id, target_type, target_id, date,
    provenance``) in executemany batches; returns how many."""
    n = 0
    for chunk in _chunks(values):
        session.execute(insert(RelationshipRow), chunk)
        n += len(chunk)
    session.flush()
    return n


def _chunks(values: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for v in values:
        chunk.append(v)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def organisation_names(*, session: Session) -> list[tuple[str, str]]:
    """``(external_id, "name city")`` of every organisation (a text where no profile exists)."""
    rows = session.execute(select(OrganisationRow.external_id, OrganisationRow.name, OrganisationRow.city))
    return [(i, f"{n} {c}".strip()) for i, n, c in rows]
