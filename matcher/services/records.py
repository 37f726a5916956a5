"""Create, read, update and delete records on behalf of a caller, with its access checked.

Every write validates like the CLI does (:func:`matcher.ingest.schema.parse_record`
for the fields, then the importer's reference checks against the store), so a
record is accepted by the API exactly when ``matcher import`` would accept it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher import types as t
from matcher.domain.access import Ownership
from matcher.exceptions import (
    ConflictError,
    Location,
    PermissionDeniedError,
    RejectedRowsError,
    StaleVersionError,
    ValidationError,
)
from matcher.ingest.files import RawRow
from matcher.ingest.schema import parse_record
from matcher.services import access, erasure
from matcher.services.access import Principal, Role
from matcher.services.importing import inherit_from_host, reference_checks, validate_file
from matcher.store import Session
from matcher.store import records as repo
from matcher.store import scope as scope_store

BODY = "request body"

#: Records one upload may hold (``POST /imports/{entity}``, the import page).  With the body
#: limit (api.limits) this bounds the CPU one request can take: a full file of bad rows is
#: refused in ~3 s of CPU (docs/performance.md, "Imports"); bigger files go through ``matcher import``.
MAX_UPLOAD_ROWS = 100_000


@dataclass
class Page:
    items: list[tuple[Any, int | None]]
    total: int
    limit: int
    offset: int


def list_page(
    entity: str,
    principal: Principal,
    *,
    filters: dict[str, str],
    q: str | None,
    sort: str,
    limit: int,
    offset: int,
    session: Session,
) -> Page:
    scope = access.read_scope(principal, entity)
    items, total = scope_store.page(
        entity, scope=scope, filters=filters, q=q, sort=sort, limit=limit, offset=offset, session=session
    )
    return Page(items, total, limit, offset)


def get(entity: str, external_id: str, principal: Principal, *, session: Session) -> tuple[Any, int | None]:
    if entity not in access.READABLE[principal.role]:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read {entity}")
    access.require_read(principal, entity, external_id, session=session)
    return scope_store.get_versioned(entity, external_id, session=session)


def validated(entity: str, data: dict[str, Any], *, session: Session) -> Any:
    """The record ``data`` describes, validated as ``matcher import`` validates a row (fields, references)."""
    [(_, record)] = inherit_from_host(
        entity, [(RawRow(1, data), parse_record(entity, data, file=BODY))], session=session
    )
    for _row, error in reference_checks(entity, [(RawRow(1, data), record)], BODY, session=session):
        raise ValidationError(error.reason, Location(BODY, None, error.location.field))
    return record


def list_councils(principal: Principal, *, session: Session) -> list[t.Council]:
    """The programme's councils: public reference data that every key may read."""
    return repo.list_councils(session=session)


#: The versions a write may replace (those an If-Match header names), or ``None``: any.
Expected = Collection[int] | int | None


def accepts(expected: Expected, current: int) -> bool:
    """Whether a write that expects ``expected`` may replace version ``current``."""
    if expected is None:
        return True
    return current == expected if isinstance(expected, int) else current in expected


def _check_version(current: int | None, expected: Expected, external_id: str) -> None:
    if current is not None and not accepts(expected, current):
        shown = (
            expected if isinstance(expected, int) else ", ".join(map(str, sorted(expected or ()))) or "none"
        )
        raise StaleVersionError(f"{external_id} is at version {current}, not {shown}; read it again")


def create(
    entity: str, data: dict[str, Any], principal: Principal, *, session: Session
) -> tuple[Any, int | None]:
    """Validate and store a new record; :class:`ConflictError` when its id is taken."""
    if entity not in access.WRITABLE[principal.role]:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot add {entity}")
    record = validated(entity, data, session=session)
    owner = scope_store.ownership_of_record(entity, record, session=session)
    allowed = (
        access.can_create_organisation(principal, owner)
        if entity == "organisations"
        else access.can_write(principal, entity, owner)
    )
    if not allowed:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot add this {entity[:-1]} (not yours)")
    if entity != "organisations" and owner.organisation_id and principal.role != Role.ADMIN:
        home = scope_store.ownership("organisations", owner.organisation_id, session=session).council
        if owner.council != home:  # e.g. a facility placed in another council than its host's
            raise PermissionDeniedError(
                f"only an admin places a {entity[:-1]} in another council ({owner.council}) "
                f"than its organisation's ({home})"
            )
    if api_repo_exists(entity, record.id, session=session):
        raise ConflictError(f"id {record.id!r} is already taken")
    repo.upsert(entity, [record], session=session)
    return scope_store.get_versioned(entity, record.id, session=session)


def api_repo_exists(entity: str, external_id: str, *, session: Session) -> bool:
    return bool(repo.id_map(entity, [external_id], session=session))


def authorise_write(
    entity: str, external_id: str, principal: Principal, *, deleting: bool = False, session: Session
) -> Ownership:
    """The record's ownership when the caller may change (or, with ``deleting``, remove) it.

    Not found when the caller may not read it; permission denied when it may read but not change it.
    """
    owner = access.require_write(principal, entity, external_id, session=session)
    if deleting and entity == "organisations" and not access.can_create_organisation(principal, owner):
        raise PermissionDeniedError("only an admin or the region's council removes an organisation")
    return owner


def update(
    entity: str,
    external_id: str,
    data: dict[str, Any],
    principal: Principal,
    *,
    expected_version: Expected,
    session: Session,
) -> tuple[Any, int | None]:
    """Replace a record's fields (its id stays); checks the caller's version when given."""
    before = authorise_write(entity, external_id, principal, session=session)
    current, version = scope_store.get_versioned(entity, external_id, session=session, lock=True)
    _check_version(version, expected_version, external_id)
    record = validated(entity, {**data, "id": external_id}, session=session)
    owner = scope_store.ownership_of_record(entity, record, session=session)
    if not access.can_write(principal, entity, owner):
        raise PermissionDeniedError("the change would hand the record to someone you do not act for")
    moved = [f for f in access.OWNERSHIP_FIELDS[entity] if getattr(record, f) != getattr(current, f)]
    if moved and not access.may_move(principal, before, owner):
        raise PermissionDeniedError(
            f"changing {', '.join(moved)} moves the record to another owner: an admin's decision, "
            "or its council's when the record stays in that council's region"
        )
    repo.upsert(entity, [record], session=session)
    return scope_store.get_versioned(entity, external_id, session=session)


def delete(
    entity: str,
    external_id: str,
    principal: Principal,
    *,
    expected_version: Expected,
    session: Session,
    cache_path: Path | None = None,
) -> dict[str, Any]:
    """Delete a record; a person is erased everywhere (:func:`matcher.services.erasure.erase_person`),
    cached vectors of their documents in ``cache_path`` included."""
    authorise_write(entity, external_id, principal, deleting=True, session=session)
    _current, version = scope_store.get_versioned(entity, external_id, session=session, lock=True)
    _check_version(version, expected_version, external_id)
    if entity == "people":
        return erasure.erase_person(external_id, session=session, cache_path=cache_path)
    scope_store.delete_record(entity, external_id, session=session)
    return {entity: external_id}


# --------------------------------------------------------------------------- bulk import
@dataclass
class ImportResult:
    entity: str
    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[ValidationError] = field(default_factory=list)


def import_upload(
    entity: str,
    content: bytes,
    fmt: str,
    principal: Principal,
    *,
    skip_invalid: bool = False,
    session: Session,
) -> ImportResult:
    """Validate an uploaded CSV or JSON Lines file as ``matcher import`` does, then store it.

    Admins import anything; a council imports records of its own region only.  Without
    ``skip_invalid`` a file with any bad row stores nothing and every problem is reported.
    """
    if principal.role not in (Role.ADMIN, Role.COUNCIL):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot import files")
    if entity not in t.ENTITY_TYPES or (entity == "relationships" and principal.role != Role.ADMIN):
        raise PermissionDeniedError(f"cannot import {entity}")
    name = f"upload.{fmt}"
    with tempfile.TemporaryDirectory(prefix="cm-import-") as folder:
        path = Path(folder) / f"{entity}.{fmt}"
        path.write_bytes(content)
        try:
            _, good, rejected = validate_file(path, entity=entity, session=session, max_rows=MAX_UPLOAD_ROWS)
        except ValidationError as exc:
            raise ValidationError(exc.reason, Location(name, exc.location.line, exc.location.field)) from None
    errors = [
        ValidationError(e.reason, Location(name, e.location.line, e.location.field)) for _, e in rejected
    ]
    if principal.role == Role.COUNCIL:
        kept = []
        new = scope_store.ownerships_of_records(entity, [record for _, record in good], session=session)
        stored = scope_store.ownerships(entity, [record.id for _, record in good], session=session)
        for (row, record), owner in zip(good, new, strict=True):
            owners = [owner, stored.get(record.id, owner)]  # an existing record must be in the region too
            if all(o.council == principal.council for o in owners):
                kept.append((row, record))
            else:
                errors.append(
                    ValidationError(
                        f"{record.id!r} is outside council {principal.council}", Location(name, row.line)
                    )
                )
        good = kept
    errors.sort(key=lambda e: e.location.line or 0)
    if errors and not skip_invalid:
        raise RejectedRowsError(errors)
    counts = repo.upsert(entity, [r for _, r in good], session=session) if good else {}
    return ImportResult(entity, len(good) + len(errors), dict(counts), errors)
