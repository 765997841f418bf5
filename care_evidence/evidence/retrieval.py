"""Retrievers, swappable by name: lexical (BM25), dense (MiniLM + FAISS) and their rank fusion.

Each returns passage ids with scores, best first; the evaluation runs any of them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

from care_evidence.evidence.fusion import reciprocal_rank_fusion
from care_evidence.evidence.settings import Settings
from care_evidence.indexer.embedding import Embedder
from care_evidence.indexer.store import LoadedIndex


class Retriever(Protocol):
    """Anything the evaluation can rank passages with."""

    name: str

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]: ...


@runtime_checkable
class AnsweringRetriever(Retriever, Protocol):
    """A retriever that also folds duplicates, answers and looks citations up (the engine): the
    evaluation scores its entries, its figures and its look-ups too."""

    def entries(self, query: str, k: int = 10) -> list[tuple[float, list[str]]]: ...

    def answer(self, query: str): ...

    def lookup(self, query: str): ...


class BM25Retriever:
    """The index's own BM25 (bm25s over each passage's retrieval text: headings, text and context,
    English stop words, Snowball stemming): the same text the engine's lexical search reads."""

    name = "bm25"

    def __init__(self, index: LoadedIndex):
        self._ids = [p.id for p in index.passages]
        self._lexical = index.lexical

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        return [(self._ids[row], score) for row, score in self._lexical.search(query, k)]


class DenseRetriever:
    """The packaged MiniLM query embedding against the FAISS index of passage embeddings."""

    name = "dense"

    def __init__(self, index: LoadedIndex, embedder: Embedder):
        self._ids = [p.id for p in index.passages]
        self._faiss = index.faiss_index
        self._embedder = embedder

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        vector = self._embedder.encode_query(query)[None, :]
        scores, rows = self._faiss.search(np.asarray(vector, dtype=np.float32), min(k, len(self._ids)))
        return [(self._ids[int(r)], float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]


class HybridRetriever:
    """BM25 and dense fused by reciprocal rank (Cormack et al. 2009): score = sum of 1 / (k + rank).

    Rank fusion needs no score calibration between the two halves; k = 60 is the paper's value.
    """

    name = "hybrid"

    def __init__(self, lexical: Retriever, dense: Retriever, k: int, depth: int):
        self._parts = (lexical, dense)
        self._k = k
        self._depth = depth

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        fused = reciprocal_rank_fusion((part.search(query, self._depth) for part in self._parts), self._depth, self._k)
        return sorted(fused.items(), key=lambda kv: -kv[1])[:k]


class EngineRetriever:
    """The full query engine: hybrid retrieval, re-ranking, duplicates folded, answers and lookups.

    A folded duplicate group is one entry: its primary with the others as "also in".
    """

    name = "engine"

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: Settings | None = None):
        from care_evidence.evidence.engine import Engine

        self.engine = Engine(index, embedder, settings)

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        return [(sp.passage.id, sp.score) for sp in self.engine.rank(query, k)]

    def entries(self, query: str, k: int = 10) -> list[tuple[float, list[str]]]:
        """Each shown entry with all the passages it stands for (primary first, then "also in")."""
        return [(sp.score, [sp.passage.id] + [c.passage_id for c in sp.also_in]) for sp in self.engine.rank(query, k)]

    def answer(self, query: str):
        return self.engine.ask(query)

    def lookup(self, query: str):
        return self.engine.lookup(query)


RetrieverFactory = Callable[[LoadedIndex, Embedder, Settings], Retriever]
RETRIEVERS: dict[str, RetrieverFactory] = {
    "bm25": lambda index, embedder, settings: BM25Retriever(index),
    "dense": lambda index, embedder, settings: DenseRetriever(index, embedder),
    "hybrid": lambda index, embedder, settings: HybridRetriever(
        BM25Retriever(index), DenseRetriever(index, embedder), settings.rrf_k, settings.fused_depth),
    "engine": lambda index, embedder, settings: EngineRetriever(index, embedder, settings),
}


def make_retriever(name: str, index: LoadedIndex, embedder: Embedder, settings: Settings | None = None) -> Retriever:
    if name not in RETRIEVERS:
        raise ValueError(f"unknown retriever {name!r}; choose from {', '.join(RETRIEVERS)}")
    return RETRIEVERS[name](index, embedder, settings or Settings())
