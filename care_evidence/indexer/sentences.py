"""Split a passage's search text into sentences, so answers can quote one sentence and re-ranking
can score the best-matching sentence of each passage. Done at build time, not per question."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally closed by a quote or bracket) before a capital, a digit, an
# opening quote or a bullet; or a bullet starts a new item. Kept rather than pysbd, measured on the
# five reports (2026-12-01): pysbd split 69 of 476 passages differently, and worse where it differed:
# it cuts "The King'’s Fund?, Nuffield Trust and ..." mid-name, starts sentences with a closing "”" or
# ", www...", and runs a list's bullet items into one sentence, which the answers quote item by item.
# Abbreviations common in the corpus
# ("e.g.", "para.", "Qq.") are not sentence ends.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9“\"‘(£•])|\s+(?=•\s)")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|para|paras|no|Dr|Mr|Mrs|Ms|St|al|vs|cf|Qq?|pp?)\.$", re.IGNORECASE)
MIN_SENTENCE_CHARS = 25


@dataclass(frozen=True)
class Sentence:
    """A sentence of passage `passage` (its row in the index): characters start:end of its search text."""

    passage: int
    start: int
    end: int


def sentence_spans(text: str, merge_short: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`; very short pieces are merged into the previous one
    (`merge_short`: a passage's sentence units), or kept (a text to check: "It saved £511 million." is
    a claim of its own)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        piece = text[start : m.start() + len(m.group().rstrip())].rstrip()
        if _ABBREVIATIONS.search(piece):
            continue
        end = start + len(piece)
        if end > start:
            spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and ((merge_short and e - s < MIN_SENTENCE_CHARS) or text[s:e].strip() in ("•",)):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(s, e) for s, e in merged if text[s:e].strip(" •")]
