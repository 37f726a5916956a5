"""How the pages show records: scores in words, candidate names, reasons, labels.

Nothing here decides who sees what: every record passed in was already allowed by the
services (:mod:`matcher.services.access`, :mod:`matcher.services.outcomes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher import types as t
from matcher.exceptions import NotFoundError, PermissionDeniedError
from matcher.services import records
from matcher.services.access import Principal
from matcher.services.outcomes import visibility
from matcher.store import Session

#: Score bands of the default method's scale (docs/ranking.md): lower bound of each level 2..5.
#: Measured with the real model over all consultancy candidates of six demo challenges (2,416
#: pairs, default `learned`): median -0.06 (a random pairing scores about 0), 90th percentile
#: 1.03, 99th 3.27; best candidates 1.7-6.7. So level 2 starts near the top 10 % of pairs and
#: level 5 beyond the top 1 %. Re-derive them when the default method changes (a test ties them).
BAND_METHOD = "learned"
BAND_EDGES = (1.0, 2.0, 3.0, 4.0)
BAND_WORDS = {1: "weak", 2: "fair", 3: "good", 4: "strong", 5: "very strong"}


@dataclass(frozen=True)
class Band:
    level: int  # 1..5
    words: str
    score: float

    @property
    def label(self) -> str:
        return f"{self.words} match ({self.level} of 5; score {self.score:.2f})"


def band(score: float) -> Band:
    """The 1–5 level of a score: 1 below 1.0, then one level per 1.0, 5 from 4.0 (:data:`BAND_EDGES`)."""
    level = 1 + sum(score >= edge for edge in BAND_EDGES)
    return Band(level, BAND_WORDS[level], float(score))


MATCH_TYPE_TITLES = {
    t.Programme.CONSULTANCY: "Consultancy candidates",
    t.Programme.PLACEMENT: "Placements (Change of Perspective)",
    t.Programme.PARTNER: "Partners abroad",
    t.Programme.FACILITY: "Facilities",
}
#: Consultancy first (the contract), then the others in the programme's order.
MATCH_TYPE_ORDER = (t.Programme.CONSULTANCY, t.Programme.PLACEMENT, t.Programme.PARTNER, t.Programme.FACILITY)

DECLINE_REASONS = {
    t.DeclineReason.NOT_RELEVANT: "Not relevant to this challenge",
    t.DeclineReason.TOO_EARLY: "Too early for us",
    t.DeclineReason.NO_CAPACITY: "No capacity right now",
    t.DeclineReason.ALREADY_WORKING_TOGETHER: "Already working together",
    t.DeclineReason.OTHER: "Another reason (say which in the note)",
}
STATUS_WORDS = {
    t.MatchStatus.PROPOSED: "suggested",
    t.MatchStatus.ACCEPTED: "accepted",
    t.MatchStatus.DECLINED: "declined",
    t.MatchStatus.MEETING_HELD: "meeting held",
    t.MatchStatus.COMPLETED: "completed",
}


def candidate_name(
    principal: Principal, candidate_type: t.NodeType, candidate_id: str, *, session: Session
) -> dict[str, str]:
    """Name, kind, council and country of a candidate the caller may read (else a neutral placeholder)."""
    entity = visibility.CANDIDATE_ENTITY[candidate_type]
    try:
        record, _ = records.get(entity, candidate_id, principal, session=session)
    except (NotFoundError, PermissionDeniedError):
        # The API's rule, not a second one: the caller gets the id only (people are never public).
        return {
            "name": f"{candidate_type.value.capitalize()} {candidate_id}",
            "kind": "details not shared with your key",
            "where": "",
        }
    name = getattr(record, "name", None) or getattr(record, "title", None) or candidate_id
    kind = getattr(record, "kind", "")
    kind = kind.value if hasattr(kind, "value") else str(kind)
    council = getattr(record, "council", "") or ""
    country = getattr(record, "country", "") or ""
    where = ", ".join(p for p in (str(council).title(), country) if p)
    return {"name": str(name), "kind": kind.replace("_", " "), "where": where}


def reasons(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """The reasons of a suggestion as (label, sentence) rows a person reads, in a fixed order."""
    rows: list[tuple[str, str]] = []
    sentence = raw.get("best_sentence_text")
    if sentence:
        rows.append(("Evidence", f"“{sentence}”"))
    elif raw.get("best_document_excerpt"):
        rows.append(("Evidence", f"“{raw['best_document_excerpt']}”"))
    if raw.get("skill_overlap"):
        rows.append(("Shared skills", ", ".join(raw["skill_overlap"])))
    if raw.get("key_terms"):
        rows.append(("Shared terms", ", ".join(raw["key_terms"])))
    query_language, languages = raw.get("query_language"), raw.get("profile_languages") or []
    if query_language or languages:
        same = query_language in languages
        text = f"challenge in {query_language or '?'}; candidate writes {', '.join(languages) or '?'}"
        rows.append(("Languages", text + (" (same language)" if same else " (across languages)")))
    if raw.get("availability"):
        rows.append(("Availability", str(raw["availability"])))
    if raw.get("graph"):  # the collaboration graph's reasons (matcher.services.graph.PartnerGraph.explain)
        rows.append(("Network", network_reason(raw["graph"])))
    return rows


def network_reason(graph: Any) -> str:
    """The ``graph`` reason in words: shared partners, community bridge, the link score."""
    if not isinstance(graph, dict):
        return str(graph)
    parts = [str(p) for p in graph.get("text") or []]
    if not parts:
        parts.append("no shared partners yet")
    score = graph.get("adamic_adar")
    if isinstance(score, int | float):
        parts.append(f"network score {score:.2f} (Adamic-Adar)")
    return "; ".join(parts)
