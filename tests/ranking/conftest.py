"""Toy corpora whose right answer is known by construction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from matcher.embeddings import l2_normalise

N_TOPICS = 6
DOCS_PER_PROFILE = 3


@dataclass(frozen=True)
class Checkerboard:
    """Profile ``i`` holds documents on topic ``i`` only; query ``j`` is about topic ``j``."""

    query_texts: list[str]
    doc_texts: list[str]
    doc_profile: np.ndarray
    query_vectors: np.ndarray
    doc_vectors: np.ndarray
    query_multi: np.ndarray
    doc_multi: np.ndarray
    model_id: str
    multi_model_id: str


def _topic_words(t: int) -> list[str]:
    return [f"topic{t}word{w}" for w in range(10)]


def _vectors(topics: list[int], dim: int, rng: np.random.Generator, rotation: np.ndarray) -> np.ndarray:
    """Topic ``t`` is the basis direction ``e_t`` (orthogonal topics), plus small noise, rotated."""
    x = np.eye(dim, dtype=np.float32)[topics] + (0.3 / np.sqrt(dim)) * rng.standard_normal(
        (len(topics), dim)
    ).astype(np.float32)
    return l2_normalise(x @ rotation)


@pytest.fixture(scope="session")
def checkerboard() -> Checkerboard:
    rng = np.random.default_rng(0)
    filler = ["engineering", "system", "design", "analysis", "process"]
    doc_texts, doc_profile = [], []
    for p in range(N_TOPICS):
        for _ in range(DOCS_PER_PROFILE):
            words = list(rng.choice(_topic_words(p), 8, replace=False)) + list(rng.choice(filler, 2))
            doc_texts.append(" ".join(words))
            doc_profile.append(p)
    query_texts = [
        " ".join([*rng.choice(_topic_words(t), 4, replace=False), "engineering"]) for t in range(N_TOPICS)
    ]
    dim, dim_multi = 32, 24
    rot_main = np.eye(dim, dtype=np.float32)
    rot_multi = np.linalg.qr(rng.standard_normal((dim_multi, dim_multi)))[0].astype(np.float32)
    topics_q = list(range(N_TOPICS))
    return Checkerboard(
        query_texts=query_texts,
        doc_texts=doc_texts,
        doc_profile=np.array(doc_profile),
        query_vectors=_vectors(topics_q, dim, rng, rot_main),
        doc_vectors=_vectors(doc_profile, dim, rng, rot_main),
        query_multi=_vectors(topics_q, dim_multi, rng, rot_multi),
        doc_multi=_vectors(doc_profile, dim_multi, rng, rot_multi),
        model_id="toy-main",
        multi_model_id="toy-multi",
    )
