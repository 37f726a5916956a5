"""CRUD routes for the programme's records: one router per resource, built from one template.

``GET /{resource}`` pages (``limit``, ``offset``), filters (per resource), searches
(``q``) and sorts (``sort=name`` or ``sort=-created_at``) within what the caller may
read; ``GET``/``PUT``/``DELETE /{resource}/{id}`` answer with an ``ETag``; ``PUT`` and
``DELETE`` require ``If-Match`` (428 without it, 412 when stale).  Deleting a person
erases them everywhere, cached vectors of their documents included.
"""

import inspect
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.deps import IfMatchDep, PrincipalDep, SessionDep, check_if_match, etag
from api.schemas import (
    CREATE_MODELS,
    OUT_MODELS,
    PAGE_MODELS,
    QUERY_TEXT_PATTERN,
    RESOURCES,
    UPDATE_MODELS,
    Erased,
)
from matcher.exceptions import PreconditionRequiredError
from matcher.ingest.schema import to_raw
from matcher.services import records
from matcher.services.access import Principal
from matcher.store import Session
from matcher.store.scope import FILTERS, SORTS

ID_PATH = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$"
ID_PATH_PARAM = Path(pattern=ID_PATH, description="The record's external id")


def _out(record: Any, version: int | None) -> dict[str, Any]:
    return {**to_raw(record), "version": version}


def _payload(body: Any) -> dict[str, Any]:
    """The body as the raw row the importer validates (enums as values, dates ISO, no nulls)."""
    return {k: v for k, v in body.model_dump(mode="json").items() if v is not None}


def _expected_version(
    entity: str,
    record_id: str,
    if_match: str | None,
    principal: Principal,
    *,
    deleting: bool = False,
    session: Session,
) -> frozenset[int] | None:
    """The versions a PUT or DELETE may replace, from its required ``If-Match``.

    A caller who may not change the record hears so first (404 or 403); then a missing
    ``If-Match`` (or ``*``, which guards against nothing) answers 428, a stale one 412.
    Versioned rows compare their version in the service, inside the write's transaction;
    documents compare their content hash here.
    """
    if if_match is None or if_match.strip() == "*":
        records.authorise_write(entity, record_id, principal, deleting=deleting, session=session)
        raise PreconditionRequiredError(
            f"send If-Match with the ETag of your last read (GET /{entity}/{record_id}), "
            "so that a change made meanwhile is not overwritten"
        )
    current, version = records.get(entity, record_id, principal, session=session)
    return check_if_match(if_match, current, version)


def build(entity: str) -> APIRouter:
    title = RESOURCES[entity]
    create_model, update_model = CREATE_MODELS[entity], UPDATE_MODELS[entity]
    out_model, page_model = OUT_MODELS[entity], PAGE_MODELS[entity]
    sort_enum = StrEnum(f"{title}Sort", {f"{p}{s}": f"{p}{s}" for s in SORTS[entity] for p in ("", "-")})  # type: ignore[misc]
    router = APIRouter(prefix=f"/{entity}", tags=[entity])
    filters = FILTERS[entity]

    def list_records(
        principal: PrincipalDep,
        session: SessionDep,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        sort: Annotated[sort_enum, Query(description="Field to sort by; '-' for descending")] = "id",  # type: ignore[valid-type,assignment]
        q: Annotated[
            str | None,
            Query(
                max_length=200, pattern=QUERY_TEXT_PATTERN, description="Text contained in the name or title"
            ),
        ] = None,
        **given: str | None,
    ) -> Any:
        page = records.list_page(
            entity,
            principal,
            filters={k: v for k, v in given.items() if v is not None},
            q=q,
            sort=str(getattr(sort, "value", sort)),
            limit=limit,
            offset=offset,
            session=session,
        )
        return {
            "items": [_out(r, v) for r, v in page.items],
            "total": page.total,
            "limit": limit,
            "offset": offset,
        }

    # FastAPI reads query parameters from the signature: add one optional parameter per filter.
    sig = inspect.signature(list_records)
    params = [p for p in sig.parameters.values() if p.kind != inspect.Parameter.VAR_KEYWORD]
    for name in filters:
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None,
                    Query(
                        max_length=64,
                        pattern=QUERY_TEXT_PATTERN,
                        description=f"Only records with this {name}",
                    ),
                ],
            )
        )
    list_records.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    router.add_api_route(
        "",
        list_records,
        methods=["GET"],
        response_model=page_model,
        summary=f"List {entity}",
        operation_id=f"list_{entity}",
    )

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        response_model=out_model,
        summary=f"Add a {title.lower()}",
        operation_id=f"create_{entity}",
    )
    def create(body: create_model, principal: PrincipalDep, session: SessionDep, response: Response) -> Any:  # type: ignore[valid-type]
        record, version = records.create(entity, _payload(body), principal, session=session)
        response.headers["ETag"] = etag(record, version)
        response.headers["Location"] = f"/{entity}/{record.id}"
        return _out(record, version)

    @router.get(
        "/{record_id}",
        response_model=out_model,
        summary=f"Read a {title.lower()}",
        operation_id=f"get_{entity}",
    )
    def read(
        record_id: Annotated[str, ID_PATH_PARAM],
        principal: PrincipalDep,
        session: SessionDep,
        response: Response,
    ) -> Any:
        record, version = records.get(entity, record_id, principal, session=session)
        response.headers["ETag"] = etag(record, version)
        return _out(record, version)

    @router.put(
        "/{record_id}",
        response_model=out_model,
        summary=f"Replace a {title.lower()}",
        operation_id=f"update_{entity}",
    )
    def update(
        record_id: Annotated[str, ID_PATH_PARAM],
        body: update_model,  # type: ignore[valid-type]
        principal: PrincipalDep,
        session: SessionDep,
        response: Response,
        if_match: IfMatchDep,
    ) -> Any:
        expected = _expected_version(entity, record_id, if_match, principal, session=session)
        record, version = records.update(
            entity, record_id, _payload(body), principal, expected_version=expected, session=session
        )
        response.headers["ETag"] = etag(record, version)
        return _out(record, version)

    @router.delete(
        "/{record_id}",
        response_model=Erased,
        summary=f"Delete a {title.lower()}",
        operation_id=f"delete_{entity}",
    )
    def delete(
        record_id: Annotated[str, ID_PATH_PARAM],
        request: Request,
        principal: PrincipalDep,
        session: SessionDep,
        if_match: IfMatchDep,
    ) -> Any:
        expected = _expected_version(entity, record_id, if_match, principal, deleting=True, session=session)
        removed = records.delete(
            entity,
            record_id,
            principal,
            expected_version=expected,
            cache_path=request.app.state.settings.resolved_cache_path,
            session=session,
        )
        return {"deleted": removed}

    return router


ROUTERS = [build(entity) for entity in RESOURCES]
