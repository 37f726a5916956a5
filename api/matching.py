"""What the API needs from the matching service, and the adapter to the real one.

Routes call ``app.state.matcher``, an object with the three methods of
:class:`Matcher`.  The lifespan builds it once (:func:`default_matcher`): it wraps
``matcher.services.matching.suggest`` when that module exists; tests inject a fake.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from matcher import types as t
from matcher.config import Settings
from matcher.store import Session
from matcher.store.api_repository import Suggestion

log = logging.getLogger(__name__)


class Matcher(Protocol):
    """Ranked candidates, best first; each method runs CPU-bound work (call it from sync routes)."""

    name: str

    def challenge_matches(
        self, challenge_id: str, match_type: t.Programme, k: int, *, session: Session
    ) -> Sequence[Suggestion]: ...

    def profile_challenges(self, profile_id: str, k: int, *, session: Session) -> Sequence[Suggestion]: ...

    def partners(self, organisation_id: str, k: int, *, session: Session) -> Sequence[Suggestion]: ...


def _suggestion(item: Any) -> Suggestion:
    if isinstance(item, Suggestion):
        return item
    get: Any = item.get if isinstance(item, dict) else lambda name, default=None: getattr(item, name, default)
    return Suggestion(
        candidate_type=t.NodeType(get("candidate_type")),
        candidate_id=str(get("candidate_id")),
        score=float(get("score")),
        reasons=dict(get("reasons", None) or {}),
    )


class ServiceMatcher:
    """Adapter over ``matcher.services.matching.suggest(...)`` (keyword arguments, see each method)."""

    def __init__(self, suggest: Any, name: str = "matcher.services.matching") -> None:
        self.suggest = suggest
        self.name = name

    def challenge_matches(
        self, challenge_id: str, match_type: t.Programme, k: int, *, session: Session
    ) -> list[Suggestion]:
        found = self.suggest(challenge_id=challenge_id, match_type=match_type, k=k, session=session)
        return [_suggestion(s) for s in found]

    def profile_challenges(self, profile_id: str, k: int, *, session: Session) -> list[Suggestion]:
        return [_suggestion(s) for s in self.suggest(profile_id=profile_id, k=k, session=session)]

    def partners(self, organisation_id: str, k: int, *, session: Session) -> list[Suggestion]:
        found = self.suggest(
            organisation_id=organisation_id, match_type=t.Programme.PARTNER, k=k, session=session
        )
        return [_suggestion(s) for s in found]


class ProgrammeMatcherAdapter:
    """Adapter over :class:`matcher.services.matching.ProgrammeMatcher` (the lead's matching service)."""

    name = "matcher.services.matching.ProgrammeMatcher"

    def __init__(self, programme_matcher: Any) -> None:
        self.programme_matcher = programme_matcher

    def challenge_matches(
        self, challenge_id: str, match_type: t.Programme, k: int, *, session: Session
    ) -> list[Suggestion]:
        found = self.programme_matcher.suggest(challenge_id, match_type, session=session, k=k)
        return [_suggestion(s) for s in found]

    def profile_challenges(self, profile_id: str, k: int, *, session: Session) -> list[Suggestion]:
        return [_suggestion(s) for s in self.programme_matcher.fits(profile_id, session=session, k=k)]

    def partners(self, organisation_id: str, k: int, *, session: Session) -> list[Suggestion]:
        return [
            _suggestion(s) for s in self.programme_matcher.partners(organisation_id, session=session, k=k)
        ]


def default_matcher(settings: Settings) -> Matcher | None:
    """The real matcher (encoders loaded once, here), or ``None`` when none is installed (routes: 503).

    Prefers ``matcher.services.engine.make_programme_matcher``; falls back to a module-level
    ``matcher.services.matching.suggest`` function.
    """
    try:
        engine = importlib.import_module("matcher.services.engine")
    except ModuleNotFoundError as exc:
        if exc.name not in ("matcher.services.engine", "matcher.services.matching"):
            raise
        engine = None
    if engine is not None and hasattr(engine, "make_programme_matcher"):
        return ProgrammeMatcherAdapter(engine.make_programme_matcher(settings))
    try:
        module = importlib.import_module("matcher.services.matching")
    except ModuleNotFoundError as exc:
        if exc.name != "matcher.services.matching":
            raise
        module = None
    if module is not None and callable(getattr(module, "suggest", None)):
        return ServiceMatcher(module.suggest)
    log.warning("no matching service is installed: match routes and /ready will answer 503")
    return None
