"""Find where a pasted quote comes from, even damaged by copying from a PDF, and say how it differs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from evidence.models import Difference

VERBATIM = "verbatim"
ALTERED = "altered"
NOT_FOUND = "not found"
MATCH_CUTOFF = 85.0  # partial-ratio score below which a quote is not found (checked on the eval quotes)
CANDIDATES = 5

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
    """Holds the normalised texts of all passages; matching a quote is one rapidfuzz pass over them."""

    def __init__(self, texts: list[str]):
        self._texts = [normalise_for_match(t) for t in texts]

    def match(self, quote: str, allowed: set[int] | None = None) -> QuoteMatch | None:
        needle = normalise_for_match(quote)
        if len(needle) < 12:
            return None
        exact = [i for i, t in enumerate(self._texts) if needle in t and (allowed is None or i in allowed)]
        if exact:
            row = min(exact, key=lambda i: len(self._texts[i]))
            return QuoteMatch(row, 100.0, VERBATIM, needle, ())
        choices = {i: t for i, t in enumerate(self._texts) if allowed is None or i in allowed}
        hits = process.extract(needle, choices, scorer=fuzz.partial_ratio, limit=CANDIDATES,
                               score_cutoff=MATCH_CUTOFF)
        if not hits:
            return None
        _, score, row = max(hits, key=lambda h: (h[1], -len(self._texts[h[2]])))
        text = self._texts[row]
        alignment = fuzz.partial_ratio_alignment(needle, text)
        matched = _widen_to_words(text, alignment.dest_start, alignment.dest_end)
        return QuoteMatch(row, float(score), ALTERED, matched, word_differences(needle, matched))


def _widen_to_words(text: str, start: int, end: int) -> str:
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return text[start:end].strip()
