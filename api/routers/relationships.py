"""The collaboration graph's edges as a resource, and the programme's councils."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from api.deps import IfMatchDep, PrincipalDep, SessionDep, check_if_match, etag
from api.routers.records import ID_PATH_PARAM
from api.schemas import QUERY_TEXT_PATTERN, CouncilOut, RelationshipCreate, RelationshipOut, RelationshipPage
from matcher import types as t
from matcher.ingest.schema import to_raw
from matcher.services import records
from matcher.services.outcomes import relationships
from matcher.store.relationships import RELATIONSHIP_SORTS

router = APIRouter(tags=["relationships"])
RelationshipSort = StrEnum(  # type: ignore[misc]
    "RelationshipSort", {f"{p}{s}": f"{p}{s}" for s in RELATIONSHIP_SORTS for p in ("", "-")}
)
IdPath = Annotated[str, ID_PATH_PARAM]


@router.get("/relationships", response_model=RelationshipPage, summary="List relationships")
def list_relationships(
    principal: PrincipalDep,
    session: SessionDep,
    node_id: Annotated[
        str | None,
        Query(
            max_length=64, pattern=QUERY_TEXT_PATTERN, description="Only edges with this node at either end"
        ),
    ] = None,
    node_type: Annotated[t.NodeType | None, Query(description="The type of that node")] = None,
    kind: Annotated[t.RelationshipKind | None, Query(description="Only edges of this kind")] = None,
    sort: Annotated[RelationshipSort, Query(description="Field to sort by; '-' for descending")] = "id",  # type: ignore[valid-type,assignment]
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Admins see every edge; a council the edges with an end in its region; an SME, coordinator
    or facility host the edges with an end it speaks for.  Trainers and evaluators: 403."""
    items, total = relationships.list_relationships(
        principal,
        node_type=node_type,
        node_id=node_id,
        kind=kind,
        sort=str(getattr(sort, "value", sort)),
        limit=limit,
        offset=offset,
        session=session,
    )
    return {"items": [to_raw(r) for r in items], "total": total, "limit": limit, "offset": offset}


@router.post(
    "/relationships",
    response_model=RelationshipOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a relationship (admins; the council of either end)",
)
def create_relationship(
    body: RelationshipCreate,  # type: ignore[valid-type]
    principal: PrincipalDep,
    session: SessionDep,
    response: Response,
) -> Any:
    """Both ends must exist; the caller is appended to the provenance (attribution)."""
    data = {k: v for k, v in body.model_dump(mode="json").items() if v is not None}  # type: ignore[attr-defined]
    rel = relationships.create_relationship(principal, data, session=session)
    response.headers["ETag"] = etag(rel, None)
    response.headers["Location"] = f"/relationships/{rel.id}"
    return to_raw(rel)


@router.get("/relationships/{relationship_id}", response_model=RelationshipOut, summary="Read a relationship")
def read_relationship(
    relationship_id: IdPath, principal: PrincipalDep, session: SessionDep, response: Response
) -> Any:
    rel = relationships.get_relationship(principal, relationship_id, session=session)
    response.headers["ETag"] = etag(rel, None)
    return to_raw(rel)


@router.delete(
    "/relationships/{relationship_id}",
    response_model=RelationshipOut,
    summary="Remove a relationship (admins; the council of either end)",
)
def delete_relationship(
    relationship_id: IdPath, principal: PrincipalDep, session: SessionDep, if_match: IfMatchDep
) -> Any:
    """Edges are never changed, only added and removed, so ``If-Match`` is optional here (honoured if sent)."""
    if if_match is not None:
        check_if_match(
            if_match, relationships.get_relationship(principal, relationship_id, session=session), None
        )
    return to_raw(relationships.delete_relationship(principal, relationship_id, session=session))


@router.get(
    "/councils", response_model=list[CouncilOut], summary="The programme's councils", tags=["councils"]
)
def list_councils(principal: PrincipalDep, session: SessionDep) -> Any:
    """Public reference data: every key may read it."""
    return [asdict(c) for c in records.list_councils(principal, session=session)]
