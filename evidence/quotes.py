"""Find where a pasted quote comes from, even damaged by copying from a PDF, and say how it differs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from evidence.models import Difference
from indexer.lexical import LexicalIndex
from indexer.models import Passage

VERBATIM = "verbatim"
ALTERED = "altered"
NOT_FOUND = "not found"
MATCH_CUTOFF = 85.0  # partial-ratio score below which a quote is not found (checked on the eval quotes)
CANDIDATES = 5
CANDIDATE_POOL = 50  # passages a quote's words pick for alignment
SCAN_ALL_BELOW = 20_000  # passages: an index this small is also scanned whole when the pool misses
TEXT_CACHE = 50_000

_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise_for_match(text: str) -> str:
    """Lower case, straight quotes and hyphens, line-end hyphenation joined, markup and footnote
    markers dropped, whitespace collapsed: what copying from a PDF changes, undone."""
    text = text.translate(_TRANSLATE)
    text = re.sub(r"<sup>[^<]*</sup>|</?b>|\*\*|[•*#]", " ", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class QuoteMatch:
    row: int  # passage row in the index
    score: float
    verdict: str
    matched: str  # the passage's (normalised) text the quote aligns with
    differences: tuple[Difference, ...]


def word_differences(quoted: str, source: str) -> tuple[Difference, ...]:
    """Word-level differences between the quote and the passage text it matches."""
    a, b = quoted.split(), source.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append(Difference(op, " ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return tuple(out)


class QuoteMatcher:
    """Finds a quote's passage: BM25 on the quote's words picks the candidates, rapidfuzz aligns it.

    A damaged quote keeps most of its rare words, so its source is among the best BM25 matches; a
    small index is also scanned whole when none of those match, in case the damage hit those words.
    """

    def __init__(self, passages: Sequence[Passage], lexical: LexicalIndex):
        self._passages = passages
        self._lexical = lexical
        self._text = lru_cache(maxsize=TEXT_CACHE)(lambda row: normalise_for_match(passages[row].search_text))

    def clear_cache(self) -> None:
        self._text.cache_clear()

    def match(self, quote: str, allowed: np.ndarray | None = None) -> QuoteMatch | None:
        needle = normalise_for_match(quote)
        if len(needle) < 12:
            return None
        rows = [row for row, _ in self._lexical.search(needle, CANDIDATE_POOL, allowed)]
        found = self._match_in(needle, rows)
        if found is None and len(self._passages) <= SCAN_ALL_BELOW:
            everything = range(len(self._passages)) if allowed is None else allowed.tolist()
            tried = set(rows)
            found = self._match_in(needle, [row for row in everything if row not in tried])
        return found

    def _match_in(self, needle: str, rows: list[int]) -> QuoteMatch | None:
        exact = [row for row in rows if needle in self._text(row)]
        if exact:
            row = min(exact, key=lambda r: len(self._text(r)))
            return QuoteMatch(row, 100.0, VERBATIM, needle, ())
        choices = {row: self._text(row) for row in rows}
        hits = process.extract(needle, choices, scorer=fuzz.partial_ratio, limit=CANDIDATES,
                               score_cutoff=MATCH_CUTOFF)
        if not hits:
            return None
        _, score, row = max(hits, key=lambda h: (h[1], -len(self._text(h[2]))))
        text = self._text(row)
        alignment = fuzz.partial_ratio_alignment(needle, text)
        matched = _widen_to_words(text, alignment.dest_start, alignment.dest_end)
        return QuoteMatch(row, float(score), ALTERED, matched, word_differences(needle, matched))


def _widen_to_words(text: str, start: int, end: int) -> str:
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return text[start:end].strip()
