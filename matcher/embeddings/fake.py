"""A deterministic, model-free encoder for unit tests.

Each lower-cased word is hashed to a fixed random direction; a text is the
normalised sum of its words' directions.  Texts that share words therefore have a
higher cosine than texts that do not, which lets tests know the right answer by
construction, with no model and no randomness between runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from matcher.embeddings.base import l2_normalise

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEncoder:
    """Bag-of-hashed-words encoder honouring the :class:`~matcher.embeddings.base.Encoder` contract."""

    def __init__(self, dim: int = 64, model_id: str = "fake-hash-64") -> None:
        self.dim = dim
        self.model_id = model_id
        self.calls = 0  # how many texts were encoded; tests use it to check caching

    def _word_vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[i] += self._word_vector(word)
        self.calls += len(texts)
        return l2_normalise(out)
