"""``matcher graph report``: the collaboration graph as councils read it, with plots.

Writes ``report.md``, a self-contained ``report.html`` (plots embedded) and the PNGs:

- ``council_network.png`` -- the council-level network: one node per council (size: its
  organisations and people in the graph), one edge per pair of councils with ties between
  them (width: number of connected pairs);
- ``cross_border.png`` -- new ties per quarter and the cross-border share of them;
- ``degree_distribution.png`` -- how many partners nodes have (log-log).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from matcher.graph import council_view, graph_stats, simple_graph
from matcher.reporting import ReportDocument
from matcher.services.graph import load_graph
from matcher.store import Session

_FIGURES = ("nodes", "edges", "components", "density", "cross_border_share", "sme_tie_share", "communities")


def council_network(G: nx.MultiGraph) -> nx.Graph:
    """Councils as nodes (``size``: members), ties between their members as weighted edges."""
    S = simple_graph(G)
    C = nx.Graph()
    for council, n in Counter(str(c) for _, c in S.nodes(data="council")).items():
        C.add_node(council, size=n)
    for u, v in S.edges():
        a, b = str(S.nodes[u]["council"]), str(S.nodes[v]["council"])
        if a == b:
            C.nodes[a]["internal"] = C.nodes[a].get("internal", 0) + 1
            continue
        w = C[a][b]["weight"] + 1 if C.has_edge(a, b) else 1
        C.add_edge(a, b, weight=w)
    return C


def _plots(G: nx.MultiGraph, stats: dict[str, Any], out: Path, seed: int) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = {
        "council_network": out / "council_network.png",
        "cross_border": out / "cross_border.png",
        "degree_distribution": out / "degree_distribution.png",
    }
    C = council_network(G)
    fig, ax = plt.subplots(figsize=(7, 6))
    if C.number_of_nodes():
        pos = nx.circular_layout(sorted(C.nodes()))
        weights = [d["weight"] for _, _, d in C.edges(data=True)] or [1]
        top = max(weights)
        nx.draw_networkx_edges(C, pos, ax=ax, width=[0.5 + 8 * w / top for w in weights], alpha=0.5,
                               edge_color="tab:blue")  # fmt: skip
        sizes = [C.nodes[n]["size"] for n in C]
        big = max(sizes)
        nx.draw_networkx_nodes(
            C, pos, ax=ax, node_size=[300 + 2500 * s / big for s in sizes], node_color="tab:orange"
        )
        nx.draw_networkx_labels(
            C, pos, ax=ax, labels={n: f"{n}\n{C.nodes[n]['size']}" for n in C}, font_size=9
        )
        nx.draw_networkx_edge_labels(C, pos, ax=ax, edge_labels={(u, v): d["weight"] for u, v, d in C.edges(data=True)},
                                     font_size=7)  # fmt: skip
    ax.set_title("Council network: members per council, connected pairs between councils")
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(paths["council_network"], dpi=110)
    plt.close(fig)

    quarters = stats["new_ties_by_quarter"]
    fig, ax = plt.subplots(figsize=(9, 4))
    if quarters:
        xs = [q["quarter"] for q in quarters]
        ax.bar(xs, [q["new_ties"] for q in quarters], color="lightgray", label="new ties")
        ax.set_ylabel("new ties (pairs)")
        ax2 = ax.twinx()
        ax2.plot(
            xs,
            [q["cross_border_share"] for q in quarters],
            color="tab:red",
            marker="o",
            label="cross-border share",
        )
        ax2.set_ylim(0, 1.05)
        ax2.set_ylabel("cross-border share")
        step = max(1, len(xs) // 16)
        ax.set_xticks(range(0, len(xs), step))
        ax.set_xticklabels(xs[::step], rotation=45, ha="right", fontsize=8)
        ax.legend(loc="upper left")
        ax2.legend(loc="upper right")
    else:
        ax.text(0.5, 0.5, "no dated ties", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("New ties per quarter and their cross-border share")
    fig.tight_layout()
    fig.savefig(paths["cross_border"], dpi=110)
    plt.close(fig)

    S = simple_graph(G)
    counts = Counter(d for _, d in S.degree() if d > 0)
    fig, ax = plt.subplots(figsize=(6, 4))
    if counts:
        ks = sorted(counts)
        ax.loglog(ks, [counts[k] for k in ks], "o", color="tab:blue")
    ax.set_xlabel("degree (partners)")
    ax.set_ylabel("nodes")
    isolated = sum(1 for _, d in S.degree() if d == 0)
    ax.set_title(f"Degree distribution ({isolated} nodes without ties not shown)")
    fig.tight_layout()
    fig.savefig(paths["degree_distribution"], dpi=110)
    plt.close(fig)
    return paths


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def write_graph_report(
    out_dir: Path, *, session: Session, as_of: dt.date | None = None, seed: int = 0
) -> dict[str, Path]:
    """Write the report (see the module docstring); returns ``markdown``, ``html`` and the plots."""
    out_dir.mkdir(parents=True, exist_ok=True)
    G = load_graph(session=session, as_of=as_of)
    programme = graph_stats(G, seed=seed)
    councils = sorted({str(c) for _, c in G.nodes(data="council")})
    per_council = {c: graph_stats(council_view(G, c), seed=seed, top_k=5) for c in councils}
    plots = _plots(G, programme, out_dir, seed)

    header = ["scope", *_FIGURES]
    rows = [["programme", *(_fmt(programme.get(f)) for f in _FIGURES)]]
    rows += [[c, *(_fmt(per_council[c].get(f)) for f in _FIGURES)] for c in councils]
    brokers = [
        [c, ", ".join(r["id"] for r in per_council[c]["betweenness"]["top"][:5]) or "-"] for c in councils
    ]
    when = f" as of {as_of.isoformat()}" if as_of else ""
    intro = (
        f"Collaboration graph{when}: {programme['nodes']} organisations and people, {programme['edges']} connected "
        f"pairs from {programme['relationships']} relationships ({', '.join(f'{k}: {v}' for k, v in programme['edges_by_kind'].items())}). "
        "A council's view holds its members, their ties and the partners at the other end. "
        "Betweenness is "
        + ("approximated from a sample of sources." if programme["betweenness"]["approximate"] else "exact.")
    )
    captions = {
        "council_network": "Council network (node: members; edge: connected pairs between councils)",
        "cross_border": "New ties per quarter and their cross-border share",
        "degree_distribution": "Degree distribution",
    }
    doc = ReportDocument("Collaboration graph report")
    doc.paragraph(intro)
    doc.heading("Figures by council")
    doc.table(header, rows)
    doc.heading("Top brokers (betweenness) by council")
    doc.table(["council", "brokers"], brokers)
    for key, path in plots.items():
        doc.figure(path, captions[key])
    return {**doc.write(out_dir), **plots}
