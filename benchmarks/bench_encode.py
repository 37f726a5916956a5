"""Encoding throughput: plain sentence-transformers vs our torch and ONNX int8 backends, in one process.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/bench_encode.py --threads 1 2

Three text sets: synthetic engineering sentences of ~20 words ("short") and ~150 words
("long"), generated from a fixed seed, each distinct, and real paper abstracts from
``../shared/data/expert-finding-dblp`` (mixed lengths, some longer than one window) when
that file exists.  Every backend is loaded and warmed up before timing (model loading
and the one-off ONNX export are excluded).  The machine is shared, so the sets are cut
into rounds and the backends take turns round by round: a burst of load from another
job hits every backend alike, and each ratio compares times taken side by side.

The baseline is plain ``SentenceTransformer.encode(texts, batch_size=32)`` on torch
(it truncates at 256 word pieces; our backends window long texts instead, so on the
abstracts they do more work than the baseline).  It also reports the cosine between the
ONNX int8 and torch vectors of 50 varied texts (five languages, one word to several
hundred words).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
#: The shared data sets sit beside the repository (../shared) or, for a worktree, two levels up.
DBLP = next(
    (
        p / "shared" / "data" / "expert-finding-dblp" / "profiles.jsonl"
        for p in (_REPO.parent, _REPO.parent.parent)
        if (p / "shared" / "data").is_dir()
    ),
    _REPO.parent / "shared" / "data" / "expert-finding-dblp" / "profiles.jsonl",
)
_VOCABULARY = (
    "laser welding sensor robot gearbox turbine battery grid converter composite aluminium titanium "
    "vibration thermal control firmware network packaging machine mould injection plastic moulding "
    "quality inspection vision model digital twin supply chain energy efficiency hydrogen storage "
    "medical device pharma process crystallisation marine mooring drone bracket additive printing "
    "calibration kinematics maintenance prediction failure wear tribology coating corrosion testing "
    "university group research partner student team laboratory facility cleanroom metrology small "
    "company needs help design develop reduce improve measure analyse optimise validate certify"
)
WORDS = tuple(_VOCABULARY.split())

VARIED = [
    "Hello world",
    "x",
    "CNC machining",
    "We need a partner to design a lightweight aluminium bracket for drone frames.",
    "Research group in power electronics and smart grids.",
    "Our SME builds packaging machines and wants predictive maintenance from vibration data.",
    "Laboratory offering CT scanning and metrology for aerospace components.",
    "Student team needed to map the supply chain of a medtech start-up in Cork.",
    "Hot desk available in the science park, Monday to Friday, with access to the maker space.",
    "Machine learning for quality inspection of welded seams on automotive chassis parts.",
    "Design of a marine energy converter mooring system under extreme wave loads.",
    "Digital twin of an injection moulding line to reduce scrap rates by 20 %.",
    "The group studies IoT protocols for low-power wide-area sensor networks in smart cities.",
    "Need help with CE marking and the Machinery Directive for a new palletising robot.",
    "Agri-tech: autonomous weeding robot using computer vision for olive groves.",
    "Battery management systems, state-of-charge estimation, Kalman filters.",
    "Textile machinery manufacturer seeks partner for energy-efficient dyeing processes.",
    "Management of innovation, open innovation practices in SMEs, growth planning.",
    "PhD student with skills in finite element analysis, Abaqus and Python.",
    "Telecom operator test bed for 5G private networks available to SMEs.",
    "Pharma process engineering: continuous crystallisation and process analytical technology.",
    "Electric motor design for light vehicles; thermal modelling and NVH.",
    "We want to reduce the energy consumption of our compressed-air system.",
    "Cybersecurity audit of industrial control systems and OPC UA networks.",
    "Additive manufacturing of titanium parts; topology optimisation; post-processing.",
    "Diseño de moldes de inyección para envases de plástico reciclado.",
    "Buscamos un socio para desarrollar sensores de humedad para invernaderos.",
    "Gruppo di ricerca in meccatronica e controllo di macchine automatiche per il packaging.",
    "L'azienda cerca competenze in visione artificiale per il controllo qualità.",
    "Nous cherchons un laboratoire pour tester la compatibilité électromagnétique de nos capteurs.",
    "Plateforme d'innovation ouverte pour les PME de l'Internet des objets.",
    "Havacılık parçaları için kompozit malzeme üretiminde iş birliği arıyoruz.",
    "Tekstil makineleri için enerji verimliliği projesi.",
    "Smart meters, demand response, and flexibility markets for distribution grids.",
    "Hydrogen electrolyser stack testing facility with 100 kW capacity.",
    "Robotic arm calibration, kinematics, ROS 2, motion planning.",
    "Data-driven maintenance scheduling for wind turbine gearboxes.",
    "A 3-person student team will analyse the market for refurbished medical devices.",
    "Life-cycle assessment of aluminium versus composite car body panels.",
    "Clean room ISO 7 with wire bonding and microfabrication tools.",
    "SME in Bologna producing gearboxes for agricultural tractors seeks tribology expertise.",
    "Indoor positioning with ultra-wideband anchors for warehouse logistics.",
    "Natural language processing of maintenance reports to predict failures.",
    "Thermal energy storage using phase-change materials for district heating.",
    "Firmware development for ARM Cortex-M microcontrollers, RTOS, embedded C.",
    "Wastewater treatment monitoring with low-cost optical sensors.",
    "Supply chain resilience and lean manufacturing training for small firms.",
    "Vibration testing shaker table up to 50 g, available two days a week.",
    " ".join(["Our company manufactures precision components for the aerospace sector."] * 12),
    " ".join(
        [
            "The research group works on control of power converters, grid integration of renewables,"
            " and reliability of electrical drives in harsh industrial environments."
        ]
        * 8
    ),
]


def synthetic_texts(n: int, n_words: int, seed: int) -> list[str]:
    """``n`` distinct pseudo-sentences of ``n_words`` words each."""
    rng = np.random.default_rng(seed)
    return [f"{i}: " + " ".join(rng.choice(WORDS, size=n_words)) + "." for i in range(n)]


def dblp_abstracts(n: int, path: Path = DBLP) -> list[str]:
    """The first ``n`` distinct document texts of the DBLP profiles (``[]`` if the file is missing)."""
    if not path.exists():
        return []
    texts: dict[str, None] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            for doc in json.loads(line)["documents"]:
                texts[doc["text"]] = None
                if len(texts) >= n:
                    return list(texts)
    return list(texts)


def interleaved_seconds(
    runners: dict[str, Callable[[Sequence[str]], object]], texts: Sequence[str], rounds: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Wall and CPU seconds each runner takes over ``texts``, cut into ``rounds`` turns in rotation.

    CPU seconds (``time.process_time``: every thread of this process) are what a
    one-thread run costs whatever the other jobs on the machine do.
    """
    wall = dict.fromkeys(runners, 0.0)
    cpu = dict.fromkeys(runners, 0.0)
    size = max(1, -(-len(texts) // rounds))
    for r, start in enumerate(range(0, len(texts), size)):
        part = texts[start : start + size]
        names = list(runners)
        names = names[r % len(names) :] + names[: r % len(names)]  # rotate who goes first
        for name in names:
            t, c = time.perf_counter(), time.process_time()
            runners[name](part)
            wall[name] += time.perf_counter() - t
            cpu[name] += time.process_time() - c
    return wall, cpu


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts to measure")
    parser.add_argument("--n-short", type=int, default=96, help="number of ~20-word texts")
    parser.add_argument("--n-long", type=int, default=32, help="number of ~150-word texts")
    parser.add_argument("--n-dblp", type=int, default=48, help="number of real DBLP abstracts (0 skips)")
    parser.add_argument("--rounds", type=int, default=8, help="turns per text set")
    parser.add_argument("--onnx-dir", type=Path, default=None, help="int8 export cache (default: a temp dir)")
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"

    import torch

    from matcher.embeddings import OnnxInt8Encoder, SentenceTransformerEncoder

    onnx_dir = args.onnx_dir or Path(tempfile.mkdtemp(prefix="bench-onnx-"))
    sets = {
        "20 words": synthetic_texts(args.n_short, 20, seed=1),
        "150 words": synthetic_texts(args.n_long, 150, seed=2),
    }
    abstracts = dblp_abstracts(args.n_dblp) if args.n_dblp else []
    if abstracts:
        sets["dblp abstracts"] = abstracts
    ours_torch = SentenceTransformerEncoder().load()
    plain = ours_torch._st  # the very SentenceTransformer object, called the plain way
    print(f"n_short={args.n_short}  n_long={args.n_long}  n_dblp={len(abstracts)}  rounds={args.rounds}")
    if abstracts:
        counts = ours_torch.token_counts(abstracts)
        print(
            f"dblp abstracts: median {int(np.median(counts))} word pieces, "
            f"{np.mean(np.asarray(counts) > 254):.0%} longer than one 254-token window"
        )
    for threads in args.threads:
        onnx = OnnxInt8Encoder(threads=threads, cache_dir=onnx_dir).load()

        def plain_st(texts: Sequence[str], threads: int = threads) -> object:
            torch.set_num_threads(threads)
            return plain.encode(list(texts), batch_size=32, normalize_embeddings=True)

        def torch_windowed(texts: Sequence[str], threads: int = threads) -> object:
            torch.set_num_threads(threads)
            return ours_torch.encode(texts)

        runners: dict[str, Callable[[Sequence[str]], object]] = {
            "sentence-transformers": plain_st,
            "torch backend": torch_windowed,
            "onnx-int8 backend": onnx.encode,
        }
        for run in runners.values():
            run(synthetic_texts(8, 20, seed=3))  # warm-up
        timings = {k: interleaved_seconds(runners, texts, args.rounds) for k, texts in sets.items()}
        print(
            f"\nthreads={threads}  (x plain: wall-clock ratio; cpu: CPU-time ratio, the load-proof one at 1 thread)"
        )
        header = f"{'backend':<24}" + "".join(f"{k + ' texts/s':>22}{'x plain':>9}{'cpu':>7}" for k in sets)
        print(header)
        print("-" * len(header))
        for name in runners:
            cells = ""
            for k, texts in sets.items():
                wall, cpu = timings[k]
                rate = len(texts) / wall[name]
                base = "sentence-transformers"
                cells += f"{rate:>22.1f}{wall[base] / wall[name]:>9.2f}{cpu[base] / cpu[name]:>7.2f}"
            print(f"{name:<24}{cells}")

    torch.set_num_threads(1)
    torch_vecs = ours_torch.encode(VARIED)
    onnx_vecs = OnnxInt8Encoder(cache_dir=onnx_dir).encode(VARIED)
    cos = np.sum(torch_vecs * onnx_vecs, axis=1)
    print(
        f"\nonnx-int8 vs torch cosine on {len(VARIED)} varied texts: "
        f"mean {cos.mean():.4f}, min {cos.min():.4f}, 5th percentile {np.percentile(cos, 5):.4f}"
    )


if __name__ == "__main__":
    main()
