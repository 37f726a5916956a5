"""The collaboration graph from the store: build, snapshot, analyse, export, and who sees what.

Pure graph code lives in :mod:`matcher.graph`; this module reads the store
(:mod:`matcher.store.graph`) and applies the access rules:

- ``GET /graph/stats``: admins see the programme (or any council); a council key its own
  region (:func:`matcher.graph.council_view`); other roles are refused.
- ``GET /organisations/{id}/network``: the caller must be allowed to read relationships
  and the organisation; the neighbourhood holds only nodes the caller may read (people
  only of its own council or organisation, private organisations likewise).

The graph is rebuilt when the store changed (:func:`cached_graph` compares
:func:`~matcher.store.graph.graph_stamp`); erasing a person also drops the
node from every cached graph at once (:func:`forget_node`), so no cached copy outlives
the erasure.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from matcher.domain.access import Ownership
from matcher.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from matcher.graph import (
    GraphEdge,
    GraphNode,
    LinkPredictor,
    blend_scores,
    build_graph,
    communities,
    council_view,
    export_graph,
    graph_stats,
    novelty,
    simple_graph,
)
from matcher.graph.analytics import COMMUNITIES_MAX_EDGES
from matcher.services import access
from matcher.services.access import Principal, Role
from matcher.store import Session
from matcher.store import graph as graph_store

_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], nx.MultiGraph]] = {}


def load_graph(*, session: Session, as_of: dt.date | None = None) -> nx.MultiGraph:
    """The collaboration graph of the stored programme (relationships dated after ``as_of`` left out).

    Nodes carry ``node_type``, ``kind``, ``council``, ``country``, and for access checks
    ``organisation_id`` and ``public``.
    """
    rows = graph_store.graph_nodes(session=session)
    nodes = [GraphNode(r.id, r.node_type, r.kind, r.council, r.country) for r in rows]
    edges = [GraphEdge(e.source, e.target, e.kind, e.date) for e in graph_store.graph_edges(session=session)]
    G = build_graph(nodes, edges, as_of=as_of)
    for r in rows:
        G.nodes[r.id]["organisation_id"] = r.organisation_id
        G.nodes[r.id]["public"] = r.public
    return G


def cached_graph(*, session: Session, key: str = "default") -> nx.MultiGraph:
    """The current graph, rebuilt only when organisations, people or relationships changed."""
    stamp = graph_store.graph_stamp(session=session)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None and found[0] == stamp:
            return found[1]
    G = load_graph(session=session)
    with _cache_lock:
        _cache[key] = (stamp, G)
    return G


def forget_node(node_id: str) -> int:
    """Remove ``node_id`` and its edges from every cached graph; returns the edges removed."""
    removed = 0
    with _cache_lock:
        for _stamp, G in _cache.values():
            if node_id in G:
                removed += G.degree(node_id)
                G.remove_node(node_id)
    _models.clear()
    return removed


def stats(
    *,
    session: Session,
    as_of: dt.date | None = None,
    council: str | None = None,
    seed: int = 0,
    betweenness_sample: int | None = None,
) -> dict[str, Any]:
    """:func:`matcher.graph.graph_stats` of the programme or of one council's view, with its scope."""
    G = load_graph(session=session, as_of=as_of)
    if council is not None:
        if council not in {c for _, c in G.nodes(data="council")} and not _council_exists(council, session):
            raise NotFoundError(f"no council {council!r}")
        G = council_view(G, council)
    out = graph_stats(G, seed=seed, betweenness_sample=betweenness_sample)
    out["scope"] = {"council": council, "as_of": as_of.isoformat() if as_of else None}
    return out


def _council_exists(code: str, session: Session) -> bool:
    from matcher.store import records as repo

    return code in repo.council_codes(session=session)


def export(path: Path, fmt: str, *, session: Session, as_of: dt.date | None = None) -> tuple[int, int]:
    """Write the graph to ``path`` in ``fmt``; returns (nodes, edges)."""
    G = load_graph(session=session, as_of=as_of)
    text = export_graph(G, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return G.number_of_nodes(), G.number_of_edges()


# --------------------------------------------------------------------------- access
_GRAPH_READERS = frozenset({Role.ADMIN, Role.COUNCIL, Role.COORDINATOR, Role.FACILITY_HOST, Role.SME})


def _ownership(G: nx.MultiGraph, node: str) -> tuple[str, Ownership]:
    d = G.nodes[node]
    entity = "organisations" if d.get("node_type") == "organisation" else "people"
    return entity, Ownership(d.get("organisation_id"), d.get("council"), bool(d.get("public")))


def may_see(principal: Principal, G: nx.MultiGraph, node: str) -> bool:
    entity, owner = _ownership(G, node)
    return access.can_read(principal, entity, owner)


def api_stats(
    principal: Principal, *, council: str | None, as_of: dt.date | None, session: Session
) -> dict[str, Any]:
    """Graph statistics for an admin (programme or a council) or a council key (its region only)."""
    if principal.role == Role.ADMIN:
        return _visible_stats(principal, stats(session=session, as_of=as_of, council=council), session)
    if principal.role != Role.COUNCIL:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read graph statistics")
    if council is not None and council != principal.council:
        raise PermissionDeniedError(f"a council key of {principal.council} sees its own region only")
    out = stats(session=session, as_of=as_of, council=principal.council)
    return _visible_stats(principal, out, session)


def _visible_stats(principal: Principal, out: dict[str, Any], session: Session) -> dict[str, Any]:
    """Drop named nodes (top degree, brokers) the caller may not read."""
    G = cached_graph(session=session)
    ok = lambda n: n in G and may_see(principal, G, n)  # noqa: E731
    out["top_degree"] = [r for r in out["top_degree"] if ok(r["id"])]
    out["betweenness"]["top"] = [r for r in out["betweenness"]["top"] if ok(r["id"])]
    return out


def network(
    principal: Principal, organisation_id: str, *, depth: int = 1, session: Session
) -> dict[str, Any]:
    """The organisation's neighbourhood up to ``depth`` (1 or 2) hops, as far as the caller may see.

    Returns ``{"center", "depth", "nodes": [...], "edges": [...]}``; nodes carry ``id``,
    ``node_type``, ``kind``, ``council``, ``country``, ``distance``; edges ``source``,
    ``target``, ``kind``, ``weight``, ``first``, ``last``.
    """
    if depth not in (1, 2):
        raise ValidationError("depth is 1 or 2")
    if principal.role not in _GRAPH_READERS:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot read the collaboration graph")
    access.require_read(principal, "organisations", organisation_id, session=session)
    G = cached_graph(session=session)
    if organisation_id not in G:
        raise NotFoundError(f"no organisation with id {organisation_id!r}")
    distance = nx.single_source_shortest_path_length(G, organisation_id, cutoff=depth)
    visible = {n: d for n, d in distance.items() if n == organisation_id or may_see(principal, G, n)}
    nodes = [
        {"id": n, "node_type": G.nodes[n]["node_type"], "kind": G.nodes[n]["kind"],
         "council": G.nodes[n]["council"], "country": G.nodes[n]["country"], "distance": d}
        for n, d in sorted(visible.items(), key=lambda item: (item[1], item[0]))
    ]  # fmt: skip
    edges = [
        {"source": u, "target": v, "kind": e["kind"], "weight": int(e["weight"]),
         "first": e["first"].isoformat() if e["first"] else None,
         "last": e["last"].isoformat() if e["last"] else None}
        for u, v, e in G.subgraph(visible).edges(data=True)
    ]  # fmt: skip
    edges.sort(key=lambda e: (e["source"], e["target"], e["kind"]))
    return {"center": organisation_id, "depth": depth, "nodes": nodes, "edges": edges}


# --------------------------------------------------------------------------- partner suggestions
@dataclass
class _Model:
    stamp: tuple[Any, ...]
    graph: nx.MultiGraph
    predictor: LinkPredictor
    community: dict[str, int]


_models: dict[str, _Model] = {}


def _model(*, session: Session) -> _Model:
    stamp = graph_store.graph_stamp(session=session)
    found = _models.get("default")
    if found is not None and found.stamp == stamp:
        return found
    G = cached_graph(session=session)
    S = simple_graph(G)
    predictor = LinkPredictor(method="adamic_adar").fit(S)
    community: dict[str, int] = {}
    if 0 < S.number_of_edges() <= COMMUNITIES_MAX_EDGES:
        for i, members in enumerate(communities(S, seed=0)):
            if len(members) > 1:
                community.update(dict.fromkeys(members, i))
    model = _Model(stamp, G, predictor, community)
    _models["default"] = model
    return model


def drop_models() -> None:
    """Forget the fitted partner models (they are rebuilt on next use)."""
    _models.clear()


@dataclass
class PartnerGraph:
    """Graph evidence for one organisation's partner candidates (one entry per candidate profile).

    ``scores``: Adamic-Adar between the query organisation and each candidate's owner;
    ``novelty``: :func:`matcher.graph.novelty`.  :meth:`blend` mixes them into content
    scores; :meth:`explain` adds the ``graph`` reason to the returned suggestions.
    """

    organisation_id: str
    owners: list[str]
    scores: np.ndarray
    novelty: np.ndarray
    model: _Model

    @classmethod
    def for_query(
        cls,
        organisation_id: str,
        owner_ids: Sequence[str] | np.ndarray,
        countries: Sequence[str] | np.ndarray,
        country: str,
        *,
        session: Session,
    ) -> PartnerGraph:
        m = _model(session=session)
        p = m.predictor
        row = p.scores([organisation_id])[0]
        idx = np.array([p.index_.get(o, -1) for o in owner_ids], dtype=np.int64)
        scores = np.where(idx >= 0, row[np.maximum(idx, 0)], 0.0)
        comm = np.array([m.community.get(o, -1) for o in owner_ids], dtype=np.int64)
        nov = novelty(m.community.get(organisation_id), comm, country, np.asarray(countries, dtype=object))
        return cls(organisation_id, list(owner_ids), scores, nov, m)

    def blend(self, content: np.ndarray, *, weight: float) -> np.ndarray:
        return blend_scores(content, self.scores, weight=weight, novelty=self.novelty)

    def explain(self, suggestions: list[Any]) -> list[Any]:
        """Add ``reasons["graph"]`` to each suggestion: shared partners, community bridge, score."""
        index = {o: i for i, o in enumerate(self.owners)}
        for s in suggestions:
            i = index.get(s.candidate_id)
            shared = self.model.predictor.shared_partners(self.organisation_id, s.candidate_id)
            texts = []
            if shared:
                names = ", ".join(shared[:3]) + (", ..." if len(shared) > 3 else "")
                texts.append(
                    f"shares {len(shared)} partner{'s' if len(shared) > 1 else ''} with {s.candidate_id}: {names}"
                )
            mine = self.model.community.get(self.organisation_id)
            theirs = self.model.community.get(s.candidate_id)
            if mine is not None and theirs is not None and mine != theirs:
                texts.append(f"bridges community {theirs}")
            s.reasons["graph"] = {
                "adamic_adar": float(self.scores[i])
                if i is not None and np.isfinite(self.scores[i])
                else 0.0,
                "shared_partners": shared[:10],
                "community": theirs,
                "novelty": float(self.novelty[i]) if i is not None else 0.0,
                "text": texts,
            }
        return suggestions
