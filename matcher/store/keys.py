"""API keys, and the lookups that bind a key to what it manages (councils, organisations).

Every function takes ``*, session`` and never commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from matcher.domain.access import ApiKey
from matcher.exceptions import NotFoundError
from matcher.store.db import as_utc
from matcher.store.models import ApiKeyRow, CouncilRow, OrganisationRow


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.pk,
        prefix=row.prefix,
        role=row.role,
        organisation_id=row.organisation.external_id if row.organisation else None,
        council=row.council,
        label=row.label,
        created_at=as_utc(row.created_at),
        revoked_at=as_utc(row.revoked_at),
    )


def add_api_key(
    *,
    prefix: str,
    key_hash: str,
    role: str,
    organisation_id: str | None,
    council: str | None,
    label: str,
    session: Session,
) -> ApiKey:
    org_pk = None
    if organisation_id is not None:
        org_pk = session.scalar(
            select(OrganisationRow.pk).where(OrganisationRow.external_id == organisation_id)
        )
        if org_pk is None:
            raise NotFoundError(f"no organisation with id {organisation_id!r}")
    row = ApiKeyRow(
        prefix=prefix, key_hash=key_hash, role=role, organisation_pk=org_pk, council=council, label=label
    )
    session.add(row)
    session.flush()
    session.refresh(row)
    return _key(row)


def find_api_key(key_hash: str, *, session: Session) -> ApiKey | None:
    row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash))
    return _key(row) if row is not None else None


def list_api_keys(*, session: Session) -> list[ApiKey]:
    return [_key(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.pk))]


def revoke_api_key(key_id: int, *, session: Session) -> ApiKey:
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        raise NotFoundError(f"no API key with id {key_id}")
    if row.revoked_at is None:
        row.revoked_at = dt.datetime.now(dt.UTC)
        session.flush()
    return _key(row)


def set_api_key_prefix(key_id: int, prefix: str, *, session: Session) -> None:
    row = session.get(ApiKeyRow, key_id)
    if row is not None:
        row.prefix = prefix
        session.flush()


def council_exists(code: str, *, session: Session) -> bool:
    return session.get(CouncilRow, code) is not None


def managed_organisations(organisation_id: str, *, session: Session) -> frozenset[str]:
    """The organisation and its children (a university's research groups)."""
    parent = aliased(OrganisationRow)
    children = session.scalars(
        select(OrganisationRow.external_id)
        .join(parent, OrganisationRow.parent_pk == parent.pk)
        .where(parent.external_id == organisation_id)
    )
    return frozenset([organisation_id, *children])
