"""BM25 with English stemming over the passages' search text (bm25s)."""

from __future__ import annotations

import re
import threading

_LOCAL = threading.local()  # PyStemmer objects are not safe to share between threads
_STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have how in is it its of on or that the this to was "
    "were what when which who why with much many according report say says said".split()
)


def content_terms(text: str) -> frozenset[str]:
    """Stemmed content words of a text, for sentence-level word overlap."""
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("english")
    words = [w for w in re.findall(r"[a-z0-9£%][a-z0-9£%.,'-]*[a-z0-9%]|[a-z0-9]", text.lower()) if w not in _STOPWORDS]
    return frozenset(stemmer.stemWords(words))


def overlap(question_terms: frozenset[str], text_terms: frozenset[str]) -> float:
    """Share of the question's content words that a text (given by its content_terms) contains."""
    if not question_terms:
        return 0.0
    return len(question_terms & text_terms) / len(question_terms)


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
