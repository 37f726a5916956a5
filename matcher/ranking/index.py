"""A vector index with one interface over exact search and HNSW graphs.

``backend="exact"`` is brute-force search (:func:`~matcher.ranking.search.exact_top_k`);
``"faiss"`` and ``"usearch"`` build a Hierarchical Navigable Small World graph
(Malkov & Yashunin, 2018, "Efficient and robust approximate nearest neighbor search
using HNSW graphs") with ``faiss.IndexHNSWFlat`` or ``usearch.index.Index``.  Both
ANN libraries are optional (``pip install cluster-match[ann]``) and imported only in
``fit``.  The index remembers the embedding ``model_id`` it was fitted on and refuses
queries from another model.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from matcher.exceptions import ConfigurationError, ModelMismatchError, NotFittedError, ValidationError
from matcher.ranking.quantised import QuantisedExactSearch
from matcher.ranking.search import exact_top_k

__all__ = ["VectorIndex", "candidate_profiles"]

Backend = Literal["exact", "exact-int8", "faiss", "usearch"]


class VectorIndex:
    """Top-``k`` inner-product search over a fixed set of vectors (estimator contract).

    Parameters
    ----------
    backend : {"exact", "exact-int8", "faiss", "usearch"}, default "exact"
        Exact brute force; the same answers from an int8 scan with a proven error bound and a
        float32 re-rank (:class:`~matcher.ranking.quantised.QuantisedExactSearch`, faster on
        large corpora); or an HNSW graph from FAISS or USearch.
    m : int, default 32
        HNSW links per node (``M`` / ``connectivity``).
    ef_construction : int, default 128
        Beam width while building the graph.
    ef_search : int, default 128
        Beam width while searching; higher is slower and more exact.
    batch_size : int, default 256
        Queries per matrix product (exact backend).
    threads : int, default 1
        Threads for building and searching (ANN backends).

    Attributes
    ----------
    model_id_ : str
        Model whose vectors were indexed.
    n_items_ : int
        Number of indexed vectors.
    dim_ : int
        Their dimension.
    """

    def __init__(
        self,
        *,
        backend: Backend = "exact",
        m: int = 32,
        ef_construction: int = 128,
        ef_search: int = 128,
        batch_size: int = 256,
        threads: int = 1,
    ) -> None:
        self.backend = backend
        self.m = m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.batch_size = batch_size
        self.threads = threads

    def fit(self, vectors: np.ndarray, model_id: str) -> VectorIndex:
        """Index ``vectors`` of shape (n_items, dim) produced by ``model_id``; returns ``self``.

        The exact backend keeps a reference to ``vectors`` (an ``np.memmap`` stays on disk).
        """
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValidationError(f"vectors must be a non-empty 2-D array, got shape {vectors.shape}")
        if not model_id:
            raise ValidationError("model_id is required")
        if self.backend == "exact":
            self.vectors_ = vectors if isinstance(vectors, np.memmap) else np.asarray(vectors, np.float32)
            self.index_ = None
        elif self.backend == "exact-int8":
            self.vectors_ = vectors if isinstance(vectors, np.memmap) else np.asarray(vectors, np.float32)
            # its own batch rule: from 16 queries on, the float32 matrix product is the faster path
            self.index_ = QuantisedExactSearch(threads=self.threads).fit(self.vectors_)
        elif self.backend == "faiss":
            import faiss

            faiss.omp_set_num_threads(self.threads)
            index: Any = faiss.IndexHNSWFlat(vectors.shape[1], self.m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            index.hnsw.efSearch = self.ef_search
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
            self.index_ = index
        elif self.backend == "usearch":
            from usearch.index import Index

            index = Index(
                ndim=vectors.shape[1],
                metric="ip",
                dtype="f32",
                connectivity=self.m,
                expansion_add=self.ef_construction,
                expansion_search=self.ef_search,
            )
            keys = np.arange(vectors.shape[0], dtype=np.uint64)
            index.add(keys, np.ascontiguousarray(vectors, dtype=np.float32), threads=self.threads)
            self.index_ = index
        else:
            raise ConfigurationError(
                f"unknown backend {self.backend!r}; use exact, exact-int8, faiss or usearch"
            )
        self.model_id_ = model_id
        self.n_items_, self.dim_ = int(vectors.shape[0]), int(vectors.shape[1])
        return self

    def search(self, queries: np.ndarray, k: int, model_id: str) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` indexed rows for each query.

        Parameters
        ----------
        queries : ndarray of shape (n_queries, dim)
        k : int
            ``0`` or ``k >= n_items`` means every item (exact backend only; ANN caps at ``n_items``).
        model_id : str
            Must equal the ``model_id`` given to :meth:`fit`.

        Returns
        -------
        indices : ndarray of shape (n_queries, k'), int64 (``-1`` where an ANN graph found fewer)
        scores : ndarray of shape (n_queries, k'), float32
        """
        if not hasattr(self, "model_id_"):
            raise NotFittedError("VectorIndex is not fitted; call fit(vectors, model_id) first")
        if model_id != self.model_id_:
            raise ModelMismatchError(f"index holds vectors of {self.model_id_!r}, queries of {model_id!r}")
        q = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if q.shape[1] != self.dim_:
            raise ValidationError(f"queries have dimension {q.shape[1]}, index has {self.dim_}")
        kk = self.n_items_ if (k == 0 or k >= self.n_items_) else k
        if self.backend == "exact" or (self.backend == "exact-int8" and kk == self.n_items_):
            return exact_top_k(q, self.vectors_, kk, batch_size=self.batch_size)
        if self.backend == "exact-int8":
            quantised: Any = self.index_
            return quantised.search(q, kk)
        if self.backend == "faiss":
            import faiss

            faiss.omp_set_num_threads(self.threads)
            faiss_index: Any = self.index_
            faiss_index.hnsw.efSearch = max(self.ef_search, kk)
            scores, idx = faiss_index.search(np.ascontiguousarray(q), kk)
            scores = np.where(idx < 0, -np.inf, scores).astype(np.float32)
            return idx.astype(np.int64), scores
        usearch_index: Any = self.index_
        matches = usearch_index.search(np.ascontiguousarray(q), kk, threads=self.threads)
        keys = np.atleast_2d(np.asarray(matches.keys)).astype(np.int64)
        dist = np.atleast_2d(np.asarray(matches.distances, dtype=np.float32))
        # one query gives ``Matches`` (no ``counts``), several give ``BatchMatches``
        counts = np.atleast_1d(np.asarray(getattr(matches, "counts", len(matches.keys))))
        found = np.arange(keys.shape[1])[None, :] < counts[:, None]
        idx = np.where(found, keys, -1)
        scores = np.where(found, 1.0 - dist, -np.inf).astype(np.float32)  # usearch "ip" distance = 1 - ip
        return idx, scores


def candidate_profiles(
    indexes: list[tuple[VectorIndex, np.ndarray, str]],
    doc_profile: np.ndarray,
    n_profiles: int,
    n_docs: int,
) -> np.ndarray:
    """Candidate profiles per query: those owning a document among each index's nearest ``n_docs``.

    The first, cheap stage of two-stage retrieval (candidate generation, then exact
    re-scoring of the candidates with the full method).

    Parameters
    ----------
    indexes : list of (VectorIndex, query vectors of shape (n_queries, dim), model_id)
        Fitted document indexes (e.g. main and multilingual encoders) with their queries;
        the candidates are the union over them.
    doc_profile : ndarray of shape (n_docs_total,), int
        Profile of each indexed document (the index rows).
    n_profiles : int
    n_docs : int
        Documents fetched per query and index.

    Returns
    -------
    ndarray of shape (n_queries, n_profiles), bool
    """
    if not indexes:
        raise ValidationError("give at least one index")
    prof = np.asarray(doc_profile, dtype=np.int64)
    nq = int(np.atleast_2d(indexes[0][1]).shape[0])
    mask = np.zeros((nq, n_profiles), dtype=bool)
    for index, queries, model_id in indexes:
        idx, _ = index.search(queries, n_docs, model_id)
        rows, cols = np.nonzero(idx >= 0)
        mask[rows, prof[idx[rows, cols]]] = True
    return mask
