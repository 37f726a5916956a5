"""Turn validated challenges and profiles into the arrays ranking needs: texts, languages, vectors.

Sentences that many profiles share (boilerplate) are dropped from both sides, languages are
detected where a record does not state one, and the texts are embedded with the injected
encoders (cached encoders embed each text once).  Used by ``matcher rank``
(:func:`matcher.services.rank_files.rank_files`) and the benchmark on a real data set, so both
measure the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.embeddings.base import Encoder
from matcher.ranking.rules import common_sentences, strip_common_sentences
from matcher.services.rank_inputs import ChallengeInput, DocumentInput, ProfileInput

__all__ = ["RankInputs", "prepare_inputs"]


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
    """Languages (stated or detected) and embeddings for :func:`~matcher.services.rank_files.rank_files`
    and the benchmark.

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

    q_lang, d_lang = _languages(challenges, docs, q_texts, d_texts, detect_languages, say)
    cross = len(set(q_lang) | set(d_lang)) > 1  # some challenge and some document differ in language
    vectors = _Vectors()
    if dense and encoder is not None:
        vectors = _embed_texts(
            encoder, multi_encoder if cross else None, q_texts, d_texts, progress=progress, say=say
        )
    return RankInputs(
        query_ids=[c.id for c in challenges],
        profile_ids=[p.id for p in profiles],
        query_texts=q_texts,
        doc_texts=d_texts,
        query_lang=[x or "und" for x in q_lang],
        doc_lang=[x or "und" for x in d_lang],
        doc_profile=doc_profile,
        query_vectors=vectors.query,
        doc_vectors=vectors.doc,
        query_multi=vectors.query_multi,
        doc_multi=vectors.doc_multi,
        model_id=encoder.model_id if encoder is not None else None,
        multi_model_id=vectors.multi_model_id,
        embedding=vectors.stats,
    )


def _languages(
    challenges: Sequence[ChallengeInput],
    docs: Sequence[DocumentInput],
    q_texts: list[str],
    d_texts: list[str],
    detect_languages: Callable[[Sequence[str]], list[str]] | None,
    say: Callable[[str], None],
) -> tuple[list[str | None], list[str | None]]:
    """Each challenge's and document's language: as stated, else detected from its (stripped) text."""
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
    return q_lang, d_lang


@dataclass
class _Vectors:
    """What :func:`_embed_texts` produced (all ``None`` when nothing is embedded)."""

    query: np.ndarray | None = None
    doc: np.ndarray | None = None
    query_multi: np.ndarray | None = None
    doc_multi: np.ndarray | None = None
    multi_model_id: str | None = None
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)


def _embed_texts(
    encoder: Encoder,
    multi_encoder: Encoder | Callable[[], Encoder] | None,
    q_texts: list[str],
    d_texts: list[str],
    *,
    progress: bool,
    say: Callable[[str], None],
) -> _Vectors:
    """Main-encoder vectors of both sides; multilingual ones too when ``multi_encoder`` is given.

    The caller passes ``multi_encoder`` only when some challenge and some document differ in
    language, so a factory is called only then.
    """
    out = _Vectors()
    say(f"embedding {len(q_texts) + len(d_texts)} texts with {encoder.model_id}")
    out.query = _embed(encoder, q_texts, progress, out.stats, "main")
    out.doc = _embed(encoder, d_texts, progress, out.stats, "main")
    if multi_encoder is not None:
        multi = multi_encoder if hasattr(multi_encoder, "encode") else multi_encoder()  # type: ignore[operator]
        out.multi_model_id = multi.model_id  # type: ignore[union-attr]
        say(f"cross-language pairs present: embedding with {out.multi_model_id}")
        out.query_multi = _embed(multi, q_texts, progress, out.stats, "multilingual")  # type: ignore[arg-type]
        out.doc_multi = _embed(multi, d_texts, progress, out.stats, "multilingual")  # type: ignore[arg-type]
    return out


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
