"""The match rules, in one place: who may be suggested for what, and how a challenge reads.

Every caller that ranks candidates for a match type -- :class:`ProgrammeMatcher`
(``matcher match``, the API), the built-in benchmark, the CLI -- builds its allowed
mask here, so the benchmark measures exactly the candidate set users get.  Pure
functions over arrays (STYLE rule 1); the store fills :class:`CandidateTable` and
:class:`QueryRules` from its rows, the benchmark from the demo files.

Rules per match type (docs/matching.md):

- candidate kinds (:data:`CANDIDATE_KINDS`), narrowed by ``MatchFilters.kinds``;
- consent: a candidate that has not consented is never suggested;
- visibility: public candidates, plus private ones of the query's council when the caller
  may see them (``include_private``);
- conflicts: never the query's own organisation;
- ``partner`` (or ``cross_border_only``): another country;
- ``partner`` and ``placement``: no organisation or person the query side already has a
  relationship with;
- availability (not ``partner``): excluded when the candidate's window ended before the
  challenge opened; ``strict_availability`` asks for an overlap with ``[opened, deadline]``;
- ``facility``: capacity ``>= min_capacity``;
- the caller's council, country and language filters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import matcher.types as t
from matcher.ranking import filters as F
from matcher.ranking.sentences import split_sentences
from matcher.types import challenge_text_of  # the one text-building rule, re-exported

__all__ = [
    "CANDIDATE_KINDS",
    "CandidateTable",
    "MatchFilters",
    "QueryRules",
    "candidate_mask",
    "challenge_text_of",
    "common_sentences",
    "frame_words",
    "strip_common_sentences",
]

CANDIDATE_KINDS: dict[t.Programme, frozenset[str]] = {
    t.Programme.CONSULTANCY: frozenset({"research_group", "academic", "student"}),
    t.Programme.PLACEMENT: frozenset({"academic"}),
    t.Programme.PARTNER: frozenset({"hei", "research_group", "sme"}),
    t.Programme.FACILITY: frozenset({"hot_desk", "lab", "equipment", "access_point"}),
}


_WORD = re.compile(r"\w+")


def _words(sentence: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(sentence)]


def _windows(words: Sequence[str], window: int) -> list[str]:
    """The sentence's runs of ``window`` consecutive words (the whole sentence when shorter)."""
    if len(words) <= window:
        return [" ".join(words)] if words else []
    return [
        " ".join(run) for run in zip(*(words[i:] for i in range(window)), strict=False)
    ]  # to the shortest


def common_sentences(
    texts: Sequence[str],
    groups: Sequence[int] | np.ndarray,
    *,
    min_share: float = 0.02,
    min_count: int = 5,
    window: int = 3,
    max_windows: int = 2_000_000,
) -> frozenset[str]:
    """Text that many profiles share (boilerplate), by document frequency over profiles.

    Every sentence is cut into its windows of ``window`` consecutive words (case folded,
    punctuation dropped; a shorter sentence is one window).  A window counts once per
    profile; it is common when at least ``max(min_count, min_share * n_profiles)`` profiles
    hold it.  A sentence repeated verbatim -- "We supply customers across Europe and are open
    to joint projects" in every SME description -- is all common windows; so is the
    fixed frame of a templated sentence ("... is a small engineering company from ... with
    ... employees"), whatever names and numbers fill it.  Such text says nothing about
    *this* candidate, so it must neither carry a match nor be cited as its reason
    (:func:`strip_common_sentences` removes it).

    Parameters
    ----------
    texts : sequence of n_docs str
    groups : sequence of n_docs int
        Profile of each document.
    min_share : float, default 0.02
    min_count : int, default 5
    window : int, default 3
        Words per window.
    max_windows : int, default 2,000,000
        Distinct windows counted exactly in one pass.  Real prose has mostly distinct
        windows (72 % on DBLP abstracts), so a large corpus would hold tens of millions of
        them while counting; past this many, the count starts again in two passes with
        bounded memory: profiles per hash bucket first (2**22 buckets), then exact counts
        only for the windows whose bucket reaches the threshold (a bucket's count is at
        least each of its windows', so no common window is missed).  The result is the same.

    Returns
    -------
    frozenset of str
        The common windows (words joined by one space).
    """
    groups = np.asarray(groups)
    if len(groups) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(groups)} groups")
    order = np.argsort(groups, kind="stable")  # each profile's documents together
    runs = np.split(order, np.flatnonzero(np.diff(groups[order])) + 1) if len(order) else []
    need = max(min_count, min_share * len(runs))

    def held_by_profile() -> Iterator[set[str]]:  # the windows of each profile, once each
        for run in runs:
            held: set[str] = set()
            for i in run.tolist():
                for sentence in split_sentences(texts[i]):
                    held.update(_windows(_words(sentence), window))
            yield held

    holders: dict[str, int] = {}  # window -> number of profiles holding it
    for held in held_by_profile():
        for w in held:
            holders[w] = holders.get(w, 0) + 1
        if len(holders) > max_windows:
            break
    else:
        return frozenset(w for w, n in holders.items() if n >= need)
    del holders
    mask = (1 << _BUCKET_BITS) - 1
    buckets = np.zeros(1 << _BUCKET_BITS, dtype=np.int64)
    for held in held_by_profile():
        buckets[np.fromiter({hash(w) & mask for w in held}, dtype=np.int64)] += 1  # distinct: once each
    counts: dict[str, int] = {}
    for held in held_by_profile():
        for w in held:
            if buckets[hash(w) & mask] >= need:
                counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= need)


_BUCKET_BITS = 22  # 4M buckets of the bounded count: 32 MB


def _specific_part(sentence: str, common: frozenset[str], window: int) -> str:
    """The stretches of ``sentence`` that some uncommon window covers, as written; ``""`` if none."""
    words = _words(sentence)
    wins = _windows(words, window)
    if not wins or common.isdisjoint(wins):  # most sentences: nothing common
        return sentence
    if all(w in common for w in wins):
        return ""
    if len(words) <= window:
        return sentence
    spans = [m.span() for m in _WORD.finditer(sentence)]
    keep = [False] * len(words)  # plain lists: numpy costs more than it saves on ~20 words
    for i, w in enumerate(wins):
        if w not in common:
            keep[i : i + window] = [True] * window
    if all(keep):
        return sentence
    pieces = []
    i = 0
    while i < len(words):  # each run of kept words, as written, with the sentence's end if it reaches it
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and keep[j + 1]:
            j += 1
        end = len(sentence) if j == len(words) - 1 else spans[j][1]
        pieces.append(sentence[spans[i][0] : end].strip())
        i = j + 1
    return " ".join(pieces)


def frame_words(
    texts: Sequence[str], common: frozenset[str], *, window: int = 3, min_share: float = 0.5
) -> frozenset[str]:
    """Words that live in the common frames: most of their occurrences lie inside a common window.

    "employees" in "... with 43 employees, active in ...", "covers" in "Our know-how covers
    ...": stripping keeps them next to the specific words they frame, but they say nothing
    about the candidate, so reasons must not cite them as key terms
    (:func:`~matcher.ranking.reasons.generic_terms`).  A topic word that only now and then
    meets a frame ("python" in a skills list) stays out.

    Parameters
    ----------
    texts : sequence of str
        The corpus the common windows were found in (before stripping).
    common : frozenset of str
        :func:`common_sentences` of ``texts``, with the same ``window``.
    min_share : float, default 0.5
        Share of a word's occurrences that must lie inside some common window.

    Returns
    -------
    frozenset of str
        Case-folded words.
    """
    if not common:
        return frozenset()
    seen: dict[str, int] = {}
    framed: dict[str, int] = {}
    for text in texts:
        for sentence in split_sentences(text):
            words = _words(sentence)
            covered = [False] * len(words)
            for i, w in enumerate(_windows(words, window)):
                if w in common:
                    covered[i : i + window] = [True] * min(window, len(words))
            for w, c in zip(words, covered, strict=True):
                seen[w] = seen.get(w, 0) + 1
                framed[w] = framed.get(w, 0) + int(c)
    return frozenset(w for w, n in seen.items() if framed[w] > min_share * n)


def strip_common_sentences(texts: Sequence[str], common: frozenset[str], *, window: int = 3) -> list[str]:
    """``texts`` without their common text (:func:`common_sentences`, same ``window``).

    A sentence made only of common windows is dropped; from a templated sentence only the
    stretches that some uncommon window covers are kept, as written ("Future work will
    address integration with thermoplastic composites." keeps "integration with
    thermoplastic composites." when its frame is common).  A text made only of common text is
    kept whole rather than emptied.
    """
    if not common:
        return list(texts)
    out = []
    for text in texts:
        kept = [p for p in (_specific_part(s, common, window) for s in split_sentences(text)) if p]
        out.append(" ".join(kept) if kept else text)
    return out


def specific_sentences(text: str, common: frozenset[str], *, window: int = 3) -> list[tuple[str, str]]:
    """Each sentence of ``text`` as written, with the specific part :func:`strip_common_sentences` keeps.

    Sentences made only of common text are left out (every sentence is kept, as itself, when
    none is specific).  Reasons score a sentence by its specific part and quote it as written,
    so a quotation reads as the profile wrote it and its shared frame never decides.
    """
    sentences = split_sentences(text) or [text]
    if not common:
        return [(s, s) for s in sentences]
    pairs = [(s, _specific_part(s, common, window)) for s in sentences]
    return [(s, p) for s, p in pairs if p] or [(s, s) for s in sentences]


@dataclass(frozen=True)
class MatchFilters:
    """Optional restrictions chosen by the caller; ``None`` means no restriction."""

    councils: Collection[str] | None = None
    countries: Collection[str] | None = None
    languages: Collection[str] | None = None
    kinds: Collection[str] | None = None  # organisation / person / facility kinds
    cross_border_only: bool = False
    min_capacity: int | None = None
    include_private: bool = False  # the caller may see private records of the query's council
    strict_availability: bool = False  # availability must overlap [opened, deadline], not just [opened, ...)

    def describe(self) -> list[str]:
        out = []
        for name in ("councils", "countries", "languages", "kinds"):
            value = getattr(self, name)
            if value:
                out.append(f"{name}={','.join(sorted(value))}")
        if self.cross_border_only:
            out.append("cross_border_only")
        if self.min_capacity:
            out.append(f"min_capacity={self.min_capacity}")
        if self.strict_availability:
            out.append("strict_availability")
        return out


@dataclass(frozen=True)
class CandidateTable:
    """The attributes of ``n`` candidates that the rules read, as arrays of shape (n,).

    Build it with :meth:`from_records` from any objects with these attribute names
    (the store's ``Candidate`` rows, or the benchmark's demo records).
    """

    kind: np.ndarray
    council: np.ndarray
    country: np.ndarray
    organisation_id: np.ndarray
    owner_id: np.ndarray
    visibility: np.ndarray
    language: np.ndarray
    consent: np.ndarray  # bool
    available_from: np.ndarray  # datetime64[D], NaT = open-ended
    available_to: np.ndarray
    capacity: np.ndarray  # int; a candidate without a stated capacity holds 1

    @property
    def n(self) -> int:
        return int(self.kind.shape[0])

    @classmethod
    def from_records(cls, records: Sequence[Any]) -> CandidateTable:
        def col(name: str) -> np.ndarray:
            return np.array([getattr(r, name) for r in records], dtype=object)

        return cls(
            kind=col("kind"),
            council=col("council"),
            country=col("country"),
            organisation_id=col("organisation_id"),
            owner_id=col("owner_id"),
            visibility=col("visibility"),
            language=col("language"),
            consent=np.array([bool(r.consent) for r in records], dtype=bool),
            available_from=np.array([r.available_from for r in records], dtype="datetime64[D]"),
            available_to=np.array([r.available_to for r in records], dtype="datetime64[D]"),
            capacity=np.array([r.capacity if r.capacity is not None else 1 for r in records], dtype=np.int64),
        )


@dataclass(frozen=True)
class QueryRules:
    """What the rules need to know about the query side (a challenge or an organisation)."""

    council: str
    country: str
    organisation_id: str
    related: frozenset[str] = frozenset()  # organisations and people it already has a relationship with
    start: dt.date | None = None  # the challenge opened
    end: dt.date | None = None  # its deadline


def candidate_mask(
    match_type: t.Programme,
    queries: Sequence[QueryRules],
    candidates: CandidateTable,
    filters: MatchFilters | None = None,
) -> F.FilterOutcome:
    """The allowed (query, candidate) pairs of ``match_type``: the rules of the module docstring.

    Parameters
    ----------
    match_type : Programme
    queries : sequence of n_queries QueryRules
    candidates : CandidateTable of n_candidates
    filters : MatchFilters, optional

    Returns
    -------
    FilterOutcome
        ``mask`` of shape (n_queries, n_candidates), the names of the rules that applied and
        how many pairs each excluded.
    """
    filters = filters or MatchFilters()
    nq, n = len(queries), candidates.n
    c = candidates
    kinds = CANDIDATE_KINDS[match_type]
    if filters.kinds:
        kinds = kinds & frozenset(filters.kinds)
    councils = [q.council for q in queries]
    masks: dict[str, np.ndarray | None] = {
        f"type:{match_type.value}": F.value_mask(c.kind, kinds, nq),
        "consent": np.broadcast_to(c.consent[None, :], (nq, n)).copy(),
        "visibility": F.visibility_mask(c.visibility, c.council, councils)
        if filters.include_private
        else F.value_mask(c.visibility, {"public"}, nq),
        "same_organisation": F.same_organisation_mask(
            [q.organisation_id for q in queries], c.organisation_id
        ),
        "council": F.value_mask(c.council, filters.councils, nq) if filters.councils else None,
        "country": F.value_mask(c.country, filters.countries, nq) if filters.countries else None,
        "language": F.value_mask(c.language, filters.languages, nq) if filters.languages else None,
    }
    if match_type is t.Programme.PARTNER or filters.cross_border_only:
        masks["cross_border"] = F.cross_border_mask([q.country for q in queries], c.country)
    if match_type in (t.Programme.PARTNER, t.Programme.PLACEMENT):
        related = np.zeros((nq, n), dtype=bool)
        for i, q in enumerate(queries):
            if q.related:
                ids = list(q.related)
                related[i] = np.isin(c.organisation_id, ids) | np.isin(c.owner_id, ids)
        masks["existing_relationship"] = ~related
    if match_type is not t.Programme.PARTNER and any(q.start or q.end for q in queries):
        # The challenge's window is [opened, deadline]; by default a candidate is excluded only
        # when its availability ended before the challenge opened (it can no longer take part).
        ends = [q.end if filters.strict_availability else None for q in queries]
        masks["availability"] = F.availability_mask(
            [q.start for q in queries], ends, c.available_from, c.available_to
        )
    if match_type is t.Programme.FACILITY and filters.min_capacity:
        masks["capacity"] = np.broadcast_to((c.capacity >= filters.min_capacity)[None, :], (nq, n)).copy()
    return F.combine_masks((nq, n), masks)
