"""A Table's or Figure's text read into rows and columns, where the text allows it.

Three shapes are read:
- a delimited table: cells separated by tabs (the NAO's Figure 12: "Sustainability	0.0	1.8	1.8") or a
  Markdown pipe table, the first line its column headings. Read with confidence: every cell is where the
  text puts it.
- an OCR table whose rows each print the same number of values, three or more ("Population (million) 56.5
  3.2 5.5 1.9"): each row's label and values are read, but not the column headings, which OCR loses (the
  Nuffield Trust's Tables 1 and 2 no longer say which country each value is for). Such a grid says so
  (`headings_legible` False) and no value is ever assigned to a column.
- anything else (cells out of order, values on lines of different lengths, as in the Nuffield Trust's
  Table 3) is not read: a guessed cell is worse than none.

Every label, heading and value is a piece of the passage's own text, so an answer built from it quotes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Markup some sources put around a cell ("<b>Total</b>", "**2.1**"); the text inside is the cell.
_MARKUP = re.compile(r"</?b>|\*\*")
# A value in an OCR row: "2,427", "25%", "£23,250*", "-7" (a misread digit is still a value).
_VALUE = re.compile(r"(?<![\w/-])[£$]?-?\d[\d,]*(?:\.\d+)?%?\*{0,2}(?![\w/-])")
# A year or period is part of a row's label ("2019/20, £", "— males, in 2017-19"), not one of its values.
_PERIOD = re.compile(r"^(?:19|20)\d\d(?:[-/–](?:\d\d){1,2})?$")
_PIPE_RULE = re.compile(r"\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")  # "a \\| b" is one cell holding a pipe
_SOURCE_OR_NOTE = re.compile(r"^\s*(?:sources?|notes?)\s*:", re.IGNORECASE)
MIN_OCR_COLUMNS = 3  # two values a row is as likely two cells of a scrambled table as a row of two


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[str, ...]
    starts: tuple[int, ...]  # where each cell starts in the passage's text (-1 for an empty cell)


@dataclass(frozen=True)
class TableGrid:
    """A table's rows, each a label and its cells, and the column headings over the cells."""

    label_heading: str  # the heading over the rows' labels ("Objective"), "" when none is printed
    columns: tuple[str, ...]  # one per cell; "" where the text does not print the heading
    rows: tuple[TableRow, ...]
    headings_legible: bool  # False: which column a cell is in is known, but not what the column is
    column_starts: tuple[int, ...] = ()  # where each heading starts in the passage's text (-1: none printed)
    start: int = 0  # where the table's lines start in the passage's text: before it, its title and subtitle
    end: int = 0  # where they end: after it, its notes and source

    def to_dict(self) -> dict:
        return {"label_heading": self.label_heading, "columns": list(self.columns),
                "rows": [{"label": r.label, "cells": list(r.cells)} for r in self.rows],
                "headings_legible": self.headings_legible}


def _clean(cell: str) -> str:
    return " ".join(_MARKUP.sub("", cell).split())


def read_grid(text: str) -> TableGrid | None:
    """The table in a passage's text, or None when the text cannot be read into cells with confidence."""
    return _delimited(text) or _ocr_value_rows(text)


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line of the text with where it starts."""
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out


def _delimited(text: str) -> TableGrid | None:
    """The first run of two or more tab-separated (or Markdown pipe) lines: headings, then rows."""
    block: list[list[tuple[int, str]]] = []
    end = 0
    for at, line in _lines(text):
        if _PIPE_RULE.fullmatch(line.strip()):  # "|---|---|" under a pipe table's headings
            continue
        cells = _split(at, line)
        if cells is not None:
            block.append(cells)
            end = at + len(line)
        elif len(block) >= 2:
            break
        else:
            block = []
    if len(block) < 2 or not _looks_tabular(block):
        return None
    header, *body = block
    width = max(len(cells) for cells in block) - 1
    if width < 1:
        return None
    columns = tuple(_clean(c) for _, c in header[1:]) + ("",) * (width - len(header) + 1)
    rows = []
    for cells in body:
        values = [(start + _leading_markup(c), _clean(c)) for start, c in cells[1:]]
        values += [(-1, "")] * (width - len(values))
        if _clean(cells[0][1]) or any(v for _, v in values):
            rows.append(TableRow(_clean(cells[0][1]), tuple(v for _, v in values),
                                 tuple(start if v else -1 for start, v in values)))
    if not rows or not any(columns):
        return None
    starts = tuple(start + _leading_markup(c) if _clean(c) else -1 for start, c in header[1:])
    starts += (-1,) * (width - len(starts))
    return TableGrid(_clean(header[0][1]), columns[:width], tuple(rows), headings_legible=True,
                     column_starts=starts[:width], start=header[0][0], end=end)


def _looks_tabular(block: list[list[tuple[int, str]]]) -> bool:
    """A table, not prose indented with tabs: three columns or more, or a value in every row below the
    headings ("Sustainability	0.0	1.8")."""
    return max(len(cells) for cells in block) >= 3 or all(
        any(_values(c) for _, c in cells[1:]) for cells in block[1:])


def _leading_markup(cell: str) -> int:
    """How far into a cell its text starts: past spaces and markup ("<b>2.1</b>" starts at "2")."""
    match = re.match(r"(?:\s|</?b>|\*\*)*", cell)
    return match.end() if match else 0


def _split(at: int, line: str) -> list[tuple[int, str]] | None:
    """A line's cells, each with where it starts, if the line is a row of a delimited table."""
    if "\t" in line:
        separator = "\t"
        body, offset = line, at
    else:
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
            return None
        separator = "|"
        first = line.index("|") + 1
        body, offset = line[first:line.rindex("|")], at + first
    cells, start = [], offset
    for cell in (body.split(separator) if separator == "\t" else _UNESCAPED_PIPE.split(body)):
        cells.append((start, cell.replace("\\|", "|")))
        start += len(cell) + 1
    return cells


def _values(line: str) -> list[re.Match]:
    return [m for m in _VALUE.finditer(line) if not _PERIOD.match(m.group(0))]


def _label_words(line: str) -> str:
    """A line's words but for its values, without the stray dots and brackets OCR leaves (". ) 25%")."""
    words = _clean(_VALUE.sub(lambda m: m.group(0) if _PERIOD.match(m.group(0)) else " ", line))
    return re.sub(r"^[\s.)]+|[\s.]+$", "", words)


def _ocr_value_rows(text: str) -> TableGrid | None:
    """Rows of an OCR table: lines printing the same number of values (three or more), each labelled by
    the words on its line and around it. A line of the body that prints another number of values means
    the cells are out of order: nothing is read."""
    body = []
    for at, line in _lines(text)[1:]:  # the first line is the title
        if _SOURCE_OR_NOTE.match(line):
            break
        body.append((at, line, _values(line)))
    counts = [len(values) for _, _, values in body]
    widths = {c for c in counts if c}
    if len(widths) != 1 or (width := widths.pop()) < MIN_OCR_COLUMNS or counts.count(width) < 2:
        return None
    rows: list[TableRow] = []
    pending: list[str] = []  # words before a value line: the start of its label
    end = body[-1][0] + len(body[-1][1]) if body else 0
    for at, line, values in body:
        words = _label_words(line)
        if values:
            rows.append(TableRow(" ".join([*pending, words]).strip(), tuple(m.group(0) for m in values),
                                 tuple(at + m.start() for m in values)))
            pending = []
        elif words and rows and not pending and _continues(words):
            last = rows[-1]  # "— males, in 2017-19", "services, 2019/20, £": the row above goes on
            rows[-1] = TableRow(f"{last.label} {words}".strip(), last.cells, last.starts)
        elif words:
            pending.append(words)
    first = next((at for at, line, _ in body if line.strip()), 0)
    return TableGrid("", ("",) * width, tuple(rows), headings_legible=False, start=first, end=end)


def _continues(words: str) -> bool:
    """A line that goes on with the label above it: it starts in lower case, with a dash or a digit."""
    return bool(re.match(r"[a-z—–\-\d(,]", words))


_NOTE_MARK = re.compile(r"^[\s\-•*#]*(?:\d{1,2}\s+|\*+\s*)?")


def table_notes(text: str, grid: TableGrid) -> list[str]:
    """The notes printed under a table, each as printed but for its list mark ("1 For 2019-20 and
    2020-21, NHS England has not allocated the Fund ..."; "* Social care spending combines ..."): what a
    cell cannot be read without. Its source line is no note."""
    notes = []
    for _, line in _lines(text[grid.end:]):
        stripped = line.strip()
        if re.match(r"(?:sources?)\b", stripped.lstrip("#*- "), re.IGNORECASE):
            break
        words = re.sub(r"^(?:notes?)\s*:?", "", stripped.lstrip("#*- "), flags=re.IGNORECASE).strip()
        if len(words.split()) >= 3:
            notes.append(" ".join(words.split()))
    return notes
