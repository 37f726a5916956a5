"""Request dependencies: one database session per request, the caller, the matcher, If-Match."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.matching import Matcher
from matcher.exceptions import (
    AuthenticationError,
    Location,
    StaleVersionError,
    UnavailableError,
    ValidationError,
)
from matcher.ingest.schema import to_raw
from matcher.services import access
from matcher.services.access import Principal
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
            description='The ETag you read (e.g. `"3"`), or several (`"3", "4"`); the write fails with 412 '
            "unless one of them is the record's current ETag (strong comparison: weak `W/` tags never "
            "match). Required on PUT and DELETE of records (428 without it); optional on decisions.",
        ),
    ] = None,
) -> str | None:
    return if_match


IfMatchDep = Annotated[str | None, Depends(expected_version)]


class MalformedHeaderError(ValidationError):
    """A request header that does not follow its grammar (answered with 400)."""


#: One entity tag of an If-Match list (RFC 9110 section 8.8.3): optional ``W/``, then a quoted
#: opaque tag of visible ASCII (except ``"``) or obs-text; separated by commas and spaces.
_ENTITY_TAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*')


@dataclass(frozen=True)
class IfMatch:
    """A parsed ``If-Match`` header: ``*`` or the strong tags it lists (weak ones never match)."""

    any: bool
    strong: frozenset[str]

    @property
    def versions(self) -> frozenset[int]:
        """Row versions the strong tags name (tags of ASCII digits only; others name none)."""
        return frozenset(
            int(tag) for tag in self.strong if tag.isascii() and tag.isdigit() and len(tag) <= 18
        )


def parse_if_match(header: str) -> IfMatch:
    """The one If-Match parser: ``*``, or a comma-separated list of entity tags.

    Raises
    ------
    MalformedHeaderError
        When the header is neither (answered with 400, not a guess).
    """
    if header.strip() == "*":
        return IfMatch(True, frozenset())
    strong: set[str] = set()
    for part in header.split(","):
        if not part.strip():
            continue  # RFC 9110 list syntax allows empty elements
        found = _ENTITY_TAG.fullmatch(part)
        if found is None:
            raise MalformedHeaderError(
                'If-Match must be * or entity tags such as "3" (quoted), separated by commas',
                Location("If-Match header"),
            )
        if found.group(1) is None:
            strong.add(found.group(2))
    return IfMatch(False, frozenset(strong))


def etag(record: Any, version: int | None) -> str:
    """The entity tag of a record: its row version, or a hash of its content for unversioned rows."""
    if version is not None:
        return f'"{version}"'
    digest = hashlib.sha256(json.dumps(to_raw(record), sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:16]}"'


def check_if_match(if_match: str | None, record: Any, version: int | None) -> frozenset[int] | None:
    """The versions an If-Match header accepts (``None`` without the header or with ``*``).

    Versioned rows compare in the service (inside the write's transaction): the write goes
    ahead when the current version is one of these.  An unversioned row's content hash is
    compared here.
    """
    if if_match is None:
        return None
    parsed = parse_if_match(if_match)
    if parsed.any:
        return None
    if version is None:
        if etag(record, None).strip('"') not in parsed.strong:
            raise StaleVersionError("the record changed since you read it")
        return None
    return parsed.versions
