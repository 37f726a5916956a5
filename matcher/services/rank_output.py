"""Write what ``matcher rank`` produced: the TREC run, and the metadata its sidecar records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.formats.trec import write_ranked
from matcher.ranking import METHODS, RankingConfig
from matcher.services.rank_corpus import RankInputs

__all__ = ["run_metadata", "write_trec"]


def write_trec(
    path: Path,
    query_ids: Sequence[str],
    item_ids: Sequence[str],
    indices: np.ndarray,
    scores: np.ndarray,
    run_name: str,
) -> int:
    """Write ``qid Q0 docid rank score run_name`` lines, skipping ``-1`` entries; returns the count."""
    items = np.asarray(item_ids, dtype=object)
    ranked = (
        (qid, zip(items[indices[qi][indices[qi] >= 0]], scores[qi][indices[qi] >= 0], strict=True))
        for qi, qid in enumerate(query_ids)
    )
    return write_ranked(path, ranked, run_name)


def run_metadata(
    inputs: RankInputs,
    *,
    run_name: str,
    method: str,
    model_id: str,
    top_k: int,
    index: str,
    n_fetch: int,
    cfg: RankingConfig,
    settings: dict[str, Any] | None,
    paths: tuple[Path | str, Path | str],
    n_lines: int,
    seconds: float,
    command_line: str | None,
) -> dict[str, Any]:
    """What ``run.trec.json`` records about the run."""
    m = METHODS[method]
    return {
        "run_name": run_name,
        "method": method,
        "method_description": m.description,
        "model_id": model_id if m.uses_dense else None,
        "multilingual_model_id": inputs.multi_model_id,
        "lexical": "tfidf-sublinear-cosine" if m.uses_lexical else None,
        "top_k": top_k,
        "index": index,
        "index_docs": n_fetch if index != "exact" else None,
        "config": cfg.to_dict(),
        "settings": settings or {},
        "inputs": {"challenges": str(paths[0]), "profiles": str(paths[1])},
        "counts": {
            "challenges": len(inputs.query_ids),
            "profiles": len(inputs.profile_ids),
            "documents": len(inputs.doc_texts),
            "lines": n_lines,
        },
        "languages": {
            "challenges": dict(sorted(_count(inputs.query_lang).items())),
            "documents": dict(sorted(_count(inputs.doc_lang).items())),
        },
        "embedding": inputs.embedding,
        "seconds": round(seconds, 3),
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command_line": command_line,
    }


def _count(values: Sequence[str | None]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v or "und"] = out.get(v or "und", 0) + 1
    return out
