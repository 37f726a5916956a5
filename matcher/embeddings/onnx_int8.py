"""Sentence-BERT on onnxruntime with dynamically quantised int8 weights.

The local sentence-transformers model (transformer + pooling + normalisation) is
exported once with ``torch.onnx.export`` (eager attention, so the graph holds plain
MatMul/Softmax rather than the scaled-dot-product kernel's mask plumbing, which cost
~12 % of the run time in ``Where`` nodes) and quantised with onnxruntime's dynamic
quantisation (Jacob et al., 2018, "Quantization and Training of Neural Networks
for Efficient Integer-Arithmetic-Only Inference"): int8 per-channel weights for
every MatMul/Gemm, activations quantised on the fly.  The files are cached under
``cache_dir/<model name>/``; at run time only ``onnxruntime`` and ``tokenizers``
are used.  A missing export is built in a child process (:func:`export_in_subprocess`):
the export imports torch and sentence-transformers, ~600 MB resident that a server
would otherwise keep for its lifetime (a cold 10k server: 1,121 MB RSS, 338 MB warm).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.embeddings._runtime import DEFAULT_MODEL, force_offline, model_name
from matcher.embeddings.windowed import TokenLayout, WindowedEncoder
from matcher.exceptions import UnavailableError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

#: Suffix of ``model_id`` for vectors produced by this backend.
BACKEND_SUFFIX = "+onnx-int8"
#: Bumped whenever the export recipe changes the vectors; an older export on disk is rebuilt.
RECIPE = 2
#: Used only when no ``cache_dir`` is given; the CLI and the API pass ``<var dir>/onnx`` (through
#: :func:`~matcher.embeddings.make_encoder`, beside the vector cache), so settings stay at the edges.
DEFAULT_ONNX_DIR = Path("var") / "onnx"
MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
_OPSET = 17


def onnx_model_dir(model: str, cache_dir: Path) -> Path:
    """Where the int8 export of ``model`` is cached: ``cache_dir/<safe model name>``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name(model))
    return Path(cache_dir) / safe


def export_onnx_int8(model: str, target: Path, *, threads: int = 1) -> Path:
    """Export ``model`` to ONNX, quantise it to int8 and write it to ``target``.

    Writes ``model.int8.onnx`` (input ``input_ids``, ``attention_mask`` of shape
    (batch, seq_len), int64; output ``sentence_embedding`` of shape (batch, dim)),
    ``tokenizer.json`` and ``meta.json`` (window, special tokens, dim).  The export is
    built in a temporary directory and renamed into place, so concurrent processes
    never see a half-written model.

    Returns
    -------
    Path
        ``target``.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from matcher.embeddings.sentence_transformer import (
        backend_tokenizer,
        load_sentence_transformer,
        token_layout,
    )

    st = load_sentence_transformer(model, threads=threads)
    tokenizer = backend_tokenizer(st)
    layout = token_layout(st, tokenizer)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        fp32 = export_fp32(st, tokenizer, work / "model.fp32.onnx")
        # onnxruntime logs a "consider pre-processing" advice on the root logger; its shape
        # inference fails on this graph (docs/embeddings.md), so the advice is noise here
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)
        try:
            quantize_dynamic(
                str(fp32),
                str(work / MODEL_FILE),
                per_channel=True,
                op_types_to_quantize=["MatMul", "Gemm"],
                weight_type=QuantType.QInt8,
            )
        finally:
            root.setLevel(level)
        fp32.unlink()
        tokenizer.save(str(work / TOKENIZER_FILE))
        meta = {
            "model": model,
            "model_id": model_name(model) + BACKEND_SUFFIX,
            "dim": int(st.get_embedding_dimension()),
            "max_length": layout.max_length,
            "prefix": list(layout.prefix),
            "suffix": list(layout.suffix),
            "pad_id": layout.pad_id,
            "opset": _OPSET,
            "recipe": RECIPE,
            "torch": torch.__version__,
        }
        (work / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if target.exists() and not _export_is_current(target):
            shutil.rmtree(target, ignore_errors=True)  # a stale or incomplete copy
        try:
            os.replace(work, target)
        except OSError:  # another process finished first: keep its copy
            if not _export_is_current(target):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def export_in_subprocess(model: str, target: Path, *, threads: int = 1) -> Path:
    """:func:`export_onnx_int8` in a child interpreter, so this process never imports torch.

    Raises
    ------
    UnavailableError
        The export failed (e.g. the model is not available offline), with the child's message.
    """
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from matcher.embeddings.onnx_int8 import export_onnx_int8\n"
        "try:\n"
        "    export_onnx_int8(sys.argv[1], Path(sys.argv[2]), threads=int(sys.argv[3]))\n"
        "except Exception as exc:\n"
        "    print((str(exc).strip().splitlines() or [type(exc).__name__])[0], file=sys.stderr)\n"
        "    sys.exit(1)\n"
    )
    root = str(Path(__file__).resolve().parents[2])  # the directory holding this matcher package
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, model, str(target), str(threads)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        lines = [x for x in done.stderr.strip().splitlines() if x.strip()]
        last = lines[-1] if lines else f"exit code {done.returncode}"
        raise UnavailableError(f"cannot export {model!r} to ONNX int8: {last}")
    return Path(target)


def export_fp32(st: Any, tokenizer: Tokenizer, path: Path) -> Path:
    """Trace a loaded sentence-transformers model to a float32 ONNX file at ``path``.

    Inputs ``input_ids`` and ``attention_mask`` (batch, seq_len), int64; output
    ``sentence_embedding`` (batch, dim).  Attention is traced eagerly (see
    :func:`_use_eager_attention`).  The int8 export quantises this graph; probes in
    ``benchmarks/`` start from it too.
    """
    import torch

    _use_eager_attention(st)

    class _Wrapper(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner({"input_ids": input_ids, "attention_mask": attention_mask})[
                "sentence_embedding"
            ]

    example = tokenizer.encode_batch(["a first example sentence", "and another one"])
    ids = torch.tensor([e.ids[:5] for e in example], dtype=torch.int64)
    mask = torch.ones_like(ids)
    mask[1, -1] = 0  # trace a padded row too
    axes = {"batch": 0, "seq": 1}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Wrapper(st).eval(),
            (ids, mask),
            str(path),
            dynamo=False,
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {v: k for k, v in axes.items()},
                "attention_mask": {v: k for k, v in axes.items()},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=_OPSET,
        )
    return path


def _use_eager_attention(st: Any) -> None:
    """Trace attention as explicit MatMul/Softmax (transformers' "eager" implementation).

    The default scaled-dot-product path exports the padding mask as ``Where``/``Expand``
    nodes that onnxruntime runs unfused; the eager path exports an additive mask.  Both
    compute the same function.
    """
    for module in st.modules():
        config = getattr(module, "config", None)
        if config is not None and hasattr(config, "_attn_implementation"):
            if hasattr(module, "set_attn_implementation"):
                module.set_attn_implementation("eager")
            else:  # older transformers
                config._attn_implementation = "eager"


def _export_is_current(directory: Path) -> bool:
    """Whether ``directory`` holds a complete export made with today's :data:`RECIPE`."""
    if not all((directory / f).exists() for f in (MODEL_FILE, TOKENIZER_FILE, META_FILE)):
        return False
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta.get("recipe") == RECIPE)


class OnnxInt8Encoder(WindowedEncoder):
    """A sentence-transformers model on onnxruntime with int8 weights (``Encoder`` contract).

    Parameters
    ----------
    model : str
        Sentence-transformers name or local path (default: the bundled MiniLM).
    threads : int
        Windows embedded at once, each by a single-threaded onnxruntime run.
    batch_size : int
        Windows per forward pass; keep the default 1 (see Notes).
    chunk_overlap : int
        Tokens shared by consecutive windows of a long text.
    cache_dir : Path, optional
        Where exported models are cached (default ``var/onnx``).  A missing export
        is built on :meth:`load` (needs torch, takes a few seconds).

    Notes
    -----
    ``model_id`` is the model name plus ``"+onnx-int8"``: its vectors are close to,
    but not the same as, the torch encoder's, and must not be mixed with them.

    Dynamic quantisation computes one activation scale per tensor, i.e. per batch:
    with ``batch_size > 1`` a text's vector would depend on its batch neighbours
    (cosine 0.97-0.99 between two runs), which a cache keyed by text cannot allow.
    One window per forward pass keeps vectors deterministic and, on one or two
    threads, is also the fastest (no padding).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        threads: int = 1,
        batch_size: int = 1,
        chunk_overlap: int = 32,
        cache_dir: Path | None = None,
    ) -> None:
        self.model = model
        self.threads = threads
        self.batch_size = batch_size
        self.chunk_overlap = chunk_overlap
        self.cache_dir = cache_dir
        self.model_id = model_name(model) + BACKEND_SUFFIX
        self._session: Any = None
        self._tok: Tokenizer | None = None
        self._lay: TokenLayout | None = None
        self._dim: int | None = None
        self._pool: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return f"OnnxInt8Encoder(model={self.model!r}, threads={self.threads}, cache_dir={self.cache_dir!r})"

    @property
    def model_dir(self) -> Path:
        """Directory of the cached int8 export."""
        return onnx_model_dir(self.model, self.cache_dir or DEFAULT_ONNX_DIR)

    @property
    def dim(self) -> int:
        """Dimension of the vectors (384 for MiniLM, known without loading)."""
        if self._dim is None and model_name(self.model) == DEFAULT_MODEL:
            return 384
        self.load()
        assert self._dim is not None
        return self._dim

    @dim.setter
    def dim(self, value: int) -> None:  # the Encoder protocol declares a plain attribute
        raise AttributeError("dim is fixed by the model")

    def load(self) -> OnnxInt8Encoder:
        """Open the cached export (building it first if missing) and return ``self``."""
        if self._session is not None:
            return self
        force_offline()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = self.model_dir
        if not _export_is_current(directory):
            log.info("exporting %s to ONNX int8 in %s (once; in a child process)", self.model, directory)
            export_in_subprocess(self.model, directory, threads=self.threads)
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        options = ort.SessionOptions()
        # one thread per run; ``threads`` runs go in parallel (see _run_batches)
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            session = ort.InferenceSession(
                str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            raise UnavailableError(f"cannot open {directory / MODEL_FILE}: {exc}") from exc
        tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self._lay = TokenLayout(
            max_length=int(meta["max_length"]),
            prefix=tuple(meta["prefix"]),
            suffix=tuple(meta["suffix"]),
            pad_id=int(meta["pad_id"]),
        )
        self._dim = int(meta["dim"])
        self._tok = tokenizer
        self._session = session
        return self

    def _run_batches(self, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> Iterator[np.ndarray]:
        """Run windows on ``threads`` single-threaded calls of one session at once.

        A BERT-small window is too small a job to split across cores (intra-op threads
        on 1 x 200 tokens scale ~1.3x on two cores), whereas independent windows scale
        ~2x; ``InferenceSession.run`` releases the GIL and is safe to call concurrently.
        Results come back in input order, so vectors do not depend on ``threads``.
        """
        if self.threads <= 1:
            yield from super()._run_batches(batches)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="onnx-int8")
        pool, pending = self._pool, iter(batches)
        while True:  # a bounded number in flight, so a huge job is not padded all at once
            wave = list(islice(pending, 16 * self.threads))
            if not wave:
                return
            yield from pool.map(lambda b: self._forward(*b), wave)

    def _forward(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        (out,) = self._session.run(
            ["sentence_embedding"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return np.asarray(out, dtype=np.float32)
