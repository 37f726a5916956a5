"""Core commands: database, import/export, demo data, stats, serve."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""
