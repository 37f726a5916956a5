"""The needs map: need clusters of the stored challenges, per council and for the programme.

For every cluster: size, councils, sectors, required skills, new challenges per quarter,
example challenges (a private challenge the reader may not read is an anonymised summary, as
in :func:`matcher.services.outcomes.disclosure.challenge_summary`), and the *gap*: the mean over the
cluster's challenges of the best match score among the capabilities that may be suggested
(consented, public, not of the challenge's own organisation), local (the challenge's council)
and cross-border (another council), from the stored programme's
:class:`~matcher.services.matching.ProgrammeMatcher`.  Its scores are calibrated (z-scores,
unbounded), so the gap is ``reference - best coverage`` with the reference the median best
score over all of the programme's challenges: a positive gap is a need covered worse than
the typical challenge (:mod:`matcher.needs.gap`).

Clusters are always computed over the whole programme, so a cluster means the same thing
in every council's map; a council's map keeps the clusters its challenges fall in and counts
only its own challenges in them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.domain.access import Ownership
from matcher.embeddings.language import stop_words
from matcher.exceptions import NotFoundError
from matcher.needs import NeedCluster, cluster_coverage, cluster_needs, reference_coverage
from matcher.services.matching import ProgrammeMatcher
from matcher.services.outcomes import disclosure
from matcher.store import Session
from matcher.store.challenges import ChallengeSummary, all_challenges

__all__ = ["ClusterView", "NeedsMap", "build_needs_map", "quarter"]

N_EXAMPLES = 3


def quarter(day: dt.date | None) -> str | None:
    """``"2026Q1"`` for a date in January–March 2026; ``None`` for no date."""
    return None if day is None else f"{day.year}Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class ClusterView:
    """One need cluster as a council (or the programme) sees it."""

    id: str
    label: str
    terms: tuple[str, ...]
    size: int
    councils: dict[str, int]
    sectors: dict[str, int]
    skills: dict[str, int]
    quarters: dict[str, int]
    examples: list[dict[str, Any]]
    local: float | None
    cross_border: float | None
    best: float | None
    best_council: str | None  # the council whose capabilities cover the cluster best
    gap: float | None  # reference - best (positive: covered worse than the typical challenge)
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "terms": list(self.terms), "size": self.size,
            "councils": self.councils, "sectors": self.sectors, "skills": self.skills,
            "quarters": self.quarters, "examples": self.examples,
            "coverage": {"local": self.local, "cross_border": self.cross_border, "best": self.best},
            "gap": self.gap, "best_council": self.best_council,
        }  # fmt: skip


@dataclass(frozen=True)
class NeedsMap:
    """The map: its scope, the clusters (largest first) and the 2-D points of its challenges."""

    council: str | None
    n_challenges: int
    clusters: list[ClusterView]
    reference: float  # median best score over every challenge of the programme
    points: np.ndarray = field(repr=False)  # (n_challenges, 2)
    point_cluster: list[int] = field(repr=False)  # index into ``clusters``
    model_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "council": self.council,
            "n_challenges": self.n_challenges,
            "reference": self.reference,
            "model_id": self.model_id,
            "clusters": [c.to_dict() for c in self.clusters],
        }


def _top(counter: Counter[str], n: int = 10) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def _example(c: ChallengeSummary, reveal: Callable[[Ownership], bool]) -> dict[str, Any]:
    if c.visibility == "public" or reveal(disclosure.challenge_ownership(c)):
        return {"id": c.challenge_id, "title": c.title, "council": c.council, "sector": c.sector or None,
                "anonymised": False}  # fmt: skip
    return {"anonymised": True, **disclosure.challenge_summary(c)}


def _scores(matcher: ProgrammeMatcher, challenges: list[ChallengeSummary]) -> tuple[np.ndarray, np.ndarray]:
    """Match scores (n_challenges, n_profiles), -inf where the pair may not be suggested."""
    qs = matcher._query_scores([c.text for c in challenges], [c.language for c in challenges])
    cands = matcher.candidates_
    ok = np.array([c.consent and c.visibility == "public" for c in cands], dtype=bool)
    org = np.array([c.organisation_id for c in cands], dtype=object)
    own = np.array([c.organisation_id for c in challenges], dtype=object)
    allowed = ok[None, :] & (own[:, None] != org[None, :])
    scores = np.where(allowed, np.asarray(qs.scores, dtype=float), -np.inf)
    return scores, np.array([c.council for c in cands], dtype=object)


def build_needs_map(
    matcher: ProgrammeMatcher,
    *,
    session: Session,
    council: str | None = None,
    reveal: Callable[[Ownership], bool] | None = None,
    random_state: int = 0,
) -> NeedsMap:
    """The needs map of ``council`` (``None``: the programme).

    Parameters
    ----------
    matcher : ProgrammeMatcher
        Scores challenges against the stored capabilities (fitted here when stale).
    council : str, optional
    reveal : callable, optional
        ``ownership -> bool``: may the reader see this private challenge in full?  Default:
        no private challenge is shown, only its anonymised summary.
    random_state : int

    Raises
    ------
    NotFoundError
        No challenges are stored (or none of ``council``).
    """
    challenges = all_challenges(session=session)
    if not challenges:
        raise NotFoundError("no challenges are stored; import some first")
    if council is not None and not any(c.council == council for c in challenges):
        raise NotFoundError(f"council {council!r} has no challenges")
    reveal = reveal or (lambda _o: False)
    matcher.ensure_fresh(session=session)
    texts = [c.text for c in challenges]
    # texts in several languages: the multilingual encoder, or the clusters would be languages
    several = len({c.language for c in challenges}) > 1
    encoder = matcher.multi_encoder if several and matcher.multi_encoder is not None else matcher.encoder
    vectors = encoder.encode(texts)
    clusters, labels = cluster_needs(
        [c.challenge_id for c in challenges],
        texts,
        vectors,
        stop_words=stop_words(),
        random_state=random_state,
    )
    scores, cand_council = _scores(matcher, challenges)
    ch_council = np.array([c.council for c in challenges], dtype=object)
    keep = np.ones(len(challenges), dtype=bool) if council is None else ch_council == council
    reference = reference_coverage(scores)
    cov = cluster_coverage(scores[keep], labels[keep], ch_council[keep], cand_council)
    councils = sorted(set(cand_council.tolist()))
    views: list[ClusterView] = []
    index: dict[int, int] = {}
    sub_labels = labels[keep]
    sub = [c for c, k in zip(challenges, keep, strict=True) if k]
    for ci, cluster in enumerate(clusters):
        rows = np.flatnonzero(sub_labels == ci)
        if rows.size == 0:
            continue
        members = [sub[i] for i in rows]
        block = scores[np.flatnonzero(keep)[rows]]
        best_by_council = {}
        for code in councils:
            col = block[:, cand_council == code]
            if col.size and np.isfinite(col).any():
                best = np.where(np.isfinite(col), col, -np.inf).max(axis=1)
                best_by_council[code] = float(np.mean(np.where(np.isfinite(best), best, 0.0)))
        recent = sorted(members, key=lambda c: (c.opened or dt.date.min, c.challenge_id), reverse=True)
        index[ci] = len(views)
        views.append(
            ClusterView(
                id=cluster.id, label=cluster.label, terms=cluster.terms, size=len(members),
                councils=_top(Counter(c.council for c in members), 20),
                sectors=_top(Counter(c.sector for c in members if c.sector)),
                skills=_top(Counter(s for c in members for s in c.skills)),
                quarters=dict(sorted(Counter(q for c in members if (q := quarter(c.opened))).items())),
                examples=[_example(c, reveal) for c in recent[:N_EXAMPLES]],
                local=_round(cov[ci].local), cross_border=_round(cov[ci].cross_border), best=_round(cov[ci].best),
                best_council=max(best_by_council, key=lambda k: (best_by_council[k], k)) if best_by_council else None,
                gap=_round(cov[ci].gap(reference)), members=tuple(c.challenge_id for c in members),
            )
        )  # fmt: skip
    points = _project(vectors[keep])
    return NeedsMap(
        council,
        int(keep.sum()),
        views,
        round(reference, 4),
        points,
        [index[int(lab)] for lab in sub_labels],
        encoder.model_id,
    )


def _project(vectors: np.ndarray) -> np.ndarray:
    """2-D coordinates for the map: the first two principal components."""
    from sklearn.decomposition import PCA

    if len(vectors) < 3:
        return np.zeros((len(vectors), 2))
    return PCA(n_components=2, random_state=0).fit_transform(vectors)


def clusters_of(needs: NeedsMap) -> list[NeedCluster]:
    """The map's clusters in the ``needs cluster`` file shape (members of the map's scope)."""
    return [NeedCluster(v.id, v.label, v.terms, v.members) for v in needs.clusters]
