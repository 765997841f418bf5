"""A question about a Table's or Figure's cells, answered with its row, column and value.

When the answer comes from a passage whose text reads into rows and columns (`indexer/tables.py`), the
run-on text of the whole table is not the answer: the row the question names, the column it names (a
year, a nation, a heading's words) and the value where they meet are. "How much of the STF went on
sustainability in 2017-18?" is answered "Sustainability, 2017-18 (£bn): 1.8 (NAO 2017, Figure 12)", and
the app shows the whole table with that cell marked.

An OCR table whose column headings are lost is read into rows only: a question about one of its rows
gets that row's values in the order printed, and the answer says that which value is whose cannot be
read from the text. No value is ever given a column the text does not print.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from care_evidence.evidence import messages
from care_evidence.evidence.analysis import NATIONS, QueryAnalysis, time_key
from care_evidence.evidence.models import Answer, AnswerSentence, Citation, FigureMention, ScoredPassage
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import TABLE, Passage
from care_evidence.indexer.quantities import extract_quantities
from care_evidence.indexer.tables import TableGrid, read_grid

_WORD = re.compile(r"[\w’'-]+")
_MANY_VALUES = 3  # a sentence quoting this many of an unread table's values quotes its cells, run on
_HEADING_MARKS = re.compile(r"(?m)^\s*#+\s|\*\*|</?b>")  # Markdown or HTML around a title ("### Figure 12")
_ROW_SHARE = 0.5  # of a row label's words a question must say to name the row
_TOTAL = re.compile(r"^\W*total\W*$", re.IGNORECASE)


@dataclass
class TableAnswer:
    """A table an answer reads from: the grid, the rows and columns the question picks, and what the
    answer must say about how far the text can be read."""

    citation: Citation
    title: str
    grid: TableGrid
    rows: tuple[int, ...] = ()  # the rows the question picks, in the grid's order
    columns: tuple[int, ...] = ()  # the columns it picks
    opening: str = ""  # the text before the table's cells: its title and what it shows
    note: str = ""  # "its column headings are not in the OCR text ..."
    figures: list[FigureMention] = field(default_factory=list)

    def statement(self) -> str:
        """The cells picked, as "row, column: value" ("Sustainability, 2017-18 (£bn): 1.8"); "" for none."""
        grid = self.grid
        if self.rows and self.columns:
            return "; ".join(f"{grid.rows[r].label}, {grid.columns[c]}: {grid.rows[r].cells[c]}"
                             for r in self.rows for c in self.columns if grid.rows[r].cells[c])
        if self.rows:
            return "; ".join(self._row(r) for r in self.rows)
        if self.columns:
            return "; ".join(f"{grid.columns[c]}: " + ", ".join(f"{row.label} {row.cells[c]}" for row in grid.rows
                                                               if row.cells[c]) for c in self.columns)
        return ""

    def _row(self, r: int) -> str:
        row = self.grid.rows[r]
        if not self.grid.headings_legible:  # the values in the order printed, with nothing to say whose
            return f"{row.label}: " + ", ".join(row.cells)
        return f"{row.label}: " + "; ".join(f"{h} {v}" for h, v in zip(self.grid.columns, row.cells, strict=True) if v)

    def header(self) -> list[str]:
        """The table's headings as shown: a heading the OCR text lost is said to be lost, not guessed."""
        columns = [h or f"column {i} (heading not in the text)" for i, h in enumerate(self.grid.columns, start=1)]
        return [self.grid.label_heading or "Row", *columns]

    def body(self) -> list[tuple[list[str], list[bool]]]:
        """Each row's label and cells, as printed, with which of them the question picked."""
        out = []
        for r, row in enumerate(self.grid.rows):
            in_row = r in self.rows
            picked = [in_row and not self.columns] + [
                (in_row and (not self.columns or c in self.columns)) or (not self.rows and c in self.columns)
                for c in range(len(row.cells))]
            out.append(([row.label, *row.cells], picked))
        return out

    def to_dict(self) -> dict:
        return {"citation": str(self.citation), "title": self.title, **self.grid.to_dict(),
                "rows_picked": list(self.rows), "columns_picked": list(self.columns), "note": self.note,
                "statement": self.statement()}


@functools.lru_cache(maxsize=256)
def _grid(passage_id: str, text: str) -> TableGrid | None:
    return read_grid(text)


def grid_of(passage: Passage) -> TableGrid | None:
    """The passage's text read into rows and columns, or None (remembered: passages do not change)."""
    return _grid(passage.id, passage.text)


def _stems(text: str) -> list[str]:
    """The question's content words, stemmed, each as often as it is said."""
    return [t for word in _WORD.findall(text) for t in content_terms(word)]


def _best(scores: list[int]) -> tuple[int, ...]:
    """The indices scoring highest, above nothing: two rows named as often are both asked for."""
    top = max(scores, default=0)
    return tuple(i for i, s in enumerate(scores) if s == top) if top > 0 else ()


def _asked_words(analysis: QueryAnalysis, title: str) -> list[str]:
    """The question's words, stemmed, but for the table's title where the question says it: "the
    Sustainability and Transformation Fund" names the table, not its Sustainability row."""
    text = analysis.without_citations()
    if title:
        text = re.sub(re.escape(title), " ", text, flags=re.IGNORECASE)
    return _stems(text)


def rows_asked(grid: TableGrid, analysis: QueryAnalysis, title: str = "") -> tuple[int, ...]:
    """The rows the question names: each says at least half of the row label's words ("integrated
    community care", not "integrated" alone), and none is said less often than another named row."""
    asked = _asked_words(analysis, title)
    scores = []
    for row in grid.rows:
        label = {t for t in content_terms(row.label) if not t.isdigit()}
        named = label and len(label & set(asked)) >= _ROW_SHARE * len(label)
        scores.append(sum(t in label for t in asked) if named else 0)
    return _best(scores)


def columns_asked(grid: TableGrid, analysis: QueryAnalysis) -> tuple[int, ...]:
    """The columns whose headings state a year the question names ("2017-18 (£bn)"), or the nation it
    names; else the one heading sharing most of its words ("system change"). None when headings are lost."""
    if not grid.headings_legible:
        return ()
    times = [{time_key(q) for q in extract_quantities(h) if q.kind in ("year", "period")} for h in grid.columns]
    by_time = tuple(i for i, t in enumerate(times) if t & analysis.times)
    if by_time:
        return by_time
    nations = [n for n, pattern in NATIONS.items() if re.search(pattern, analysis.question)]
    by_nation = tuple(i for i, h in enumerate(grid.columns) if any(re.search(NATIONS[n], h) for n in nations))
    if by_nation:
        return by_nation
    best = _best([sum(t in content_terms(h) for t in _stems(analysis.without_citations())) for h in grid.columns])
    return best if len(best) == 1 else ()


def _figures(view: IndexView, passage: Passage, table: TableAnswer) -> list[FigureMention]:
    """The figures of the cells picked, each the passage's own quantity at that cell, and the years of
    the columns picked ("2017-18 (£bn)"): the cell is for that period."""
    grid = table.grid
    if not (table.rows or table.columns):
        return []
    rows = table.rows or range(len(grid.rows))
    columns = table.columns or range(len(grid.columns))
    starts = {grid.rows[r].starts[c] for r in rows for c in columns}
    headings = [(grid.column_starts[c], grid.column_starts[c] + len(grid.columns[c]))
                for c in columns if c < len(grid.column_starts) and grid.column_starts[c] >= 0]
    return [FigureMention(q.printed, q.kind, q.value, q.unit, passage.id, q.start, q.end)
            for q in passage.quantities
            if q.start in starts or (q.kind in ("year", "period") and any(a <= q.start < b for a, b in headings))]


def _pick(view: IndexView, analysis: QueryAnalysis, passage: Passage, citation: Citation,
          grid: TableGrid) -> TableAnswer:
    rows, columns = rows_asked(grid, analysis, passage.title), columns_asked(grid, analysis)
    if columns and not rows:  # "the STF in 2016-17": its total, where the table has one
        rows = tuple(i for i, row in enumerate(grid.rows) if _TOTAL.match(row.label))[:1]
    note = "" if grid.headings_legible else messages.table_headings_lost(citation.locator)
    opening = " ".join(_HEADING_MARKS.sub(" ", passage.text[: grid.start]).split()) or (
        f"{citation.locator}: {passage.title}")
    table = TableAnswer(citation, passage.title or passage.search_text.split(":")[0], grid, rows, columns,
                        opening, note)
    table.figures = _figures(view, passage, table)
    return table


def table_answer(view: IndexView, analysis: QueryAnalysis, answer: Answer) -> TableAnswer | None:
    """The table of the answer's first sentence read from a table passage, with the cells the question
    asks for."""
    for sentence in answer.sentences:
        passage = view.passage(sentence.citation.passage_id)
        grid = grid_of(passage)
        if grid is not None:
            return _pick(view, analysis, passage, sentence.citation, grid)
    return None


def cell_asked(view: IndexView, analysis: QueryAnalysis, passages: list[ScoredPassage], settings: Settings,
               searched: str = "") -> TableAnswer | None:
    """A cell of a table among the top passages that the question names by both its row and its
    column ("STF transformation funding 2017-18"): a sentence near it in rank may state another year's
    figure, or none. The row must be named by its own words: a table's "Total" answers only a question
    about what the table is of (its title's words, in the text `searched`: "STF" with the name the
    reports print for it), not any question naming one of its years."""
    for scored in passages[: settings.table_passages]:
        grid = grid_of(scored.passage)
        if grid is None or not grid.headings_legible:
            continue
        table = _pick(view, analysis, scored.passage, scored.citation, grid)
        if not (table.rows and table.columns and table.statement()):
            continue
        named_row = rows_asked(grid, analysis, scored.passage.title)
        title = content_terms(table.title)  # "STF" says it, expanded to its name from the reports' own
        if named_row or (title and len(title & content_terms(searched or analysis.expanded)) >= len(title) / 2):
            return table
    return None


def with_table(answer: Answer, table: TableAnswer, first: bool = False) -> Answer:
    """The answer with its table. The sentences quoting the table's run-on text give way to the cells
    picked (put first when `first`: a cell the question names is the answer); with none picked, to the
    table's title when a sentence of it strings two rows' cells together (the app shows the rows)."""
    answer.table = table
    statement = table.statement()
    from_table = [i for i, s in enumerate(answer.sentences) if s.citation.passage_id == table.citation.passage_id]
    kept = [s for s in answer.sentences if s.citation.passage_id != table.citation.passage_id]
    if statement:
        cell = AnswerSentence(statement, table.citation, table.figures)
        if first:  # the cell answers; sentences of another report are about something else
            answer.sentences = [cell] + [s for s in kept if s.citation.doc_id == table.citation.doc_id]
        else:
            at = from_table[0] if from_table else 0
            answer.sentences = kept[:at] + [cell] + kept[at:]
        if table.note:
            answer.caveat = " ".join(c for c in (answer.caveat, table.note) if c)
    elif from_table and any(_strings_rows(s.text, table.grid) for s in answer.sentences):
        heading = AnswerSentence(table.opening, table.citation)
        answer.sentences = kept[:from_table[0]] + [heading] + kept[from_table[0]:]
    return answer


def _strings_rows(text: str, grid: TableGrid) -> bool:
    """Whether a sentence holds the cells of two rows or more: a table's text run on, not a finding."""
    held = [all(c in text for c in row.cells if c) and any(row.cells) for row in grid.rows]
    return sum(held) >= 2


def unread_table(view: IndexView, answer: Answer) -> str:
    """What to say when the answer quotes an OCR table that could not be read into cells (the Nuffield
    Trust's Table 3, whose values are printed out of order): which value is whose is not in the text."""
    for sentence in answer.sentences:
        passage = view.passage(sentence.citation.passage_id)
        if (passage.kind == TABLE and sentence.citation.ocr and grid_of(passage) is None
                and len(extract_quantities(sentence.text)) >= _MANY_VALUES):
            return messages.table_unread(sentence.citation.locator)
    return ""
