"""Catalogue coverage (Ge, Delgado-Battenfeld & Jannach, "Beyond accuracy", RecSys 2010)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from matcher.exceptions import Location, ValidationError

from ._topk import top_k


def catalogue_coverage(
    run: Mapping[str, Mapping[str, float]],
    catalogue: Collection[str],
    *,
    k: int = 10,
) -> float:
    """Share of catalogue items that appear in at least one top-``k`` list.

    Parameters
    ----------
    run : mapping ``{query_id: {doc_id: score}}``
    catalogue : collection of str
        Every item that could be suggested; run items outside it are ignored.
    k : int
        List length.

    Returns
    -------
    float
        In [0, 1].
    """
    items = set(catalogue)
    if not items:
        raise ValidationError("the catalogue is empty", Location(field="catalogue"))
    shown = {doc for docs in run.values() for doc in top_k(docs, k)}
    return len(shown & items) / len(items)
