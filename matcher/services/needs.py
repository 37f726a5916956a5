"""Needs clustering and the needs map: orchestration of files, encoders and the pure code.

``cluster_file`` keeps the file contract of ``matcher needs cluster`` (no database)::

    in   challenges.jsonl  {"id": str, "text": str, "language"?: str}   (as for ``matcher rank``)
    out  clusters.json     {"clusters": [{"id", "label", "terms": [str], "members": [id]}]}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from matcher.embeddings.base import Encoder
from matcher.embeddings.language import stop_words
from matcher.needs import NeedCluster, cluster_needs
from matcher.services.rank_inputs import read_challenges

__all__ = ["ClusterSummary", "cluster_file", "write_clusters"]


@dataclass(frozen=True)
class ClusterSummary:
    out_path: Path
    n_challenges: int
    clusters: list[NeedCluster]
    model_id: str


def write_clusters(path: Path, clusters: list[NeedCluster]) -> None:
    """Write ``{"clusters": [...]}`` atomically (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    body = {"clusters": [c.to_dict() for c in clusters]}
    tmp.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def cluster_file(
    challenges_path: Path | str,
    out_path: Path | str,
    *,
    encoder: Encoder,
    random_state: int = 0,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> ClusterSummary:
    """Cluster the challenges of a JSONL file by need and write the clusters as JSON.

    Raises
    ------
    ValidationError
        Bad input, with the file, line and field.
    """
    say = log or (lambda _msg: None)
    challenges = read_challenges(challenges_path)
    say(f"read {len(challenges)} challenges; embedding with {encoder.model_id}")
    texts = [c.text for c in challenges]
    vectors = encoder.encode(texts, progress=progress)
    say("clustering (evidence accumulation over k-means partitions)")
    clusters, _ = cluster_needs(
        [c.id for c in challenges], texts, vectors, stop_words=stop_words(), random_state=random_state
    )
    out = Path(out_path)
    write_clusters(out, clusters)
    say(f"wrote {len(clusters)} clusters to {out}")
    return ClusterSummary(out, len(challenges), clusters, encoder.model_id)
