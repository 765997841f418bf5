"""How a line or a block of the Nuffield report's OCR text reads: a footer, a heading, a title, a
table cell, a Source line, prose or junk; and the OCR repairs made before passages are cut."""

from __future__ import annotations

import re

from care_evidence.indexer.models import BOX, FIGURE, TABLE
from care_evidence.indexer.parsers.common import Block, iter_lines

_FOOTER = re.compile(r"^Integrating health and social care(?:\s+(\d{1,3}))?\s*$")
_UNIT = re.compile(r"^\s?(Box|Figure|Table)\s+([A-Z]?\d+):\s*(.*)$")
_OCR_BULLET = re.compile(r"^\s*(?:[eo»«•¢*]|M-BM-;)\s+(?=\S)")
_SOURCE = re.compile(r"^\s?(?:Source|Sources|Note|Notes)\b")
_SOURCE_LINE = re.compile(r"^\s?Sources?(?::| as\b)")  # "Sources: ...", "Sources as Figure 10."
_TERMINAL = re.compile(r"[.!?”\"’:;)]$")
_SENTENCE_END = re.compile(r"[.!?][’”)]?(?:\d{1,3}(?:[;,]\d{1,3})*)?$")  # "in 2019.", "government.85", "work.113;114"
# A chapter title broken over lines goes on when a line ends with one of these words.
_OPEN_ENDINGS = {"the", "a", "an", "of", "in", "and", "to", "for", "on", "with", "across", "four", "has", "each"}
_UNIT_KINDS = {"Box": BOX, "Figure": FIGURE, "Table": TABLE}
_PROSE_LINE = 64  # a line this long is body text: the widest table cells in the OCR are under 60
# A title line of 64-71 characters (up to 12 words): many lines of body text are as short, so what
# tells the title is that it stands alone and a new paragraph, starting with a capital, follows it.
_LONG_TITLE = 72
_TITLE_LINE = 46  # a title broken over lines: each line shorter than this (body text is 64 and more)
_TABLE_BLOCKS = 120  # how far a table may run looking for its Source line (Table A2 has ~75 cells)
_CELL_LINE = 48  # a line this short ends a table cell (or a paragraph), not a line of body text
# A table broken over two pages prints its Source line on the first; its other columns follow the
# page footer as at least this many cell blocks (Tables 4, 6 and 7). Fewer short blocks after a
# Source line are what follows a table (a subheading, a note), not more of it.
_CONTINUED_CELLS = 3


def _blocks(source: str) -> tuple[list[Block], list[tuple[int, int]]]:
    """Blocks of non-blank lines, with footer lines removed; and (offset, page) of every numbered footer."""
    blocks, footers = [], []
    start = end = None
    previous, previous_started_block = "", False
    for line_start, _line_end, line in iter_lines(source):
        footer = _FOOTER.match(line)
        if footer or not line.strip():
            if start is not None:
                blocks.append(Block(start, end, source[start:end]))
                start = None
            if footer and footer.group(1):
                footers.append((line_start, int(footer.group(1))))
            continue
        if start is not None and _starts_block(line, previous, previous_started_block):
            blocks.append(Block(start, end, source[start:end]))
            start = None
        previous_started_block = start is None
        if start is None:
            start = line_start
        end = line_start + len(line.rstrip())
        previous = line
    if start is not None:
        blocks.append(Block(start, end, source[start:end]))
    return blocks, footers


def _starts_block(line: str, previous: str, previous_started_block: bool) -> bool:
    """Whether `line` starts a block although no blank line comes before it."""
    if _UNIT.match(line) or _looks_like_heading(line) or _SOURCE_LINE.match(line):
        return True  # a Box/Figure/Table title, a heading, a Source note
    wide = len(line.strip()) >= _PROSE_LINE
    # OCR starts the text after a table, and some paragraphs, on a line with one space. Inside a
    # paragraph such a line follows a full-width line ending mid-sentence; a paragraph starts after
    # a table cell's last (short) line or a sentence's end.
    # After a Box, Figure or Table title line, such a line is not more title: Figure 3's title is the
    # last line of its page, and the next page's text follows it.
    previous_ends = (len(previous.strip()) < _CELL_LINE or _SENTENCE_END.search(previous.rstrip())
                     or _UNIT.match(previous))
    if _starts_region(line) and wide and previous_ends:
        return True
    # A title printed right above its paragraph ("Emergency admissions"): the paragraph starts here.
    title = previous.strip()
    return wide and previous_started_block and len(title) < 60 and _reads_as_title(title)


def _reads_as_title(text: str, max_words: int = 9, open_ending: bool = False) -> bool:
    """Text that can be a section title: capitalised, at most `max_words` words, and not a sentence,
    a list item or the first line of a sentence broken over lines (no final punctuation, comma or,
    unless `open_ending`, open word such as "the" or "and"). A question is a title ("How do the
    countries compare?"). Its length in characters is for the caller to bound."""
    text = text.removesuffix("?")
    words = text.split()
    return (
        bool(words) and len(words) <= max_words and text[:1].isupper() and not _TERMINAL.search(text)
        and not text.endswith(",") and (open_ending or words[-1].lower() not in _OPEN_ENDINGS)
        and not _OCR_BULLET.match(text) and not _UNIT.match(text) and not _SOURCE.match(text)
    )


def _starts_region(line: str) -> bool:
    """OCR starts a new region of the page (a heading, a title, text after a table) with one space."""
    return line.startswith(" ") and not line.startswith("  ") and line[1:2].isupper()


def _looks_like_heading(line: str) -> bool:
    """OCR puts a chapter or section heading on a line starting with one space."""
    return (
        _starts_region(line) and not _UNIT.match(line) and len(line.strip()) < 60 and not _TERMINAL.search(line.strip())
        and not _SOURCE.match(line)
    )


def repair_ocr(text: str, vocabulary: set[str]) -> str:
    """Search text: lines re-joined, hyphenation repaired where the joined word exists elsewhere in
    the document, OCR bullets as "•", glued footnote numbers dropped."""
    text = re.sub(r"^\s*(?:[eo»«•¢*])\s+(?=\S)", "• ", text, flags=re.MULTILINE)

    def dehyphenate(m: re.Match) -> str:
        joined = m.group(1) + m.group(2)
        return joined if joined.lower() in vocabulary else f"{m.group(1)}-{m.group(2)}"

    text = re.sub(r"(\w+)-\s*\n\s*(\w+)", dehyphenate, text)
    for marker in _GLUED_FOOTNOTE_MARKERS:  # in turn: "do s0.66" loses "0", then ".66"
        for start, end in reversed([m.span() for m in marker.finditer(text) if _is_marker_list(m.group())]):
            text = text[:start] + text[end:]
    return re.sub(r"\s+", " ", text).strip()


# Footnote numbers the OCR glued to the text before them, in the order they are removed. Their
# digits are no figures: "experience.92,93" stated "93", and "£86,000.30" (footnote 30) £86,000.30.
_GLUED_FOOTNOTE_MARKERS = tuple(re.compile(pattern) for pattern in (
    r"(?<=[a-z]),\d{1,3}(?:,\d{1,3})*(?=\s)",  # "integration,59,60 these"
    r"(?<=[a-z’'”)])\d{1,3}(?=[\s.,;:)]|$)",  # "Foundation3", "care.23"
    r"(?<=[a-z][.,])\d{1,3}(?:[.,]\d{1,3})*(?=\s|$)",  # "experience.92,93", "initiatives,54.55" (OCR's "." for ",")
    # "£86,000.30": no amount in the report is in pence (a rate such as "10,652.4" is no amount).
    r"(?<=£\d,\d{3})\.\d\d(?=\s|$)|(?<=£\d\d,\d{3})\.\d\d(?=\s|$)|(?<=£\d{3},\d{3})\.\d\d(?=\s|$)",
))


def _is_marker_list(printed: str) -> bool:
    """Footnote numbers rise: "92,93", "54.55" (the OCR's "." for ","). Numbers joined by a full stop
    must follow on, else they are a decimal the OCR ran into the word before ("high.2.5 million")."""
    numbers = [int(n) for n in re.findall(r"\d+", printed)]
    steps = list(zip(numbers, numbers[1:], strict=False))
    if any(b <= a for a, b in steps):
        return False
    return "." not in printed.strip(".,") or all(b == a + 1 for a, b in steps)


def _glued_footnote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of footnote numbers glued to the text, overlapping ones merged, in order."""
    spans = sorted(m.span() for marker in _GLUED_FOOTNOTE_MARKERS for m in marker.finditer(text)
                   if _is_marker_list(m.group()))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _is_heading_start(block: Block) -> bool:
    lines = block.lines
    return _looks_like_heading(lines[0]) and len(lines) <= 4 and all(len(line) < 60 for line in lines)


def _is_prose(block: Block) -> bool:
    """Body text: OCR lines of a page-wide paragraph; a table's cells are much narrower."""
    return max(len(line.strip()) for line in block.lines) >= _PROSE_LINE and not _SOURCE.match(block.first)


def _is_title_tail_line(line: str) -> bool:
    """More of a unit title broken over lines: a short line starting in lower case."""
    return line[:1].islower() and len(line) < 40


def _is_title_tail(block: Block) -> bool:
    """The rest of a unit title in a block of its own (after a blank line)."""
    return len(block.lines) == 1 and _is_title_tail_line(block.first)


def _is_junk(block: Block) -> bool:
    """Chart residue and bare URLs that OCR left between paragraphs."""
    text = block.text
    letters = sum(c.isalpha() for c in text)
    return text.lstrip().startswith("http") or letters < 0.55 * len(text.replace(" ", "").replace("\n", ""))


