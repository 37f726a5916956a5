"""What the API needs from the matching service, and the adapter to the real one.

Routes call ``app.state.matcher``, an object with the three methods of
:class:`Matcher`.  The lifespan builds it once (:func:`default_matcher`): it wraps
:class:`matcher.services.matching.ProgrammeMatcher`; some tests inject a canned fake, others
(``tests/api/test_private_challenges.py``) the real matcher with the fake encoder.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from matcher import types as t
from matcher.config import Settings
from matcher.domain.access import Ownership
from matcher.domain.matches import Contact, Suggestion
from matcher.store import Session

log = logging.getLogger(__name__)


class Matcher(Protocol):
    """Ranked candidates, best first; each method runs CPU-bound work (call it from sync routes)."""

    name: str

    def challenge_matches(
        self, challenge_id: str, match_type: t.Programme, k: int, *, session: Session
    ) -> Sequence[Suggestion]: ...

    def profile_challenges(
        self, profile_id: str, k: int, *, session: Session, reveal: Callable[[Ownership], bool] | None = None
    ) -> Sequence[Suggestion]:
        """Challenges the profile fits; private ones ``reveal`` rejects come anonymised (``anonymised=True``)."""
        ...

    def partners(self, organisation_id: str, k: int, *, session: Session) -> Sequence[Suggestion]: ...


def _suggestion(item: Any) -> Suggestion:
    if isinstance(item, Suggestion):
        return item
    get: Any = item.get if isinstance(item, dict) else lambda name, default=None: getattr(item, name, default)
    contact = get("contact", None)
    return Suggestion(
        candidate_type=t.NodeType(get("candidate_type")),
        candidate_id=str(get("candidate_id")),
        score=float(get("score")),
        reasons=dict(get("reasons", None) or {}),
        anonymised=bool(get("anonymised", False)),
        match_id=get("match_id", None),
        contact=Contact(contact) if contact else None,
        summary=get("summary", None),
    )


class ProgrammeMatcherAdapter:
    """Adapter over :class:`matcher.services.matching.ProgrammeMatcher` (the programme matcher)."""

    name = "matcher.services.matching.ProgrammeMatcher"

    def __init__(self, programme_matcher: Any) -> None:
        self.programme_matcher = programme_matcher

    def challenge_matches(
        self, challenge_id: str, match_type: t.Programme, k: int, *, session: Session
    ) -> list[Suggestion]:
        found = self.programme_matcher.suggest(challenge_id, match_type, session=session, k=k)
        return [_suggestion(s) for s in found]

    def profile_challenges(
        self, profile_id: str, k: int, *, session: Session, reveal: Callable[[Ownership], bool] | None = None
    ) -> list[Suggestion]:
        found = self.programme_matcher.fits(profile_id, session=session, k=k, reveal=reveal)
        return [_suggestion(s) for s in found]

    def partners(self, organisation_id: str, k: int, *, session: Session) -> list[Suggestion]:
        return [
            _suggestion(s) for s in self.programme_matcher.partners(organisation_id, session=session, k=k)
        ]


def default_matcher(settings: Settings) -> Matcher:
    """The real matcher over the stored programme; its encoders load on first use (or in :func:`warm`)."""
    from matcher.services.engine import make_programme_matcher

    return ProgrammeMatcherAdapter(make_programme_matcher(settings))


def warm(matcher: object, sessions: Any) -> threading.Thread | None:
    """Fit the matcher in a background thread so the first request does not pay for embedding.

    Requests that arrive meanwhile wait on the matcher's own lock instead of fitting twice.
    """
    programme_matcher = getattr(matcher, "programme_matcher", None)
    if programme_matcher is None:
        return None

    def run() -> None:
        try:
            with sessions() as session:
                programme_matcher.ensure_fresh(session=session)
            log.info("matcher warmed up")
        except Exception as exc:  # an empty database is fine: the first request will say so
            log.warning("matcher warm-up skipped: %s", exc)

    thread = threading.Thread(target=run, name="matcher-warm-up", daemon=True)
    thread.start()
    return thread
