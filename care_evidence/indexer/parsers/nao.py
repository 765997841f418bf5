"""Parser for the NAO report in markdown: Key facts, Summary, Parts, Appendices, footnotes, Figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from care_evidence.indexer.models import (
    APPENDIX_PARAGRAPH,
    FIGURE,
    FOOTNOTE,
    KEY_FACT,
    PARAGRAPH,
    SUMMARY_PARAGRAPH,
    DocumentInfo,
    Passage,
)
from care_evidence.indexer.parsers.common import Block, clean_markdown, footnote_refs_in, iter_blocks, make_passage

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*\s*$")
_NUMBERED = re.compile(r"^\*\*(\d+(?:\.\d+)?)(?:\*\*|\s)")
_SUP_FOOTNOTE = re.compile(r"^<sup>(\d+)</sup>\s*\S")
_BARE_FOOTNOTE = re.compile(r"^(\d{1,3})\s+[A-Z]")
_FIGURE = re.compile(r"^Figure\s+(\d+)$")
_KEY_FACT_ROW = re.compile(r"^<b>([^<]+)</b>\t(.+)$")
_PARTS = ("Summary", "Part One", "Part Two", "Part Three", "Appendix One", "Appendix Two")
# The colophon starts here; nothing after it is evidence.
_COLOPHON = "This report has been printed on"


def _plain(text: str) -> str:
    return text.replace("**", "").replace("#", "").strip()


@dataclass
class _Open:
    """A passage being collected: its blocks may be interrupted by footnotes."""

    kind: str
    locator: str
    section: tuple[str, ...]
    blocks: list[Block] = field(default_factory=list)
    title: str = ""


class _NaoParser:
    def __init__(self, doc: DocumentInfo, source: str):
        self.doc = doc
        self.source = source
        self.passages: list[Passage] = []
        self.part: str | None = None  # None: front matter or contents, not evidence
        self.part_title = ""
        self.subsection = ""
        self.open: _Open | None = None
        self.after_footnote = False
        self.last_footnote = 0

    # --- passage assembly -------------------------------------------------------------------
    def section(self) -> tuple[str, ...]:
        return tuple(s for s in (self.part, self.part_title, self.subsection) if s)

    def close(self) -> None:
        if self.open is None:
            return
        o, self.open = self.open, None
        text = "\n\n".join(b.text for b in o.blocks)
        search = clean_markdown(text)
        if o.kind in (PARAGRAPH, SUMMARY_PARAGRAPH, APPENDIX_PARAGRAPH):
            search = re.sub(r"^\d+(?:\.\d+)?\s+", "", search)  # the number is in the locator
        self.passages.append(
            make_passage(
                self.doc, self.source, kind=o.kind, locator=o.locator, section=o.section,
                segments=[(b.start, b.end) for b in o.blocks], search_text=search,
                order=len(self.passages), title=o.title, footnote_refs=footnote_refs_in(text),
            )
        )

    def start(self, kind: str, locator: str, block: Block, title: str = "") -> None:
        self.close()
        self.open = _Open(kind, locator, self.section(), [block], title)
        self.after_footnote = False

    # --- block handlers -----------------------------------------------------------------------
    def heading(self, block: Block, title: str) -> None:
        name = _plain(title)
        if name in _PARTS or name == "Key facts":
            self.close()
            self.part, self.part_title, self.subsection = name, "", ""
            return
        if name == "Contents":
            self.close()
            self.part = None
            return
        if self.open and self.open.kind == FIGURE and not block.first.startswith("# "):
            self.add_to_open(block)
            return
        if re.match(r"^Figure\s+\d+$", name):
            self.figure(block, name)
            return
        self.close()
        if self.part is None:
            return
        if not self.part_title and self.part.startswith(("Part", "Appendix")):
            self.part_title = name
        else:
            self.subsection = name

    def figure(self, block: Block, name: str) -> None:
        if self.part is None:
            return
        self.start(FIGURE, name, block)
        lines = [_plain(line) for line in block.lines[1:] if _plain(line)]
        if lines:
            self.open.title = lines[0]

    def add_to_open(self, block: Block) -> None:
        assert self.open is not None
        if self.open.kind == FIGURE and not self.open.title:
            self.open.title = _plain(block.first)
        self.open.blocks.append(block)
        if self.open.kind == FIGURE and block.first.startswith("Source"):
            self.close()

    def footnote(self, block: Block, number: int) -> None:
        # A footnote does not end the paragraph it interrupts; it is a passage of its own.
        text = block.text
        self.passages.append(
            make_passage(
                self.doc, self.source, kind=FOOTNOTE, locator=f"footnote {number}",
                section=self.section(), segments=[(block.start, block.end)],
                search_text=clean_markdown(re.sub(r"^(<sup>)?\d+(</sup>)?\s*", "", text)),
                order=len(self.passages), ignore_spans=[(0, len(str(number)) + 11)],
            )
        )
        self.last_footnote = number
        self.after_footnote = True

    def key_facts(self, block: Block) -> None:
        for start_off, line in _line_offsets(block):
            row = _KEY_FACT_ROW.match(line)
            if row:
                self.close()
                sub = Block(block.start + start_off, block.start + start_off + len(line), line)
                self.start(KEY_FACT, f"Key facts, {row.group(1)}", sub)
                self.close()
        bold = _BOLD_LINE.match(block.first)
        if bold and not _KEY_FACT_ROW.match(block.first):
            self.start(KEY_FACT, f"Key facts, {bold.group(1).strip()}", block)
        elif self.open and not _KEY_FACT_ROW.match(block.first):
            self.open.blocks.append(block)

    def numbered(self, block: Block, number: str) -> None:
        if self.part == "Summary":
            kind, locator = SUMMARY_PARAGRAPH, f"Summary para {number}"
        elif self.part and self.part.startswith("Appendix"):
            kind, locator = APPENDIX_PARAGRAPH, f"{self.part} para {number}"
        else:
            kind, locator = PARAGRAPH, f"para {number}"
        self.start(kind, locator, block)

    def text_block(self, block: Block) -> None:
        first = block.first
        is_bullets = first.startswith("- ")
        if self.open is not None and self.open.kind == FIGURE:
            self.add_to_open(block)
            return
        short_heading = len(first) < 100 and not re.search(r"[.:;?!)]$", first) and not is_bullets
        if short_heading or _BOLD_LINE.match(first):
            self.close()
            if self.part is not None:
                self.subsection = _plain(first)
            return
        if self.open is not None and (is_bullets or not self.after_footnote):
            self.open.blocks.append(block)
            return
        self.close()

    def parse(self) -> list[Passage]:
        for block in iter_blocks(self.source):
            first = block.first
            if first == "---":
                continue
            if first.startswith(_COLOPHON):
                break
            heading = _HEADING.match(first)
            bold = _BOLD_LINE.match(first)
            if heading:
                self.heading(block, heading.group(2))
            elif self.part is None:
                continue
            elif self.part == "Key facts":
                self.key_facts(block)
            elif bold and _FIGURE.match(bold.group(1).strip()):
                self.figure(block, bold.group(1).strip())
            elif m := _NUMBERED.match(first):
                self.numbered(block, m.group(1))
            elif m := _SUP_FOOTNOTE.match(first):
                self.footnote(block, int(m.group(1)))
            elif (m := _BARE_FOOTNOTE.match(first)) and self._is_bare_footnote(int(m.group(1))):
                self.footnote(block, int(m.group(1)))
            else:
                self.text_block(block)
        self.close()
        return self.passages

    def _is_bare_footnote(self, number: int) -> bool:
        # Inside a Figure "1 Number of delayed days ..." is a note; footnotes only ever count up.
        in_figure = self.open is not None and self.open.kind == FIGURE
        return not in_figure and self.last_footnote < number <= self.last_footnote + 10


def _line_offsets(block: Block):
    pos = 0
    for line in block.lines:
        yield pos, line
        pos += len(line) + 1


def parse_nao(source: str, doc: DocumentInfo) -> list[Passage]:
    """Passages of an NAO report in the markdown form of the corpus."""
    return _NaoParser(doc, source).parse()
