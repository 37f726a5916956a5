"""Relationships in a caller's scope: pages of the edges with an end the caller may see.

Every function takes ``*, session`` and never commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from matcher import types as t
from matcher.domain.access import Ownership, RowScope
from matcher.exceptions import NotFoundError
from matcher.store.models import RelationshipRow
from matcher.store.records import ROW_CLASSES, to_record
from matcher.store.scope import owner_select, ownership

#: Node type of a relationship end -> the entity it names.
NODE_ENTITY = {
    "organisation": "organisations",
    "person": "people",
    "facility": "facilities",
    "challenge": "challenges",
}


def _end_in_scope(type_col: Any, id_col: Any, scope: RowScope) -> Any:
    """SQL: the end ``(type_col, id_col)`` names a record of the scope's organisations or councils."""
    if scope.everything:
        return true()
    parts = []
    for node_type, entity in NODE_ENTITY.items():
        cls: Any = ROW_CLASSES[entity]
        stmt, org, council, _public = owner_select(entity)
        conditions = []
        if scope.organisation_ids:
            conditions.append(org.in_(sorted(scope.organisation_ids)))
        if scope.councils:
            conditions.append(council.in_(sorted(scope.councils)))
        if conditions:
            ids = stmt.with_only_columns(cls.external_id).where(or_(*conditions))
            parts.append(and_(type_col == node_type, id_col.in_(ids)))
    return or_(*parts) if parts else false()


RELATIONSHIP_SORTS = ("id", "date", "created_at", "updated_at")


def relationship_page(
    *,
    scope: RowScope,
    node_type: str | None = None,
    node_id: str | None = None,
    kind: str | None = None,
    sort: str = "id",
    limit: int = 50,
    offset: int = 0,
    session: Session,
) -> tuple[list[t.Relationship], int]:
    """Relationships with at least one end within ``scope``, optionally touching a node, of a kind."""
    r = RelationshipRow
    stmt = select(r).where(
        or_(
            _end_in_scope(r.source_type, r.source_id, scope), _end_in_scope(r.target_type, r.target_id, scope)
        )
    )
    if node_id is not None:
        source, target = r.source_id == node_id, r.target_id == node_id
        if node_type is not None:
            source, target = (
                and_(source, r.source_type == node_type),
                and_(target, r.target_type == node_type),
            )
        stmt = stmt.where(or_(source, target))
    elif node_type is not None:
        stmt = stmt.where(or_(r.source_type == node_type, r.target_type == node_type))
    if kind is not None:
        stmt = stmt.where(r.kind == kind)
    total = session.scalar(stmt.with_only_columns(func.count(r.pk)).order_by(None)) or 0
    name = sort.lstrip("-")
    column = r.external_id if name == "id" else getattr(r, name)
    order = [column.desc() if sort.startswith("-") else column.asc()]
    if name != "id":
        order.append(r.external_id.asc())
    rows = session.scalars(stmt.order_by(*order).limit(limit).offset(offset))
    return [to_record("relationships", row) for row in rows], total


def end_ownership(node_type: str, node_id: str, *, session: Session) -> Ownership | None:
    """Ownership of the record a relationship end names; ``None`` when it no longer exists."""
    try:
        return ownership(NODE_ENTITY[node_type], node_id, session=session)
    except NotFoundError:
        return None
