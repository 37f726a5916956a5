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
from matcher.domain.matches import Suggestion
from matcher.store import Session
from matcher.store.changes import StoreVersion

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


class ProgrammeMatcherAdapter:
    """Adapter over :class:`matcher.services.matching.ProgrammeMatcher` (the programme matcher)."""

    name = "matcher.services.matching.ProgrammeMatcher"

    def __init__(self, programme_matcher: Any) -> None:
        self.programme_matcher = programme_matcher

    def challenge_matches(
        self, challenge_id: str, match_type: t.Programme, k: int, *, session: Session
    ) -> list[Suggestion]:
        return list(self.programme_matcher.suggest(challenge_id, match_type, session=session, k=k))

    def profile_challenges(
        self, profile_id: str, k: int, *, session: Session, reveal: Callable[[Ownership], bool] | None = None
    ) -> list[Suggestion]:
        return list(self.programme_matcher.fits(profile_id, session=session, k=k, reveal=reveal))

    def partners(self, organisation_id: str, k: int, *, session: Session) -> list[Suggestion]:
        return list(self.programme_matcher.partners(organisation_id, session=session, k=k))


def default_matcher(settings: Settings) -> Matcher:
    """The real matcher over the stored programme; its encoders load on first use (or in :func:`warm`)."""
    from matcher.services.engine import make_programme_matcher

    return ProgrammeMatcherAdapter(make_programme_matcher(settings))


class Refresher:
    """The matcher's background job: warm up at start, then prepare after every write.

    At start it fits the matcher (embeds the stored profiles) so the first request does not
    pay for it; requests that arrive meanwhile wait on the matcher's own lock instead of
    fitting twice, and ``/ready`` answers 503 until :attr:`warmed` is set.  Then, whenever
    the store's version moves (a write by this process or, within ``interval`` seconds,
    by another), it calls :meth:`~matcher.services.matching.ProgrammeMatcher.prepare`: new
    documents are embedded, and a new or edited challenge is embedded and its suggestions
    computed when it is written, not when it is first read.
    """

    def __init__(self, programme_matcher: Any, sessions: Any, version: StoreVersion, interval: float) -> None:
        self.programme_matcher = programme_matcher
        self.sessions = sessions
        self.version = version
        self.interval = max(interval, 0.2)
        self.warmed = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="matcher-refresher", daemon=True)

    def start(self) -> Refresher:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the pass under way (the caller then disposes of the engine)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        seen: tuple[int, int] | None = None
        while not self._stop.is_set():
            try:
                current = self.version.current()
                if current != seen:
                    seen = current
                    with self.sessions() as session:
                        prepared = self.programme_matcher.prepare(session=session)
                    if not self.warmed.is_set():
                        log.info("matcher warmed up")
                    elif prepared:
                        log.info(
                            "prepared %d new or edited challenge(s): %s",
                            len(prepared),
                            ", ".join(prepared[:10]),
                        )
            except Exception as exc:  # an empty database is fine: the next write tries again
                log.warning("matcher refresh skipped: %s", exc)
            self.warmed.set()
            self._stop.wait(self.interval)


def refresher(matcher: object, sessions: Any, version: StoreVersion, interval: float) -> Refresher | None:
    """A started :class:`Refresher` for the real matcher (``None`` for a fake without one)."""
    programme_matcher = getattr(matcher, "programme_matcher", None)
    if programme_matcher is None:
        return None
    return Refresher(programme_matcher, sessions, version, interval).start()
