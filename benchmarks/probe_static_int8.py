"""Probe: static int8 activations (fixed scales), batched, for the MiniLM export.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/probe_static_int8.py            # ~6 min on a quiet machine

Why: ``OnnxInt8Encoder`` quantises activations dynamically, one scale per tensor, so it runs
one window per pass (in a batch, a text's vector would depend on its neighbours).  Fixed
activation scales from a calibration set keep every row independent, so windows could be
batched, which is what short texts need (issue #15, target 2: 2.6x plain
sentence-transformers on ~20-word texts, 3x wanted).  The probe starts from the same float32
export as the product (:func:`matcher.embeddings.onnx_int8.export_fp32`) and builds:

* ``dynamic``: today's recipe (``quantize_dynamic``, per-channel int8 weights);
* ``static``: ``quantize_static`` in QDQ format, per-channel int8 weights, uint8 activations,
  percentile calibration (99.999) on 223 windows of real and synthetic text; only the 36
  weight MatMuls are quantised (the two activation-by-activation MatMuls of attention stay
  float; quantising softmax probabilities to 1/255 steps costs more);
* ``static, FFN output float``: the same with the six FFN output projections (input: the
  GELU output) left in float32;
* ``static, attention output float``: the same with the attention output projections float;
* ``static + SmoothQuant FFN output``: the FFN output's input divided per channel by
  ``s = max|x|^0.5 / max|w|^0.5`` and its weight rows multiplied by ``s`` (Xiao et al., 2023),
  then quantised statically;
* ``static + per-row FFN output``: static everywhere but the FFN output projections, which
  get one activation scale per token row (``benchmarks/probe_rowquant.py``'s rewrite):
  batch-independent throughout;
* ``dynamic, cleaned graph``: today's recipe on a graph whose attention reshapes take constant
  targets (``[0, 0, -1, 32]`` instead of Shape/Gather/Unsqueeze/Concat chains) and whose
  Q, K and V projections are one MatMul of width 1152 followed by a Split (same arithmetic).

It prints the cosine of each variant's sentence vectors to float32 on ``bench_encode.VARIED``
and 40 DBLP abstracts (through ``OnnxInt8Encoder``, windows included), whether vectors depend
on batch neighbours, and CPU milliseconds per window (one thread, 16 random windows of 31 and
200 tokens, batch 1 and 16, the variants taking turns for 25 rounds; min and median).

Result (2026-12-03, ORT 1.32, AMD EPYC with AVX2 and no VNNI; the machine was shared, load
about 2.5, so compare within a column): **nothing adopted**, see docs/performance.md,
"Static activation scales".
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

FFN_OUT = re.compile(r"layer\.\d+/output/dense/MatMul$")
ATTN_OUT = re.compile(r"attention/output/dense/MatMul$")


def weight_matmuls(model: Any) -> tuple[list[str], list[str]]:
    """Names of the MatMuls with a weight initialiser, and of those multiplying two activations."""
    inits = {i.name for i in model.graph.initializer}
    with_weight, activations = [], []
    for n in model.graph.node:
        if n.op_type == "MatMul":
            (with_weight if any(x in inits for x in n.input) else activations).append(n.name)
    return with_weight, activations


def calibration_windows(tokenizer: Any, texts: list[str], window: int = 256) -> list[list[int]]:
    """Token windows (with [CLS]/[SEP]) of ``texts``, as the encoder would cut them."""
    out = []
    for text in texts:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        step = window - 2 - 32
        for start in range(0, max(1, len(ids)), step):
            out.append([101, *ids[start : start + window - 2], 102])
            if start + window - 2 >= len(ids):
                break
    return out


class _Reader:
    """onnxruntime ``CalibrationDataReader``: one window per call."""

    def __init__(self, windows: list[list[int]]) -> None:
        self._it: Iterator[list[int]] = iter(windows)

    def get_next(self) -> dict[str, np.ndarray] | None:
        w = next(self._it, None)
        if w is None:
            return None
        ids = np.array([w], dtype=np.int64)
        return {"input_ids": ids, "attention_mask": np.ones_like(ids)}

    def rewind(self) -> None:  # part of the interface; one pass is all the calibrators take
        return None


def _histograms_of_any_length() -> None:
    """Let the histogram calibrators take windows of different lengths (they stack arrays)."""
    import onnxruntime.quantization.calibrate as cal

    original = cal.HistogramCollector.collect

    def collect(self: Any, name_to_arr: dict[str, list[np.ndarray]]) -> Any:
        flat = {k: [np.concatenate([np.asarray(a).ravel() for a in v])] for k, v in name_to_arr.items()}
        return original(self, flat)

    cal.HistogramCollector.collect = collect


def smooth(fp32: Path, dst: Path, names: list[str], windows: list[list[int]], alpha: float = 0.5) -> Path:
    """SmoothQuant the MatMuls ``names``: x / s before, W * s after (``s`` per input channel)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(fp32))
    inits = {i.name: i for i in model.graph.initializer}
    sites = {}
    for n in model.graph.node:
        if n.name in names:
            x = next(i for i in n.input if i not in inits)
            w = next(i for i in n.input if i in inits)
            sites[n.name] = (x, w)
    probe = onnx.load(str(fp32))
    for x, _ in sites.values():
        probe.graph.output.append(helper.make_tensor_value_info(x, onnx.TensorProto.FLOAT, None))
    probe_path = dst.with_suffix(".probe.onnx")
    onnx.save(probe, str(probe_path))
    from benchmarks.probe_rowquant import session

    sess = session(probe_path)
    outs = [o.name for o in sess.get_outputs()][1:]
    peak: dict[str, np.ndarray] = {}
    for w in windows:
        ids = np.array([w], dtype=np.int64)
        for k, v in zip(
            outs, sess.run(outs, {"input_ids": ids, "attention_mask": np.ones_like(ids)}), strict=True
        ):
            m = np.abs(v).reshape(-1, v.shape[-1]).max(0)
            peak[k] = np.maximum(peak[k], m) if k in peak else m
    nodes = []
    for n in model.graph.node:
        if n.name in sites:
            x, w = sites[n.name]
            weight = numpy_helper.to_array(inits[w])
            s = np.maximum(peak[x], 1e-5) ** alpha / np.maximum(np.abs(weight).max(1), 1e-5) ** (1 - alpha)
            inits[w].CopyFrom(numpy_helper.from_array((weight * s[:, None]).astype(np.float32), w))
            inv = f"{n.name}_smooth_inv"
            model.graph.initializer.append(numpy_helper.from_array((1 / s).astype(np.float32), inv))
            nodes.append(helper.make_node("Mul", [x, inv], [f"{inv}_x"], name=f"{n.name}_smooth"))
            n.input[list(n.input).index(x)] = f"{inv}_x"
        nodes.append(n)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.save(model, str(dst))
    return dst


def cleaned(fp32: Path, dst: Path) -> Path:
    """Constant reshape targets in attention, and one Q/K/V MatMul per layer (same arithmetic)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(fp32))
    g = model.graph
    producer = {o: n for n in g.node for o in n.output}
    inits = {i.name: i for i in g.initializer}

    def const(name: str) -> np.ndarray | None:
        if name in inits:
            return numpy_helper.to_array(inits[name])
        n = producer.get(name)
        return numpy_helper.to_array(n.attribute[0].t) if n is not None and n.op_type == "Constant" else None

    def dim_of(name: str) -> tuple[str, Any] | None:  # ("c", values) or ("d", index into a shape)
        value = const(name)
        if value is not None:
            return ("c", value.reshape(-1).tolist())
        u = producer.get(name)
        gather = producer.get(u.input[0]) if u is not None and u.op_type == "Unsqueeze" else None
        if gather is None or gather.op_type != "Gather" or producer[gather.input[0]].op_type != "Shape":
            return None
        index = const(gather.input[1])
        return None if index is None else ("d", int(index))

    for n in g.node:
        concat = producer.get(n.input[1]) if n.op_type == "Reshape" else None
        if concat is None or concat.op_type != "Concat":
            continue
        parts = [dim_of(i) for i in concat.input]
        if any(p is None or (p[0] == "d" and (p[1] != pos or pos > 1)) for pos, p in enumerate(parts)):
            continue
        target = [v for p in parts for v in ([0] if p[0] == "d" else p[1])]  # type: ignore[index]
        g.initializer.append(numpy_helper.from_array(np.array(target, np.int64), f"{n.name}_target"))
        n.input[1] = f"{n.name}_target"
    consumers: dict[str, list[Any]] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    out, dropped = [], set()
    for n in g.node:
        if id(n) in dropped:
            continue
        if n.op_type == "MatMul" and n.name.endswith("attention/self/query/MatMul"):
            x = n.input[0]
            trio = [
                next(c for c in consumers[x] if c.name.endswith(f"/self/{k}/MatMul"))
                for k in ("query", "key", "value")
            ]
            adds = [consumers[m.output[0]][0] for m in trio]
            weight = np.concatenate([numpy_helper.to_array(inits[m.input[1]]) for m in trio], axis=1)
            bias = np.concatenate(
                [const(next(i for i in a.input if i != m.output[0])) for a, m in zip(adds, trio, strict=True)]  # type: ignore[misc]
            )
            p = n.name.replace("/query/MatMul", "/qkv")
            g.initializer.extend(
                [
                    numpy_helper.from_array(weight.astype(np.float32), f"{p}.weight"),
                    numpy_helper.from_array(bias.astype(np.float32), f"{p}.bias"),
                    numpy_helper.from_array(np.array([384, 384, 384], np.int64), f"{p}.split"),
                ]
            )
            out += [
                helper.make_node("MatMul", [x, f"{p}.weight"], [f"{p}_mm"], name=f"{p}/MatMul"),
                helper.make_node("Add", [f"{p}_mm", f"{p}.bias"], [f"{p}_add"], name=f"{p}/Add"),
                helper.make_node(
                    "Split",
                    [f"{p}_add", f"{p}.split"],
                    [a.output[0] for a in adds],
                    axis=-1,
                    name=f"{p}/Split",
                ),
            ]
            dropped.update(id(m) for m in trio + adds)
            continue
        out.append(n)
    del g.node[:]
    g.node.extend(out)
    onnx.save(model, str(dst))
    return dst


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--keep", type=Path, default=None, help="keep the models in this folder")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import onnx
    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )

    from benchmarks.bench_encode import VARIED, dblp_abstracts, synthetic_texts
    from benchmarks.probe_rowquant import per_row_activations, session
    from matcher.embeddings import OnnxInt8Encoder
    from matcher.embeddings._runtime import DEFAULT_MODEL
    from matcher.embeddings.onnx_int8 import MODEL_FILE, export_fp32, onnx_model_dir
    from matcher.embeddings.sentence_transformer import backend_tokenizer, load_sentence_transformer

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's "pre-processing" advice
    _histograms_of_any_length()
    work = args.keep or Path(tempfile.mkdtemp(prefix="probe-static-"))
    work.mkdir(parents=True, exist_ok=True)
    today = onnx_model_dir(DEFAULT_MODEL, work / "dynamic")
    OnnxInt8Encoder(cache_dir=work / "dynamic").load()  # the product's export: tokenizer and meta
    st = load_sentence_transformer(DEFAULT_MODEL, threads=1)
    tokenizer = backend_tokenizer(st)
    fp32 = work / "model.fp32.onnx"
    if not fp32.exists():
        export_fp32(st, tokenizer, fp32)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    weights, act_by_act = weight_matmuls(onnx.load(str(fp32)))
    ffn_out = [n for n in weights if FFN_OUT.search(n)]
    attn_out = [n for n in weights if ATTN_OUT.search(n)]
    texts = (
        list(VARIED)
        + synthetic_texts(60, 20, seed=11)
        + synthetic_texts(20, 150, seed=12)
        + dblp_abstracts(120)[40:]
    )
    windows = calibration_windows(tokenizer, texts)

    def static(src: Path, dst: Path, exclude: list[str]) -> Path:
        if not dst.exists():
            quantize_static(
                str(src),
                str(dst),
                _Reader(windows),  # type: ignore[arg-type]
                quant_format=QuantFormat.QDQ,
                per_channel=True,
                activation_type=QuantType.QUInt8,
                weight_type=QuantType.QInt8,
                op_types_to_quantize=["MatMul"],
                nodes_to_exclude=act_by_act + exclude,
                calibrate_method=CalibrationMethod.Percentile,
                extra_options={"CalibPercentile": 99.999},
            )
        return dst

    def dynamic(src: Path, dst: Path, nodes: list[str] | None = None) -> Path:
        if not dst.exists():
            quantize_dynamic(
                str(src),
                str(dst),
                per_channel=True,
                op_types_to_quantize=["MatMul", "Gemm"],
                nodes_to_quantize=nodes or [],
                weight_type=QuantType.QInt8,
            )
        return dst

    def per_row_ffn_out(dst: Path) -> Path:
        if not dst.exists():
            partial = dynamic(
                static(fp32, work / "static-ffn-float.onnx", ffn_out), work / "tmp.onnx", ffn_out
            )
            onnx.save(per_row_activations(onnx.load(str(partial))), str(dst))
        return dst

    builders: dict[str, Callable[[], Path]] = {
        "float32": lambda: fp32,
        "dynamic (today)": lambda: today / MODEL_FILE,
        "static": lambda: static(fp32, work / "static.onnx", []),
        "static, FFN output float": lambda: static(fp32, work / "static-ffn-float.onnx", ffn_out),
        "static, attention output float": lambda: static(fp32, work / "static-attn-float.onnx", attn_out),
        "static + SmoothQuant FFN output": lambda: static(
            smooth(fp32, work / "smooth.fp32.onnx", ffn_out, windows), work / "static-smooth.onnx", []
        ),
        "static + per-row FFN output": lambda: per_row_ffn_out(work / "static-rowffn.onnx"),
        "dynamic, cleaned graph": lambda: dynamic(
            cleaned(fp32, work / "clean.fp32.onnx"), work / "clean.onnx"
        ),
    }
    variants: dict[str, Path] = {}
    for name, build in builders.items():
        t = time.time()
        model = build()
        folder = onnx_model_dir(DEFAULT_MODEL, work / re.sub(r"\W+", "-", name))
        if folder != today:
            shutil.copytree(today, folder, dirs_exist_ok=True)
            shutil.copyfile(model, folder / MODEL_FILE)
        variants[name] = folder
        print(f"built {name} in {time.time() - t:.0f} s", flush=True)

    print(f"\ncosine to float32 (mean / min), {len(VARIED)} varied texts and 40 DBLP abstracts")
    sets = {"varied": list(VARIED), "dblp": dblp_abstracts(40)}
    ref = {k: OnnxInt8Encoder(cache_dir=variants["float32"].parent).encode(v) for k, v in sets.items()}
    for name, folder in variants.items():
        enc = OnnxInt8Encoder(cache_dir=folder.parent)
        cells = []
        for k, v in sets.items():
            cos = np.sum(ref[k] * enc.encode(v), axis=1)
            cells.append(f"{k} {cos.mean():.4f} / {cos.min():.4f}")
        print(f"{name:<34}" + "   ".join(cells))

    sessions = {name: session(folder / MODEL_FILE) for name, folder in variants.items()}
    rng = np.random.default_rng(0)
    print(f"\nCPU ms per window, one thread, min / median of {args.rounds} rounds taking turns")
    for length in (31, 200):
        ids = rng.integers(1000, 29000, size=(16, length), dtype=np.int64)
        ids[:, 0], ids[:, -1] = 101, 102
        mask = np.ones_like(ids)
        runs = [(name, b) for name in sessions for b in (1, 16)]
        times: dict[tuple[str, int], list[float]] = {r: [] for r in runs}
        for rnd in range(args.rounds):
            for name, b in runs[rnd % len(runs) :] + runs[: rnd % len(runs)]:
                s = sessions[name]
                c = time.process_time()
                for r in range(0, 16, b):
                    s.run(None, {"input_ids": ids[r : r + b], "attention_mask": mask[r : r + b]})
                times[(name, b)].append((time.process_time() - c) * 1000 / 16)
        for name, s in sessions.items():
            alone = np.stack(
                [
                    s.run(None, {"input_ids": ids[r : r + 1], "attention_mask": mask[r : r + 1]})[0][0]
                    for r in range(16)
                ]
            )
            batched = s.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            t1, t16 = times[(name, 1)], times[(name, 16)]
            print(
                f"{length:>3} tokens  {name:<34} batch 1 {min(t1):6.2f} / {statistics.median(t1):6.2f}   "
                f"batch 16 {min(t16):6.2f} / {statistics.median(t16):6.2f}   "
                f"max|alone - batched| {np.abs(alone - batched).max():.1e}"
            )
    print(json.dumps({"work": str(work)}))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
