"""Retrievers the evaluation can run by name. Each returns passage ids with scores, best first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from indexer.embedding import Embedder
from indexer.store import LoadedIndex


class Retriever(Protocol):
    name: str

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]: ...


class BM25Retriever:
    """bm25s over the passages' search text, English stop words and Snowball stemming."""

    name = "bm25"

    def __init__(self, index: LoadedIndex):
        import bm25s
        import Stemmer

        self._ids = [p.id for p in index.passages]
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        tokens = bm25s.tokenize([p.search_text for p in index.passages], stopwords="en",
                                stemmer=self._stemmer, show_progress=False)
        self._bm25.index(tokens, show_progress=False)

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        k = min(k, len(self._ids))
        docs, scores = self._bm25.retrieve(tokens, k=k, show_progress=False)
        return [(self._ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


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


RetrieverFactory = Callable[[LoadedIndex, Embedder], Retriever]
RETRIEVERS: dict[str, RetrieverFactory] = {
    "bm25": lambda index, embedder: BM25Retriever(index),
    "dense": lambda index, embedder: DenseRetriever(index, embedder),
}


def make_retriever(name: str, index: LoadedIndex, embedder: Embedder) -> Retriever:
    if name not in RETRIEVERS:
        raise ValueError(f"unknown retriever {name!r}; choose from {', '.join(RETRIEVERS)}")
    return RETRIEVERS[name](index, embedder)
