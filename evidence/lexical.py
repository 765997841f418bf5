"""BM25 with English stemming over the passages' search text (bm25s)."""

from __future__ import annotations


class LexicalIndex:
    def __init__(self, texts: list[str]):
        import bm25s
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._bm25.index(tokens, show_progress=False)
        self._size = len(texts)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(row, score) of the best k passages with a positive score."""
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        rows, scores = self._bm25.retrieve(tokens, k=min(k, self._size), show_progress=False, n_threads=1)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
