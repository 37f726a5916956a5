"""Domain types shared by the store, the services and the API (foundation layer).

Frozen dataclasses and enums that carry data between layers, with the pure helpers that
read them.  Like :mod:`matcher.types`, they import nothing of the project but the other
foundation modules, so that the store can return them and the services reason on them
without one layer reaching into the other.
"""

from matcher.domain.access import ApiKey, Ownership, RowScope
from matcher.domain.matches import Contact, MatchStep, Suggestion, contact_of, contact_state, new_match_id

__all__ = [
    "ApiKey",
    "Contact",
    "MatchStep",
    "Ownership",
    "RowScope",
    "Suggestion",
    "contact_of",
    "contact_state",
    "new_match_id",
]
