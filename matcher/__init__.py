"""Cluster Match: a matchmaking engine for university-industry programmes."""

__version__ = "0.1.0"
