"""Rank capability profiles for challenges read from JSONL files; write a TREC run.

Orchestration (STYLE.md "orchestration"): read and validate the two files
(:mod:`matcher.services.rank_inputs`), turn them into texts, languages and vectors
(:mod:`matcher.services.rank_corpus`), hand the arrays to the pure
:class:`~matcher.ranking.ProfileRanker`, and write ``run.trec`` plus the sidecar
``run.trec.json`` that records what produced it (:mod:`matcher.services.rank_output`).
No database is involved.

Output: one line per (challenge, profile) ``challenge_id Q0 profile_id rank score run_name``,
ranks from 1, best first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.embeddings.base import Encoder
from matcher.embeddings.language import stop_words
from matcher.exceptions import Location, ValidationError
from matcher.ranking import (
    DEFAULT_METHOD,
    METHODS,
    ProfileRanker,
    RankingConfig,
    VectorIndex,
    candidate_profiles,
)
from matcher.services.rank_corpus import RankInputs, prepare_inputs
from matcher.services.rank_inputs import read_challenges, read_profiles
from matcher.services.rank_output import run_metadata, write_trec

INDEXES = ("exact", "exact-int8", "faiss", "usearch")

__all__ = ["INDEXES", "RankSummary", "rank_files"]


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
        JSONL inputs (:mod:`matcher.services.rank_inputs`).
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
    index : {"exact", "exact-int8", "faiss", "usearch"}, default "exact"
        ``exact`` scores every profile.  The others first fetch each challenge's
        ``index_docs`` nearest documents (per encoder) and score only the profiles that own
        one of them, exactly as ``exact`` would (two-stage retrieval), for corpora of
        millions of documents: ``exact-int8`` finds exactly the nearest documents (an int8
        scan with a proven error bound, :mod:`matcher.ranking.quantised`), ``faiss`` /
        ``usearch`` approximately (HNSW).
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
    run_name = _checked_options(method, top_k, index, run_name)
    cfg = config or RankingConfig()
    n_fetch = index_docs or max(200, 10 * top_k)

    inputs = prepare_inputs(
        read_challenges(challenges_path),
        read_profiles(profiles_path),
        encoder=encoder,
        multi_encoder=multi_encoder,
        dense=METHODS[method].uses_dense,
        detect_languages=detect_languages,
        progress=progress,
        log=say,
    )
    say(f"ranking with {method}")
    ranker = _fitted_ranker(inputs, method, cfg, encoder.model_id)
    mask = None
    if index != "exact":
        mask = _candidate_mask(inputs, index, n_fetch, threads=threads, model_id=encoder.model_id, say=say)
    idx, scores = ranker.rank(
        top_k,
        mask=mask,
        query_vectors=inputs.query_vectors,
        query_texts=inputs.query_texts,
        query_multi_vectors=inputs.query_multi,
        query_lang=inputs.query_lang,
        model_id=encoder.model_id,
        multi_model_id=inputs.multi_model_id,
    )
    out = Path(out_path)
    n_lines = write_trec(out, inputs.query_ids, inputs.profile_ids, idx, scores, run_name)
    seconds = time.perf_counter() - t0
    sidecar = out.with_name(out.name + ".json")
    meta = run_metadata(
        inputs,
        run_name=run_name,
        method=method,
        model_id=encoder.model_id,
        top_k=top_k,
        index=index,
        n_fetch=n_fetch,
        cfg=cfg,
        settings=settings,
        paths=(challenges_path, profiles_path),
        n_lines=n_lines,
        seconds=seconds,
        command_line=command_line,
    )
    sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"wrote {n_lines} lines to {out} in {seconds:.1f} s")
    return RankSummary(
        out_path=out,
        sidecar_path=sidecar,
        n_challenges=len(inputs.query_ids),
        n_profiles=len(inputs.profile_ids),
        n_documents=len(inputs.doc_texts),
        n_lines=n_lines,
        method=method,
        run_name=run_name,
        model_id=encoder.model_id,
        multi_model_id=inputs.multi_model_id,
        seconds=seconds,
        embedding=inputs.embedding,
    )


def _checked_options(method: str, top_k: int, index: str, run_name: str | None) -> str:
    """The run name (default ``cluster-match-<method>``) once the options are known to be valid."""
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
    return run_name


def _fitted_ranker(inputs: RankInputs, method: str, cfg: RankingConfig, model_id: str) -> ProfileRanker:
    """A :class:`~matcher.ranking.ProfileRanker` fitted on the profiles' documents."""
    return ProfileRanker(method=method, config=cfg, stop_words=stop_words()).fit(
        inputs.doc_profile,
        doc_vectors=inputs.doc_vectors,
        doc_texts=inputs.doc_texts,
        doc_multi_vectors=inputs.doc_multi,
        doc_lang=inputs.doc_lang,
        n_profiles=len(inputs.profile_ids),
        model_id=model_id,
        multi_model_id=inputs.multi_model_id,
    )


def _candidate_mask(
    inputs: RankInputs, index: str, n_fetch: int, *, threads: int, model_id: str, say: Callable[[str], None]
) -> np.ndarray:
    """Two-stage retrieval: the profiles owning one of each challenge's ``n_fetch`` nearest documents."""
    say(f"building {index} HNSW graphs; fetching {n_fetch} documents per challenge")
    q_vec, d_vec, q_multi, d_multi = (
        inputs.query_vectors,
        inputs.doc_vectors,
        inputs.query_multi,
        inputs.doc_multi,
    )
    multi_id = inputs.multi_model_id
    pairs = [(VectorIndex(backend=index, threads=threads).fit(d_vec, model_id), q_vec,  # type: ignore[arg-type]
              model_id)]  # fmt: skip
    if d_multi is not None and multi_id is not None:
        multi_index = VectorIndex(backend=index, threads=threads)  # type: ignore[arg-type]
        pairs.append((multi_index.fit(d_multi, multi_id), q_multi, multi_id))  # type: ignore[arg-type]
    mask = candidate_profiles(pairs, inputs.doc_profile, len(inputs.profile_ids), n_fetch)  # type: ignore[arg-type]
    say(f"{mask.sum(axis=1).mean():.0f} candidate profiles per challenge on average")
    return mask
