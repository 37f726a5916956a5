"""Memory and time of the common-text rule (``matcher.ranking.rules.common_sentences``) on prose.

Run on demand, from the repository root::

    .venv/bin/python benchmarks/bench_common_text.py                 # 60,000 documents, ~3 min
    .venv/bin/python benchmarks/bench_common_text.py --docs 20000

Real prose has mostly distinct 3-word windows (72 % on the DBLP abstracts), unlike the
templated demo.  The corpus here is synthetic prose with that property: each document is
``--words`` words drawn from a Zipf-like vocabulary of ``--vocab`` words, cut into sentences
of 8-25 words, with one boilerplate sentence shared by a third of the profiles (so there is
something common to find).  Each variant runs in a fresh subprocess, so its peak RSS
(``ru_maxrss``) is its own: the exact one-pass count (``max_windows`` above the number of
distinct windows) and the bounded count (the default ``max_windows``, which the corpus
exceeds).  Both must return the same windows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(n_docs: int, words: int, vocab: int, seed: int = 0) -> tuple[list[str], list[int]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    lexicon = [f"w{i}" for i in range(vocab)]
    p = 1.0 / np.arange(1, vocab + 1)
    p /= p.sum()
    texts, groups = [], []
    for d in range(n_docs):
        ids = rng.choice(vocab, size=words, p=p)
        cuts = np.cumsum(rng.integers(8, 26, size=words // 8 + 1))
        sentences, start = [], 0
        for c in cuts:
            if start >= words:
                break
            sentences.append(" ".join(lexicon[i] for i in ids[start:c]).capitalize() + ".")
            start = int(c)
        if d % 3 == 0:
            sentences.append("We supply customers across Europe and are open to joint projects.")
        texts.append(" ".join(sentences))
        groups.append(d // 2)  # two documents per profile
    return texts, groups


def child(args: argparse.Namespace) -> None:
    import resource
    import time

    import numpy as np

    sys.path.insert(0, str(ROOT))
    from matcher.ranking.rules import common_sentences

    texts, groups = corpus(args.docs, args.words, args.vocab)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.process_time()
    kw = {} if args.max_windows is None else {"max_windows": args.max_windows}
    common = common_sentences(texts, np.asarray(groups), **kw)
    cpu = time.process_time() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cpu_s": cpu, "peak_mb": peak, "before_mb": base, "common": sorted(common)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--docs", type=int, default=60_000)
    ap.add_argument("--words", type=int, default=100)
    ap.add_argument("--vocab", type=int, default=30_000)
    ap.add_argument("--max-windows", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    rows = {}
    for name, mw in (("exact, one pass", 10**12), ("bounded (default max_windows)", None)):
        cmd = [sys.executable, __file__, "--child", "--docs", str(args.docs), "--words", str(args.words),
               "--vocab", str(args.vocab)] + ([] if mw is None else ["--max-windows", str(mw)])  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows[name] = json.loads(out.strip().splitlines()[-1])
    print(f"## common_sentences on {args.docs:,} synthetic prose documents of {args.words} words\n")
    print("| count | CPU s | peak RSS (MB) | RSS before the count (MB) | common windows |")
    print("|---|---|---|---|---|")
    for name, r in rows.items():
        print(
            f"| {name} | {r['cpu_s']:.1f} | {r['peak_mb']:,.0f} | {r['before_mb']:,.0f} | {len(r['common'])} |"
        )
    same = len({json.dumps(r["common"]) for r in rows.values()}) == 1
    print(f"\nsame windows: {same}")


if __name__ == "__main__":
    main()
