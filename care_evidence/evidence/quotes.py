"""Find where a pasted quote comes from, even damaged by copying from a PDF, and say how it differs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from care_evidence.evidence.messages import Status
from care_evidence.evidence.models import Difference
from care_evidence.evidence.settings import Settings
from care_evidence.indexer.lexical import LexicalIndex
from care_evidence.indexer.models import Passage
from care_evidence.indexer.text import PLAIN_TYPING, collapse_space

VERBATIM = Status.VERBATIM
ALTERED = Status.ALTERED
NOT_FOUND = Status.NOT_FOUND



def normalise_for_match(text: str) -> str:
    """Lower case, straight quotes and hyphens, line-end hyphenation joined, markup and footnote
    markers dropped, whitespace collapsed: what copying from a PDF changes, undone."""
    return _normalise_keeping_case(text).lower()


def _normalise_keeping_case(text: str) -> str:
    text = text.translate(PLAIN_TYPING)
    text = re.sub(r"<sup>[^<]*</sup>|</?b>|\*\*|[•*#]", " ", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return collapse_space(text)


# A footnote marker glued to a word by its punctuation, as PDF text has them: "budget).26", "experience.92,93".
_GLUED_MARKER = re.compile(r"(?<=[^\W\d]{2})[.,;:)\]'\"]+\d{1,3}(?:,\d{1,3})*$")  # not "A.3", "s.76"


def _bare(words: list[str]) -> list[str]:
    """Words without the punctuation around them or a glued footnote marker: "planned." is "planned"
    (a quote often stops short of the sentence's full stop, or starts after its opening quotation
    mark, and leaves the markers out)."""
    return [_GLUED_MARKER.sub("", w).strip(".,;:!?'\"()[]…") or w for w in words]


@dataclass(frozen=True)
class QuoteMatch:
    row: int  # passage row in the index
    score: float
    verdict: str
    matched: str  # the passage's text the quote aligns with, normalised but in its own case
    differences: tuple[Difference, ...]


def word_differences(quoted: str, source: str) -> tuple[Difference, ...]:
    """Word-level differences between the quote and the passage text it matches, punctuation around
    words aside; the source's words before the quote's first word and after its last are not
    differences (the alignment widened to whole words, or took in a neighbouring sentence)."""
    return _aligned(quoted.split(), source.split())[0]


def _aligned(a: list[str], b: list[str], shown: list[str] | None = None) -> tuple[tuple[Difference, ...], int, int]:
    """Differences between quote words `a` and source words `b` (shown as `shown`, the same words in
    their own case), and the span of `b` the quote covers."""
    shown = shown or b
    # rapidfuzz's word-level edit script: the same operations as difflib's SequenceMatcher on all 22
    # quote look-ups of the eval set (compared when it replaced it), in C.
    ops = [tuple(op) for op in Levenshtein.opcodes(_bare(a), _bare(b))]
    while ops and ops[0][0] == "insert":
        ops = ops[1:]
    while ops and ops[-1][0] == "insert":
        ops = ops[:-1]
    if not ops:
        return (), 0, 0
    out = tuple(Difference(op, " ".join(a[i1:i2]), " ".join(shown[j1:j2]))
                for op, i1, i2, j1, j2 in ops if op != "equal")
    return out, ops[0][3], ops[-1][4]


def changed_figures(differences: tuple[Difference, ...] | list[Difference]) -> list[Difference]:
    """The differences that change a number: what an auditor checking a quote must see first. Damage
    from OCR or PDF copying inside a word ("bi1lion", "mi1lion", "2O15", "rn" for "m") is repaired
    first: a figure is changed only when its value is."""
    return [d for d in differences if re.search(r"\d", d.quoted + d.source)
            and _numbers(d.quoted) != _numbers(d.source)]


# Characters OCR and PDF copying confuse: in a word with letters a digit is a letter ("bi1lion"), in a
# number a letter is a digit ("2O15", "5l%").
_AS_LETTERS = str.maketrans({"1": "l", "0": "o", "|": "l"})
_AS_DIGITS = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0", "|": "1"})


def _numbers(text: str) -> list[str]:
    """The numbers a text states once character damage is repaired."""
    out = []
    for word in text.split():
        # a letter no digit is mistaken for makes it a word ("h01d"); else it is a number ("2O15")
        if re.search(r"[^\W\dlIOo|]", word):
            word = word.translate(_AS_LETTERS)
        else:
            word = word.translate(_AS_DIGITS)
        out += re.findall(r"\d+(?:[.,]\d+)*", word.replace(",", ""))
    return out


class QuoteMatcher:
    """Finds a quote's passage: BM25 on the quote's words picks the candidates, rapidfuzz aligns it.

    A damaged quote keeps most of its rare words, so its source is among the best BM25 matches; a
    small index is also scanned whole when none of those match, in case the damage hit those words.
    """

    def __init__(self, passages: Sequence[Passage], lexical: LexicalIndex, settings: Settings | None = None):
        self._passages = passages
        self._lexical = lexical
        self._settings = settings or Settings()
        self._text = lru_cache(maxsize=self._settings.quote_text_cache)(
            lambda row: normalise_for_match(passages[row].search_text))

    def clear_cache(self) -> None:
        self._text.cache_clear()

    def cached(self) -> int:
        return self._text.cache_info().currsize

    def match(self, quote: str, allowed: np.ndarray | None = None) -> QuoteMatch | None:
        needle = normalise_for_match(quote)
        if len(needle) < self._settings.quote_min_chars:
            return None
        rows = [row for row, _ in self._lexical.search(needle, self._settings.quote_candidate_pool, allowed)]
        found = self._match_in(needle, rows)
        if found is None and len(self._passages) <= self._settings.quote_scan_all_below:
            everything = range(len(self._passages)) if allowed is None else allowed.tolist()
            tried = set(rows)
            found = self._match_in(needle, [row for row in everything if row not in tried])
        return found

    def _match_in(self, needle: str, rows: list[int]) -> QuoteMatch | None:
        exact = [row for row in rows if needle in self._text(row)]
        if exact:
            row = min(exact, key=lambda r: len(self._text(r)))
            start = self._text(row).index(needle)
            return QuoteMatch(row, 100.0, VERBATIM, self._shown(row)[start : start + len(needle)], ())
        if len(needle.split()) < self._settings.quote_min_altered_words:  # three words are "85% similar" to half
            return None
        choices = {row: self._text(row) for row in rows}
        hits = process.extract(needle, choices, scorer=fuzz.partial_ratio, limit=self._settings.quote_candidates,
                               score_cutoff=self._settings.quote_match_cutoff)
        if not hits:
            return None
        _, score, row = max(hits, key=lambda h: (h[1], -len(self._text(h[2]))))
        text = self._text(row)
        alignment = fuzz.partial_ratio_alignment(needle, text)
        start, end = _widen_to_words(text, alignment.dest_start, alignment.dest_end)
        # The source as written (its capitals): the matched text is shown, and pasted back as the
        # corrected quote.
        source_words, shown_words = text[start:end].split(), self._shown(row)[start:end].split()
        differences, first, last = _aligned(needle.split(), source_words, shown_words)
        # Word for word, punctuation aside (curly quotes around it, a footnote marker at its end).
        verdict = ALTERED if differences else VERBATIM
        return QuoteMatch(row, float(score), verdict, " ".join(shown_words[first:last]), differences)

    def _shown(self, row: int) -> str:
        """The passage's normalised text in its own case, where lower-casing kept every offset (it
        does but for a few letters outside English); else the lower-cased text."""
        cased = _normalise_keeping_case(self._passages[row].search_text)
        return cased if len(cased) == len(self._text(row)) else self._text(row)


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return start, end
