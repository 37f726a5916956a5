"""The built-in benchmark's inputs: the demo programme, real data sets, and a ranker for each.

:func:`load_benchmark` reads and embeds the corpora (:mod:`evaluation.corpora`), builds one
``rank`` callable per match type (:mod:`evaluation.rankers`) and names the methods and the
settings grid tuned on the dev split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.formats.trec import read_qrels

from .corpora import load_demo_corpus, load_file_dataset, reachable_qrels, rules_mask
from .rankers import REFERENCES, make_file_rank, make_rank

MATCH_TYPES = ("consultancy", "placement", "partner", "facility")

#: Settings tried on the dev split for each family of methods (RankingConfig fields).
SETTINGS_GRID: dict[str, list[dict[str, Any]]] = {
    "dense-topk": [{"topk": 1}, {"topk": 2}, {"topk": 3}, {"topk": 5}],
    "dense-softmax": [{"temperature": 0.5}, {"temperature": 1.0}, {"temperature": 2.0}],
    "lexical-topk": [{"topk": 2}, {"topk": 3}],
    "hybrid-max": [{"lexical_weight": w} for w in (0.2, 0.3, 0.5, 0.7)],
    "hybrid-topk": [
        {"lexical_weight": w, "topk": k, "calibration": cal}
        for cal in ("zscore", "probit")
        for w in (0.3, 0.4, 0.5, 0.6)
        for k in (2, 3)
    ],
    "hybrid-topk-softmax": [
        {"lexical_weight": w, "temperature": tau, "topk": k}
        for w in (0.4, 0.5, 0.6, 0.7)
        for tau in (0.5, 1.0)
        for k in (2, 3)
    ],
    "hybrid-softmax": [
        {"lexical_weight": w, "temperature": tau}
        for w in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
        for tau in (0.5, 1.0)
    ],
    "dense-topk-lse": [
        {"topk": k, "temperature": tau, "calibration": cal}
        for cal in ("zscore", "probit")
        for k in (5, 10)
        for tau in (1.0, 2.0)
    ],
    "hybrid-topk-lse": [
        {"lexical_weight": w, "topk": k, "temperature": tau, "calibration": cal}
        for cal in ("zscore", "probit")
        for w in (0.2, 0.4, 0.6)
        for k in (5, 10)
        for tau in (1.0, 2.0)
    ],
}


@dataclass
class BenchmarkInputs:
    """Everything :func:`evaluation.benchmark.run_benchmark` needs, demo and real data sets together."""

    challenges: list[str]
    profiles: list[str]
    qrels_by_type: dict[str, dict[str, dict[str, int]]]
    rank: Any
    methods: list[str]
    settings_grid: dict[str, list[dict[str, Any]]]
    model: dict[str, Any]
    query_sets: dict[str, list[str]]
    datasets: dict[str, str]


def load_benchmark(
    data: Path | None, var_dir: Path, *, datasets: Sequence[Path] = (), demo: bool = True
) -> BenchmarkInputs:
    """The demo programme (unless ``demo=False``) and each real data set folder, embedded once.

    Match types are the demo's four (data set ``demo``) and one per real data set, named
    after its folder; the rank callable dispatches on the match type.
    """
    from matcher.config import load_settings
    from matcher.demo import generate
    from matcher.ranking import METHODS
    from matcher.services.engine import make_encoders

    encoder, multi = make_encoders(load_settings())
    ranks: dict[str, Any] = {}
    qrels_by_type: dict[str, dict[str, dict[str, int]]] = {}
    query_sets: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    model: dict[str, Any] = {
        "model": encoder.model_id,
        "multilingual_model": multi.model_id if multi else None,
    }
    challenges: list[str] = []
    profiles: list[str] = []
    if demo:
        data = data if data is not None else var_dir / "demo"
        if not (data / "ground_truth").exists():
            generate(data)
        corpus = load_demo_corpus(data, encoder, multi)
        demo_rank = make_rank(corpus)
        for match_type in MATCH_TYPES:
            path = data / "ground_truth" / f"{match_type}.qrels"
            if path.exists():
                judged = read_qrels(path)
                qrels_by_type[match_type] = reachable_qrels(corpus, judged, rules_mask(corpus, match_type))
                ranks[match_type] = demo_rank
                names[match_type] = "demo"
        challenges, profiles = corpus.challenge_ids, corpus.profile_ids
        model["data"] = str(data)
    for folder in datasets:
        ds = load_file_dataset(Path(folder), encoder, multi)
        if ds.name in qrels_by_type:
            from matcher.exceptions import Location, ValidationError

            raise ValidationError(f"two data sets are named {ds.name!r}", Location(field="--dataset"))
        qrels_by_type[ds.name] = ds.qrels
        ranks[ds.name] = make_file_rank(ds)
        query_sets[ds.name] = ds.inputs.query_ids
        names[ds.name] = ds.name
        model.setdefault("datasets", {})[ds.name] = str(ds.folder)

    def rank(
        method: str, challenges: Sequence[Any], profiles: Any, *, settings: Mapping[str, Any], match_type: str
    ):  # type: ignore[no-untyped-def]
        return ranks[match_type](method, challenges, profiles, settings=settings, match_type=match_type)

    return BenchmarkInputs(
        challenges,
        profiles,
        qrels_by_type,
        rank,
        [*METHODS, *REFERENCES],
        SETTINGS_GRID,
        model,
        query_sets,
        names,
    )


def benchmark_inputs(data: Path | None, var_dir: Path) -> tuple[Any, Any, Any, Any, Any, Any, Any]:
    """``(challenges, profiles, qrels_by_type, rank, methods, settings_grid, model)``: the demo only."""
    b = load_benchmark(data, var_dir)
    return b.challenges, b.profiles, b.qrels_by_type, b.rank, b.methods, b.settings_grid, b.model
