"""The built-in benchmark's inputs: the demo programme, its ground truth, and a ranker.

Every text is embedded once (through the cached encoders, so later runs embed
nothing); each (method, settings) pair then fits a
:class:`~matcher.ranking.ProfileRanker` over all demo profiles and scores every
challenge in one batch.  For a match type, candidates are restricted by the product's own
match rules (:func:`matcher.ranking.rules.candidate_mask`: kinds, consent, visibility,
own organisation, cross-border, existing relationships, availability), over the demo
records read as the store reads them, so the benchmark measures the ranking that
``matcher match`` returns.

Real data sets in the ``matcher rank`` file contract (``challenges.jsonl``,
``profiles.jsonl``, ``qrels.trec``) are read and embedded by the same code as
``matcher rank`` (:func:`matcher.services.rank_corpus.prepare_inputs`) and ranked at full
depth, every profile for every challenge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .io import read_qrels

MATCH_TYPES = ("consultancy", "placement", "partner", "facility")
TOP_K = 100

#: Settings tried on the dev split for each family of methods (RankingConfig fields).
SETTINGS_GRID: dict[str, list[dict[str, Any]]] = {
    "dense-topk": [{"topk": 1}, {"topk": 2}, {"topk": 3}, {"topk": 5}],
    "dense-softmax": [{"temperature": 0.5}, {"temperature": 1.0}, {"temperature": 2.0}],
    "lexical-topk": [{"topk": 2}, {"topk": 3}],
    "hybrid-max": [{"lexical_weight": w} for w in (0.2, 0.3, 0.5, 0.7)],
    "hybrid-topk": [
        {"lexical_weight": w, "topk": k, "calibration": cal}
        for cal in ("zscore", "probit")
        for w in (0.3, 0.4, 0.5, 0.6)
        for k in (2, 3)
    ],
    "hybrid-topk-softmax": [
        {"lexical_weight": w, "temperature": tau, "topk": k}
        for w in (0.4, 0.5, 0.6, 0.7)
        for tau in (0.5, 1.0)
        for k in (2, 3)
    ],
    "hybrid-softmax": [
        {"lexical_weight": w, "temperature": tau}
        for w in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
        for tau in (0.5, 1.0)
    ],
    "dense-topk-lse": [
        {"topk": k, "temperature": tau, "calibration": cal}
        for cal in ("zscore", "probit")
        for k in (5, 10)
        for tau in (1.0, 2.0)
    ],
    "hybrid-topk-lse": [
        {"lexical_weight": w, "topk": k, "temperature": tau, "calibration": cal}
        for cal in ("zscore", "probit")
        for w in (0.2, 0.4, 0.6)
        for k in (5, 10)
        for tau in (1.0, 2.0)
    ],
}


#: Fixed references the benchmark can run next to the methods: a name, the method and its
#: exact settings (no grid).  ``previous-default`` is the product default before real data
#: entered the loop (hybrid-softmax, lexical weight 0.6, temperature 0.5, z-scores).
REFERENCES: dict[str, tuple[str, dict[str, Any]]] = {
    "previous-default": (
        "hybrid-softmax",
        {"lexical_weight": 0.6, "temperature": 0.5, "topk": 3, "calibration": "zscore"},
    ),
}


def _resolve(method: str, settings: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A reference name becomes its method and settings; a method keeps its own."""
    if method in REFERENCES:
        base, fixed = REFERENCES[method]
        return base, dict(fixed)
    return method, dict(settings)


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


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass(frozen=True)
class _DemoCandidate:
    kind: str
    council: str
    country: str
    organisation_id: str
    owner_id: str
    visibility: str
    language: str
    consent: bool
    available_from: Any
    available_to: Any
    capacity: int | None


def _date(value: Any) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def load_demo_corpus(data: Path, encoder: Any, multi_encoder: Any | None) -> DemoCorpus:
    """Read the demo files in ``data`` and embed every document and challenge.

    Candidates get the attributes the store's ``load_corpus`` gives them (a person's
    consent needs the organisation's too; a facility inherits its host's visibility and
    consent), and challenges the ``QueryRules`` of ``challenge_context``.
    """
    from collections import Counter

    from matcher.ranking.rules import (
        CandidateTable,
        QueryRules,
        challenge_text_of,
        common_sentences,
        strip_common_sentences,
    )

    orgs = {o["id"]: o for o in _jsonl(data / "organisations.jsonl")}
    people = {p["id"]: p for p in _jsonl(data / "people.jsonl")}
    facilities = {f["id"]: f for f in _jsonl(data / "facilities.jsonl")}
    profiles = sorted(_jsonl(data / "profiles.jsonl"), key=lambda p: p["id"])
    docs = _jsonl(data / "documents.jsonl")
    index = {p["id"]: i for i, p in enumerate(profiles)}
    docs = [d for d in docs if d["profile_id"] in index]
    with_docs = {d["profile_id"] for d in docs}
    lang_of: dict[str, Counter[str]] = {}
    for d in docs:
        lang_of.setdefault(d["profile_id"], Counter())[d.get("language", "en")] += 1
    records = []
    for p in profiles:
        owner = p["owner_id"]
        lang = lang_of[p["id"]].most_common(1)[0][0] if p["id"] in with_docs else "en"
        if p["owner_type"] == "organisation":
            o = orgs[owner]
            records.append(_DemoCandidate(o["kind"], o["council"], o["country"], o["id"], o["id"],
                                          o.get("visibility", "public"), lang, bool(o.get("consent", True)),
                                          None, None, None))  # fmt: skip
        elif p["owner_type"] == "person":
            pe = people[owner]
            o = orgs[pe["organisation_id"]]
            records.append(_DemoCandidate(pe["kind"], o["council"], o["country"], o["id"], pe["id"],
                                          o.get("visibility", "public"), lang,
                                          bool(pe.get("consent", True)) and bool(o.get("consent", True)),
                                          _date(pe.get("available_from")), _date(pe.get("available_to")),
                                          None))  # fmt: skip
        else:
            f = facilities[owner]
            host = orgs[f["host_id"]]
            records.append(_DemoCandidate(f["kind"], f["council"], f["country"], host["id"], f["id"],
                                          host.get("visibility", "public"), lang, bool(host.get("consent", True)),
                                          _date(f.get("available_from")), _date(f.get("available_to")),
                                          f.get("capacity")))  # fmt: skip
    related: dict[str, set[str]] = {}
    rel_path = data / "relationships.jsonl"
    for r in _jsonl(rel_path) if rel_path.exists() else []:
        related.setdefault(r["source_id"], set()).add(r["target_id"])
        related.setdefault(r["target_id"], set()).add(r["source_id"])
    challenges = sorted(_jsonl(data / "challenges.jsonl"), key=lambda c: c["id"])
    doc_profile = np.array([index[d["profile_id"]] for d in docs], dtype=np.int64)
    common = common_sentences([d["text"] for d in docs], doc_profile)  # as ProgrammeMatcher does
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
    doc_texts = strip_common_sentences([d["text"] for d in docs], common)
    return DemoCorpus(
        profile_ids=[p["id"] for p in profiles],
        profile_kind=np.array([r.kind for r in records], dtype=object),
        profile_country=np.array([r.country for r in records], dtype=object),
        candidates=CandidateTable.from_records(records),
        queries=queries,
        doc_profile=doc_profile,
        doc_texts=doc_texts,
        doc_lang=[d.get("language", "en") for d in docs],
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


def _scorer(fit: Mapping[str, Any], query: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    """``scores_for(method, settings)``: fit a ranker on ``fit`` and score ``query``, one setting cached."""
    from matcher.embeddings.language import stop_words
    from matcher.ranking import ProfileRanker, RankingConfig

    fitted: dict[str, np.ndarray] = {}

    def scores_for(method: str, settings: Mapping[str, Any]) -> np.ndarray:
        method, settings = _resolve(method, settings)
        key = json.dumps([method, dict(settings)], sort_keys=True)
        if key not in fitted:
            ranker = ProfileRanker(method=method, config=RankingConfig(**settings), stop_words=stop_words())
            ranker.fit(**fit)
            fitted.clear()  # keep one fitted score matrix at a time
            fitted[key] = ranker.score(**query)
        return fitted[key]

    return scores_for


def make_rank(corpus: DemoCorpus):  # type: ignore[no-untyped-def]
    """The ``rank(method, challenges, profiles, *, settings, match_type)`` callable of the benchmark."""
    from matcher.ranking import top_k_scores

    masks: dict[str, np.ndarray] = {}
    scores_for = _scorer(
        dict(doc_profile=corpus.doc_profile, doc_vectors=corpus.doc_vectors, doc_texts=corpus.doc_texts,
             doc_multi_vectors=corpus.doc_multi, doc_lang=corpus.doc_lang, n_profiles=len(corpus.profile_ids),
             model_id=corpus.model_id, multi_model_id=corpus.multi_model_id),
        dict(query_vectors=corpus.challenge_vectors, query_texts=corpus.challenge_texts,
             query_multi_vectors=corpus.challenge_multi, query_lang=corpus.challenge_lang,
             model_id=corpus.model_id, multi_model_id=corpus.multi_model_id),
    )  # fmt: skip

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ) -> dict[str, dict[str, float]]:
        scores = scores_for(method, settings)
        if match_type not in masks:
            masks[match_type] = rules_mask(corpus, match_type)
        wanted = {c if isinstance(c, str) else c["id"] for c in challenges}
        rows = [i for i, cid in enumerate(corpus.challenge_ids) if cid in wanted]
        masked = np.where(masks[match_type], scores, -np.inf)[rows]
        idx, top = top_k_scores(masked, TOP_K)
        run: dict[str, dict[str, float]] = {}
        for r, i in enumerate(rows):
            run[corpus.challenge_ids[i]] = {
                corpus.profile_ids[j]: float(s) for j, s in zip(idx[r], top[r], strict=True) if j >= 0
            }
        return run

    return rank


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


def make_file_rank(dataset: FileDataset):  # type: ignore[no-untyped-def]
    """``rank(...)`` over a file data set: every profile for every challenge, as ``matcher rank --top-k 0``."""
    from matcher.ranking import top_k_scores

    inp = dataset.inputs
    scores_for = _scorer(
        dict(doc_profile=inp.doc_profile, doc_vectors=inp.doc_vectors, doc_texts=inp.doc_texts,
             doc_multi_vectors=inp.doc_multi, doc_lang=inp.doc_lang, n_profiles=len(inp.profile_ids),
             model_id=inp.model_id, multi_model_id=inp.multi_model_id),
        dict(query_vectors=inp.query_vectors, query_texts=inp.query_texts, query_multi_vectors=inp.query_multi,
             query_lang=inp.query_lang, model_id=inp.model_id, multi_model_id=inp.multi_model_id),
    )  # fmt: skip

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ) -> dict[str, dict[str, float]]:
        scores = scores_for(method, settings)
        wanted = {c if isinstance(c, str) else c["id"] for c in challenges}
        rows = [i for i, cid in enumerate(inp.query_ids) if cid in wanted]
        idx, top = top_k_scores(scores[rows], 0)
        return {
            inp.query_ids[i]: {
                inp.profile_ids[j]: float(x) for j, x in zip(idx[r], top[r], strict=True) if j >= 0
            }
            for r, i in enumerate(rows)
        }

    return rank


#: The real data sets shipped with the repository (data/<name>/, each with its provenance README).
SHIPPED_DATASETS = ("expert-finding-dblp",)


def shipped_datasets() -> list[Path]:
    """Folders of :data:`SHIPPED_DATASETS` that exist in this checkout."""
    root = Path(__file__).resolve().parent.parent / "data"
    return [root / n for n in SHIPPED_DATASETS if (root / n / "challenges.jsonl").exists()]


@dataclass
class BenchmarkInputs:
    """Everything :func:`evaluation.benchmark.run_benchmark` needs, demo and real data sets together."""

    challenges: list[str]
    profiles: list[str]
    qrels_by_type: dict[str, dict[str, dict[str, int]]]
    rank: Any
    methods: list[str]
    settings_grid: dict[str, list[dict[str, Any]]]
    model: dict[str, Any]
    query_sets: dict[str, list[str]]
    datasets: dict[str, str]


def load_benchmark(
    data: Path | None, var_dir: Path, *, datasets: Sequence[Path] = (), demo: bool = True
) -> BenchmarkInputs:
    """The demo programme (unless ``demo=False``) and each real data set folder, embedded once.

    Match types are the demo's four (data set ``demo``) and one per real data set, named
    after its folder; the rank callable dispatches on the match type.
    """
    from matcher.config import load_settings
    from matcher.demo import generate
    from matcher.ranking import METHODS
    from matcher.services.engine import make_encoders

    encoder, multi = make_encoders(load_settings())
    ranks: dict[str, Any] = {}
    qrels_by_type: dict[str, dict[str, dict[str, int]]] = {}
    query_sets: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    model: dict[str, Any] = {
        "model": encoder.model_id,
        "multilingual_model": multi.model_id if multi else None,
    }
    challenges: list[str] = []
    profiles: list[str] = []
    if demo:
        data = data if data is not None else var_dir / "demo"
        if not (data / "ground_truth").exists():
            generate(data)
        corpus = load_demo_corpus(data, encoder, multi)
        demo_rank = make_rank(corpus)
        for match_type in MATCH_TYPES:
            path = data / "ground_truth" / f"{match_type}.qrels"
            if path.exists():
                judged = read_qrels(path)
                qrels_by_type[match_type] = reachable_qrels(corpus, judged, rules_mask(corpus, match_type))
                ranks[match_type] = demo_rank
                names[match_type] = "demo"
        challenges, profiles = corpus.challenge_ids, corpus.profile_ids
        model["data"] = str(data)
    for folder in datasets:
        ds = load_file_dataset(Path(folder), encoder, multi)
        if ds.name in qrels_by_type:
            from matcher.exceptions import Location, ValidationError

            raise ValidationError(f"two data sets are named {ds.name!r}", Location(field="--dataset"))
        qrels_by_type[ds.name] = ds.qrels
        ranks[ds.name] = make_file_rank(ds)
        query_sets[ds.name] = ds.inputs.query_ids
        names[ds.name] = ds.name
        model.setdefault("datasets", {})[ds.name] = str(ds.folder)

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ):  # type: ignore[no-untyped-def]
        return ranks[match_type](method, challenges, profiles, settings=settings, match_type=match_type)

    return BenchmarkInputs(
        challenges,
        profiles,
        qrels_by_type,
        rank,
        [*METHODS, *REFERENCES],
        SETTINGS_GRID,
        model,
        query_sets,
        names,
    )


def benchmark_inputs(data: Path | None, var_dir: Path) -> tuple[Any, Any, Any, Any, Any, Any, Any]:
    """``(challenges, profiles, qrels_by_type, rank, methods, settings_grid, model)``: the demo only."""
    b = load_benchmark(data, var_dir)
    return b.challenges, b.profiles, b.qrels_by_type, b.rank, b.methods, b.settings_grid, b.model
