"""matcher/graph."""
