"""Materialised match answers: what :class:`~matcher.services.matching.ProgrammeMatcher` computed, kept.

Profiling one ``GET /challenges/{id}/matches`` at 10,000 profiles (docs/performance.md)
puts almost all of its time in scoring every document of every profile for the query
(dense, lexical, fusion) and explaining the top ten.  Those numbers are a pure function
of what the matcher read: the fitted corpus (its freshness stamp,
:func:`~matcher.store.corpus.corpus_stamp`, which moves on any edit of a
profile, document, organisation, person or facility, consent and visibility included),
the query side (:class:`~matcher.store.corpus.QueryContext`: text, language,
council, country, organisation, related organisations, skills, window), the match type,
the caller's filters and ``k`` -- and, for partners, the collaboration graph's stamp.

:class:`AnswerCache` keys each answer by **all** of those inputs, so a hit returns exactly
what the matcher would compute now; nothing is invalidated by hand and no rule is copied
here (the rules stay in :mod:`matcher.ranking.rules`, applied when the answer is computed).
An edited challenge, a consent change or a new relationship (a decision) changes the key,
so the next read recomputes.  Entries are deep-copied in and out, so callers that add to a
suggestion's reasons cannot change a stored answer.  Bounded LRU; thread-safe.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from matcher.store import Session
from matcher.store.changes import StoreVersion, session_wrote

__all__ = ["AnswerCache", "VersionedMemo", "filters_key"]

V = TypeVar("V")


def filters_key(filters: Any) -> tuple[Any, ...]:
    """A hashable, order-free key for a :class:`~matcher.ranking.rules.MatchFilters` (collections as sorted tuples)."""
    out: list[Any] = []
    for name in sorted(vars(filters)):
        value = getattr(filters, name)
        if value is not None and not isinstance(value, (str, bool, int, float)):
            value = tuple(sorted(value))
        out.append((name, value))
    return tuple(out)


class AnswerCache:
    """A bounded, thread-safe LRU map from an answer's full inputs to the answer.

    Parameters
    ----------
    max_entries : int
        Answers kept; the least recently used go first.  ``0`` disables the cache.
    """

    def __init__(self, max_entries: int = 8192) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The stored answer for ``key`` (a copy), or ``compute()`` stored and returned."""
        if self.max_entries <= 0:
            return compute()
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is not _MISSING:
                self._entries.move_to_end(key)
                self.hits += 1
                return copy.deepcopy(found)  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()  # outside the lock: concurrent misses of different keys run in parallel
        stored = copy.deepcopy(value)
        with self._lock:
            self._entries[key] = stored
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_MISSING = object()


class VersionedMemo:
    """Whole answers of read requests, kept while the stored data's version stands.

    A request's answer (the JSON body of ``GET /challenges/{id}/matches``, say) is a pure
    function of what is stored and of the request (caller, path, parameters): the matching
    above, the caller's access rules, the match records it stores and their history.  Keyed
    by the request and tagged with :meth:`StoreVersion.current` read *before* computing, an
    entry is returned only while that version stands, i.e. while nobody committed a write
    (this process: at once; other processes: within the version's interval).  Storing the
    suggestions a second time writes nothing when they did not change, so the second request
    after a change is kept and the third is a hit.  Values must be immutable (bytes).

    Parameters
    ----------
    version : StoreVersion
    max_entries : int
        Answers kept; the least recently used go first.  ``0`` disables the memo.
    """

    def __init__(self, version: StoreVersion, max_entries: int = 8192) -> None:
        self.version = version
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[tuple[int, int], Any, Hashable]] = OrderedDict()
        self._tags: Counter[Hashable] = Counter()  # entries per tag, for holds()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def holds(self, tag: Hashable) -> bool:
        """Whether any entry filed with ``tag`` is kept (current or not): a cheap test before :meth:`kept`."""
        return self._tags.get(tag, 0) > 0

    def kept(self, key: Hashable) -> Any | None:
        """The answer kept for ``key`` while the store's version stands, or ``None`` (a hit is counted)."""
        if self.max_entries <= 0:
            return None
        return self._kept(key, self.version.current())

    def _kept(self, key: Hashable, version: tuple[int, int]) -> Any | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != version:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[1]

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], V], *, session: Session, tag: Hashable = None
    ) -> V:
        """The kept answer for ``key`` while the store's version stands, else ``compute()``.

        ``compute`` runs in ``session``; its answer is kept only when it wrote nothing there
        (a write is committed after the request, and could still fail: such an answer is
        never kept, the next request computes again).
        """
        if self.max_entries <= 0:
            return compute()
        version = self.version.current()
        found = self._kept(key, version)
        if found is not None:
            return found  # type: ignore[no-any-return]
        with self._lock:
            self.misses += 1
        value = compute()
        if session_wrote(session):
            return value
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._forget(previous[2])
            self._entries[key] = (version, value, tag)
            self._tags[tag] += 1
            while len(self._entries) > self.max_entries:
                self._forget(self._entries.popitem(last=False)[1][2])
        return value

    def _forget(self, tag: Hashable) -> None:
        self._tags[tag] -= 1
        if self._tags[tag] <= 0:
            del self._tags[tag]
