"""BM25 with English stemming over the passages' retrieval text (bm25s), built once and stored."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

_LOCAL = threading.local()  # PyStemmer objects are not safe to share between threads
_STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have how in is it its of on or that the this to was "
    "were what when which who why with much many according report say says said".split()
)


def _stemmer():
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("english")
    return stemmer


def content_terms(text: str) -> frozenset[str]:
    """Stemmed content words of a text, for sentence-level word overlap."""
    words = [w for w in re.findall(r"[a-z0-9£%][a-z0-9£%.,'-]*[a-z0-9%]|[a-z0-9]", text.lower()) if w not in _STOPWORDS]
    return frozenset(_stemmer().stemWords(words))


def overlap(question_terms: frozenset[str], text_terms: frozenset[str]) -> float:
    """Share of the question's content words that a text (given by its content_terms) contains."""
    if not question_terms:
        return 0.0
    return len(question_terms & text_terms) / len(question_terms)


def _tokenize(texts: list[str], show_progress: bool = False):
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=show_progress)


class LexicalIndex:
    """bm25s over a list of texts; `save` and `load` keep it with the index, memory-mapped when loaded."""

    def __init__(self, bm25, size: int):
        self._bm25 = bm25
        self._size = size

    @classmethod
    def build(cls, texts: list[str], show_progress: bool = False) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index(_tokenize(texts, show_progress), show_progress=show_progress)
        return cls(bm25, len(texts))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        return cls(bm25, int(bm25.scores["num_docs"]))

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row, score) of the best k texts with a positive score (among `allowed` rows if given)."""
        tokens = _tokenize([query])
        if not tokens.vocab or k <= 0:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(self._size, dtype=np.float32)
            mask[allowed] = 1.0
        try:
            rows, scores = self._bm25.retrieve(tokens, k=min(k, self._size), show_progress=False, n_threads=1,
                                               weight_mask=mask)
        except ValueError:  # no query word is in the index
            return []
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
