"""Relationships (the collaboration graph's edges) read, added and removed through the API."""

from __future__ import annotations

import dataclasses
from typing import Any

from matcher import types as t
from matcher.domain.access import Ownership, RowScope
from matcher.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from matcher.services import access
from matcher.services.access import Principal, Role
from matcher.store import Session
from matcher.store import records as repo
from matcher.store import relationships as relationships_store
from matcher.store import scope as scope_store

#: Roles that read relationships they are an end of (councils: of their region; admins: all).
_RELATIONSHIP_READERS = frozenset({Role.ADMIN, Role.COUNCIL, Role.COORDINATOR, Role.FACILITY_HOST, Role.SME})


def _relationship_scope(principal: Principal) -> RowScope:
    if principal.role not in _RELATIONSHIP_READERS:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read relationships")
    if principal.role == Role.ADMIN:
        return RowScope(everything=True)
    councils = frozenset([principal.council]) if principal.council else frozenset()
    return RowScope(organisation_ids=principal.managed, councils=councils)


def _end_owners(rel: t.Relationship, *, session: Session) -> list[Ownership]:
    ends = [(rel.source_type, rel.source_id), (rel.target_type, rel.target_id)]
    owners = [
        relationships_store.end_ownership(node_type.value, node_id, session=session)
        for node_type, node_id in ends
    ]
    return [o for o in owners if o is not None]


def list_relationships(
    principal: Principal,
    *,
    node_type: t.NodeType | None = None,
    node_id: str | None = None,
    kind: t.RelationshipKind | None = None,
    sort: str = "id",
    limit: int = 50,
    offset: int = 0,
    session: Session,
) -> tuple[list[t.Relationship], int]:
    """Relationships the caller speaks for an end of (all of them for admins), filtered and paged."""
    return relationships_store.relationship_page(
        scope=_relationship_scope(principal),
        node_type=node_type.value if node_type else None,
        node_id=node_id,
        kind=kind.value if kind else None,
        sort=sort,
        limit=limit,
        offset=offset,
        session=session,
    )


def get_relationship(principal: Principal, relationship_id: str, *, session: Session) -> t.Relationship:
    """A relationship the caller speaks for an end of; not found otherwise (guessing ids tells nothing)."""
    _relationship_scope(principal)
    rel: t.Relationship = repo.get_record("relationships", relationship_id, session=session)
    if principal.role == Role.ADMIN or any(
        access.answerable_for(principal, o) for o in _end_owners(rel, session=session)
    ):
        return rel
    raise NotFoundError(f"no relationship with id {relationship_id!r}")


def _may_change(principal: Principal, rel: t.Relationship, *, session: Session) -> bool:
    """Admins, and the council of either end."""
    if principal.role == Role.ADMIN:
        return True
    return principal.role == Role.COUNCIL and any(
        o.council == principal.council for o in _end_owners(rel, session=session)
    )


def create_relationship(principal: Principal, data: dict[str, Any], *, session: Session) -> t.Relationship:
    """Add an edge of the collaboration graph (admins; the council of either end), attributed to the caller.

    Validated as ``matcher import`` validates a relationships file: both ends must exist.
    """
    from matcher.services.records import validated

    if principal.role not in (Role.ADMIN, Role.COUNCIL):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot add relationships")
    rel: t.Relationship = validated("relationships", data, session=session)
    if not _may_change(principal, rel, session=session):
        raise PermissionDeniedError(f"neither end of {rel.id} is in council {principal.council}")
    if repo.id_map("relationships", [rel.id], session=session):
        raise ConflictError(f"id {rel.id!r} is already taken")
    attribution = f"added by {principal.actor}"
    provenance = f"{rel.provenance}; {attribution}" if rel.provenance else attribution
    rel = dataclasses.replace(rel, provenance=provenance[:300])
    repo.upsert("relationships", [rel], session=session)
    return rel


def delete_relationship(principal: Principal, relationship_id: str, *, session: Session) -> t.Relationship:
    """Remove an edge (admins; the council of either end)."""
    rel = get_relationship(principal, relationship_id, session=session)
    if not _may_change(principal, rel, session=session):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot remove relationship {rel.id}")
    scope_store.delete_record("relationships", relationship_id, session=session)
    return rel
