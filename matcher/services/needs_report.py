"""Write a needs map as ``report.md`` + self-contained ``report.html`` + PNG plots + ``needs.json``."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import numpy as np

from matcher.services.needs_map import NeedsMap

__all__ = ["write_needs_report"]

_CAPTIONS = {
    "map": "Challenges on a 2-D map (first two principal components of their embeddings), by need cluster",
    "gaps": "Coverage of each cluster by the best available capability: local, cross-border, and the gap",
    "trends": "New challenges per quarter, largest clusters",
}


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _plot_map(needs: NeedsMap, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 6))
    cmap = plt.get_cmap("tab20")
    labels = np.array(needs.point_cluster)
    for i, c in enumerate(needs.clusters):
        pts = needs.points[labels == i]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=18,
            color=cmap(i % 20),
            alpha=0.75,
            label=f"{c.id} ({c.size}) {c.label}"[:40],
        )
        if i >= 8:  # name the eight largest on the map; the legend lists every cluster
            continue
        cx, cy = pts.mean(axis=0)
        ax.annotate(f"{c.id}: {c.label}", (cx, cy), fontsize=8, weight="bold", ha="center",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.7, "lw": 0})  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"Need clusters — {needs.council or 'programme'} ({needs.n_challenges} challenges)")
    ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_gaps(needs: NeedsMap, path: Path) -> None:
    import matplotlib.pyplot as plt

    clusters = sorted(needs.clusters, key=lambda c: -(c.gap if c.gap is not None else -1))
    names = [f"{c.id}: {c.label}" for c in clusters]
    y = np.arange(len(clusters))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(clusters) + 1.5))
    h = 0.27
    ax.barh(y - h, [c.local or 0 for c in clusters], h, label="local coverage", color="#4c72b0")
    ax.barh(y, [c.cross_border or 0 for c in clusters], h, label="cross-border coverage", color="#55a868")
    ax.barh(
        y + h, [c.gap or 0 for c in clusters], h, label="gap (reference − best coverage)", color="#c44e52"
    )
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(needs.reference, color="grey", ls="--", lw=1)
    ax.axvline(0, color="black", lw=0.5)
    ax.set_xlabel(f"mean best calibrated match score; gap = reference ({needs.reference:.2f}, dashed) − best")
    ax.set_title("Gaps: widest first")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_trends(needs: NeedsMap, path: Path) -> None:
    import matplotlib.pyplot as plt

    quarters = sorted({q for c in needs.clusters for q in c.quarters})
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for c in needs.clusters[:8]:
        ax.plot(quarters, [c.quarters.get(q, 0) for q in quarters], marker="o", label=f"{c.id}: {c.label}")
    ax.set_ylabel("new challenges")
    ax.set_title("New challenges per quarter")
    ax.tick_params(axis="x", rotation=45, labelsize=8)
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _example_text(e: dict) -> str:
    if e.get("anonymised"):
        skills = ", ".join(e.get("required_skills") or []) or "no skills stated"
        return f"(private, {e.get('council')}, {e.get('sector') or 'no sector'}: {skills})"
    return f"{e['id']}: {e['title']}"


def _rows(needs: NeedsMap) -> list[list[str]]:
    return [
        [c.id, c.label, str(c.size), ", ".join(f"{k} {v}" for k, v in c.councils.items()),
         ", ".join(list(c.sectors)[:3]), ", ".join(list(c.skills)[:5]),
         _fmt(c.local), _fmt(c.cross_border), _fmt(c.gap), c.best_council or "–",
         "; ".join(_example_text(e) for e in c.examples)]
        for c in needs.clusters
    ]  # fmt: skip


HEADER = ["id", "label", "size", "councils", "sectors", "top skills", "local", "cross-border", "gap",
          "best council", "examples"]  # fmt: skip


def write_needs_report(needs: NeedsMap, out_dir: Path | str) -> dict[str, Path]:
    """Write the report files into ``out_dir``; returns their paths by name."""
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plots = {"map": out / "map.png", "gaps": out / "gaps.png", "trends": out / "trends.png"}
    _plot_map(needs, plots["map"])
    _plot_gaps(needs, plots["gaps"])
    _plot_trends(needs, plots["trends"])
    scope = needs.council or "the programme"
    rows = _rows(needs)
    widest = sorted((c for c in needs.clusters if c.gap is not None), key=lambda c: -(c.gap or 0))[:3]
    md = [f"# Needs map: {scope}", "",
          f"{needs.n_challenges} challenges in {len(needs.clusters)} need clusters "
          f"(embeddings: {needs.model_id}). Coverage is the mean over a cluster's challenges of the best "
          "calibrated match score of a capability in the challenge's council (local) or elsewhere "
          f"(cross-border); the gap is the programme's median best score ({needs.reference:.2f}) minus the "
          "best of both: positive gaps are needs covered worse than the typical challenge.", "",
          "Widest gaps: " + "; ".join(f"{c.id} {c.label} ({_fmt(c.gap)})" for c in widest) + ".", ""]  # fmt: skip
    md.append("| " + " | ".join(HEADER) + " |")
    md.append("|" + "---|" * len(HEADER))
    md += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows]
    md.append("")
    for name, path in plots.items():
        md += [f"![{_CAPTIONS[name]}]({path.name})", ""]
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    imgs = "".join(
        f'<figure><img alt="{html.escape(_CAPTIONS[n])}" src="data:image/png;base64,'
        f'{base64.b64encode(p.read_bytes()).decode()}"><figcaption>{html.escape(_CAPTIONS[n])}</figcaption></figure>'
        for n, p in plots.items()
    )
    page = (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>Needs map: {html.escape(scope)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:.85em}"
        "td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}img{max-width:100%}</style>"
        f"<h1>Needs map: {html.escape(scope)}</h1><p>{html.escape(md[2])}</p><p>{html.escape(md[4])}</p>"
        f"<table><tr>{head}</tr>{body}</table>{imgs}</html>"
    )
    (out / "report.html").write_text(page, encoding="utf-8")
    (out / "needs.json").write_text(
        json.dumps(needs.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return {"markdown": out / "report.md", "html": out / "report.html", "json": out / "needs.json", **plots}
