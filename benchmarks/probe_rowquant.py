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

* batch 1 and batches of 16 inputs of 31 tokens, current graph vs per-row graphs:
  "unfused" (``Abs/ReduceMax/Div/Round/Add/Cast`` then ``MatMulInteger -> Cast -> Mul ->
  Mul``) and "fused" (:func:`per_row_activations`: ``QuantizeLinear`` with one scale
  per row, ``axis=0``, then onnxruntime's ``MatMulIntegerToFloat``); ``--int8`` adds int8
  codes with zero point 0;
* batch independence: a window alone vs inside a batch with other neighbours and
  padding (max absolute difference of the sentence vectors);
* cosine to the torch sentence-transformers vectors on ``bench_encode.VARIED``;
* the encoder end to end on bench_encode's text sets: today's one window per pass vs
  the per-row graph at batch 1 and in length-sorted batches of 16 (<= 512 tokens).

Result (2026-12-03, ORT 1.32, AMD EPYC with AVX2 and no VNNI, one thread, CPU time; the
machine was shared, so absolute times are ~1.5x docs/performance.md's; compare within a
row).  **Not adopted**: see docs/performance.md, "Per-row activation scales".

======================  =======  ========  =================================  ==========================
graph, 31 tokens        batch 1  batch 16  max abs(alone - batched), padded   cosine to torch mean / min
======================  =======  ========  =================================  ==========================
per-tensor (recipe 2)   8.34 ms  6.85 ms   3.5e-02                            0.9909 / 0.9768
per-row uint8 unfused   9.81 ms  8.05 ms   4.5e-08                            0.9958 / 0.9871
per-row fused           9.79 ms  7.80 ms   4.5e-08                            0.9958 / 0.9871
per-row int8 (1st run)  52.0 ms  33.2 ms   5.2e-08                            0.9971 / 0.9909
======================  =======  ========  =================================  ==========================

==============  ===================  ================  =================
encoder, ms     per-tensor, batch 1  per-row, batch 1  per-row, batch 16
per text        (today)
(min / median)
==============  ===================  ================  =================
20 words        8.48 / 9.19          9.18 / 9.98       7.66 / 8.18
150 words       49.1 / 52.7          58.1 / 59.2       55.6 / 57.8
DBLP abstracts  43.3 / 49.5          43.5 / 50.4       47.9 / 51.7
==============  ===================  ================  =================

Batch-independent, and closer to torch, but only 10-11 % cheaper per short text in
batches (the per-row Abs/ReduceMax/QuantizeLinear and the row-scale Mul and bias Add
run outside the GEMM, where DynamicQuantizeMatMul fuses them), and 4-20 % dearer (three runs) on long
windows, which batching does not help (16 x 200 tokens is slower per window than 1 x 200).
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


def per_row_activations(model: Any) -> Any:
    """Quantise activations with one scale per token row instead of one per tensor.

    ``quantize_dynamic`` emits ``DynamicQuantizeLinear(x)`` (one uint8 scale and zero
    point for the whole (batch, seq, hidden) tensor) feeding ``MatMulInteger -> Cast ->
    Mul(x_scale * w_scale)``.  With several windows in one pass, the scale is set by
    whichever window has the largest activation, so vectors would depend on batch
    neighbours.  Each such site becomes a symmetric per-row quantisation::

        s = max(max|x| over hidden, tiny) / 127          # shape (..., 1)
        q = QuantizeLinear(x as (rows, hidden), s, 128, axis=0)   # uint8, zero point 128
        y = MatMulIntegerToFloat(q, Wq, 1, w_scale, 128, w_zp) * s

    The integer product is exact and everything else is row-wise, so a token's output
    depends on its own row only (and, through attention, on its own window's rows).
    uint8 codes with zero point 128 keep MLAS's fast u8s8 kernels (int8 codes were 5x
    slower on AVX2, benchmarks/probe_rowquant.py); ``MatMulIntegerToFloat`` (onnxruntime's
    ``com.microsoft`` domain) applies the per-column weight scales inside the GEMM.

    Parameters
    ----------
    model : onnx.ModelProto
        Output of ``quantize_dynamic``; rewritten in place.

    Returns
    -------
    onnx.ModelProto
        ``model``.
    """
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    producer = {o: n for n in graph.node for o in n.output}
    weights = {i.name: i for i in graph.initializer}
    consts: dict[str, np.ndarray] = {
        "rowq_tiny": np.array(_FLOAT_TINY, dtype=np.float32),
        "rowq_127": np.array(127.0, dtype=np.float32),
        "rowq_one": np.array(1.0, dtype=np.float32),
        "rowq_zp": np.array(128, dtype=np.uint8),
        "rowq_flat": np.array([-1], dtype=np.int64),
    }
    graph.initializer.extend(numpy_helper.from_array(v, k) for k, v in consts.items())
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    nodes: list[Any] = []
    dropped: set[int] = set()
    for node in graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            x = node.input[0]
            q, s, _ = node.output  # the zero point becomes the constant 128
            (hidden,) = {int(weights[u.input[1]].dims[0]) for u in consumers[q]}
            p = f"{node.name}_rowq"
            graph.initializer.append(
                numpy_helper.from_array(np.array([-1, hidden], dtype=np.int64), f"{p}_2d")
            )
            nodes += [
                helper.make_node("Abs", [x], [f"{p}_abs"]),
                helper.make_node("ReduceMax", [f"{p}_abs"], [f"{p}_max"], axes=[-1], keepdims=1),
                helper.make_node("Max", [f"{p}_max", "rowq_tiny"], [f"{p}_maxg"]),
                helper.make_node("Div", [f"{p}_maxg", "rowq_127"], [s]),
                helper.make_node("Reshape", [s, "rowq_flat"], [f"{p}_s1"]),
                helper.make_node("Shape", [f"{p}_s1"], [f"{p}_rows"]),
                helper.make_node(
                    "ConstantOfShape",
                    [f"{p}_rows"],
                    [f"{p}_zp1"],
                    value=helper.make_tensor("zp", TensorProto.UINT8, [1], [128]),
                ),
                helper.make_node("Shape", [x], [f"{p}_shape"]),
                helper.make_node("Reshape", [x, f"{p}_2d"], [f"{p}_x2"]),
                helper.make_node("QuantizeLinear", [f"{p}_x2", f"{p}_s1", f"{p}_zp1"], [f"{p}_q2"], axis=0),
                helper.make_node("Reshape", [f"{p}_q2", f"{p}_shape"], [q]),
            ]
            dropped.update(id(m) for m in consumers[s])  # the Mul(x_scale, w_scale) nodes
            continue
        source = producer.get(node.input[0]) if node.op_type == "MatMulInteger" else None
        if source is not None and source.op_type == "DynamicQuantizeLinear":
            q, w, _, w_zp = node.input
            (cast,) = consumers[node.output[0]]
            (rescale,) = consumers[cast.output[0]]
            (scales,) = [i for i in rescale.input if i != cast.output[0]]
            s = producer[q].output[1]
            (w_scale,) = [i for i in producer[scales].input if i != s]
            y = rescale.output[0]
            dropped.update({id(cast), id(rescale)})
            nodes += [
                helper.make_node(
                    "MatMulIntegerToFloat",
                    [q, w, "rowq_one", w_scale, "rowq_zp", w_zp],
                    [f"{y}_rowq"],
                    domain="com.microsoft",
                ),
                helper.make_node("Mul", [f"{y}_rowq", s], [y]),
            ]
            continue
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(_topological_order([n for n in nodes if id(n) not in dropped]))
    return model


def _topological_order(nodes: list[Any]) -> list[Any]:
    """``nodes`` reordered so that every input is produced before it is read (ONNX requires it)."""
    producer = {o: k for k, n in enumerate(nodes) for o in n.output}
    done: set[int] = set()
    order: list[Any] = []
    for root in range(len(nodes)):
        stack = [(root, False)]
        while stack:
            k, ready = stack.pop()
            if k in done:
                continue
            if ready:
                done.add(k)
                order.append(nodes[k])
                continue
            stack.append((k, True))
            stack += [
                (producer[i], False) for i in nodes[k].input if i in producer and producer[i] not in done
            ]
    return order


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
    parser.add_argument("--rounds", type=int, default=6, help="turns per text set in the encoder section")
    parser.add_argument("--int8", action="store_true", help="also int8 activation codes (slow on AVX2)")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import onnx

    from benchmarks.bench_encode import VARIED, dblp_abstracts, synthetic_texts
    from matcher.embeddings import OnnxInt8Encoder, SentenceTransformerEncoder
    from matcher.embeddings._runtime import DEFAULT_MODEL
    from matcher.embeddings.onnx_int8 import META_FILE, MODEL_FILE, RECIPE, onnx_model_dir

    work = Path(tempfile.mkdtemp(prefix="probe-rowquant-"))
    model_ref = DEFAULT_MODEL
    per_tensor = onnx_model_dir(model_ref, work / "per-tensor")
    if args.onnx_dir:  # a recipe-2 export (per-tensor scales), e.g. an old var/onnx
        shutil.copytree(onnx_model_dir(model_ref, args.onnx_dir), per_tensor)
    else:
        OnnxInt8Encoder(cache_dir=work / "per-tensor").load()  # today's export (recipe 2)
    rewrites: dict[str, Callable[[Any], Any]] = {
        "per-row uint8 unfused": lambda m: per_row_quantised(m, "uint8"),
        "per-row fused": per_row_activations,
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

    # the encoder as it would run: bench_encode's text sets, windows sorted by length and
    # batched (batch 16, at most 512 padded tokens) vs today's one window per pass
    print("\nencoder CPU ms per text, one thread (min / median over rounds, taking turns)")
    fused = variants["per-row fused"].parent
    encoders = {
        "per-tensor, batch 1": OnnxInt8Encoder(cache_dir=per_tensor.parent, batch_size=1),
        "per-row, batch 1": OnnxInt8Encoder(cache_dir=fused, batch_size=1),
        "per-row, batch 16": OnnxInt8Encoder(cache_dir=fused, batch_size=16),
    }
    encoders["per-row, batch 16"].max_batch_tokens = 512
    sets = {
        "20 words": synthetic_texts(96, 20, seed=1),
        "150 words": synthetic_texts(16, 150, seed=2),
        "dblp abstracts": dblp_abstracts(24),
    }
    for set_name, texts in sets.items():
        if not texts:
            continue
        cpu: dict[str, list[float]] = {k: [] for k in encoders}
        for r in range(args.rounds):
            names = list(encoders)
            for k in names[r % len(names) :] + names[: r % len(names)]:
                c = time.process_time()
                encoders[k].encode(texts)
                cpu[k].append((time.process_time() - c) * 1000 / len(texts))
        print(
            f"{set_name:<16}"
            + "   ".join(f"{k}: {min(v):.2f} / {statistics.median(v):.2f}" for k, v in cpu.items())
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
