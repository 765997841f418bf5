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

from care_evidence.indexer.models import BOX, FIGURE, KEY_POINT, PARAGRAPH, TABLE, DocumentInfo, Passage
from care_evidence.indexer.parsers.common import Block, make_passage, merge_segments, segments_text
from care_evidence.indexer.parsers.nuffield_lines import (  # noqa: F401 - repair_ocr is this parser's too
    _CONTINUED_CELLS,
    _LONG_TITLE,
    _OCR_BULLET,
    _OPEN_ENDINGS,
    _PROSE_LINE,
    _SENTENCE_END,
    _SOURCE,
    _SOURCE_LINE,
    _TABLE_BLOCKS,
    _TERMINAL,
    _TITLE_LINE,
    _UNIT,
    _UNIT_KINDS,
    _blocks,
    _glued_footnote_spans,
    _is_heading_start,
    _is_junk,
    _is_prose,
    _is_title_tail,
    _is_title_tail_line,
    _reads_as_title,
    repair_ocr,
)


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
        # A page break inside a sentence: its last line runs the full width of body text and stops on no
        # sentence's end, so the next page's first word goes on with it, capital or not ("... revenue
        # raising such as Council" / "Tax. Local revenue-raising powers ..."): a paragraph of prose never
        # ends without its full stop.
        broken = (not closed and _is_prose(current.blocks[-1])
                  and len(current.blocks[-1].lines[-1].strip()) >= _PROSE_LINE and _is_prose(block))
        return (ends_open and goes_on) or broken

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
