"""``matcher keys create|list|revoke``: API keys for the HTTP service."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from matcher.cli.commands import DbOption, _db

out = Console(width=max(Console().width, 120))
err = Console(stderr=True, soft_wrap=True)

keys_app = typer.Typer(
    help="API keys: each bound to a role and an organisation or council.", no_args_is_help=True
)


@keys_app.command("create")
def create(
    role: Annotated[
        str,
        typer.Option(help="admin, council, coordinator, trainer, facility_host, sme or evaluator"),
    ],
    organisation: Annotated[
        str | None, typer.Option(help="Organisation id (coordinator, facility_host, sme)")
    ] = None,
    council: Annotated[str | None, typer.Option(help="Council code (council, trainer)")] = None,
    label: Annotated[str, typer.Option(help="What the key is for (shown in listings)")] = "",
    database_url: DbOption = None,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    from matcher.services.access import create_key
    from matcher.store.db import transaction

    _, factory = _db(database_url)
    with transaction(factory) as session:
        key, stored = create_key(
            role, organisation_id=organisation, council=council, label=label, session=session
        )
    err.print(f"key {stored.id} ({stored.role}) created; it is shown once, keep it safe:", markup=False)
    typer.echo(key)


@keys_app.command("list")
def list_keys(database_url: DbOption = None) -> None:
    """Every key with its role, binding and state (never the key itself)."""
    from matcher.store import keys as keys_store

    _, factory = _db(database_url)
    with factory() as session:
        keys = keys_store.list_api_keys(session=session)
    table = Table(title="API keys")
    for column in ("id", "prefix", "role", "organisation", "council", "label", "created", "revoked"):
        table.add_column(column)
    for k in keys:
        table.add_row(
            str(k.id),
            k.prefix,
            k.role,
            k.organisation_id or "",
            k.council or "",
            k.label,
            k.created_at.strftime("%Y-%m-%d %H:%M") if k.created_at else "",
            k.revoked_at.strftime("%Y-%m-%d %H:%M") if k.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (from `matcher keys list`)")],
    database_url: DbOption = None,
) -> None:
    """Revoke a key: it stops working at once."""
    from matcher.store import keys as keys_store
    from matcher.store.db import transaction

    _, factory = _db(database_url)
    with transaction(factory) as session:
        stored = keys_store.revoke_api_key(key_id, session=session)
    out.print(f"key {stored.id} ({stored.role}, {stored.prefix}...) revoked")


def register(app: typer.Typer) -> None:
    """Add the ``keys`` sub-command group to ``app``."""
    app.add_typer(keys_app, name="keys")
