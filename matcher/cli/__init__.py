"""The ``matcher`` command line (Typer).

Exit codes: 0 success, 1 runtime failure, 2 usage error or invalid input.
Errors go to stderr as one line each.  Each command module exposes
``register(app)`` so that this file only wires them together.
"""

from __future__ import annotations

import logging
import sys

import typer

from matcher.exceptions import MatcherError, NotFoundError, ValidationError

app = typer.Typer(
    name="matcher",
    help="Cluster Match: match SME challenges to capabilities, teams, placements, partners and facilities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


_registered = False


def _register_all() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from matcher.cli import commands

    commands.register(app)
    for module_name in (
        "matcher.cli.rank",
        "matcher.cli.match",
        "evaluation.cli",
        "matcher.cli.api_keys",
        "matcher.cli.allocate",
        "matcher.cli.graph",
        "matcher.cli.needs",
    ):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    _register_all()
    try:
        app(args=argv, prog_name="matcher")  # standalone: click reports usage errors itself (exit 2)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (ValidationError, NotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except MatcherError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
