"""Parser for the Public Accounts Committee page: numbered paragraphs "1." to "13.", footnotes after."""

from __future__ import annotations

import re

from care_evidence.indexer.models import FOOTNOTE, PARAGRAPH, DocumentInfo, Passage
from care_evidence.indexer.parsers.common import iter_blocks, make_passage, normalise_space

_PARAGRAPH = re.compile(r"^(\d{1,3})\.(?=\S)")
_FOOTNOTE = re.compile(r"^(\d{1,3})\s+\S")
# A footnote reference is a number glued to the end of a sentence or word: "care.2", "budget.21 Further".
_GLUED = re.compile(r"(?<=[A-Za-z)’”'\".])(\d{1,3})(?=\s|$)")
_CHAPTER = re.compile(r"^(\d{1,2})(?=[A-Z])")


def strip_glued_footnotes(
    text: str, known: set[int], last_seen: int = 0
) -> tuple[str, tuple[int, ...], list[tuple[int, int]]]:
    """Remove footnote digits glued to sentence ends; returns clean text, the footnote numbers and
    their spans in `text`. Only numbers that are footnotes of the document count, so "£5.3" stays;
    `last_seen` is the last footnote cited before `text`, since footnotes are cited in order."""
    refs: list[int] = []
    spans: list[tuple[int, int]] = []
    for m in _GLUED.finditer(text):
        number = int(m.group(1))
        after_number = re.search(r"\d[.,]?$", text[: m.start()])
        # "November 2018.9" is a footnote only because 9 is the next footnote due; "£5.3 billion" is not.
        previous = refs[-1] if refs else last_seen
        expected = number == (previous + 1 if previous else min(known, default=0))
        if number in known and (expected or not after_number) and number > previous:
            refs.append(number)
            spans.append(m.span())
    clean = text
    for start, end in reversed(spans):
        clean = clean[:start] + clean[end:]
    return clean, tuple(refs), spans


def parse_pac(source: str, doc: DocumentInfo) -> list[Passage]:
    """Passages of a committee report page: paragraphs with their number split off, and footnotes."""
    blocks = list(iter_blocks(source))
    last_para = max((i for i, b in enumerate(blocks) if _PARAGRAPH.match(b.first)), default=-1)
    footnote_blocks = [b for b in blocks[last_para + 1 :] if _FOOTNOTE.match(b.first)]
    known = {int(_FOOTNOTE.match(b.first).group(1)) for b in footnote_blocks}

    passages: list[Passage] = []
    chapter, subsection = "", ""
    last_seen = 0
    for block in blocks[1 : last_para + 1]:  # the first block is the page title
        m = _PARAGRAPH.match(block.first)
        if not m:
            if _CHAPTER.match(block.first):
                chapter, subsection = _CHAPTER.sub("", block.first).strip(), ""
            else:
                subsection = block.first.strip()
            continue
        section = [chapter, subsection]
        number = m.group(1)
        body_offset = len(number) + 1
        body = block.text[body_offset:]
        clean, refs, spans = strip_glued_footnotes(body, known, last_seen)
        last_seen = refs[-1] if refs else last_seen
        passages.append(
            make_passage(
                doc, source, kind=PARAGRAPH, locator=f"para {number}", section=section,
                segments=[(block.start, block.end)], search_text=normalise_space(clean),
                order=len(passages), footnote_refs=refs,
                ignore_spans=[(0, body_offset)] + [(a + body_offset, b + body_offset) for a, b in spans],
            )
        )
    for block in footnote_blocks:
        number = _FOOTNOTE.match(block.first).group(1)
        passages.append(
            make_passage(
                doc, source, kind=FOOTNOTE, locator=f"footnote {number}", section=["Footnotes"],
                segments=[(block.start, block.end)],
                search_text=normalise_space(block.text[len(number):]), order=len(passages),
                ignore_spans=[(0, len(number))],
            )
        )
    return passages
