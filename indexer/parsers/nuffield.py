"""Parser for OCR text of a report PDF (the Nuffield Trust comparison).

What OCR leaves: hard line breaks, paragraphs split across page breaks, bullets read as "e", "o",
"»", footnote numbers glued to words, page footers on some pages only, chapter headings on lines
starting with one space, tables read column by column and, when a table runs over two pages, its
other columns printed after its Source line. Paragraphs are cited by chapter, section and order; a
page only where the footers make it certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.models import BOX, FIGURE, KEY_POINT, PARAGRAPH, TABLE, DocumentInfo, Passage
from indexer.parsers.common import Block, iter_lines, make_passage, merge_segments, segments_text

_FOOTER = re.compile(r"^Integrating health and social care(?:\s+(\d{1,3}))?\s*$")
_UNIT = re.compile(r"^\s?(Box|Figure|Table)\s+([A-Z]?\d+):\s*(.*)$")
_OCR_BULLET = re.compile(r"^\s*(?:[eo»«•¢*]|M-BM-;)\s+(?=\S)")
_SOURCE = re.compile(r"^\s?(?:Source|Sources|Note|Notes)\b")
_SOURCE_LINE = re.compile(r"^\s?Sources?(?::| as\b)")  # "Sources: ...", "Sources as Figure 10."
_TERMINAL = re.compile(r"[.!?”\"’:;)]$")
_SENTENCE_END = re.compile(r"[.!?][’”)]?\d{0,3}$")  # "... in 2019.", "... Welsh government.85"
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


@dataclass
class _Paragraph:
    blocks: list[Block]
    kind: str
    label: str = ""  # for units: "Box 1"
    title: str = ""


class _NuffieldParser:
    def __init__(self, doc: DocumentInfo, source: str):
        self.doc, self.source = doc, source
        self.blocks, self.footers = _blocks(source)
        self.vocabulary = {w.lower() for w in re.findall(r"[A-Za-z]+", source)}
        self.chapter_number = 0
        self.chapter = ""
        self.section = ""
        self.passages: list[Passage] = []
        self.counters: dict[tuple[str, str], int] = {}
        self.key_point = 0

    def chapter_label(self) -> str:
        if self.chapter in ("Key points",) or self.chapter.startswith("Appendix"):
            return self.chapter.split(":")[0]
        return f"Chapter {self.chapter_number}" if self.chapter_number else ""

    def emit(self, para: _Paragraph) -> None:
        segments = merge_segments(self.source, [(b.start, b.end) for b in para.blocks])
        text = segments_text(self.source, segments)
        label = self.chapter_label()
        chapter = self.chapter if self.chapter.startswith(label) else f"{label}: {self.chapter}"
        section_path = (chapter, self.section)
        if para.kind in (BOX, FIGURE, TABLE):
            locator, title = para.label, para.title
        elif self.chapter == "Key points":
            self.key_point += 1
            locator, title = f"Key points, point {self.key_point}", ""
            para.kind = KEY_POINT
        else:
            key = (self.chapter_label(), self.section)
            self.counters[key] = self.counters.get(key, 0) + 1
            parts = [p for p in (self.chapter_label(), self.section) if p]
            locator, title = ", ".join(parts + [f"para {self.counters[key]}"]), ""
        search = repair_ocr(text, self.vocabulary)
        self.passages.append(
            make_passage(
                self.doc, self.source, kind=para.kind, locator=locator, section=section_path,
                segments=segments, search_text=search, order=len(self.passages), title=title,
                ignore_spans=_glued_footnote_spans(text),
            )
        )

    def take_heading(self, i: int) -> int:
        """Read a heading starting at block i; a chapter title may run over several short blocks."""
        lines = [line.strip() for line in self.blocks[i].lines]
        i += 1
        while (
            i < len(self.blocks) and len(self.blocks[i].lines) == 1 and len(self.blocks[i].first) < 30
            and all(len(line) < 30 for line in lines) and lines[-1].split()[-1].lower() in _OPEN_ENDINGS
        ):
            lines.append(self.blocks[i].first)
            i += 1
        title = " ".join(lines)
        if len(lines) >= 2 and all(len(line) < 30 for line in lines) or title in ("Introduction", "Key points"):
            self.chapter, self.section = title, ""
            if title != "Key points" and not title.startswith("Appendix"):
                self.chapter_number += 1
        else:
            self.section = title
        return i

    def take_unit(self, i: int) -> tuple[_Paragraph, int]:
        """A Box, Figure or Table: its title up to and including its Source lines.

        OCR reads a table column by column, so its cells come out as short blocks, some of them
        indented like headings ("Different clinical services are integrated ..."). In a table such
        a block is a cell unless body text follows it, and a table without a Source line runs
        over its cells up to the next body text (Table A2 ends the document).
        """
        m = _UNIT.match(self.blocks[i].first)
        kind = _UNIT_KINDS[m.group(1)]
        label, title = f"{m.group(1)} {m.group(2)}", m.group(3).strip()
        # "... emergency admissions, 2011/12" / "to 2019/20" on the next line of the same block
        for line in self.blocks[i].lines[1:]:
            if _TERMINAL.search(title) or not _is_title_tail_line(line):
                break
            title = f"{title} {line.strip()}"
        # "... (adapted from Fulop and" / "others, 2005)"; "... health condition," / "2013/14 to 2019/20"
        if i + 1 < len(self.blocks) and (
            (not _TERMINAL.search(title) and _is_title_tail(self.blocks[i + 1]))
            or (title.endswith(",") and len(self.blocks[i + 1].lines) == 1 and len(self.blocks[i + 1].first) < 40)
        ):
            title = f"{title} {self.blocks[i + 1].first}"
        end = i
        last_cell = i
        for j in range(i + 1, min(i + (_TABLE_BLOCKS if kind == TABLE else 40), len(self.blocks))):
            block = self.blocks[j]
            if _UNIT.match(block.first) or (_is_heading_start(block) and not self._table_cell(kind, j)):
                break
            if _SOURCE_LINE.match(block.first):
                end = self._source_end(j)
                if kind == TABLE:
                    end = self._continued_cells_end(end)
                break
            if kind == TABLE and last_cell == j - 1 and not _is_prose(block):
                last_cell = j
        if end == i and kind == TABLE:  # no source line: the cells up to the next body text
            end = last_cell
        if end == i:  # no source line: the title and any notes right after it
            while end + 1 < len(self.blocks) and _SOURCE.match(self.blocks[end + 1].first):
                end += 1
        return _Paragraph(self.blocks[i : end + 1], kind, label, title), end + 1

    def _source_end(self, j: int) -> int:
        """The last block of a Source note starting at block j: it runs on over blocks starting in
        lower case ("www.gov.uk/...") and after a block ending in ";" or "," (a list of sources)."""
        end = j
        while end + 1 < len(self.blocks) and not _UNIT.match(self.blocks[end + 1].first) and (
            self.blocks[end + 1].first[:1].islower() or self.blocks[end].text.rstrip().endswith((";", ","))
        ):
            end += 1
        return end

    def _continued_cells_end(self, end: int) -> int:
        """A table's last block: its Source note's, unless the table's other columns follow it (a
        table broken over two pages, the page footer between them) as at least _CONTINUED_CELLS
        blocks of cell-width lines, up to the next body text, heading, Box/Figure/Table or chart
        residue. (A one-line title right after such cells would be taken for a cell: none is.)"""
        last = end
        for j in range(end + 1, min(end + _TABLE_BLOCKS, len(self.blocks))):
            block = self.blocks[j]
            if _UNIT.match(block.first) or _is_prose(block) or _is_junk(block) or (
                    _is_heading_start(block) and not self._table_cell(TABLE, j)):
                break
            last = j
        return last if last - end >= _CONTINUED_CELLS else end

    def _table_cell(self, kind: str, j: int) -> bool:
        """An indented block inside a table is a cell, not a heading, unless body text follows it."""
        return kind == TABLE and (j + 1 >= len(self.blocks) or not _is_prose(self.blocks[j + 1]))

    def parse(self) -> list[Passage]:
        current: _Paragraph | None = None
        i = 0
        while i < len(self.blocks):
            block = self.blocks[i]
            if _is_heading_start(block) or (i == 0 and block.first == "Key points"):
                if current:
                    self.emit(current)
                    current = None
                i = self.take_heading(i)
                continue
            if _UNIT.match(block.first):
                if current:
                    self.emit(current)
                    current = None
                unit, i = self.take_unit(i)
                self.emit(unit)
                continue
            i += 1
            if _is_junk(block):
                continue
            # A list's item that lost its bullet to the OCR is no title, short as it may be.
            leads_in = current is not None and current.blocks[-1].text.rstrip().endswith(":")
            if not leads_in and self._is_subheading(block, self.blocks[i] if i < len(self.blocks) else None):
                if current:
                    self.emit(current)
                    current = None
                self.section = " ".join(line.strip() for line in block.lines)
                continue
            if current and self._continues(current, block):
                current.blocks.append(block)
                continue
            if current:
                self.emit(current)
            current = _Paragraph([block], PARAGRAPH)
        if current:
            self.emit(current)
        self._assign_pages()
        return self.passages

    def _is_subheading(self, block: Block, following: Block | None) -> bool:
        """A title-like line on its own ("Population health", "Patient and service user experience
        and satisfaction") heads a section, and so does a title broken over two or three short lines
        right before body text ("Transformation funding and support / to develop and scale
        integrated / service models")."""
        if self.chapter == "Key points":
            return False
        lines = [line.strip() for line in block.lines]
        if len(lines) == 1:
            if len(lines[0]) < _PROSE_LINE and _reads_as_title(lines[0]):
                return True
            # A longer title ("Access to employment for people with a long-term health conditions"),
            # followed by a new paragraph (a capital; not a Box, Figure or Table title).
            return (len(lines[0]) < _LONG_TITLE and following is not None and _is_prose(following)
                    and following.first[:1].isupper() and not _UNIT.match(following.first)
                    and _reads_as_title(lines[0], max_words=12))
        if not (len(lines) <= 3 and following is not None and _is_prose(following)):
            return False
        title = " ".join(lines)
        if all(len(line) < 40 for line in lines) and _reads_as_title(title, max_words=12):
            return True
        # Chapter 6's findings as titles, of up to 20 words on lines of up to 45 characters, ending
        # on any word ("Integration is more relational than / organisational — and cannot easily be
        # / legislated for"): a new paragraph, starting with a capital, must follow.
        return (all(len(line) < _TITLE_LINE for line in lines) and following.first[:1].isupper()
                and not _UNIT.match(following.first) and _reads_as_title(title, max_words=20, open_ending=True))

    def _continues(self, current: _Paragraph, block: Block) -> bool:
        previous = current.blocks[-1].text.rstrip()
        first = block.text.lstrip()
        if self.chapter == "Key points":
            return not _OCR_BULLET.match(block.text)
        if previous.endswith((":",)):
            return True
        if _OCR_BULLET.match(block.text):
            # A list goes on ("o aligned budgets: ..." after "... of service)") after its lead-in's
            # colon, whose first item may have lost its bullet to the OCR.
            return any(b.text.rstrip().endswith(":") or any(_OCR_BULLET.match(line) for line in b.lines)
                       for b in current.blocks)
        # A closing quotation mark or bracket ends a sentence only after its full stop: "... the
        # importance of ‘soft skills’" goes on after a blank line "in integration to encourage ...".
        closed = _SENTENCE_END.search(previous) or previous.endswith(";")
        ends_open = not closed or previous.endswith((",", "-", "–"))
        goes_on = first[:1].islower() or first[:1].isdigit() or first.startswith(("- ", "– ")) or (
            first[:1] == "(" and first[1:2].islower())  # "... main aims of integration" / "(see Table A2)."
        return ends_open and goes_on

    def _assign_pages(self) -> None:
        """Pages only where certain: a passage between the footers of consecutive pages, or one that
        runs into a footer (its text is on that page)."""
        previous_footer: tuple[int, int] | None = None
        for offset, page in self.footers:
            for p in self.passages:
                start, end = p.span
                between = previous_footer and previous_footer[1] == page - 1 and previous_footer[0] < start
                if (between and end < offset) or (start < offset < end):
                    p.page = page
            before = [p for p in self.passages if p.span[1] < offset]
            if before:
                last = max(before, key=lambda p: p.span[1])
                if not self.source[last.span[1] : offset].strip():
                    last.page = page
            previous_footer = (offset, page)


def parse_nuffield(source: str, doc: DocumentInfo) -> list[Passage]:
    return _NuffieldParser(doc, source).parse()
