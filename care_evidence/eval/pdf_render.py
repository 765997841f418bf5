"""Render a corpus text document to a PDF laid out the way publishers lay out reports, and record which
printed page each part of the text lands on: the round-trip test corpora for reading reports as PDFs.

No real PDF can be downloaded here, so the PDFs are made from the text versions. The layout is a
publisher's, not a copy of the markdown: headings in a sans font and larger sizes, body text in a serif,
bold paragraph numbers, superscript footnote markers with the footnotes at the foot of the page they are
cited on (under a short rule), a running header and a footer with the printed page number (the cover is
not numbered, so printed numbers are not sheet numbers), paragraphs and lists broken across pages where
the page ends. Lines a text breaks itself (an OCR line, a table cell) stay lines; a paragraph held on one
line of the text is wrapped to the width of the page.

`render(text, footnote_spans)` returns the PDF and, for every line drawn, the span of the text it came
from and its printed page, so a passage's pages can be checked against what the PDF shows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from care_evidence.indexer.parsers.common import iter_blocks

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 62.0, 62.0, 70.0, 72.0
TEXT_W = PAGE_W - LEFT - RIGHT
BODY_SIZE, BODY_LEADING = 10.0, 13.0
NOTE_SIZE, NOTE_LEADING = 7.5, 9.5
HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 13.0, 4: 11.5, 5: 11.0, 6: 11.0}
BLOCK_SPACE = 8.0  # between blocks (a blank line of the text)
SUP_SCALE, SUP_RISE = 0.62, 3.6
TAB_STOP = 110.0  # a tab in the text ("<b>87,000</b>\tactual increase ...") moves on to this x
BULLET_INDENT = 12.0
FOOTER_Y = PAGE_H - 40.0
HEADER_Y = 40.0


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False
    link: str = ""
    tab: bool = False  # moves to the tab stop before its text


@dataclass
class LineOut:
    """A line as drawn: its runs, where they start, and the text span it came from."""

    runs: list[tuple[float, Run]]
    start: int
    end: int
    size: float
    leading: float
    heading: bool = False
    footnotes: tuple[int, ...] = ()  # footnote numbers it cites


@dataclass
class DrawnLine:
    start: int
    end: int
    page: int | None  # the printed page number, None on an unnumbered page
    sheet: int


@dataclass
class Rendered:
    pdf: bytes
    lines: list[DrawnLine] = field(default_factory=list)

    def pages_of(self, start: int, end: int) -> list[int | None]:
        """The printed pages the text span start:end is drawn on, in order."""
        out: list[int | None] = []
        for line in self.lines:
            if line.start < end and start < line.end and line.page not in out:
                out.append(line.page)
        return out


_INLINE = re.compile(r"<sup>(?P<sup>[^<]*)</sup>|<b>(?P<b>[^<]*)</b>|\*\*(?P<bold>[^*]+)\*\*"
                     r"|(?<![\w*])\*(?P<it>[^\s*][^*]*?)\*(?![\w*])|\[(?P<lt>[^\]]*)\]\((?P<url>[^)\s]*)\)|(?P<tab>\t)")


def inline_runs(line: str) -> list[Run]:
    """A line of the text as styled runs: **bold**, *italic*, <sup>n</sup>, <b>..</b>, [text](url), tabs."""
    runs, pos = [], 0
    for m in _INLINE.finditer(line):
        if m.start() > pos:
            runs.append(Run(line[pos:m.start()]))
        if m.group("sup") is not None:
            runs.append(Run(m.group("sup"), sup=True))
        elif m.group("b") is not None:
            runs.append(Run(m.group("b"), bold=True))
        elif m.group("bold") is not None:
            runs.append(Run(m.group("bold"), bold=True))
        elif m.group("it") is not None:
            runs.append(Run(m.group("it"), italic=True))
        elif m.group("lt") is not None:
            runs.append(Run(m.group("lt"), link=m.group("url")))
        else:
            runs.append(Run("", tab=True))
        pos = m.end()
    if pos < len(line):
        runs.append(Run(line[pos:]))
    return runs


def _fonts_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _Renderer:
    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        fonts = _fonts_dir()
        for family, stem in (("serif", "DejaVuSerif"), ("sans", "DejaVuSans")):
            italic = "Italic" if family == "serif" else "Oblique"
            self.pdf.add_font(family, "", str(fonts / f"{stem}.ttf"))
            self.pdf.add_font(family, "B", str(fonts / f"{stem}-Bold.ttf"))
            self.pdf.add_font(family, "I", str(fonts / f"{stem}-{italic}.ttf"))
            self.pdf.add_font(family, "BI", str(fonts / f"{stem}-Bold{italic}.ttf"))
        self.title = title
        self.sheet = 0
        self.y = TOP
        self.pending_notes: list[int] = []  # footnotes cited on this page, not yet drawn
        self.drawn: list[DrawnLine] = []
        self.page_lines: list[DrawnLine] = []

    # --- measuring ----------------------------------------------------------------------------
    def _font(self, run: Run, size: float, family: str) -> None:
        style = ("B" if run.bold else "") + ("I" if run.italic else "")
        self.pdf.set_font(family, style, size * SUP_SCALE if run.sup else size)

    def width(self, text: str, run: Run, size: float, family: str) -> float:
        self._font(run, size, family)
        return self.pdf.get_string_width(text)

    def lay_out(self, line: str, start: int, size: float, leading: float, family: str,
                width: float = TEXT_W, heading: bool = False) -> list[LineOut]:
        """Wrapped to `width`; a heading is set in bold throughout, and measured so."""
        """A line of the text wrapped into drawn lines, each with its runs' x offsets and text span."""
        bullet = re.match(r"^- ", line)
        indent = BULLET_INDENT if bullet else 0.0
        body = line[2:] if bullet else line
        runs = inline_runs(body)
        if heading:
            runs = [Run(r.text, True, r.italic, r.sup, r.link, r.tab) for r in runs]
        out: list[LineOut] = []
        current: list[tuple[float, Run]] = []
        x, hang = indent, indent
        if bullet:
            current.append((0.0, Run("•")))
        tabs = sum(r.tab for r in runs)
        stops = [TAB_STOP + i * (width - TAB_STOP) / tabs for i in range(tabs)] if tabs > 1 else [TAB_STOP]
        tab = 0
        for run in runs:
            if run.tab:  # a table's columns at even stops; a key fact's description at one stop
                x = max(x + 30.0, stops[min(tab, len(stops) - 1)]) if tabs == 1 else stops[tab]
                hang, tab = x, tab + 1
                continue
            # words with the spaces before them, so a run splits where a line may break
            for piece in re.findall(r"\s*\S+|\s+$", run.text):
                w = self.width(piece, run, size, family)
                # a line breaks only at a space ("(" and a bold "Figure 5" stay together)
                if current and x + w > width and piece[:1].isspace() and piece.strip() and x > hang:
                    out.append(LineOut(current, 0, 0, size, leading, heading))
                    current, x = [], hang
                    piece = piece.lstrip()
                    w = self.width(piece, run, size, family)
                current.append((x, Run(piece, run.bold, run.italic, run.sup, run.link)))
                x += w
        if current or not out:
            out.append(LineOut(current, 0, 0, size, leading, heading))
        for o in out:
            o.start, o.end = start, start + len(line)
            o.footnotes = tuple(int(n) for _, r in o.runs if r.sup for n in re.findall(r"\d+", r.text))
        return out

    # --- pages --------------------------------------------------------------------------------
    def printed(self) -> int | None:
        return None if self.sheet <= 1 else self.sheet - 1  # the cover is not numbered

    def new_page(self) -> None:
        if self.sheet:
            self.finish_page()
        self.pdf.add_page()
        self.sheet += 1
        self.y = TOP
        self.page_lines = []

    def finish_page(self) -> None:
        notes = [n for n in self.pending_notes]
        self.pending_notes = []
        if notes:
            height = sum(self.note_height(n) for n in notes)
            y = PAGE_H - BOTTOM - height
            self.pdf.set_line_width(0.5)
            self.pdf.line(LEFT, y - 4, LEFT + 110, y - 4)
            for number in notes:
                for out in self.note_lines(number):
                    self.draw(out, y + NOTE_SIZE, "serif")
                    y += NOTE_LEADING
        if self.printed() is not None:  # running header and footer
            self.pdf.set_font("sans", "", 8)
            self.pdf.set_text_color(90, 90, 90)
            self.pdf.text(LEFT, HEADER_Y, self.title)
            self.pdf.text(LEFT, FOOTER_Y, self.title)
            number = str(self.printed())
            self.pdf.text(PAGE_W - RIGHT - self.pdf.get_string_width(number), FOOTER_Y, number)
            self.pdf.set_text_color(0, 0, 0)

    def draw(self, line: LineOut, baseline: float, family: str) -> None:
        for x, run in line.runs:
            if not run.text:
                continue
            self._font(run, line.size, family)
            if run.link:
                self.pdf.set_text_color(20, 60, 160)
            self.pdf.text(LEFT + x, baseline - (SUP_RISE * line.size / BODY_SIZE if run.sup else 0.0), run.text)
            if run.link:
                w = self.pdf.get_string_width(run.text)
                self.pdf.link(LEFT + x, baseline - line.size, w, line.size * 1.2, run.link)
                self.pdf.set_text_color(0, 0, 0)
        self.drawn.append(DrawnLine(line.start, line.end, self.printed(), self.sheet))

    # --- footnotes ----------------------------------------------------------------------------
    def note_lines(self, number: int) -> list[LineOut]:
        start, end, text = self.notes[number]
        body = re.sub(r"^(?:<sup>\d+</sup>|\d+)\s*", "", text.replace("\n", " "))
        marker = f"<sup>{number}</sup>" if text.startswith("<sup>") else str(number)  # as the text marks it
        out = self.lay_out(f"{marker} {body}", start, NOTE_SIZE, NOTE_LEADING, "serif")
        for o in out:
            o.start, o.end = start, end
        return out

    def note_height(self, number: int) -> float:
        return len(self.note_lines(number)) * NOTE_LEADING + 2.0

    def notes_height(self, numbers: Iterable[int]) -> float:
        numbers = list(numbers)
        return sum(self.note_height(n) for n in numbers) + (8.0 if numbers else 0.0)

    # --- the flow -----------------------------------------------------------------------------
    def place(self, out: LineOut, family: str) -> None:
        cited = [n for n in out.footnotes if n in self.cited and n not in self.placed_notes]
        needed = self.notes_height(self.pending_notes + cited)
        if self.y + out.leading > PAGE_H - BOTTOM - needed and self.page_lines_count > 0:
            self.new_page()
            self.page_lines_count = 0
        self.y += out.leading
        self.draw(out, self.y - (out.leading - out.size) / 2, family)
        self.page_lines_count += 1
        for n in cited:
            self.pending_notes.append(n)
            self.placed_notes.add(n)

    def body_size(self, text: str) -> float:
        """The body type size: 10 pt; smaller for a text whose lines are its own (an OCR text, broken where
        the printed page broke them), so that nearly all of them fit a line as they did in print."""
        lines = sorted(len(line) for line in text.split("\n") if line.strip())
        if not lines or lines[int(0.95 * (len(lines) - 1))] > 150:  # paragraphs held on one line: wrapped
            return BODY_SIZE
        long = [line for line in text.split("\n") if len(line) >= lines[int(0.99 * (len(lines) - 1))]]
        widest = max(self.width(line, Run(""), BODY_SIZE, "serif") for line in long)
        return min(BODY_SIZE, round(BODY_SIZE * 0.88 * TEXT_W / widest, 1))

    def render(self, text: str, footnote_spans: set[tuple[int, int]]) -> Rendered:
        self.size = self.body_size(text)
        self.notes: dict[int, tuple[int, int, str]] = {}
        self.placed_notes: set[int] = set()
        self.page_lines_count = 0
        blocks = list(iter_blocks(text))
        for block in blocks:
            if (block.start, block.end) in footnote_spans:
                number = int(re.match(r"^(?:<sup>)?(\d+)", block.text).group(1))
                self.notes[number] = (block.start, block.end, block.text)
        self.cited = {int(n) for m in re.finditer(r"<sup>([^<]*)</sup>", text)
                      for n in re.findall(r"\d+", m.group(1))} & set(self.notes)
        self.new_page()
        for block in blocks:
            if (block.start, block.end) in footnote_spans:
                number = int(re.match(r"^(?:<sup>)?(\d+)", block.text).group(1))
                if number in self.cited:
                    continue  # at the foot of the page citing it
            if self.page_lines_count:
                self.y += BLOCK_SPACE
            pos = block.start
            small = (block.start, block.end) in footnote_spans  # an endnote, cited by no superscript: in small type
            for line in block.text.split("\n"):
                self.render_line(line, pos, small)
                pos += len(line) + 1
        self.finish_page()
        return Rendered(bytes(self.pdf.output()), self.drawn)

    def render_line(self, line: str, start: int, small: bool = False) -> None:
        stripped = line.strip()
        if stripped == "---":  # a rule across the page
            if self.y + BODY_LEADING > PAGE_H - BOTTOM - self.notes_height(self.pending_notes):
                self.new_page()
                self.page_lines_count = 0
            self.y += BODY_LEADING
            self.pdf.set_line_width(0.8)
            self.pdf.line(LEFT, self.y - 4, PAGE_W - RIGHT, self.y - 4)
            self.drawn.append(DrawnLine(start, start + len(line), self.printed(), self.sheet))
            self.page_lines_count += 1
            return
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if heading:
            size = HEADING_SIZES[len(heading.group(1))]
            title = heading.group(2).replace("**", "")
            outs = self.lay_out(title, start, size, size * 1.3, "sans", heading=True)
            for o in outs:
                o.end = start + len(line)
                self.place(o, "sans")
            return
        small = small or line.count("\t") > 1  # a table row, in the small type tables are set in
        size, leading = (NOTE_SIZE, NOTE_LEADING) if small else (self.size, self.size * BODY_LEADING / BODY_SIZE)
        for out in self.lay_out(line.rstrip(), start, size, leading, "serif"):
            self.place(out, "serif")


def render(text: str, footnote_spans: Iterable[tuple[int, int]], title: str) -> Rendered:
    """The PDF of a text document; `footnote_spans` are the text's footnote blocks (from its own parse),
    drawn at the foot of the page that cites them."""
    return _Renderer(title).render(text, set(footnote_spans))
