"""The collaboration graph: statistics for councils and admins, an organisation's network."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import PrincipalDep, SessionDep
from api.routers.records import ID_PATH_PARAM
from matcher.services import graph

router = APIRouter(tags=["graph"])


@router.get("/graph/stats", summary="Collaboration graph statistics")
def graph_stats(
    principal: PrincipalDep,
    session: SessionDep,
    council: Annotated[str | None, Query(max_length=64, description="One council's view (admins)")] = None,
    as_of: Annotated[dt.date | None, Query(description="Only ties formed by this date")] = None,
) -> dict[str, Any]:
    """Nodes, edges, components, density, cross-border and SME shares, brokers, communities and new
    ties per quarter.  Admins: the programme or any council; a council key: its own region (its
    members, their ties and the partners at the other end).  Other roles: 403.  Named nodes (top
    degree, brokers) are only those the caller may read."""
    return graph.api_stats(principal, council=council, as_of=as_of, session=session)


@router.get("/organisations/{organisation_id}/network", summary="An organisation's collaboration network")
def organisation_network(
    organisation_id: Annotated[str, ID_PATH_PARAM],
    principal: PrincipalDep,
    session: SessionDep,
    depth: Annotated[int, Query(ge=1, le=2, description="Hops from the organisation (1 or 2)")] = 1,
) -> dict[str, Any]:
    """The organisation's partners (depth 1) and their partners (depth 2) with the ties between them,
    holding only the nodes the caller may read.  Trainers and evaluators: 403; an organisation the
    caller cannot read: 404."""
    return graph.network(principal, organisation_id, depth=depth, session=session)
