"""``matcher evaluate graph``: does the collaboration graph predict the ties that form next?

Time split: the ties formed up to the split point ``T`` (the ``train_share`` quantile of
the tie order: dates in the demo, the CORDIS projectID -- which grows with the grant date --
in CORDIS) make the training graph; each organisation with ties on both sides is a query
whose relevant items are its *new* partners after ``T``.  Candidates are every other
organisation of the training graph except its existing partners.  Three scorers:

- ``content``: TF-IDF cosine between the organisations' texts (profile documents in the
  demo; in CORDIS, which ships no project texts, the organisation's name and city -- a weak
  content signal, said so in the report);
- ``graph``: Adamic-Adar on the training graph (:class:`matcher.graph.LinkPredictor`);
- ``blended``: :func:`matcher.graph.blend_scores` of the two with the configured weight
  and the border/community novelty, exactly as partner suggestions do.

Metrics per query: nDCG@10 and recall@20 (:mod:`evaluation.metrics`, ranx) and the AUC
(probability that a new partner outranks a non-partner, ties count half); means with
percentile-bootstrap CIs and paired comparisons (:mod:`evaluation.uncertainty`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.stats import rankdata
from sklearn.feature_extraction.text import TfidfVectorizer

from evaluation.metrics import evaluate_run
from evaluation.uncertainty import bootstrap_ci, paired_comparison
from matcher.graph import LinkPredictor, blend_scores, communities, novelty

RUN_DEPTH = 100


@dataclass(frozen=True)
class Tie:
    source: str
    target: str
    order: float


def time_split(ties: list[Tie], train_share: float) -> tuple[float, list[Tie], list[Tie]]:
    orders = np.array([t.order for t in ties])
    cut = float(np.quantile(orders, train_share, method="lower"))  # an observed order: ties at the cut train
    return cut, [t for t in ties if t.order <= cut], [t for t in ties if t.order > cut]


def _auc(scores: np.ndarray, positive: np.ndarray) -> float:
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return 0.5
    ranks = rankdata(scores)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def evaluate_ties(
    ties: list[Tie],
    texts: dict[str, str],
    countries: dict[str, str],
    *,
    weight: float,
    train_share: float = 0.8,
    max_queries: int = 300,
    seed: int = 0,
    n_resamples: int = 1000,
) -> dict[str, Any]:
    """Scores of content, graph and blended on the time split (see the module docstring)."""
    cut, train, test = time_split(ties, train_share)
    G = nx.Graph()
    G.add_edges_from((t.source, t.target) for t in train)
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    new: dict[str, set[str]] = {}
    for t in test:
        if t.source in index and t.target in index and not G.has_edge(t.source, t.target):
            new.setdefault(t.source, set()).add(t.target)
            new.setdefault(t.target, set()).add(t.source)
    queries = sorted(new)
    if not queries:
        from matcher.exceptions import ValidationError

        raise ValidationError(f"no organisation forms a new tie after the split point {cut:g}")
    rng = np.random.default_rng(seed)
    if len(queries) > max_queries:
        queries = sorted(rng.choice(queries, size=max_queries, replace=False).tolist())
    predictor = LinkPredictor(method="adamic_adar").fit(G)
    tfidf = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform([texts.get(n, "") or n for n in nodes])
    comm = np.full(len(nodes), -1)
    for i, members in enumerate(communities(G, seed=seed)):
        comm[[index[m] for m in members]] = i
    country = np.array([countries.get(n, "") for n in nodes], dtype=object)
    runs: dict[str, dict[str, dict[str, float]]] = {"content": {}, "graph": {}, "blended": {}}
    aucs: dict[str, list[float]] = {k: [] for k in runs}
    qrels = {q: dict.fromkeys(sorted(new[q]), 1) for q in queries}
    for start in range(0, len(queries), 64):
        block = queries[start : start + 64]
        rows = [index[q] for q in block]
        graph_scores = predictor.scores(block)
        content_scores = np.asarray((tfidf[rows] @ tfidf.T).todense())
        for b, q in enumerate(block):
            usable = np.isfinite(graph_scores[b])  # not the query itself nor an existing partner
            content = np.where(usable, content_scores[b], -np.inf)
            nov = novelty(int(comm[rows[b]]), comm, countries.get(q, ""), country)
            scored = {
                "content": content,
                "graph": np.where(usable, graph_scores[b], -np.inf),
                "blended": blend_scores(content, graph_scores[b], weight=weight, novelty=nov),
            }
            positive = np.zeros(len(nodes), dtype=bool)
            positive[[index[v] for v in new[q]]] = True
            for name, s in scored.items():
                aucs[name].append(_auc(s[usable], positive[usable]))
                # equal scores keep the candidates' order (stable sort): runs are deterministic
                top = np.argsort(-np.where(usable, s, -np.inf), kind="stable")[:RUN_DEPTH]
                runs[name][q] = {
                    nodes[j]: float(s[j]) - 1e-9 * r for r, j in enumerate(top) if np.isfinite(s[j])
                }
    out: dict[str, Any] = {
        "ties": len(ties), "train_ties": len(train), "test_ties": len(test), "split_order": cut,
        "train_nodes": len(nodes), "queries": len(queries), "weight": weight, "metrics": {},
        "comparisons": {},
    }  # fmt: skip
    per_query: dict[str, dict[str, np.ndarray]] = {}
    for name, run in runs.items():
        scores = evaluate_run(qrels, run, ["ndcg@10", "recall@20"])
        per_query[name] = {**scores.per_query, "auc": np.array(aucs[name])}
        out["metrics"][name] = {
            m: _ci(bootstrap_ci(v, n_resamples=n_resamples, random_state=seed))
            for m, v in per_query[name].items()
        }
    for base in ("content", "graph"):
        out["comparisons"][f"blended-vs-{base}"] = {
            m: _cmp(paired_comparison(per_query[base][m], per_query["blended"][m], n_resamples=n_resamples,
                                      random_state=seed))
            for m in per_query["blended"]
        }  # fmt: skip
    return out


def _ci(ci: Any) -> dict[str, float]:
    return {"mean": ci.estimate, "low": ci.low, "high": ci.high}


def _cmp(c: Any) -> dict[str, float]:
    return {"difference": c.mean_difference, "low": c.ci.low, "high": c.ci.high, "p_value": c.p_value}


def store_ties(database_url: str) -> tuple[list[Tie], dict[str, str], dict[str, str]]:
    """Organisation-organisation ties of a stored programme with their order, texts and countries."""
    from matcher.services.cordis import project_order
    from matcher.services.database import open_database
    from matcher.store import corpus as corpus_store
    from matcher.store import graph as graph_store

    _, factory = open_database(database_url, initialise=False)
    with factory() as session:
        nodes = {n.id: n for n in graph_store.graph_nodes(session=session) if n.node_type == "organisation"}
        edges = graph_store.graph_edges(session=session)
        corpus = corpus_store.load_corpus(session=session)
        names = dict(graph_store.organisation_names(session=session))
    ties = []
    for e in edges:
        if e.source not in nodes or e.target not in nodes or e.source == e.target:
            continue
        order = project_order(e.id)
        if e.date is not None:
            ties.append(Tie(e.source, e.target, float(e.date.toordinal())))
        elif order is not None:
            ties.append(Tie(e.source, e.target, float(order)))
    texts: dict[str, list[str]] = {}
    owner = {c.profile_id: c.owner_id for c in corpus.candidates if c.owner_type == "organisation"}
    for d in corpus.documents:
        if d.profile_id in owner:
            texts.setdefault(owner[d.profile_id], []).append(d.text)
    joined = {n: " ".join(texts.get(n, [])) or names.get(n, "") for n in nodes}
    return ties, joined, {n: v.country for n, v in nodes.items()}


def write_graph_evaluation(results: dict[str, dict[str, Any]], out: Path, *, command: str) -> Path:
    """``graph_evaluation.json`` and ``report.md`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "graph_evaluation.json").write_text(
        json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8"
    )
    md = ["# Link prediction: content, graph and blended (time split)", "", "```", command, "```", "",
          f"Date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}", ""]  # fmt: skip
    for data, r in results.items():
        md += [f"## {data}", "", f"{r['ties']} ties; train {r['train_ties']} (order <= {r['split_order']:g}), "
               f"test {r['test_ties']}; {r['train_nodes']} organisations in the training graph; "
               f"{r['queries']} queries; blend weight {r['weight']}.", "",
               "| scorer | nDCG@10 | recall@20 | AUC |", "|---|---|---|---|"]  # fmt: skip
        for name, m in r["metrics"].items():
            cells = [
                f"{m[k]['mean']:.3f} [{m[k]['low']:.3f}, {m[k]['high']:.3f}]"
                for k in ("ndcg@10", "recall@20", "auc")
            ]
            md.append(f"| {name} | " + " | ".join(cells) + " |")
        md += ["", "| comparison | metric | difference [95 % CI] | p |", "|---|---|---|---|"]
        for comp, ms in r["comparisons"].items():
            for k, c in ms.items():
                md.append(
                    f"| {comp} | {k} | {c['difference']:+.3f} [{c['low']:+.3f}, {c['high']:+.3f}] | {c['p_value']:.3g} |"
                )
        md.append("")
    path = out / "report.md"
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return path
