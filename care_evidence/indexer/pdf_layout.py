"""A PDF's text read with its layout and written in the markdown conventions of the corpus texts, so
that the same parsers read a report whether it came as text or as a PDF.

What the layout says, and what it becomes (no rule names one document's titles or tables):
- a line in a larger font than the body text is a heading, "#" to "######" by its size's rank;
- bold and italic runs are **bold** and *italic*; a bold run followed by a wide gap is the first
  cell of a two-column row, "<b>87,000</b>\\t..." (a key fact and its description);
- characters smaller than their line's and raised above it are <sup>superscripts</sup> (footnote
  markers);
- the lines under a short rule at the foot of a page are its footnotes, "<sup>7</sup> text", written
  after the paragraph running at the end of that page (so a paragraph broken by a page stays whole);
- lines repeated at the top or bottom of most pages are the running header and footer, left out; a
  number standing alone in the footer is the page's printed number;
- a line is joined to the next when it runs to the right edge of the text and the next line's first
  word would not have fitted on it (a wrapped paragraph), and kept as its own line otherwise (a list
  item, a table cell, a line the text breaks itself); a vertical gap wider than the line spacing
  starts a new block (a blank line); a rule across the text is "---"; "•" opens a list item, "- ".

Every line written keeps the sheet it came from and the page number printed on it, so each passage
knows its pages."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

SUP_RATIO = 0.8  # a character this much smaller than its line's text is a superscript
BLOCK_GAP = 0.45  # a vertical gap over this share of the font size starts a new block
TAB_GAP = 2.5  # a horizontal gap over this many font sizes is a column gap (a tab)
SPACE_GAP = 0.2  # a gap over this share of the font size between glyphs is a space
MARGIN_SHARE = 0.09  # the top and bottom share of a page where running headers and footers stand
RUNNING_SHARE = 0.5  # a line on at least this share of the pages is a running header or footer
FOOTNOTE_RULE = 0.4  # a rule shorter than this share of the text width, in the page's lower half


@dataclass(frozen=True)
class LineSpan:
    """Where a line of the written text came from: its offsets, its sheet (1-based) and printed page."""

    start: int
    end: int
    sheet: int
    printed: int | None


@dataclass
class Layout:
    text: str
    lines: list[LineSpan] = field(default_factory=list)
    sheets: list[tuple[int, int]] = field(default_factory=list)  # each sheet's span in `text` (by-page reading)
    printed: list[int | None] = field(default_factory=list)  # each sheet's printed number
    numbered: bool = False  # the PDF prints page numbers: an unnumbered sheet has no page
    sideways: list[int] = field(default_factory=list)  # sheets with text set sideways, not read

    def pages_of(self, start: int, end: int) -> list[int | None]:
        """The pages the text start:end was printed on, in order: the printed number where the sheet
        prints one, else the sheet's number."""
        out: list[int | None] = []
        for line in self.lines:
            if line.start < end and start < line.end:
                page = line.printed if self.numbered else line.sheet
                if page not in out:
                    out.append(page)
        return out


@dataclass
class _Line:
    chars: list[dict]
    top: float
    bottom: float
    size: float
    x0: float
    x1: float
    sheet: int
    text: str = ""  # as markdown
    plain: str = ""  # the characters only
    cells: list[float] = field(default_factory=list)  # where each cell of a table row starts

    @property
    def bold(self) -> bool:
        return all(_is_bold(c) for c in self.chars if c["text"].strip())


def _is_bold(char: dict) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold", char.get("fontname", ""), re.IGNORECASE))


def _is_italic(char: dict) -> bool:
    return bool(re.search(r"italic|oblique", char.get("fontname", ""), re.IGNORECASE))


def _rows(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines by the middle of their height; a row of small characters lying
    within the height of a row of larger ones, just before or after it, is that line's superscripts."""
    chars = [c for c in chars if c.get("upright", True) and c["text"] not in ("\n", "\r")]
    chars.sort(key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    rows: list[list[dict]] = []
    for c in chars:
        if rows and abs((c["top"] + c["bottom"]) / 2 - _mid(rows[-1])) <= 1.0:
            rows[-1].append(c)
        else:
            rows.append([c])
    out: list[list[dict]] = []
    for row in rows:
        if out and (_raised_into(out[-1], row) or _raised_into(row, out[-1])):
            row = out.pop() + row
        out.append(row)
    return [sorted(row, key=lambda c: c["x0"]) for row in out]


def _raised_into(small: list[dict], host: list[dict]) -> bool:
    """Whether the row `small` is superscripts standing within the height of the row `host`."""
    return (max(c["size"] for c in small) < max(c["size"] for c in host) * SUP_RATIO
            and min(c["top"] for c in host) - 1 <= _mid(small) <= max(c["bottom"] for c in host))


def _mid(row: list[dict]) -> float:
    big = max(c["size"] for c in row)
    main = [c for c in row if c["size"] >= big * SUP_RATIO]
    return sum((c["top"] + c["bottom"]) / 2 for c in main) / len(main)


def _line(row: list[dict], sheet: int) -> _Line:
    big = max(c["size"] for c in row)
    main = [c for c in row if c["size"] >= big * SUP_RATIO] or row
    return _Line(row, min(c["top"] for c in main), max(c["bottom"] for c in main),
                 Counter(round(c["size"], 1) for c in main if c["text"].strip()).most_common(1)[0][0]
                 if any(c["text"].strip() for c in main) else big,
                 min(c["x0"] for c in row), max(c["x1"] for c in row), sheet)


def _runs(line: _Line, links: list[dict]) -> list[tuple[str, str]]:
    """The line as (style, text) runs: style is "", "b", "i", "bi", "sup" or "tab"; spaces are added
    where glyphs stand apart without a space glyph."""
    runs: list[tuple[str, str]] = []
    previous = None
    for c in line.chars:
        sup = c["size"] < line.size * SUP_RATIO and c["bottom"] < line.bottom - 0.5
        style = "sup" if sup else ("b" if _is_bold(c) else "") + ("i" if _is_italic(c) else "")
        text = c["text"]
        if previous is not None:
            gap = c["x0"] - previous["x1"]
            if gap > TAB_GAP * line.size:
                runs.append(("tab", "\t"))
                line.cells.append(c["x0"])
            elif gap > SPACE_GAP * line.size and previous["text"] != " " and text != " ":
                text = " " + text
        if text.startswith(" ") and style in ("b", "i", "bi", "sup") and runs and runs[-1][0] not in ("tab", style):
            runs.append(("", " "))  # a space opening an emphasis goes before it
            text = text[1:]
        link = next((a for a in links if a["x0"] - 1 <= c["x0"] and c["x1"] <= a["x1"] + 1
                     and a["top"] - 2 <= c["top"] and c["bottom"] <= a["bottom"] + 2), None)
        if link is not None:
            style = f"link:{link.get('uri') or ''}"
        if runs and runs[-1][0] == style:
            runs[-1] = (style, runs[-1][1] + text)
        else:
            runs.append((style, text))
        previous = c
    return runs


def _markdown(runs: list[tuple[str, str]]) -> str:
    out = []
    for style, text in runs:
        if style == "tab":
            out.append("\t")
            continue
        core = text.strip()
        if not core or style == "":
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        if style == "sup":
            out.append(f"{lead}<sup>{core}</sup>{trail}")
        elif style.startswith("link:"):
            out.append(f"{lead}[{core}]({style[5:]}){trail}")
        elif style == "b" and any(r[0] == "tab" for r in runs):
            out.append(f"{lead}<b>{core}</b>{trail}")  # a bold cell of a table row
        elif style == "b":
            out.append(f"{lead}**{core}**{trail}")
        elif style == "i":
            out.append(f"{lead}*{core}*{trail}")
        else:
            out.append(f"{lead}***{core}***{trail}")
    return "".join(out).rstrip()


def _normalised(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).strip()


def read_layout(data: bytes, defer_footnotes: bool = True) -> Layout:
    """The PDF's text in the corpus's markdown conventions, with every line's sheet and printed page."""
    import pdfplumber

    pages, sideways = [], []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            turned = sum(not c.get("upright", True) for c in page.chars)
            if turned > 0.2 * max(len(page.chars), 1):
                sideways.append(number)  # a landscape table, or a page turned: its lines are not read
            rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 1.5]
            rules += [r for r in page.rects if r["height"] < 1.5 and r["width"] > 20]
            pages.append((number, float(page.width), float(page.height), [_line(r, number) for r in _rows(page.chars)],
                          rules, list(page.hyperlinks)))
    layout = _write(pages, defer_footnotes)
    layout.sideways = sideways
    return layout


def _write(pages: list, defer_footnotes: bool) -> Layout:
    # Running headers and footers: lines in the page margins repeated on many pages, digits aside.
    counts: Counter = Counter()
    for _, _, height, lines, _, _ in pages:
        counts.update({_normalised(_plain(ln)) for ln in lines if _in_margin(ln, height)})
    running = {text for text, n in counts.items() if len(pages) > 1 and n >= max(2, RUNNING_SHARE * len(pages))}
    sizes = Counter()
    for _, _, height, lines, _, _ in pages:
        for ln in lines:
            if not _in_margin(ln, height):
                sizes[ln.size] += len(ln.chars)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    heading_sizes = sorted({s for s in sizes if s > body_size * 1.12}, reverse=True)
    body_lines = [ln for _, _, h, lines, _, _ in pages for ln in lines if not _in_margin(ln, h)]
    # The text's right edge: where nearly all body lines end (a table cell running wide is not it).
    # A running footer's page number set flush right marks the edge too, where ragged text never reaches.
    ends = sorted(ln.x1 for ln in body_lines if ln.size == body_size)
    margin_ends = [ln.x1 for _, _, h, lines, _, _ in pages for ln in lines
                   if _in_margin(ln, h) and _normalised(_plain(ln)) in running]
    right = max([ends[int(0.98 * (len(ends) - 1))]] if ends else [0.0])
    right = max([right, *margin_ends])
    left = min((ln.x0 for ln in body_lines if ln.size == body_size), default=0.0)

    writer = _Writer(body_size, heading_sizes, left, right, defer_footnotes)
    for sheet, _width, height, lines, rules, links in pages:
        printed = None
        body, notes = [], []
        note_rule = next((r["top"] for r in sorted(rules, key=lambda r: r["top"])
                          if r["top"] > height / 2 and (r["x1"] - r["x0"]) < FOOTNOTE_RULE * (right - left)), None)
        full_rules = [r for r in rules if (r["x1"] - r["x0"]) >= 0.8 * (right - left)]
        for i, ln in enumerate(lines):
            ln.plain = _plain(ln)
            if _in_margin(ln, height) and (_normalised(ln.plain) in running or _set_apart(lines, i, body_size)):
                number = re.findall(r"(?:^|\s)(\d{1,4})(?:\s|$)", ln.plain)
                if number and ln.top > height / 2:
                    printed = int(number[-1])
                continue
            ln.cells = [ln.x0]
            ln.text = _markdown(_runs(ln, links))
            (notes if note_rule is not None and ln.top > note_rule else body).append(ln)
        _fill_empty_cells(body)
        writer.page(sheet, printed, body, notes, full_rules)
    return writer.finish()


def _fill_empty_cells(lines: list[_Line]) -> None:
    """Rows of one table (consecutive lines with column gaps) share their columns: a cell left empty
    is written as an empty cell, so each row keeps its column count ("Sustainability\t0.0\t1.8\t\t")."""
    tables: list[list[_Line]] = []
    for ln in lines:
        if "\t" in ln.text and tables and tables[-1][-1] is not None and ln.sheet == tables[-1][-1].sheet \
                and ln.top - tables[-1][-1].bottom <= BLOCK_GAP * ln.size:
            tables[-1].append(ln)
        elif "\t" in ln.text:
            tables.append([ln])
    for rows in tables:
        stops: list[float] = []
        for x in sorted(x for ln in rows for x in ln.cells):
            if not stops or x - stops[-1] > 4.0:
                stops.append(x)
        if len(stops) < 2:
            continue
        for ln in rows:
            cells = [""] * len(stops)
            for x, text in zip(ln.cells, ln.text.split("\t"), strict=False):
                cells[min(range(len(stops)), key=lambda i: abs(stops[i] - x))] = text
            ln.text = "\t".join(cells)


def _set_apart(lines: list[_Line], i: int, body_size: float) -> bool:
    """A line in a page margin in smaller type than the body, well apart from the text: a header or
    footer even on a document too short for it to repeat (a two-page web summary)."""
    ln = lines[i]
    if ln.size >= body_size * 0.9:
        return False
    neighbours = [o for j, o in enumerate(lines) if j != i and o.size >= body_size * 0.9]
    return all(min(abs(o.top - ln.bottom), abs(ln.top - o.bottom)) > 1.5 * body_size for o in neighbours)


def _plain(line: _Line) -> str:
    """The line's characters, with a space where glyphs stand apart (a footer's title and page number)."""
    out, previous = [], None
    for c in line.chars:
        if previous is not None and c["x0"] - previous["x1"] > SPACE_GAP * line.size and c["text"] != " " \
                and previous["text"] != " ":
            out.append(" ")
        out.append(c["text"])
        previous = c
    return "".join(out).strip()


def _in_margin(line: _Line, height: float) -> bool:
    return line.bottom < height * MARGIN_SHARE or line.top > height * (1 - MARGIN_SHARE)


@dataclass
class _Block:
    """A block of the written text: its lines, each with the sheet and printed page it came from."""

    parts: list[tuple[str, int, int | None]] = field(default_factory=list)
    opens: bool = False  # a heading, bold lead-in or numbered paragraph: it opens a passage
    note: bool = False

    @property
    def text(self) -> str:
        return "".join(t for t, _, _ in self.parts)

    @property
    def sheets(self) -> set[int]:
        return {sheet for t, sheet, _ in self.parts if t.strip()}


class _Writer:
    """Writes the lines of each page as markdown blocks (wrapped lines joined), then places each page's
    footnotes: after the last block citing them, carried past the blocks that continue that paragraph on
    the next page, so that a paragraph broken by a page stays whole."""

    def __init__(self, body_size: float, heading_sizes: list[float], left: float, right: float, defer: bool):
        self.body_size, self.heading_sizes, self.left, self.right = body_size, heading_sizes, left, right
        self.defer = defer
        self.blocks: list[_Block] = []
        self.notes: list[tuple[int, int | None, list[_Line]]] = []
        self.printed: list[int | None] = []
        self.previous: _Line | None = None
        self.previous_kind = ""

    def emit(self, text: str, sheet: int, printed: int | None) -> None:
        self.blocks[-1].parts.append((text, sheet, printed))

    def new_block(self, opens: bool = False) -> None:
        self.blocks.append(_Block(opens=opens))
        self.previous = None

    def page(self, sheet: int, printed: int | None, body: list[_Line], notes: list[_Line], rules: list[dict]) -> None:
        if not self.defer:
            self.previous = None  # read by page: no block runs over a page break
        rule_tops = sorted(r["top"] for r in rules)
        for ln in body:
            while rule_tops and rule_tops[0] < ln.top:
                rule_tops.pop(0)
                self.rule(sheet, printed)
            self.add(ln, sheet, printed)
        for _ in rule_tops:
            self.rule(sheet, printed)
        if notes:
            self.notes.append((sheet, printed, notes))
        self.printed.append(printed)

    def rule(self, sheet: int, printed: int | None) -> None:
        self.new_block(opens=True)
        self.emit("---", sheet, printed)
        self.previous = None

    def kind(self, ln: _Line) -> str:
        if ln.size > self.body_size * 1.12 and ln.size in self.heading_sizes:
            return "heading"
        return "bullet" if _list_item(ln) else "text"

    def add(self, ln: _Line, sheet: int, printed: int | None) -> None:
        kind, prev = self.kind(ln), self.previous
        if prev is None or self._new_block(prev, ln, kind):
            self.new_block(opens=self._opens_passage(ln, kind))
            self.start_line(ln, kind, sheet, printed)
        elif kind == self.previous_kind == "heading" or (kind == "text" and self.previous_kind != "heading"
                                                           and "\t" not in ln.text and self._continues(prev, ln)):
            self.join(_heading_text(ln) if kind == "heading" else ln.text.strip(), sheet, printed)
        else:
            self.emit("\n", sheet, printed)
            self.start_line(ln, kind, sheet, printed)
        self.previous, self.previous_kind = ln, kind

    def join(self, text: str, sheet: int, printed: int | None) -> None:
        _join(self.blocks[-1].parts, text, sheet, printed)

    @staticmethod
    def _opens_passage(ln: _Line, kind: str) -> bool:
        """A heading, a bold lead-in or a numbered paragraph: the paragraph before it (with its lists
        and the blocks carrying it on) is done."""
        return kind == "heading" or ln.text.startswith(("**", "<b>")) or bool(
            re.match(r"^\d+(?:\.\d+)*(?:\.|\s)", ln.plain))

    def _new_block(self, prev: _Line, ln: _Line, kind: str) -> bool:
        """A gap wider than the line spacing on one page; over a page break, a line that does not carry
        on the one before and either follows a finished sentence or opens a block itself."""
        if prev.sheet == ln.sheet:
            return ln.top - prev.bottom > BLOCK_GAP * max(ln.size, prev.size)
        if kind != "bullet" and self._continues(prev, ln):
            return False
        opens = kind != "text" or self._opens_passage(ln, kind)
        return bool(opens or re.search(r"[.:;?!][\W\d]*$", prev.plain))  # "... by 2020.9": a footnote digit

    def start_line(self, ln: _Line, kind: str, sheet: int, printed: int | None) -> None:
        if kind == "heading":
            level = self.heading_sizes.index(ln.size) + 1
            self.emit("#" * min(level, 6) + " " + _heading_text(ln), sheet, printed)
        elif kind == "bullet":
            self.emit("- " + re.sub(r"^[•●]\s*", "", ln.text.lstrip()), sheet, printed)
        else:
            self.emit(ln.text, sheet, printed)

    def _continues(self, prev: _Line, ln: _Line) -> bool:
        """Whether `ln` carries on the line before it: that line ran to the right edge, and the next
        line's first word would not have fitted after it."""
        if abs(prev.size - ln.size) > 0.5:
            return False
        first = ln.plain.split(" ")[0] if ln.plain else ""
        first_width = sum(c["x1"] - c["x0"] for c in ln.chars[: len(first)]) + ln.size * 0.3
        return prev.x1 + first_width > self.right - 0.5

    # --- footnotes and the text -------------------------------------------------------------------
    def _note_blocks(self, sheet: int, printed: int | None, lines: list[_Line]) -> list[_Block]:
        out = []
        for note in _footnotes(lines):
            block = _Block(note=True)
            for i, ln in enumerate(note):
                if i == 0:
                    block.parts.append((ln.text, sheet, printed))
                else:
                    _join(block.parts, ln.text.strip(), sheet, printed)
            out.append(block)
        return out

    def _after(self, sheet: int, numbers: set[int]) -> int:
        """The index of the block a page's footnotes follow."""
        blocks = self.blocks
        on_page = [i for i, b in enumerate(blocks) if sheet in b.sheets]
        if not on_page:
            return len(blocks) - 1
        citing = [i for i in on_page if numbers & {int(n) for m in re.finditer(r"<sup>([^<]*)</sup>", blocks[i].text)
                                                   for n in re.findall(r"\d+", m.group(1))}]
        last = max(citing) if citing and self.defer else on_page[-1]
        if not self.defer:
            return last
        # Carried past the blocks continuing that paragraph over the page break (not opening a passage,
        # and starting on a later page); not past the page's own later blocks (a colophon after a list).
        while last + 1 < len(blocks) and not blocks[last + 1].opens and min(blocks[last + 1].sheets or {0}) > sheet \
                and blocks[last].sheets and max(blocks[last].sheets) > sheet:
            last += 1
        return last

    def finish(self) -> Layout:
        placed: dict[int, list[_Block]] = {}
        for sheet, printed, lines in self.notes:
            notes = self._note_blocks(sheet, printed, lines)
            numbers = {int(m.group(1)) for b in notes if (m := re.match(r"(?:<sup>)?(\d+)", b.text))}
            placed.setdefault(self._after(sheet, numbers), []).extend(notes)
        ordered = []
        for i, block in enumerate(self.blocks):
            ordered.append(block)
            ordered += placed.get(i, [])
        if -1 in placed:
            ordered = placed[-1] + ordered
        text, pos, spans = [], 0, []
        sheet_spans: dict[int, list[int]] = {}
        for block in ordered:
            if not block.text.strip():
                continue
            if text:
                text.append("\n\n")
                pos += 2
            for part, sheet, printed in block.parts:
                if part.strip():
                    spans.append(LineSpan(pos, pos + len(part), sheet, printed))
                    sheet_spans.setdefault(sheet, []).extend([pos, pos + len(part)])
                text.append(part)
                pos += len(part)
        sheets = [(min(sheet_spans[s]), max(sheet_spans[s])) if s in sheet_spans else (pos, pos)
                  for s in range(1, len(self.printed) + 1)]
        # A report that prints page numbers is cited by them, and its unnumbered sheets (the cover) by
        # none; one that prints none is cited by its sheets.
        return Layout("".join(text), spans, sheets, self.printed,
                      numbered=any(p is not None for p in self.printed))


def _list_item(ln: _Line) -> bool:
    """A line opening a list item: a bullet set apart from its text by more than a space (a "•" that
    a paragraph's wrap brings to the start of a line is followed by an ordinary space)."""
    chars = [c for c in ln.chars if c["text"].strip()]
    if len(chars) < 2 or chars[0]["text"] not in ("•", "●", "▪", "–") or ln.plain[1:2] not in (" ", ""):
        return False
    return chars[1]["x0"] - chars[0]["x1"] > 0.45 * ln.size


def _join(parts: list[tuple[str, int, int | None]], text: str, sheet: int, printed: int | None) -> None:
    """A wrapped line joined to the line before it; emphasis running over the wrap is one run."""
    for mark in ("**", "*"):
        last = parts[-1][0]
        if last.endswith(mark) and text.startswith(mark) and not last.endswith(mark + "*") \
                and not text.startswith(mark + "*"):
            parts[-1] = (last[: -len(mark)], parts[-1][1], parts[-1][2])
            text = text[len(mark):]
            break
    parts.append((" " + text, sheet, printed))


def _heading_text(ln: _Line) -> str:
    return re.sub(r"\*\*|<b>|</b>", "", ln.text).strip()


def _footnotes(lines: list[_Line]) -> list[list[_Line]]:
    """A page's footnote lines, one list per footnote: a footnote starts with its number."""
    notes: list[list[_Line]] = []
    for ln in lines:
        if re.match(r"^(?:<sup>\d+</sup>|\d+\s)", ln.text.lstrip()) or not notes:
            notes.append([ln])
        else:
            notes[-1].append(ln)
    return notes
