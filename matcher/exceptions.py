"""One exception tree for Cluster Match (STYLE.md rule 5).

Every error the core raises derives from :class:`MatcherError` and also from the
builtin it means, so callers may catch either.  Only ``api/`` maps them to HTTP
status codes; the CLI maps them to exit codes (2 for invalid input, 1 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass


class MatcherError(Exception):
    """Root of every error raised by Cluster Match."""


class ConfigurationError(MatcherError, ValueError):
    """A setting is missing, unsafe or contradictory."""


@dataclass(frozen=True)
class Location:
    """Where a problem sits in an input: file, line (1-based) and field."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) if parts else "input"


class ValidationError(MatcherError, ValueError):
    """Input is malformed; ``location`` says where and ``reason`` says what is wrong."""

    def __init__(self, reason: str, location: Location | None = None) -> None:
        self.reason = reason
        self.location = location or Location()
        super().__init__(f"{self.location}: {reason}")


class InvalidInputError(ValidationError):
    """A whole file or payload is unusable (encoding, missing columns, empty)."""


class NotFoundError(MatcherError, LookupError):
    """A record that was asked for does not exist (or is not visible to the caller)."""


class ConflictError(MatcherError, ValueError):
    """The request clashes with stored state (duplicate id, stale version)."""


class PermissionDeniedError(MatcherError, PermissionError):
    """The caller's role or organisation does not allow this action."""


class NotFittedError(MatcherError, RuntimeError):
    """A stateful object was queried before ``fit``."""


class ModelMismatchError(MatcherError, ValueError):
    """Vectors from different embedding models were mixed."""


class UnavailableError(MatcherError, RuntimeError):
    """A dependency (database, model) cannot be reached right now."""


class StaleVersionError(ConflictError):
    """The caller's ``If-Match`` names a version that is no longer current."""


class PreconditionRequiredError(ConflictError):
    """A change was asked for without saying which version it replaces (no ``If-Match``)."""


class RejectedRowsError(ValidationError):
    """Some rows of an uploaded file are invalid; ``errors`` holds every one, located."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        super().__init__(first.reason + more + "; nothing was stored", first.location)


class AuthenticationError(PermissionDeniedError):
    """No valid API key was presented."""


class Cancelled(MatcherError):
    """The round was cancelled while it ran."""
