"""The encoder contract every embedding backend honours.

An encoder turns texts into L2-normalised ``float32`` vectors.  ``model_id`` names
the model *and* the backend that produced the vectors (vectors from different ids
must never be mixed: an index or cache keys on it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Texts in, unit vectors out.

    Attributes
    ----------
    model_id : str
        Stable identifier of model + backend, e.g. ``"all-MiniLM-L6-v2"`` or
        ``"all-MiniLM-L6-v2+onnx-int8"``.
    dim : int
        Dimension of the vectors.
    """

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed ``texts``.

        Returns
        -------
        ndarray of shape (len(texts), dim), dtype float32, each row of unit L2 norm
        (an empty text maps to the zero vector).
        """
        ...


def text_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text: the cache key of a text (together with ``model_id``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit norm, as float32; all-zero rows stay zero."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
