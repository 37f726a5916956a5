"""Rank capability profiles for challenges read from JSONL files; write a TREC run.

Orchestration (STYLE.md "orchestration"): read and validate the two files, embed
the texts with the injected encoders (cached encoders embed each text once), detect
languages where a record does not state one, hand arrays to the pure
:class:`~matcher.ranking.ProfileRanker`, and write ``run.trec`` plus the sidecar
``run.trec.json`` that records what produced it.  No database is involved.

Input contract (extra fields are ignored)::

    challenges.jsonl  {"id": str, "text": str, "language"?: str}
    profiles.jsonl    {"id": str, "language"?: str,
                       "documents": [{"id": str, "text": str, "language"?: str}, ...]}

Output: one line per (challenge, profile) ``challenge_id Q0 profile_id rank score run_name``,
ranks from 1, best first.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.embeddings.base import Encoder
from matcher.embeddings.language import stop_words
from matcher.exceptions import InvalidInputError, Location, ValidationError
from matcher.ranking import (
    DEFAULT_METHOD,
    METHODS,
    ProfileRanker,
    RankingConfig,
    VectorIndex,
    candidate_profiles,
)
from matcher.ranking.rules import common_sentences, strip_common_sentences

INDEXES = ("exact", "faiss", "usearch")

__all__ = [
    "INDEXES",
    "ChallengeInput",
    "DocumentInput",
    "ProfileInput",
    "RankInputs",
    "RankSummary",
    "prepare_inputs",
    "rank_files",
    "read_challenges",
    "read_profiles",
    "write_trec",
]


@dataclass(frozen=True)
class ChallengeInput:
    id: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class DocumentInput:
    id: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class ProfileInput:
    id: str
    documents: tuple[DocumentInput, ...]


@dataclass(frozen=True)
class RankSummary:
    """What :func:`rank_files` did: counts, models and where it wrote."""

    out_path: Path
    sidecar_path: Path
    n_challenges: int
    n_profiles: int
    n_documents: int
    n_lines: int
    method: str
    run_name: str
    model_id: str
    multi_model_id: str | None
    seconds: float
    embedding: dict[str, dict[str, Any]] = field(default_factory=dict)


# -- reading -----------------------------------------------------------------------------------------


def _records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Parsed non-blank lines of a JSONL file as ``(line_number, object)``."""
    name = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInputError("file not found", Location(file=name)) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text ({exc.reason})", Location(file=name)) from exc
    except OSError as exc:
        raise InvalidInputError(f"cannot read file ({exc.strerror})", Location(file=name)) from exc
    out = []
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"invalid JSON: {exc.msg}", Location(name, lineno)) from exc
        if not isinstance(obj, dict):
            raise ValidationError("expected a JSON object", Location(name, lineno))
        out.append((lineno, obj))
    if not out:
        raise InvalidInputError("file holds no records", Location(file=name))
    return out


def _string(obj: dict[str, Any], key: str, loc: Location, *, token: bool = False) -> str:
    if key not in obj or obj[key] is None:
        raise ValidationError("missing required field", loc)
    value = obj[key]
    if not isinstance(value, str):
        raise ValidationError(f"must be a string, got {type(value).__name__}", loc)
    if not value.strip():
        raise ValidationError("must not be empty", loc)
    if (token and value != value.strip()) or (token and any(c.isspace() for c in value)):
        raise ValidationError("an id must not contain whitespace (it is a TREC run column)", loc)
    return value


def _language(obj: dict[str, Any], loc: Location) -> str | None:
    value = obj.get("language")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(f"must be a string, got {type(value).__name__}", loc)
    return value.strip().lower()


def read_challenges(path: Path | str) -> list[ChallengeInput]:
    """Validated challenges of a JSONL file (see the module docstring).

    Raises
    ------
    ValidationError
        With the file, line and field of the first problem.
    """
    name = str(path)
    seen: dict[str, int] = {}
    out = []
    for lineno, obj in _records(Path(path)):
        cid = _string(obj, "id", Location(name, lineno, "id"), token=True)
        text = _string(obj, "text", Location(name, lineno, "text"))
        if cid in seen:
            raise ValidationError(
                f"duplicate id {cid!r} (first on line {seen[cid]})", Location(name, lineno, "id")
            )
        seen[cid] = lineno
        out.append(ChallengeInput(cid, text, _language(obj, Location(name, lineno, "language"))))
    return out


def read_profiles(path: Path | str) -> list[ProfileInput]:
    """Validated profiles of a JSONL file; every profile needs at least one document."""
    name = str(path)
    seen: dict[str, int] = {}
    out = []
    for lineno, obj in _records(Path(path)):
        pid = _string(obj, "id", Location(name, lineno, "id"), token=True)
        if pid in seen:
            raise ValidationError(
                f"duplicate id {pid!r} (first on line {seen[pid]})", Location(name, lineno, "id")
            )
        seen[pid] = lineno
        plang = _language(obj, Location(name, lineno, "language"))
        docs = obj.get("documents")
        loc = Location(name, lineno, "documents")
        if docs is None:
            raise ValidationError("missing required field", loc)
        if not isinstance(docs, list):
            raise ValidationError(f"must be a list, got {type(docs).__name__}", loc)
        if not docs:
            raise ValidationError("must hold at least one document", loc)
        doc_ids: set[str] = set()
        parsed = []
        for i, d in enumerate(docs):
            where = f"documents[{i}]"
            if not isinstance(d, dict):
                raise ValidationError("expected a JSON object", Location(name, lineno, where))
            did = _string(d, "id", Location(name, lineno, f"{where}.id"))
            if did in doc_ids:
                raise ValidationError(f"duplicate document id {did!r}", Location(name, lineno, f"{where}.id"))
            doc_ids.add(did)
            text = _string(d, "text", Location(name, lineno, f"{where}.text"))
            lang = _language(d, Location(name, lineno, f"{where}.language")) or plang
            parsed.append(DocumentInput(did, text, lang))
        out.append(ProfileInput(pid, tuple(parsed)))
    return out


# -- writing -----------------------------------------------------------------------------------------


def write_trec(
    path: Path,
    query_ids: Sequence[str],
    item_ids: Sequence[str],
    indices: np.ndarray,
    scores: np.ndarray,
    run_name: str,
) -> int:
    """Write ``qid Q0 docid rank score run_name`` lines, skipping ``-1`` entries; returns the count."""
    lines = []
    items = np.asarray(item_ids, dtype=object)
    for qi, qid in enumerate(query_ids):
        keep = indices[qi] >= 0
        for r, (pid, s) in enumerate(zip(items[indices[qi][keep]], scores[qi][keep], strict=True), start=1):
            lines.append(f"{qid} Q0 {pid} {r} {float(s):.6f} {run_name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    tmp.replace(path)
    return len(lines)


# -- orchestration ---------------------------------------------------------------------------------


def _counters(encoder: Encoder) -> tuple[int, int] | None:
    if hasattr(encoder, "hits") and hasattr(encoder, "misses"):
        return int(encoder.hits), int(encoder.misses)
    return None


def _embed(encoder: Encoder, texts: list[str], progress: bool, stats: dict[str, dict[str, Any]], key: str):
    before = _counters(encoder)
    vectors = encoder.encode(texts, progress=progress)
    after = _counters(encoder)
    entry = stats.setdefault(key, {"model_id": encoder.model_id, "texts": 0})
    entry["texts"] += len(texts)
    if before is not None and after is not None:
        entry["cached"] = entry.get("cached", 0) + after[0] - before[0]
        entry["encoded"] = entry.get("encoded", 0) + after[1] - before[1]
    return vectors


@dataclass
class RankInputs:
    """The arrays that ranking needs, built from validated challenges and profiles.

    Attributes
    ----------
    query_ids, profile_ids : list of str
    query_texts, doc_texts : list of str
    query_lang, doc_lang : list of str
        Stated or detected language codes.
    doc_profile : ndarray of shape (n_docs,), int
    query_vectors, doc_vectors : ndarray or None
        Main-encoder unit vectors (``None`` when ``dense=False``).
    query_multi, doc_multi : ndarray or None
        Multilingual vectors, only when some challenge and some document differ in language.
    model_id, multi_model_id : str or None
    embedding : dict
        Per encoder: texts, cached, encoded.
    """

    query_ids: list[str]
    profile_ids: list[str]
    query_texts: list[str]
    doc_texts: list[str]
    query_lang: list[str]
    doc_lang: list[str]
    doc_profile: np.ndarray
    query_vectors: np.ndarray | None
    doc_vectors: np.ndarray | None
    query_multi: np.ndarray | None
    doc_multi: np.ndarray | None
    model_id: str | None
    multi_model_id: str | None
    embedding: dict[str, dict[str, Any]]


def prepare_inputs(
    challenges: Sequence[ChallengeInput],
    profiles: Sequence[ProfileInput],
    *,
    encoder: Encoder | None,
    multi_encoder: Encoder | Callable[[], Encoder] | None = None,
    dense: bool = True,
    detect_languages: Callable[[Sequence[str]], list[str]] | None = None,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> RankInputs:
    """Languages (stated or detected) and embeddings for :func:`rank_files` and the benchmark.

    The one place that turns the ``matcher rank`` file contract into arrays, so the benchmark
    on a real data set measures exactly what ``matcher rank`` does.
    """
    say = log or (lambda _msg: None)
    docs = [d for p in profiles for d in p.documents]
    doc_profile = np.repeat(np.arange(len(profiles)), [len(p.documents) for p in profiles])
    # sentences that many profiles share (boilerplate) are dropped from both sides before scoring
    common = common_sentences([d.text for d in docs], doc_profile)
    q_texts = strip_common_sentences([c.text for c in challenges], common)
    d_texts = strip_common_sentences([d.text for d in docs], common)
    say(f"read {len(challenges)} challenges, {len(profiles)} profiles, {len(docs)} documents")
    if common:
        say(f"{len(common)} sentences shared by many profiles are left out of scoring")

    q_lang = [c.language for c in challenges]
    d_lang = [d.language for d in docs]
    todo = [i for i, x in enumerate(q_lang) if x is None], [i for i, x in enumerate(d_lang) if x is None]
    if todo[0] or todo[1]:
        if detect_languages is None:
            from matcher.embeddings import detect_languages as default_detect

            detect: Callable[[Sequence[str]], list[str]] = default_detect
        else:
            detect = detect_languages
        say(f"detecting languages of {len(todo[0]) + len(todo[1])} texts")
        for langs, texts, rows in ((q_lang, q_texts, todo[0]), (d_lang, d_texts, todo[1])):
            for i, code in zip(rows, detect([texts[i] for i in rows]), strict=True):
                langs[i] = code
    cross = len(set(q_lang) | set(d_lang)) > 1  # some challenge and some document differ in language

    stats: dict[str, dict[str, Any]] = {}
    q_vec = d_vec = q_multi = d_multi = None
    multi_id = None
    if dense and encoder is not None:
        say(f"embedding {len(q_texts) + len(d_texts)} texts with {encoder.model_id}")
        q_vec = _embed(encoder, q_texts, progress, stats, "main")
        d_vec = _embed(encoder, d_texts, progress, stats, "main")
        if cross and multi_encoder is not None:
            multi = multi_encoder if hasattr(multi_encoder, "encode") else multi_encoder()  # type: ignore[operator]
            multi_id = multi.model_id  # type: ignore[union-attr]
            say(f"cross-language pairs present: embedding with {multi_id}")
            q_multi = _embed(multi, q_texts, progress, stats, "multilingual")  # type: ignore[arg-type]
            d_multi = _embed(multi, d_texts, progress, stats, "multilingual")  # type: ignore[arg-type]
    return RankInputs(
        query_ids=[c.id for c in challenges],
        profile_ids=[p.id for p in profiles],
        query_texts=q_texts,
        doc_texts=d_texts,
        query_lang=[x or "und" for x in q_lang],
        doc_lang=[x or "und" for x in d_lang],
        doc_profile=doc_profile,
        query_vectors=q_vec,
        doc_vectors=d_vec,
        query_multi=q_multi,
        doc_multi=d_multi,
        model_id=encoder.model_id if encoder is not None else None,
        multi_model_id=multi_id,
        embedding=stats,
    )


def rank_files(
    challenges_path: Path | str,
    profiles_path: Path | str,
    out_path: Path | str,
    *,
    encoder: Encoder,
    multi_encoder: Encoder | Callable[[], Encoder] | None = None,
    top_k: int = 100,
    method: str = DEFAULT_METHOD,
    config: RankingConfig | None = None,
    run_name: str | None = None,
    detect_languages: Callable[[Sequence[str]], list[str]] | None = None,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    settings: dict[str, Any] | None = None,
    command_line: str | None = None,
    index: str = "exact",
    index_docs: int | None = None,
    threads: int = 1,
) -> RankSummary:
    """Rank every profile of ``profiles_path`` for every challenge of ``challenges_path``.

    Parameters
    ----------
    challenges_path, profiles_path : path
        JSONL inputs (module docstring).
    out_path : path
        TREC run to write; the sidecar is ``<out_path>.json``.
    encoder : Encoder
        Main encoder (wrap it in ``CachedEncoder`` to embed each text once across runs).
    multi_encoder : Encoder, or a zero-argument factory of one, optional
        Multilingual encoder for cross-language pairs; a factory is called only when
        some challenge and some document differ in language.
    top_k : int, default 100
        Profiles per challenge; ``0`` lists every profile.
    method : str, default :data:`~matcher.ranking.DEFAULT_METHOD`
    config : RankingConfig, optional
    run_name : str, optional
        Last TREC column; default ``cluster-match-<method>``.
    detect_languages : callable, optional
        ``texts -> codes`` for records without a ``language``; default
        :func:`matcher.embeddings.detect_languages`.
    progress : bool
        Progress bars from the encoders (stderr).
    log : callable, optional
        Receives one-line progress messages.
    settings, command_line : optional
        Recorded as-is in the sidecar.
    index : {"exact", "faiss", "usearch"}, default "exact"
        ``exact`` scores every profile.  ``faiss``/``usearch`` first fetch each
        challenge's ``index_docs`` nearest documents from an HNSW graph (per encoder)
        and score only the profiles that own one of them, exactly as ``exact`` would
        (two-stage retrieval): for corpora of millions of documents; approximate.
    index_docs : int, optional
        Documents fetched per challenge and encoder; default ``max(200, 10 * top_k)``.
    threads : int, default 1
        Threads for building and searching an HNSW graph.

    Raises
    ------
    ValidationError
        Bad input (with file, line and field), unknown method, negative ``top_k``.
    """
    t0 = time.perf_counter()
    say = log or (lambda _msg: None)
    if method not in METHODS:
        raise ValidationError(
            f"unknown method {method!r}; choose from {', '.join(METHODS)}", Location(field="method")
        )
    if top_k < 0:
        raise ValidationError("top_k must be >= 0", Location(field="top_k"))
    if index not in INDEXES:
        raise ValidationError(
            f"unknown index {index!r}; choose from {', '.join(INDEXES)}", Location(field="index")
        )
    if index != "exact" and not METHODS[method].uses_dense:
        raise ValidationError(f"index {index!r} needs a dense or hybrid method", Location(field="index"))
    run_name = run_name or f"cluster-match-{method}"
    if not run_name or any(c.isspace() for c in run_name):
        raise ValidationError("run name must be non-empty without whitespace", Location(field="run_name"))
    m = METHODS[method]
    cfg = config or RankingConfig()

    challenges = read_challenges(challenges_path)
    profiles = read_profiles(profiles_path)
    inputs = prepare_inputs(
        challenges,
        profiles,
        encoder=encoder,
        multi_encoder=multi_encoder,
        dense=m.uses_dense,
        detect_languages=detect_languages,
        progress=progress,
        log=say,
    )
    docs = [d for p in profiles for d in p.documents]
    doc_profile, d_texts, d_lang = inputs.doc_profile, inputs.doc_texts, inputs.doc_lang
    q_texts, q_lang = inputs.query_texts, inputs.query_lang
    q_vec, d_vec, q_multi, d_multi = (
        inputs.query_vectors,
        inputs.doc_vectors,
        inputs.query_multi,
        inputs.doc_multi,
    )
    multi_id, stats = inputs.multi_model_id, inputs.embedding

    say(f"ranking with {method}")
    ranker = ProfileRanker(method=method, config=cfg, stop_words=stop_words()).fit(
        doc_profile,
        doc_vectors=d_vec,
        doc_texts=d_texts,
        doc_multi_vectors=d_multi,
        doc_lang=d_lang,
        n_profiles=len(profiles),
        model_id=encoder.model_id,
        multi_model_id=multi_id,
    )
    mask = None
    if index != "exact":
        n_fetch = index_docs or max(200, 10 * top_k)
        say(f"building {index} HNSW graphs; fetching {n_fetch} documents per challenge")
        pairs = [(VectorIndex(backend=index, threads=threads).fit(d_vec, encoder.model_id), q_vec,  # type: ignore[arg-type]
                  encoder.model_id)]  # fmt: skip
        if d_multi is not None and multi_id is not None:
            multi_index = VectorIndex(backend=index, threads=threads)  # type: ignore[arg-type]
            pairs.append((multi_index.fit(d_multi, multi_id), q_multi, multi_id))  # type: ignore[arg-type]
        mask = candidate_profiles(pairs, doc_profile, len(profiles), n_fetch)  # type: ignore[arg-type]
        say(f"{mask.sum(axis=1).mean():.0f} candidate profiles per challenge on average")
    idx, scores = ranker.rank(
        top_k,
        mask=mask,
        query_vectors=q_vec,
        query_texts=q_texts,
        query_multi_vectors=q_multi,
        query_lang=q_lang,
        model_id=encoder.model_id,
        multi_model_id=multi_id,
    )
    out = Path(out_path)
    n_lines = write_trec(out, [c.id for c in challenges], [p.id for p in profiles], idx, scores, run_name)
    seconds = time.perf_counter() - t0
    sidecar = out.with_name(out.name + ".json")
    lang_counts = {
        "challenges": dict(sorted(_count(q_lang).items())),
        "documents": dict(sorted(_count(d_lang).items())),
    }
    meta = {
        "run_name": run_name,
        "method": method,
        "method_description": m.description,
        "model_id": encoder.model_id if m.uses_dense else None,
        "multilingual_model_id": multi_id,
        "lexical": "tfidf-sublinear-cosine" if m.uses_lexical else None,
        "top_k": top_k,
        "index": index,
        "index_docs": (index_docs or max(200, 10 * top_k)) if index != "exact" else None,
        "config": cfg.to_dict(),
        "settings": settings or {},
        "inputs": {"challenges": str(challenges_path), "profiles": str(profiles_path)},
        "counts": {
            "challenges": len(challenges),
            "profiles": len(profiles),
            "documents": len(docs),
            "lines": n_lines,
        },
        "languages": lang_counts,
        "embedding": stats,
        "seconds": round(seconds, 3),
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command_line": command_line,
    }
    sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"wrote {n_lines} lines to {out} in {seconds:.1f} s")
    return RankSummary(
        out_path=out,
        sidecar_path=sidecar,
        n_challenges=len(challenges),
        n_profiles=len(profiles),
        n_documents=len(docs),
        n_lines=n_lines,
        method=method,
        run_name=run_name,
        model_id=encoder.model_id,
        multi_model_id=multi_id,
        seconds=seconds,
        embedding=stats,
    )


def _count(values: Sequence[str | None]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v or "und"] = out.get(v or "und", 0) + 1
    return out
