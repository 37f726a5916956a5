"""matcher/graph: the collaboration graph -- build, analyse, export, predict links (pure functions)."""

from matcher.graph.analytics import communities, council_view, cross_border_by_quarter, graph_stats
from matcher.graph.blend import blend_scores, novelty
from matcher.graph.build import GraphEdge, GraphNode, build_graph, simple_graph, snapshot
from matcher.graph.export import FORMATS, export_graph
from matcher.graph.predict import METHODS, LinkPredictor, adjacency, link_scores

__all__ = [
    "FORMATS",
    "METHODS",
    "GraphEdge",
    "GraphNode",
    "LinkPredictor",
    "adjacency",
    "blend_scores",
    "build_graph",
    "communities",
    "council_view",
    "cross_border_by_quarter",
    "export_graph",
    "graph_stats",
    "link_scores",
    "novelty",
    "simple_graph",
    "snapshot",
]
