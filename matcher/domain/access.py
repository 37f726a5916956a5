"""Access types: a stored API key, who a record belongs to, and what a caller may read.

The rules that produce them live in :mod:`matcher.services.access`; the store turns a
:class:`RowScope` into SQL (:mod:`matcher.store.scope`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApiKey:
    """A stored API key (never the key itself: only its prefix is kept in clear)."""

    id: int
    prefix: str
    role: str
    organisation_id: str | None
    council: str | None
    label: str
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class Ownership:
    """Who a record belongs to: the organisation answerable for it, its council, and
    whether the programme at large may read it."""

    organisation_id: str | None
    council: str | None
    public: bool


@dataclass(frozen=True)
class RowScope:
    """What a caller may read: everything, or rows of these organisations or councils, or public rows."""

    everything: bool = False
    organisation_ids: frozenset[str] = field(default_factory=frozenset)
    councils: frozenset[str] = field(default_factory=frozenset)
    public: bool = False
