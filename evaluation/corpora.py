"""The benchmark's corpora: the demo programme as the store reads it, and real data set folders.

The demo records are read as the store reads them (a person's consent needs the organisation's
too; a facility inherits its host's visibility and consent), so the product's own match rules
(:func:`matcher.ranking.rules.candidate_mask`) restrict the candidates exactly as
``matcher match`` does.  Real data sets in the ``matcher rank`` file contract
(``challenges.jsonl``, ``profiles.jsonl``, ``qrels.trec``) are read and embedded by the same
code as ``matcher rank`` (:func:`matcher.services.rank_corpus.prepare_inputs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matcher.formats.jsonl import read_objects
from matcher.formats.trec import read_qrels

__all__ = [
    "SHIPPED_DATASETS",
    "DemoCorpus",
    "FileDataset",
    "load_demo_corpus",
    "load_file_dataset",
    "reachable_qrels",
    "rules_mask",
    "shipped_datasets",
]


@dataclass
class DemoCorpus:
    """Embedded demo profiles and challenges, ready for any ranking method."""

    profile_ids: list[str]
    profile_kind: np.ndarray  # (n_profiles,) object
    profile_country: np.ndarray  # (n_profiles,) object
    candidates: Any  # matcher.ranking.rules.CandidateTable of the profiles
    queries: list[Any]  # matcher.ranking.rules.QueryRules per challenge
    doc_profile: np.ndarray  # (n_docs,) int
    doc_texts: list[str]
    doc_lang: list[str]
    doc_vectors: np.ndarray
    doc_multi: np.ndarray | None
    challenge_ids: list[str]
    challenge_texts: list[str]
    challenge_lang: list[str]
    challenge_country: np.ndarray
    challenge_vectors: np.ndarray
    challenge_multi: np.ndarray | None
    model_id: str
    multi_model_id: str | None


def _date(value: Any) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def load_demo_corpus(data: Path, encoder: Any, multi_encoder: Any | None) -> DemoCorpus:
    """Read the demo files in ``data`` and embed every document and challenge.

    Candidates get the attributes the store's ``load_corpus`` gives them (a person's
    consent needs the organisation's too; a facility inherits its host's visibility and
    consent), and challenges the ``QueryRules`` of ``challenge_context``.  Which profiles,
    in what order, with which documents and languages is decided by the store's own
    :func:`matcher.store.corpus.build_corpus`, so the ranker sees the corpus ``matcher match``
    fits on (the order moves its calibration background; a profile without documents is
    no candidate).
    """
    from matcher.ranking.rules import (
        CandidateTable,
        QueryRules,
        challenge_text_of,
        common_sentences,
        strip_common_sentences,
    )
    from matcher.store.corpus import Candidate, CorpusDocument, build_corpus

    orgs = {o["id"]: o for o in read_objects(data / "organisations.jsonl")}
    people = {p["id"]: p for p in read_objects(data / "people.jsonl")}
    facilities = {f["id"]: f for f in read_objects(data / "facilities.jsonl")}
    docs_of: dict[str, list[CorpusDocument]] = {}
    for d in read_objects(data / "documents.jsonl"):
        docs_of.setdefault(d["profile_id"], []).append(
            CorpusDocument(d["id"], d["profile_id"], d["text"], d.get("language", "en"))
        )
    entries = []
    for p in read_objects(data / "profiles.jsonl"):
        owner, pid = p["owner_id"], p["id"]
        if p["owner_type"] == "organisation":
            o = orgs[owner]
            cand = Candidate(pid, "organisation", o["id"], o["name"], o["kind"], o["council"], o["country"],
                             o["id"], o.get("visibility", "public"), bool(o.get("consent", True)))  # fmt: skip
        elif p["owner_type"] == "person":
            pe = people[owner]
            o = orgs[pe["organisation_id"]]
            cand = Candidate(pid, "person", pe["id"], pe["name"], pe["kind"], o["council"], o["country"], o["id"],
                             o.get("visibility", "public"),
                             bool(pe.get("consent", True)) and bool(o.get("consent", True)),
                             skills=tuple(pe.get("skills", ())), available_from=_date(pe.get("available_from")),
                             available_to=_date(pe.get("available_to")))  # fmt: skip
        else:
            f = facilities[owner]
            host = orgs[f["host_id"]]
            cand = Candidate(pid, "facility", f["id"], f["name"], f["kind"], f["council"], f["country"], host["id"],
                             host.get("visibility", "public"), bool(host.get("consent", True)),
                             available_from=_date(f.get("available_from")),
                             available_to=_date(f.get("available_to")), capacity=f.get("capacity"))  # fmt: skip
        entries.append((cand, docs_of.get(pid, [])))
    corpus = build_corpus(entries)  # the store's profiles, order and languages (matcher.store.corpus)
    records, docs = corpus.candidates, corpus.documents
    index = {c.profile_id: i for i, c in enumerate(records)}
    related: dict[str, set[str]] = {}
    rel_path = data / "relationships.jsonl"
    for r in read_objects(rel_path) if rel_path.exists() else []:
        related.setdefault(r["source_id"], set()).add(r["target_id"])
        related.setdefault(r["target_id"], set()).add(r["source_id"])
    challenges = sorted(read_objects(data / "challenges.jsonl"), key=lambda c: c["id"])
    doc_profile = np.array([index[d.profile_id] for d in docs], dtype=np.int64)
    common = common_sentences([d.text for d in docs], doc_profile)  # as ProgrammeMatcher does
    ch_texts = strip_common_sentences(
        [challenge_text_of(c["title"], c["description"], c.get("required_skills", [])) for c in challenges],
        common,
    )
    queries = [
        QueryRules(orgs[c["sme_id"]]["council"], orgs[c["sme_id"]]["country"], c["sme_id"],
                   frozenset(related.get(c["sme_id"], set()) - {c["sme_id"]}),
                   _date(c.get("opened")), _date(c.get("deadline")))
        for c in challenges
    ]  # fmt: skip
    doc_texts = strip_common_sentences([d.text for d in docs], common)
    return DemoCorpus(
        profile_ids=[c.profile_id for c in records],
        profile_kind=np.array([r.kind for r in records], dtype=object),
        profile_country=np.array([r.country for r in records], dtype=object),
        candidates=CandidateTable.from_records(records),
        queries=queries,
        doc_profile=doc_profile,
        doc_texts=doc_texts,
        doc_lang=[d.language for d in docs],
        doc_vectors=encoder.encode(doc_texts, progress=True),
        doc_multi=multi_encoder.encode(doc_texts, progress=True) if multi_encoder else None,
        challenge_ids=[c["id"] for c in challenges],
        challenge_texts=ch_texts,
        challenge_lang=[c.get("language", "en") for c in challenges],
        challenge_country=np.array([orgs[c["sme_id"]]["country"] for c in challenges], dtype=object),
        challenge_vectors=encoder.encode(ch_texts, progress=True),
        challenge_multi=multi_encoder.encode(ch_texts, progress=True) if multi_encoder else None,
        model_id=encoder.model_id,
        multi_model_id=multi_encoder.model_id if multi_encoder else None,
    )


def rules_mask(corpus: DemoCorpus, match_type: str) -> np.ndarray:
    """Allowed (challenge, profile) pairs: the product's rules with default filters, as ``matcher match``."""
    from matcher.ranking.rules import candidate_mask
    from matcher.types import Programme

    return candidate_mask(Programme(match_type), corpus.queries, corpus.candidates).mask


def reachable_qrels(
    corpus: DemoCorpus, qrels: Mapping[str, Mapping[str, int]], mask: np.ndarray
) -> dict[str, dict[str, int]]:
    """The judgements of pairs the rules allow; a judged pair the product never returns (a student
    whose availability ended before the challenge opened, a private or non-consenting candidate)
    can be ranked by no method, so it is left out for all of them."""
    q_index = {c: i for i, c in enumerate(corpus.challenge_ids)}
    p_index = {p: j for j, p in enumerate(corpus.profile_ids)}
    return {
        q: {p: g for p, g in docs.items() if p in p_index and mask[q_index[q], p_index[p]]}
        for q, docs in qrels.items()
        if q in q_index
    }


@dataclass
class FileDataset:
    """A real data set in the ``matcher rank`` file contract, embedded as ``matcher rank`` does.

    Folder layout: ``challenges.jsonl``, ``profiles.jsonl`` (the contract of
    ``matcher rank``) and ``qrels.trec`` (or ``qrels.json``).
    """

    name: str
    folder: Path
    inputs: Any  # matcher.services.rank_corpus.RankInputs
    qrels: dict[str, dict[str, int]]


def load_file_dataset(folder: Path, encoder: Any, multi_encoder: Any | None) -> FileDataset:
    """Read and embed a data set folder through :func:`matcher.services.rank_corpus.prepare_inputs`."""
    from matcher.exceptions import InvalidInputError, Location
    from matcher.services.rank_corpus import prepare_inputs
    from matcher.services.rank_inputs import read_challenges, read_profiles

    folder = Path(folder)
    qrels_path = next((folder / n for n in ("qrels.trec", "qrels.json") if (folder / n).exists()), None)
    if qrels_path is None:
        raise InvalidInputError("data set folder has no qrels.trec or qrels.json", Location(file=str(folder)))
    challenges = read_challenges(folder / "challenges.jsonl")
    profiles = read_profiles(folder / "profiles.jsonl")
    inputs = prepare_inputs(challenges, profiles, encoder=encoder, multi_encoder=multi_encoder, progress=True)
    return FileDataset(folder.name, folder, inputs, read_qrels(qrels_path, query_ids=None))


#: The real data sets shipped with the repository (data/<name>/, each with its provenance README).
SHIPPED_DATASETS = ("expert-finding-dblp",)


def shipped_datasets() -> list[Path]:
    """Folders of :data:`SHIPPED_DATASETS` that exist in this checkout."""
    root = Path(__file__).resolve().parent.parent / "data"
    return [root / n for n in SHIPPED_DATASETS if (root / n / "challenges.jsonl").exists()]
