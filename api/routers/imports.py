"""Bulk import: a CSV or JSON Lines file in the body, validated exactly as ``matcher import`` does."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.deps import PrincipalDep, SessionDep
from api.errors import MAX_ERRORS
from api.schemas import ImportOut
from matcher.services import records
from matcher.types import ENTITY_TYPES

router = APIRouter(tags=["imports"])
EntityName = StrEnum("EntityName", {e: e for e in ENTITY_TYPES})  # type: ignore[misc]

BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/imports/{entity}",
    response_model=ImportOut,
    openapi_extra=BODY_DOC,
    summary="Import a file of records (admins; councils for their region)",
)
async def import_records(
    entity: Annotated[EntityName, Path(description="Entity type of the file's rows")],
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    skip_invalid: Annotated[bool, Query(description="Store the good rows and report the bad ones")] = False,
) -> Any:
    """One transaction: without ``skip_invalid`` a file with a bad row stores nothing, and
    every problem is reported with its line and field."""
    content = await request.body()  # at most MAX_IMPORT_BYTES: api.limits refuses more while streaming
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = "csv" if media in ("text/csv", "application/csv") else "jsonl"
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(
        records.import_upload,
        entity.value,
        content,
        fmt,
        principal,
        skip_invalid=skip_invalid,
        session=session,
    )
    rejected = [
        {"line": e.location.line, "field": e.location.field, "reason": e.reason}
        for e in result.rejected[:MAX_ERRORS]
    ]
    return {"entity": result.entity, "rows": result.rows, "counts": result.counts, "rejected": rejected,
            "rejected_count": len(result.rejected)}  # fmt: skip
