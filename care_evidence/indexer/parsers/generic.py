"""Parser for any other text or markdown file: paragraphs cited by order, under their headings."""

from __future__ import annotations

import re

from care_evidence.indexer.models import PARAGRAPH, DocumentInfo, Passage
from care_evidence.indexer.parsers.common import clean_markdown, iter_blocks, make_passage

_HEADING = re.compile(r"^#{1,6}\s+(.+)$")
# A paragraph longer than this is split at sentence ends, so a passage stays quotable.
MAX_PASSAGE_CHARS = 1500


def split_long(start: int, text: str) -> list[tuple[int, int]]:
    """Spans of `text` (offset by `start`) cut at sentence ends into pieces under MAX_PASSAGE_CHARS."""
    if len(text) <= MAX_PASSAGE_CHARS:
        return [(start, start + len(text))]
    spans, piece_start = [], 0
    for m in re.finditer(r"[.!?][\"”’)]?\s+", text):
        if m.end() - piece_start >= MAX_PASSAGE_CHARS * 0.6:
            spans.append((start + piece_start, start + m.end() - len(m.group()) + len(m.group().rstrip())))
            piece_start = m.end()
    spans.append((start + piece_start, start + len(text)))
    return [s for s in spans if s[1] > s[0]]


def parse_paragraphs(
    source: str, doc: DocumentInfo, *, page: int | None = None, region: tuple[int, int] | None = None,
    first_order: int = 0,
) -> list[Passage]:
    """Paragraphs (blank-line separated) of `source[region]`, located as "para N" or "p. P para N"."""
    start, end = region or (0, len(source))
    passages: list[Passage] = []
    section: tuple[str, ...] = ()
    for block in iter_blocks(source[start:end]):
        heading = _HEADING.match(block.first)
        if heading and len(block.lines) == 1:
            section = (heading.group(1).strip(),)
            continue
        for a, b in split_long(start + block.start, block.text):
            number = len(passages) + 1
            locator = f"p. {page} para {number}" if page is not None else f"para {number}"
            passages.append(
                make_passage(
                    doc, source, kind=PARAGRAPH, locator=locator, section=section, segments=[(a, b)],
                    search_text=clean_markdown(source[a:b]), order=first_order + len(passages), page=page,
                )
            )
    return passages


def parse_generic(source: str, doc: DocumentInfo) -> list[Passage]:
    return parse_paragraphs(source, doc)
