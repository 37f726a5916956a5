"""An encoder that embeds each text once: look up the cache, encode only the misses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.embeddings.base import Encoder, text_hash
from matcher.embeddings.cache import EmbeddingCache
from matcher.exceptions import ModelMismatchError


class CachedEncoder:
    """Wrap an :class:`~matcher.embeddings.base.Encoder` with an :class:`EmbeddingCache`.

    Parameters
    ----------
    encoder : Encoder
        Does the embedding on a miss; its ``model_id`` scopes the cache.
    cache : EmbeddingCache

    Attributes
    ----------
    hits, misses : int
        Distinct texts per call found in / missing from the cache, summed over calls
        (a text repeated within one call counts once).
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def __repr__(self) -> str:
        return f"CachedEncoder({self.encoder!r}, {self.cache!r})"

    @property
    def model_id(self) -> str:
        """The wrapped encoder's ``model_id``."""
        return self.encoder.model_id

    @model_id.setter
    def model_id(self, value: str) -> None:  # the Encoder protocol declares plain attributes
        raise AttributeError("model_id is the wrapped encoder's")

    @property
    def dim(self) -> int:
        """The wrapped encoder's ``dim``."""
        return self.encoder.dim

    @dim.setter
    def dim(self, value: int) -> None:
        raise AttributeError("dim is the wrapped encoder's")

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed ``texts``, encoding only the distinct texts not yet cached.

        Returns
        -------
        ndarray of shape (len(texts), dim), dtype float32

        Raises
        ------
        ModelMismatchError
            A cached vector's dimension differs from the encoder's.
        """
        texts = list(texts)
        hashes = [text_hash(t) for t in texts]
        unique = dict(zip(hashes, texts, strict=True))  # hash -> text, first occurrence order
        model_id = self.encoder.model_id
        found = self.cache.get_many(model_id, unique)
        missing = [h for h in unique if h not in found]
        self.hits += len(found)
        self.misses += len(missing)
        if missing:
            fresh = self.encoder.encode([unique[h] for h in missing], progress=progress)
            new = dict(zip(missing, fresh, strict=True))
            self.cache.put_many(model_id, new)
            found.update(new)
        dim = self.encoder.dim
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for row, h in enumerate(hashes):
            vec = found[h]
            if vec.shape != (dim,):
                raise ModelMismatchError(
                    f"cached vector for {model_id!r} has shape {vec.shape}, encoder dim is {dim}"
                )
            out[row] = vec
        return out
