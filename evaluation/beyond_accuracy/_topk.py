"""Top-k lists of a run: the order every beyond-accuracy measure agrees on."""

from __future__ import annotations

from collections.abc import Mapping

from matcher.exceptions import Location, ValidationError


def top_k(docs: Mapping[str, float], k: int | None) -> list[str]:
    """Doc ids by descending score, ties by doc id, cut at ``k`` (``None``: all)."""
    if k is not None and k < 1:
        raise ValidationError("k must be >= 1", Location(field="k"))
    ranked = sorted(docs.items(), key=lambda item: (-item[1], item[0]))
    return [doc for doc, _ in ranked[:k]]
