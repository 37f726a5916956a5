"""The shared encode loop of the transformer backends: tokenize, window, batch, pool.

:class:`WindowedEncoder` owns everything that does not depend on the runtime
(torch or onnxruntime): counting tokens with the model's own tokenizer, splitting
long texts into overlapping windows (:mod:`matcher.embeddings.chunking`), padding
windows into length-sorted batches, and mean-pooling window vectors back into one
unit vector per text.  A backend supplies the tokenizer and a ``_forward`` over
padded token ids.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matcher.embeddings._progress import progress_bar
from matcher.embeddings.chunking import plan_windows, pool_windows
from matcher.exceptions import ConfigurationError

if TYPE_CHECKING:
    from tokenizers import Tokenizer


@dataclass(frozen=True)
class TokenLayout:
    """How a model wants a window of token ids framed.

    Attributes
    ----------
    max_length : int
        Model window in tokens, special tokens included (256 for MiniLM).
    prefix, suffix : tuple of int
        Special token ids around a single sequence (``[CLS]`` / ``[SEP]`` for BERT).
    pad_id : int
        Token id used for padding (masked out; some models derive positions from it).
    """

    max_length: int
    prefix: tuple[int, ...]
    suffix: tuple[int, ...]
    pad_id: int

    @property
    def window(self) -> int:
        """Content tokens per window: ``max_length`` minus the special tokens."""
        return self.max_length - len(self.prefix) - len(self.suffix)


def special_tokens(tokenizer: Tokenizer) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The special token ids a ``tokenizers.Tokenizer`` puts before and after one sequence.

    Found by encoding a probe word with and without special tokens, so it works for
    any post-processing template (BERT's ``[CLS] x [SEP]``, XLM-R's ``<s> x </s>``...).
    """
    bare = tokenizer.encode("a", add_special_tokens=False).ids
    full = tokenizer.encode("a", add_special_tokens=True).ids
    for start in range(len(full) - len(bare) + 1):
        if full[start : start + len(bare)] == bare:
            return tuple(full[:start]), tuple(full[start + len(bare) :])
    raise ConfigurationError("cannot locate the special tokens of this tokenizer")


def pad_batch(sequences: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id sequences into a batch.

    Returns
    -------
    input_ids : ndarray of shape (n, max_len), dtype int64
    attention_mask : ndarray of shape (n, max_len), dtype int64
        1 on real tokens, 0 on padding.
    """
    width = max(len(s) for s in sequences)
    input_ids = np.full((len(sequences), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(sequences), width), dtype=np.int64)
    for row, seq in enumerate(sequences):
        input_ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return input_ids, mask


def length_batches(lengths: Sequence[int], batch_size: int, max_tokens: int) -> list[range]:
    """Cut a run of sequences, sorted longest first, into batches.

    A batch holds at most ``batch_size`` rows and at most ``max_tokens`` padded tokens
    (rows times its first, longest, row), but always at least one row.

    Returns
    -------
    list of range
        Consecutive positions in ``lengths``.
    """
    batches: list[range] = []
    start = 0
    while start < len(lengths):
        rows = max(1, min(batch_size, max_tokens // max(lengths[start], 1)))
        stop = min(start + rows, len(lengths))
        batches.append(range(start, stop))
        start = stop
    return batches


class WindowedEncoder(ABC):
    """Base of the transformer encoders: long texts become overlapping windows, never truncated.

    Subclasses set ``batch_size`` and ``chunk_overlap`` in ``__init__``, implement
    :meth:`load` (which sets ``_tok`` and ``_lay``) and :meth:`_forward`.
    """

    model_id: str
    batch_size: int
    chunk_overlap: int
    #: Padded tokens per forward pass: a batch of long windows holds fewer rows.
    max_batch_tokens: int = 4096
    #: Set by :meth:`load`: the tokenizer (no padding, no truncation) and the window layout.
    _tok: Tokenizer | None = None
    _lay: TokenLayout | None = None

    @property
    @abstractmethod
    def dim(self) -> int:
        """Dimension of the vectors."""

    @abstractmethod
    def load(self) -> WindowedEncoder:
        """Load the model (idempotent) and return ``self``."""

    def _tokenizer(self) -> Tokenizer:
        """The model's tokenizer, with padding and truncation disabled (after :meth:`load`)."""
        assert self._tok is not None, "load() sets the tokenizer"
        return self._tok

    def _layout(self) -> TokenLayout:
        """The model's window and special tokens (after :meth:`load`)."""
        assert self._lay is not None, "load() sets the layout"
        return self._lay

    @abstractmethod
    def _forward(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Embed one padded batch.

        Parameters
        ----------
        input_ids, attention_mask : ndarray of shape (batch, seq_len), dtype int64

        Returns
        -------
        ndarray of shape (batch, dim), dtype float32
        """

    def _run_batches(self, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> Iterator[np.ndarray]:
        """:meth:`_forward` over padded batches, in order (a backend may run them in parallel)."""
        for input_ids, mask in batches:
            yield self._forward(input_ids, mask)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, special tokens excluded (as the model's tokenizer counts them)."""
        self.load()
        return [len(e.ids) for e in self._tokenizer().encode_batch(list(texts), add_special_tokens=False)]

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed ``texts``; a text longer than the model window is the mean of its windows.

        Parameters
        ----------
        texts : sequence of str, length n
        progress : bool
            Draw a progress bar over the windows.

        Returns
        -------
        ndarray of shape (n, dim), dtype float32
            Unit rows; a text without tokens (empty, blank) maps to the zero vector.
        """
        self.load()
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        layout = self._layout()
        if self.batch_size < 1:
            raise ConfigurationError(f"batch_size must be positive, got {self.batch_size}")
        if not 0 <= self.chunk_overlap < layout.window:
            raise ConfigurationError(
                f"chunk_overlap must be in [0, {layout.window}), got {self.chunk_overlap}"
            )
        encodings = self._tokenizer().encode_batch(texts, add_special_tokens=False)
        windows, owners = plan_windows([e.ids for e in encodings], layout.window, self.chunk_overlap)
        vectors = np.zeros((len(windows), self.dim), dtype=np.float32)
        # Longest first, so each batch pads to nearly its own length.
        order = sorted(range(len(windows)), key=lambda k: -len(windows[k]))
        framed = [(*layout.prefix, *w, *layout.suffix) for w in windows]
        groups = [
            [order[r] for r in rows]
            for rows in length_batches(
                [len(framed[k]) for k in order], self.batch_size, self.max_batch_tokens
            )
        ]
        padded = (pad_batch([framed[k] for k in picked], layout.pad_id) for picked in groups)
        with progress_bar(
            len(windows), f"Embedding ({self.model_id})", enabled=progress, unit="windows"
        ) as advance:
            for picked, out in zip(groups, self._run_batches(padded), strict=True):
                vectors[picked] = out
                advance(len(picked))
        return pool_windows(vectors, owners, len(texts))
