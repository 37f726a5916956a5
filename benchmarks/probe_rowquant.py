"""Probe: int8 MatMuls with one activation scale per token row instead of per tensor.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/probe_rowquant.py [--onnx-dir DIR]

onnxruntime's dynamic quantisation (``DynamicQuantizeLinear``) computes ONE scale and
zero point for a whole activation tensor, so in a batch of windows a text's vector
depends on its neighbours; ``OnnxInt8Encoder`` therefore runs one window per pass.  This
probe rewrites every ``DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul`` of the
current export into a per-row symmetric quantisation (``s = max|x| / 127`` over the
hidden axis of each token, ``q = round(x / s)``), so that every token row is quantised
on its own and the integer product is exact: a row's output no longer depends on the
batch.  It measures, on one onnxruntime thread (CPU time per text):

* batch 1 and batches of 16 inputs of 31 tokens, current graph vs per-row graphs
  (uint8 activations with zero point 128, and int8 activations with zero point 0);
* batch independence: a window alone vs inside a batch with other neighbours and
  padding (max absolute difference of the sentence vectors);
* cosine to the torch sentence-transformers vectors on ``bench_encode.VARIED``.

First run (2026-12-03, ORT 1.32, AMD EPYC with AVX2 and no VNNI, machine shared, so
absolute times are ~1.7x the quiet figures of docs/performance.md; ratios hold):

==================  =======  ========  ====================================  ==========================
graph               batch 1  batch 16  max |alone - batched| (padded to 48)  cosine to torch mean / min
==================  =======  ========  ====================================  ==========================
per-tensor (now)    8.62 ms  6.95 ms   3.5e-02                               0.9909 / 0.9768
per-row uint8       9.49 ms  7.68 ms   4.5e-08                               0.9958 / 0.9871
per-row int8        52.0 ms  33.2 ms   5.2e-08                               0.9971 / 0.9909
==================  =======  ========  ====================================  ==========================

Per-row uint8 in batches of 16 is 11 % below today's batch-1 graph; int8 activations hit
a slow s8s8 path on AVX2.  The per-row graph is not fused by ORT (36 MatMulInteger with
separate Cast/Mul/Mul/Add instead of DynamicQuantizeMatMul / MatMulIntegerToFloat).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

_FLOAT_TINY = 1e-12  # max|x| floor: an all-zero row gets scale tiny/127 and codes 0


def per_row_quantised(model: Any, activation: str = "uint8") -> Any:
    """Rewrite ``model`` (an ``onnx.ModelProto`` from ``quantize_dynamic``) in place.

    Every ``DynamicQuantizeLinear(x)`` becomes a per-row symmetric quantisation along
    the last axis; the ``Mul(x_scale, w_scale)`` that fed the output rescale is replaced
    by ``Mul(Mul(Cast(MatMulInteger(...)), w_scale), s)`` with ``s`` of shape (..., 1).

    Parameters
    ----------
    activation : {"uint8", "int8"}
        Code type of the activations: uint8 with zero point 128 (what MLAS's u8s8
        kernels take) or int8 with zero point 0.
    """
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    uint8 = activation == "uint8"
    consts = {
        "rq_tiny": np.array(_FLOAT_TINY, dtype=np.float32),
        "rq_127": np.array(127.0, dtype=np.float32),
        "rq_128": np.array(128.0, dtype=np.float32),
        "rq_zp": np.array(128, dtype=np.uint8) if uint8 else np.array(0, dtype=np.int8),
    }
    graph.initializer.extend(numpy_helper.from_array(v, k) for k, v in consts.items())
    new_nodes: list[Any] = []
    dropped: set[int] = set()
    appended: list[Any] = []
    for node in graph.node:
        if node.op_type != "DynamicQuantizeLinear":
            new_nodes.append(node)
            continue
        x = node.input[0]
        q, s, zp = node.output
        p = f"{node.name}_rq"
        new_nodes += [
            helper.make_node("Abs", [x], [f"{p}_abs"], name=f"{p}_Abs"),
            helper.make_node("ReduceMax", [f"{p}_abs"], [f"{p}_max"], axes=[-1], keepdims=1, name=f"{p}_Max"),
            helper.make_node("Max", [f"{p}_max", "rq_tiny"], [f"{p}_maxg"], name=f"{p}_Guard"),
            helper.make_node("Div", [f"{p}_maxg", "rq_127"], [s], name=f"{p}_Scale"),
            helper.make_node("Div", [x, s], [f"{p}_xs"], name=f"{p}_Div"),
            helper.make_node("Round", [f"{p}_xs"], [f"{p}_r"], name=f"{p}_Round"),
        ]
        if uint8:
            new_nodes += [
                helper.make_node("Add", [f"{p}_r", "rq_128"], [f"{p}_r128"], name=f"{p}_Shift"),
                helper.make_node("Cast", [f"{p}_r128"], [q], to=TensorProto.UINT8, name=f"{p}_Cast"),
            ]
        else:
            new_nodes.append(helper.make_node("Cast", [f"{p}_r"], [q], to=TensorProto.INT8, name=f"{p}_Cast"))
        # the zero point is now a constant; the MatMulIntegers read it from rq_zp
        for mmi in consumers.get(zp, []):
            mmi.input[:] = ["rq_zp" if i == zp else i for i in mmi.input]
        # Mul(x_scale, w_scale) -> its consumer Mul(cast, scales) becomes Mul(Mul(cast, w_scale), s)
        for scales_mul in consumers.get(s, []):
            if scales_mul.op_type != "Mul":
                raise ValueError(f"unexpected consumer of {s}: {scales_mul.op_type}")
            (w_scale,) = [i for i in scales_mul.input if i != s]
            dropped.add(id(scales_mul))
            for out_mul in consumers[scales_mul.output[0]]:
                y = out_mul.output[0]
                out_mul.input[:] = [w_scale if i == scales_mul.output[0] else i for i in out_mul.input]
                out_mul.output[:] = [f"{y}_rq_w"]
                appended.append(helper.make_node("Mul", [f"{y}_rq_w", s], [y], name=f"{out_mul.name}_rows"))
    new_nodes += appended
    kept = [n for n in new_nodes if id(n) not in dropped]
    del graph.node[:]
    graph.node.extend(_topological(kept))
    return model


def _topological(nodes: list[Any]) -> list[Any]:
    """``nodes`` in an order where every input is produced before it is read (ONNX requires it)."""
    produced_by = {o: k for k, n in enumerate(nodes) for o in n.output}
    done: set[int] = set()
    order: list[Any] = []

    def visit(k: int) -> None:
        stack = [(k, False)]
        while stack:
            j, expanded = stack.pop()
            if j in done:
                continue
            if expanded:
                done.add(j)
                order.append(nodes[j])
                continue
            stack.append((j, True))
            for i in nodes[j].input:
                p = produced_by.get(i)
                if p is not None and p not in done:
                    stack.append((p, False))

    for k in range(len(nodes)):
        visit(k)
    return order


def session(path: Path) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def cpu_ms_per_text(run: Callable[[], object], n_texts: int, repeats: int) -> float:
    """Median CPU milliseconds per text over ``repeats`` calls of ``run`` (after one warm-up)."""
    run()
    times = []
    for _ in range(repeats):
        c = time.process_time()
        run()
        times.append((time.process_time() - c) * 1000 / n_texts)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--onnx-dir",
        type=Path,
        default=None,
        help="cache dir holding a recipe-2 export (default: export one)",
    )
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--int8", action="store_true", help="also int8 activation codes (slow on AVX2)")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import onnx

    from benchmarks.bench_encode import VARIED
    from matcher.embeddings import OnnxInt8Encoder, SentenceTransformerEncoder
    from matcher.embeddings._runtime import DEFAULT_MODEL
    from matcher.embeddings.onnx_int8 import (
        META_FILE,
        MODEL_FILE,
        RECIPE,
        export_onnx_int8,
        onnx_model_dir,
        per_row_activations,
    )

    work = Path(tempfile.mkdtemp(prefix="probe-rowquant-"))
    model_ref = DEFAULT_MODEL
    per_tensor = onnx_model_dir(model_ref, work / "per-tensor")
    if args.onnx_dir:  # a recipe-2 export (per-tensor scales), e.g. an old var/onnx
        shutil.copytree(onnx_model_dir(model_ref, args.onnx_dir), per_tensor)
    else:
        export_onnx_int8(model_ref, per_tensor, per_row=False)
    rewrites: dict[str, Callable[[Any], Any]] = {
        "per-row uint8 unfused": lambda m: per_row_quantised(m, "uint8"),
        "per-row (recipe 3)": per_row_activations,
    }
    if args.int8:
        rewrites["per-row int8"] = lambda m: per_row_quantised(m, "int8")
    variants: dict[str, Path] = {"per-tensor (recipe 2)": per_tensor}
    for name, rewrite in rewrites.items():
        target = onnx_model_dir(model_ref, work / re.sub(r"\W+", "-", name))
        shutil.copytree(per_tensor, target)
        onnx.save(rewrite(onnx.load(str(per_tensor / MODEL_FILE))), str(target / MODEL_FILE))
        variants[name] = target
    for d in variants.values():  # so that OnnxInt8Encoder opens these graphs as they are
        meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
        (d / META_FILE).write_text(json.dumps({**meta, "recipe": RECIPE}), encoding="utf-8")
    sessions = {k: session(d / MODEL_FILE) for k, d in variants.items()}

    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 29000, size=(16, 31), dtype=np.int64)
    ids[:, 0], ids[:, -1] = 101, 102
    mask = np.ones_like(ids)

    def runner(sess: Any, a: np.ndarray, m: np.ndarray) -> Callable[[], object]:
        return lambda: sess.run(None, {"input_ids": a, "attention_mask": m})

    print("CPU ms per text, one thread, 31-token inputs (median of", args.repeats, "calls)")
    print(f"{'graph':<24}{'batch 1':>10}{'batch 16':>10}{'ratio':>8}")
    for name, sess in sessions.items():

        def one_by_one(sess: Any = sess) -> None:
            for r in range(16):
                sess.run(None, {"input_ids": ids[r : r + 1], "attention_mask": mask[r : r + 1]})

        t1 = cpu_ms_per_text(one_by_one, 16, args.repeats)
        t16 = cpu_ms_per_text(runner(sess, ids, mask), 16, args.repeats)
        print(f"{name:<24}{t1:>10.2f}{t16:>10.2f}{t16 / t1:>8.2f}")

    # batch independence: row 0 alone vs with neighbours of other lengths (padding to 48)
    print("\nbatch independence (max |alone - in batch| over 16 rows; neighbours padded to 48 tokens)")
    width = 48
    pad_ids = np.zeros((16, width), dtype=np.int64)
    pad_mask = np.zeros((16, width), dtype=np.int64)
    lengths = rng.integers(5, width + 1, size=16)
    lengths[0] = 31
    other = rng.integers(1000, 29000, size=(16, width), dtype=np.int64)
    for r in range(16):
        n = int(lengths[r])
        pad_ids[r, :n] = ids[0] if r == 0 else other[r, :n]
        pad_ids[r, 0], pad_ids[r, n - 1] = 101, 102
        pad_mask[r, :n] = 1
    for name, sess in sessions.items():
        alone = np.stack(
            [
                sess.run(
                    None,
                    {
                        "input_ids": pad_ids[r : r + 1, : lengths[r]],
                        "attention_mask": pad_mask[r : r + 1, : lengths[r]],
                    },
                )[0][0]
                for r in range(16)
            ]
        )
        batched = sess.run(None, {"input_ids": pad_ids, "attention_mask": pad_mask})[0]
        shuffled = np.random.default_rng(1).permutation(16)
        reordered = sess.run(None, {"input_ids": pad_ids[shuffled], "attention_mask": pad_mask[shuffled]})[0]
        back = np.empty_like(reordered)
        back[shuffled] = reordered
        same_len = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        same_alone = np.stack(
            [
                sess.run(None, {"input_ids": ids[r : r + 1], "attention_mask": mask[r : r + 1]})[0][0]
                for r in range(16)
            ]
        )
        print(
            f"{name:<24}padded {np.abs(alone - batched).max():.2e}   "
            f"reordered {np.abs(back - batched).max():.2e}   "
            f"equal lengths, unpadded {np.abs(same_len - same_alone).max():.2e}"
        )

    print(f"\ncosine to torch sentence-transformers on {len(VARIED)} varied texts (batch 1 / batch 16)")
    torch_vecs = SentenceTransformerEncoder().load().encode(VARIED)
    for name, d in variants.items():
        cells = []
        for batch in (1, 16):
            enc = OnnxInt8Encoder(cache_dir=d.parent, batch_size=batch)
            cos = np.sum(torch_vecs * enc.encode(VARIED), axis=1)
            cells.append(f"mean {cos.mean():.4f} min {cos.min():.4f}")
        print(f"{name:<24}" + "   /   ".join(cells))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
