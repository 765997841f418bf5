"""BM25 with English stemming over the passages' retrieval text (bm25s), built once and stored."""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path

import numpy as np

COMMON_SHARE = 0.1
COMMON_MIN_TEXTS = 50_000
_LOCAL = threading.local()  # PyStemmer objects are not safe to share between threads
STOPWORDS = frozenset(
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
    # "what's" is "what": a stop word, not a word of the question's subject
    words = [w for w in (re.sub(r"'s$", "", t) for t in re.findall(r"[a-z0-9£%][a-z0-9£%.,'-]*[a-z0-9%]|[a-z0-9]",
                                                                    text.lower())) if w not in STOPWORDS]
    return frozenset(_stemmer().stemWords(words))


def overlap(question_terms: frozenset[str], text_terms: frozenset[str]) -> float:
    """Share of the question's content words that a text (given by its content_terms) contains."""
    if not question_terms:
        return 0.0
    return len(question_terms & text_terms) / len(question_terms)


def _tokenize(texts: list[str], show_progress: bool = False):
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=show_progress)


@functools.cache
def _english_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s.tokenize's default token pattern


def query_tokens(text: str) -> list[str]:
    """A query's stemmed words in order, as `_tokenize` reads a text (lower case, bm25s's token pattern,
    its English stop words out, then stemmed), without bm25s's per-call progress bars and id tables,
    which cost more than the words themselves on a question's dozen searches and look-ups."""
    stop = _english_stopwords()
    words = [w for w in _TOKEN.findall(text.lower()) if w not in stop]
    return _stemmer().stemWords(words) if words else []


class LexicalIndex:
    """bm25s over a list of texts; `save` and `load` keep it with the index, memory-mapped when loaded."""

    def __init__(self, bm25, size: int):
        self._bm25 = bm25
        self._size = size
        self._df: np.ndarray | None = None  # texts holding each word, from the index's posting lists
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

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
        """(row, score) of the best k texts with a positive score (among `allowed` rows if given).

        Words in more than COMMON_SHARE of the texts (and more than COMMON_MIN_TEXTS) are left out of
        the query: their low IDF adds little, and their posting lists are most of a large index's
        work. They stay in a small index's queries, where they cost nothing.
        """
        ids = self._bm25.get_tokens_ids(query_tokens(query))
        if not ids or k <= 0:
            return []
        if self._df is None:
            self._df = np.diff(np.asarray(self._bm25.scores["indptr"]))
        limit = max(COMMON_SHARE * self._size, COMMON_MIN_TEXTS)
        kept = [i for i in ids if self._df[i] <= limit] or [min(ids, key=lambda i: self._df[i])]
        scores = self._scores(kept)
        if allowed is None:
            rows = self._rows_that_can_be_top(scores, kept, k)
        else:
            rows = np.unique(np.asarray(allowed, dtype=np.int64))
        rows = rows[scores[rows] > 0]  # ascending
        if len(rows) > k:  # the k best; of texts tied with the k-th, the first in index order
            kth = np.partition(scores[rows], len(rows) - k)[len(rows) - k]
            above, tied = rows[scores[rows] > kth], rows[scores[rows] == kth]
            rows = np.concatenate([above, tied[: k - len(above)]])
        rows = rows[np.lexsort((rows, -scores[rows]))]  # best first; ties in index order
        return [(int(r), float(scores[r])) for r in rows]

    def distinctive_terms(self, text: str, share: float = COMMON_SHARE) -> frozenset[str]:
        """The text's content words (stemmed) that at most `share` of the texts hold, English stop
        words aside: "abandoned", "fragile" and words no text holds, not "into", "must" or "NHS"."""
        from bm25s.stopwords import STOPWORDS_EN

        stop = frozenset(_stemmer().stemWords(list(STOPWORDS_EN)))
        return frozenset(t for t in content_terms(text) - stop if self.document_frequency(t) <= share * self._size)

    def never_holds(self, word: str) -> bool:
        """No text holds the word as a query would search it (tokenised and stemmed alike: "joined-up"
        is "joined" and "up"); False for a word of stop words only ("them"), which is never searched."""
        tokens = query_tokens(word)
        return bool(tokens) and all(self._bm25.vocab_dict.get(t) is None for t in tokens)

    def document_frequency(self, term: str) -> int:
        """How many texts hold the stemmed term (0 when none does)."""
        if self._df is None:
            self._df = np.diff(np.asarray(self._bm25.scores["indptr"]))
        token_id = self._bm25.vocab_dict.get(term)
        return 0 if token_id is None else int(self._df[token_id])

    @property
    def size(self) -> int:
        return self._size

    def _postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """bm25s's score matrix (data, indices, indptr) as plain-array views of its memory maps:
        slicing an np.memmap costs a Python call each time, a hundred times a question."""
        if self._arrays is None:
            self._arrays = tuple(np.asarray(self._bm25.scores[key]) for key in ("data", "indices", "indptr"))
        return self._arrays

    def _scores(self, terms: list[int]) -> np.ndarray:
        """BM25 scores of every text: each word's posting list added in one vectorised step (a list
        holds each text once, so no np.add.at is needed)."""
        data, indices, indptr = self._postings()
        scores = np.zeros(self._size, dtype=np.float32)
        for t in terms:
            a, b = int(indptr[t]), int(indptr[t + 1])
            scores[indices[a:b]] += data[a:b]
        return scores

    def _rows_that_can_be_top(self, scores: np.ndarray, terms: list[int], k: int) -> np.ndarray:
        """The rows (ascending) scoring at least a floor the k-th best score cannot be below: one
        comparison over all scores leaves a handful of rows to sort instead of every text holding a
        query word (a million and more at a million passages). The floor is the k-th best score in
        the shortest posting list holding at least k texts: a list holds each text once, so k
        distinct texts reach it."""
        _, indices, indptr = self._postings()
        lengths = {t: int(indptr[t + 1] - indptr[t]) for t in terms}
        enough = [t for t in lengths if lengths[t] >= k]
        if not enough:  # every list is short: few texts score at all
            return np.flatnonzero(scores)
        t = min(enough, key=lengths.get)
        held = scores[indices[int(indptr[t]) : int(indptr[t + 1])]]
        floor = np.partition(held, len(held) - k)[len(held) - k]
        return np.flatnonzero(scores >= floor)
