"""Request dependencies: one database session per request, the caller, the matcher, If-Match."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.matching import Matcher
from matcher.exceptions import UnavailableError
from matcher.ingest.schema import to_raw
from matcher.services import access
from matcher.services.access import AuthenticationError, Principal
from matcher.services.records import StaleVersionError
from matcher.store import Session, transaction

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key (`matcher keys create`)."
)
bearer = HTTPBearer(auto_error=False, description="The API key as a bearer token.")


def db_session(request: Request) -> Iterator[Session]:
    """One session per request: committed when the route returns normally, rolled back otherwise."""
    with transaction(request.app.state.sessions) as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is never reported as success.
SessionDep = Annotated[Session, Depends(db_session, scope="function")]


def principal(
    session: SessionDep,
    key: Annotated[str | None, Security(api_key_header)] = None,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> Principal:
    presented = key or (credentials.credentials if credentials else None)
    if not presented:
        raise AuthenticationError("send your API key in the X-API-Key header")
    return access.authenticate(presented, session=session)


PrincipalDep = Annotated[Principal, Depends(principal)]


def matcher(request: Request) -> Matcher:
    found = getattr(request.app.state, "matcher", None)
    if found is None:
        raise UnavailableError("the matching service is not loaded")
    return found  # type: ignore[no-any-return]


MatcherDep = Annotated[Matcher, Depends(matcher)]


def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            description='The ETag you read (e.g. `"3"`); the write fails with 412 if the record changed '
            "since. Required on PUT and DELETE of records (428 without it); optional on decisions."
        ),
    ] = None,
) -> str | None:
    return if_match


IfMatchDep = Annotated[str | None, Depends(expected_version)]


def etag(record: Any, version: int | None) -> str:
    """The entity tag of a record: its row version, or a hash of its content for unversioned rows."""
    if version is not None:
        return f'"{version}"'
    digest = hashlib.sha256(json.dumps(to_raw(record), sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:16]}"'


def check_if_match(if_match: str | None, record: Any, version: int | None) -> int | None:
    """The version an If-Match header expects (``None`` without the header or with ``*``).

    Versioned rows compare in the service (inside the write's transaction); an unversioned
    row's content hash is compared here.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if version is None:
        if etag(record, None) not in tags:
            raise StaleVersionError("the record changed since you read it")
        return None
    for tag in tags:
        value = tag.strip('"')
        if value.isdigit():
            return int(value)
    raise StaleVersionError(f"If-Match {if_match!r} names no version of this record")
