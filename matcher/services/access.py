"""Who may do what: API keys, roles and object-level access rules.

An API key is shown once when it is created; only its SHA-256 hash is stored, with
its role and what it is bound to (an organisation or a council).  A request's key
becomes a :class:`Principal`, and every read or write of a record asks
:func:`can_read` / :func:`can_write` with the record's
:class:`~matcher.domain.access.Ownership`.

Roles
-----
admin          everything.
council        every record of its council's region; public records elsewhere.
coordinator    its university and the university's research groups (people, profiles,
               documents, consultancy and placement suggestions); public records.
trainer        reads organisations, challenges and facilities of its council (SMEs' needs).
facility_host  its organisation and its facilities; public records.
sme            its organisation, its own challenges and their suggestions; public records.
evaluator      nothing but the pseudonymised exports.

Records a caller may not read are reported as not found, so that guessing ids
reveals nothing; records it may read but not change give "permission denied".
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from matcher import types as t
from matcher.domain.access import ApiKey, Ownership, RowScope
from matcher.exceptions import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from matcher.store import Session
from matcher.store import keys as keys_store
from matcher.store import scope as scope_store

KEY_PREFIX = "cm_"


class Role(StrEnum):
    ADMIN = "admin"
    COUNCIL = "council"
    COORDINATOR = "coordinator"
    TRAINER = "trainer"
    FACILITY_HOST = "facility_host"
    SME = "sme"
    EVALUATOR = "evaluator"


#: What each role must be bound to: "organisation", "council" or nothing.
BINDING: dict[Role, str | None] = {
    Role.ADMIN: None,
    Role.COUNCIL: "council",
    Role.COORDINATOR: "organisation",
    Role.TRAINER: "council",
    Role.FACILITY_HOST: "organisation",
    Role.SME: "organisation",
    Role.EVALUATOR: None,
}
#: Organisation kinds a role may be bound to.
ORG_KINDS: dict[Role, tuple[t.OrgKind, ...]] = {
    Role.COORDINATOR: (t.OrgKind.HEI, t.OrgKind.RESEARCH_GROUP),
    Role.FACILITY_HOST: tuple(t.OrgKind),
    Role.SME: (t.OrgKind.SME,),
}
#: Entities each role may read (within its scope) and change (within what it manages).
READABLE: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(t.ENTITY_TYPES),
    Role.COUNCIL: frozenset(t.ENTITY_TYPES),
    Role.COORDINATOR: frozenset(t.ENTITY_TYPES),
    Role.FACILITY_HOST: frozenset(t.ENTITY_TYPES),
    Role.SME: frozenset(t.ENTITY_TYPES),
    Role.TRAINER: frozenset({"organisations", "challenges", "facilities"}),
    Role.EVALUATOR: frozenset(),
}
WRITABLE: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(t.ENTITY_TYPES),
    Role.COUNCIL: frozenset(t.ENTITY_TYPES),
    Role.COORDINATOR: frozenset({"organisations", "people", "profiles", "documents"}),
    Role.FACILITY_HOST: frozenset({"organisations", "people", "facilities", "profiles", "documents"}),
    Role.SME: frozenset({"organisations", "people", "challenges", "profiles", "documents"}),
    Role.TRAINER: frozenset(),
    Role.EVALUATOR: frozenset(),
}
# Training (issue 14): the catalogue is public to every role but evaluators; a module is changed by
# its provider organisation (or the module's council, or an admin); a self-assessment is read by
# its SME, its council and the council's trainers, and changed by its SME (or council, or admin).
for _role in (Role.COORDINATOR, Role.FACILITY_HOST, Role.SME, Role.TRAINER):
    READABLE[_role] = READABLE[_role] | {"training_modules", "assessments"}
for _role in (Role.ADMIN, Role.COUNCIL):
    READABLE[_role] = READABLE[_role] | {"training_modules", "assessments"}
    WRITABLE[_role] = WRITABLE[_role] | {"training_modules", "assessments"}
for _role in (Role.COORDINATOR, Role.FACILITY_HOST, Role.SME):
    WRITABLE[_role] = WRITABLE[_role] | {"training_modules"}
WRITABLE[Role.SME] = WRITABLE[Role.SME] | {"assessments"}
#: Match types each role may ask suggestions for (on challenges it may read and is answerable for).
MATCH_TYPES: dict[Role, frozenset[t.Programme]] = {
    Role.ADMIN: frozenset(t.Programme),
    Role.COUNCIL: frozenset(t.Programme),
    Role.SME: frozenset(t.Programme),
    Role.COORDINATOR: frozenset({t.Programme.CONSULTANCY, t.Programme.PLACEMENT}),
    Role.FACILITY_HOST: frozenset(),
    Role.TRAINER: frozenset(),
    Role.EVALUATOR: frozenset(),
}


@dataclass(frozen=True)
class Principal:
    """The caller of a request: its role, what it is bound to and the organisations it manages."""

    role: Role
    key_id: int | None = None
    label: str = ""
    organisation_id: str | None = None
    council: str | None = None
    managed: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> str:
        """How events and relationships attribute this caller (never the key itself)."""
        bound = self.organisation_id or self.council or "-"
        return f"{self.role.value}:{bound}:key{self.key_id}"


# --------------------------------------------------------------------------- keys
def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A fresh random key: ``cm_`` + 43 URL-safe characters (256 bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_key(
    role: Role | str,
    *,
    organisation_id: str | None = None,
    council: str | None = None,
    label: str = "",
    session: Session,
    key: str | None = None,
) -> tuple[str, ApiKey]:
    """Create an API key bound as ``role`` requires; returns ``(key, stored key)``.

    The key itself is returned once and never stored.

    Raises
    ------
    ValidationError
        The role is unknown or bound to the wrong kind of thing.
    NotFoundError
        The organisation or council does not exist.
    """
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(f"unknown role {role!r}; one of: {', '.join(Role)}") from None
    binding = BINDING[role]
    # An empty binding is a binding to nothing that exists, not the absence of one.
    given_org, given_council = organisation_id is not None, council is not None
    if given_council and not keys_store.council_exists(council or "", session=session):
        raise NotFoundError(f"no council with code {council!r}")
    if binding == "organisation":
        if not organisation_id or given_council:
            raise ValidationError(f"a {role.value} key is bound to an organisation (and no council)")
        org = _get_org(organisation_id, session=session)
        if org.kind not in ORG_KINDS[role]:
            kinds = ", ".join(k.value for k in ORG_KINDS[role])
            raise ValidationError(
                f"a {role.value} key needs an organisation of kind {kinds}, not {org.kind.value}"
            )
    elif binding == "council":
        if not council or given_org:
            raise ValidationError(f"a {role.value} key is bound to a council (and no organisation)")
    elif given_org or given_council:
        raise ValidationError(f"a {role.value} key is bound to neither an organisation nor a council")
    generated = key is None
    key = key or new_key()
    stored = keys_store.add_api_key(
        prefix=display_prefix(key, generated=generated),
        key_hash=hash_key(key),
        role=role.value,
        organisation_id=organisation_id,
        council=council,
        label=label,
        session=session,
    )
    return key, stored


def display_prefix(key: str, *, generated: bool) -> str:
    """What key listings show of a key: the first 11 characters of a generated (random) key, so
    that its owner recognises it; of a human-chosen key nothing of the key, only a digest."""
    return key[:11] if generated else "sha256:" + hash_key(key)[:8]


def ensure_bootstrap_key(key: str, *, session: Session) -> None:
    """Store the configured bootstrap admin key's hash (idempotent).

    A bootstrap key stored by an earlier version with 11 clear characters gets a digest instead.
    """
    found = keys_store.find_api_key(hash_key(key), session=session)
    if found is None:
        create_key(Role.ADMIN, label="bootstrap (MATCHER_ADMIN_KEY)", key=key, session=session)
    elif found.prefix != display_prefix(key, generated=False):
        keys_store.set_api_key_prefix(found.id, display_prefix(key, generated=False), session=session)


def require_admin(principal: Principal) -> None:
    """Only an admin key manages API keys."""
    if principal.role != Role.ADMIN:
        raise PermissionDeniedError("only an admin key manages API keys")


def create_key_as(
    principal: Principal,
    role: Role | str,
    *,
    organisation_id: str | None = None,
    council: str | None = None,
    label: str = "",
    session: Session,
) -> tuple[str, ApiKey]:
    """:func:`create_key` on behalf of a caller, who must be an admin."""
    require_admin(principal)
    return create_key(role, organisation_id=organisation_id, council=council, label=label, session=session)


def list_keys(principal: Principal, *, session: Session) -> list[ApiKey]:
    """Every stored key (never the keys themselves), for an admin."""
    require_admin(principal)
    return keys_store.list_api_keys(session=session)


def revoke_key(
    principal: Principal, key_id: int, *, bootstrap_key: str | None = None, session: Session
) -> ApiKey:
    """Revoke a key (admins), but never the caller's own key nor the configured bootstrap key,
    so that the programme cannot lock itself out."""
    require_admin(principal)
    if key_id == principal.key_id:
        raise ConflictError("a key cannot revoke itself: revoke it with another admin key")
    if bootstrap_key:
        bootstrap = keys_store.find_api_key(hash_key(bootstrap_key), session=session)
        if bootstrap is not None and bootstrap.id == key_id:
            raise ConflictError("the bootstrap key comes from MATCHER_ADMIN_KEY: change that setting instead")
    return keys_store.revoke_api_key(key_id, session=session)


def _get_org(organisation_id: str, *, session: Session) -> t.Organisation:
    from matcher.store import records as repo

    return repo.get_record("organisations", organisation_id, session=session)


def authenticate(key: str, *, session: Session) -> Principal:
    """The principal of an API key; :class:`PermissionDeniedError` for unknown or revoked keys."""
    # The lookup is by SHA-256 of the whole key (unique); the prefix is only for people to read.
    stored = keys_store.find_api_key(hash_key(key), session=session)
    if stored is None or stored.revoked_at is not None:
        raise AuthenticationError("unknown or revoked API key")
    role = Role(stored.role)
    managed: frozenset[str] = frozenset()
    if stored.organisation_id is not None:
        if role == Role.COORDINATOR:
            managed = keys_store.managed_organisations(stored.organisation_id, session=session)
        else:
            managed = frozenset([stored.organisation_id])
    return Principal(
        role=role,
        key_id=stored.id,
        label=stored.label,
        organisation_id=stored.organisation_id,
        council=stored.council,
        managed=managed,
    )


# --------------------------------------------------------------------------- rules
def read_scope(principal: Principal, entity: str) -> RowScope:
    """The rows of ``entity`` that ``principal`` may read, for paginated lists."""
    role = principal.role
    if entity not in READABLE[role]:
        raise PermissionDeniedError(f"a {role.value} key cannot read {entity}")
    if role == Role.ADMIN:
        return RowScope(everything=True)
    return RowScope(organisation_ids=principal.managed, councils=_region(principal, entity), public=True)


#: Private records a trainer reads in its own council: SMEs' self-assessments, which exist so that
#: the council's trainers can help the SME plan (docs/needs.md). Everything else private is for the
#: SME and its council only (docs/api.md).
TRAINER_REGION_ENTITIES = frozenset({"assessments"})


def _region(principal: Principal, entity: str) -> frozenset[str]:
    """The council whose private records of ``entity`` the caller reads: a council key's own; a
    trainer's only for :data:`TRAINER_REGION_ENTITIES`; nobody else's."""
    own = principal.role == Role.COUNCIL or (
        principal.role == Role.TRAINER and entity in TRAINER_REGION_ENTITIES
    )
    return frozenset([principal.council]) if principal.council and own else frozenset()


def can_read(principal: Principal, entity: str, owner: Ownership) -> bool:
    role = principal.role
    if entity not in READABLE[role]:
        return False
    if role == Role.ADMIN:
        return True
    if owner.council is not None and owner.council in _region(principal, entity):
        return True
    return owner.organisation_id in principal.managed or owner.public


def can_write(principal: Principal, entity: str, owner: Ownership) -> bool:
    role = principal.role
    if entity not in WRITABLE[role]:
        return False
    if role == Role.ADMIN:
        return True
    if role == Role.COUNCIL:
        return owner.council == principal.council
    return owner.organisation_id is not None and owner.organisation_id in principal.managed


#: Fields that decide who owns (or speaks for) a record: changing any of them moves the record.
OWNERSHIP_FIELDS: dict[str, tuple[str, ...]] = {
    "organisations": ("council", "kind", "parent_id"),
    "people": ("organisation_id",),
    "challenges": ("sme_id",),
    "facilities": ("host_id", "council"),
    "profiles": ("owner_type", "owner_id"),
    "documents": ("profile_id",),
}


def may_move(principal: Principal, before: Ownership, after: Ownership) -> bool:
    """Whether the caller may change who owns a record (an :data:`OWNERSHIP_FIELDS` change).

    An admin may; a council key when the record stays in its region (both councils are its own);
    nobody else: a record's owner does not hand it to another organisation, council or university.
    """
    if principal.role == Role.ADMIN:
        return True
    return principal.role == Role.COUNCIL and before.council == after.council == principal.council


def can_create_organisation(principal: Principal, owner: Ownership) -> bool:
    """Only admins and councils (in their region) add organisations; others edit their own."""
    return principal.role == Role.ADMIN or (
        principal.role == Role.COUNCIL and owner.council == principal.council
    )


def require_read(principal: Principal, entity: str, external_id: str, *, session: Session) -> Ownership:
    """Ownership of a record the caller may read; not found otherwise (guessing ids tells nothing).

    A role that may not read ``entity`` at all is denied before any lookup.
    """
    if entity not in READABLE[principal.role]:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read {entity}")
    owner = scope_store.ownership(entity, external_id, session=session)
    if not can_read(principal, entity, owner):
        raise NotFoundError(f"no {_singular(entity)} with id {external_id!r}")
    return owner


def require_write(principal: Principal, entity: str, external_id: str, *, session: Session) -> Ownership:
    owner = require_read(principal, entity, external_id, session=session)
    if not can_write(principal, entity, owner):
        raise PermissionDeniedError(
            f"a {principal.role.value} key cannot change {_singular(entity)} {external_id}"
        )
    return owner


def answerable_for(principal: Principal, owner: Ownership) -> bool:
    """Whether the caller speaks for the record's organisation (or its council, or is an admin)."""
    if principal.role == Role.ADMIN:
        return True
    if principal.role == Role.COUNCIL:
        return owner.council == principal.council
    return owner.organisation_id is not None and owner.organisation_id in principal.managed


def _singular(entity: str) -> str:
    return "person" if entity == "people" else entity.removesuffix("s").replace("facilitie", "facility")
