"""Deterministic demo programme for the six councils, with graded ground truth.

>>> from matcher.demo import generate
>>> summary = generate(Path("var/demo"), seed=7, scale=1.0)  # doctest: +SKIP
"""

from matcher.demo.generator import TARGETS, DemoSummary, generate
from matcher.demo.topics import TOPICS, Topic

__all__ = ["TARGETS", "TOPICS", "DemoSummary", "Topic", "generate"]
