"""Retrievers, swappable by name: lexical (BM25), dense (MiniLM + FAISS) and their rank fusion.

Each returns passage ids with scores, best first; the evaluation runs any of them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from indexer.embedding import Embedder
from indexer.lexical import LexicalIndex
from indexer.store import LoadedIndex


class Retriever(Protocol):
    name: str

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]: ...


class BM25Retriever:
    """bm25s over the passages' search text, English stop words and Snowball stemming."""

    name = "bm25"

    def __init__(self, index: LoadedIndex):
        self._ids = [p.id for p in index.passages]
        self._lexical = LexicalIndex.build([p.search_text for p in index.passages])

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
        vector = self._embedder.encode([query])
        scores, rows = self._faiss.search(np.asarray(vector, dtype=np.float32), min(k, len(self._ids)))
        return [(self._ids[int(r)], float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]


class HybridRetriever:
    """BM25 and dense fused by reciprocal rank (Cormack et al. 2009): score = sum of 1 / (k + rank).

    Rank fusion needs no score calibration between the two halves; k = 60 is the paper's value.
    """

    name = "hybrid"

    def __init__(self, lexical: Retriever, dense: Retriever, k: int = 60, depth: int = 50):
        self._parts = (lexical, dense)
        self._k = k
        self._depth = depth

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        fused: dict[str, float] = {}
        for part in self._parts:
            for rank, (pid, _) in enumerate(part.search(query, self._depth), start=1):
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (self._k + rank)
        return sorted(fused.items(), key=lambda kv: -kv[1])[:k]


class EngineRetriever:
    """The full query engine: hybrid retrieval, re-ranking, duplicates folded, answers and lookups.

    A folded duplicate group is one entry: its primary with the others as "also in".
    """

    name = "engine"

    def __init__(self, index: LoadedIndex, embedder: Embedder):
        from evidence.engine import Engine

        self.engine = Engine(index, embedder)

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        return [(sp.passage.id, sp.score) for sp in self.engine.rank(query, k)]

    def entries(self, query: str, k: int = 10) -> list[tuple[float, list[str]]]:
        """Each shown entry with all the passages it stands for (primary first, then "also in")."""
        return [(sp.score, [sp.passage.id] + [c.passage_id for c in sp.also_in]) for sp in self.engine.rank(query, k)]

    def answer(self, query: str):
        return self.engine.ask(query)

    def lookup(self, query: str):
        return self.engine.lookup(query)


RetrieverFactory = Callable[[LoadedIndex, Embedder], Retriever]
RETRIEVERS: dict[str, RetrieverFactory] = {
    "bm25": lambda index, embedder: BM25Retriever(index),
    "dense": lambda index, embedder: DenseRetriever(index, embedder),
    "hybrid": lambda index, embedder: HybridRetriever(BM25Retriever(index), DenseRetriever(index, embedder)),
    "engine": lambda index, embedder: EngineRetriever(index, embedder),
}


def make_retriever(name: str, index: LoadedIndex, embedder: Embedder) -> Retriever:
    if name not in RETRIEVERS:
        raise ValueError(f"unknown retriever {name!r}; choose from {', '.join(RETRIEVERS)}")
    return RETRIEVERS[name](index, embedder)
