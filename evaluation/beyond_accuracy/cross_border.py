"""Share of cross-border suggestions: the two sides of a suggestion in different countries."""

from __future__ import annotations

from collections.abc import Mapping

from matcher.exceptions import Location, ValidationError

from ._topk import top_k


def cross_border_share(
    run: Mapping[str, Mapping[str, float]],
    item_countries: Mapping[str, str],
    query_countries: Mapping[str, str],
    *,
    k: int = 10,
) -> float:
    """Share of top-``k`` suggestions whose item country differs from the query's.

    Parameters
    ----------
    run : mapping ``{query_id: {doc_id: score}}``
    item_countries, query_countries : mapping of str to str
        ISO 3166 country of each item and each query.
    k : int

    Returns
    -------
    float
        In [0, 1], pooled over all suggestions of all queries.
    """
    total = cross = 0
    for query_id in sorted(run):
        if query_id not in query_countries:
            raise ValidationError(f"no country for query {query_id!r}", Location(field="query_countries"))
        for item in top_k(run[query_id], k):
            if item not in item_countries:
                raise ValidationError(f"no country for item {item!r}", Location(field="item_countries"))
            total += 1
            cross += item_countries[item] != query_countries[query_id]
    if total == 0:
        raise ValidationError("the run suggests nothing", Location(field="run"))
    return cross / total
