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
from care_evidence.evidence.answer import chart_findings
from care_evidence.evidence.models import Answer, AnswerSentence, Citation, FigureMention, ScoredPassage
from care_evidence.evidence.requirements import years_of
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import FIGURE, TABLE, Passage
from care_evidence.indexer.quantities import extract_quantities
from care_evidence.indexer.tables import TableGrid, read_grid, table_notes

_WORD = re.compile(r"[\w’'-]+")
_MANY_VALUES = 3  # a sentence quoting this many of an unread table's values quotes its cells, run on
_HEADING_MARKS = re.compile(r"(?m)^\s*#+\s|\*\*|</?b>")  # Markdown or HTML around a title ("### Figure 12")
_TOTAL = re.compile(r"^\W*total\W*$", re.IGNORECASE)
# A name in a question: "Integration Transformation Fund".
_NAME = re.compile(r"[A-Z][\w’'-]+(?:\s+(?:(?:and|of|for|the|&)\s+)*[A-Z][\w’'-]+)+")


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
    note: str = ""  # what the text cannot tell: "its column headings are not in the OCR text ..."
    notes: tuple[str, ...] = ()  # the table's own notes that bear on the cells picked, as printed
    figures: list[FigureMention] = field(default_factory=list)

    def statement(self) -> str:
        """The cells picked, as "row, column: value" ("Sustainability, 2017-18 (£bn): 1.8"); "" for none."""
        grid = self.grid
        if self.rows and self.columns:
            return "; ".join(f"{grid.rows[r].label}, {grid.columns[c]}: {grid.rows[r].cells[c] or messages.BLANK_CELL}"
                             for r in self.rows for c in self.columns)
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
                "notes": list(self.notes),
                "statement": self.statement()}


@functools.lru_cache(maxsize=256)
def _grid(passage_id: str, text: str) -> TableGrid | None:
    return read_grid(text)


def grid_of(passage: Passage) -> TableGrid | None:
    """A Table's or Figure's text read into rows and columns, or None (remembered: passages do not
    change). A paragraph is never read as a table, whatever its numbers or tabs."""
    return _grid(passage.id, passage.text) if passage.kind in (TABLE, FIGURE) else None


def _stems(text: str) -> list[str]:
    """The question's content words, stemmed, each as often as it is said."""
    return [t for word in _WORD.findall(text) for t in content_terms(word)]


def _best(scores: list[int]) -> tuple[int, ...]:
    """The indices scoring highest, above nothing: two rows named as often are both asked for."""
    top = max(scores, default=0)
    return tuple(i for i, s in enumerate(scores) if s == top) if top > 0 else ()


def _without_title(text: str, title: str, run: int) -> str:
    """The text but for any run of `run` (three) or more of the title's words in it: "the Sustainability and
    Transformation Fund's sustainability money" names the table, then its Sustainability row; "the
    sustainability and transformation plans" names neither row. Two words ("social care", in "UK health
    and social care systems overview") may well name a row."""
    words = title.split()
    for size in range(len(words), run - 1, -1):
        for at in range(len(words) - size + 1):
            phrase = r"\s+".join(re.escape(w) for w in words[at : at + size])
            text = re.sub(rf"(?<!\w){phrase}(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


def says_title(searched: str, title: str) -> bool:
    """Whether the question says what the table is of: every word of its title ("STF" searched with the
    name the reports print for it, "Sustainability and Transformation Fund")."""
    wanted = content_terms(title)
    return bool(wanted) and wanted <= content_terms(searched)


def rows_asked(grid: TableGrid, analysis: QueryAnalysis, settings: Settings, title: str = "") -> tuple[int, ...]:
    """The rows the question names: it says half of the row label's words ("integrated community care",
    not "integrated" alone) or, in a table of words, three of its cells' words ("a digital integrated
    care record"); the row saying most of them is named, and rows saying as many are all named."""
    asked = _stems(_without_title(analysis.without_citations(), title, settings.table_title_run))
    distinct = set(asked)
    scores = []
    for row in grid.rows:
        label = {t for t in content_terms(row.label) if not t.isdigit()}
        cells = {t for t in content_terms(" ".join(row.cells)) if not t[0].isdigit()} - label
        in_cells = len(cells & distinct)
        named = (label and len(label & distinct) >= settings.table_row_share * len(label)
                 or in_cells >= settings.table_cell_words)
        scores.append(sum(t in label for t in asked) + in_cells if named else 0)
    return _best(scores)


def columns_asked(grid: TableGrid, analysis: QueryAnalysis) -> tuple[int, ...]:
    """The columns whose headings state a year the question names ("2017-18 (£bn)"), every one within
    the span it names ("between 2016-17 and 2018-19"), or the nation it names; else the one heading
    sharing most of its words ("system change"). None when the headings are lost."""
    if not grid.headings_legible:
        return ()
    times = [{time_key(q) for q in extract_quantities(h) if q.kind in ("year", "period")} for h in grid.columns]
    asked = years_of(analysis.times)
    if len(analysis.times) >= 2 and asked:  # a span: every column within it
        within = tuple(i for i, t in enumerate(times) if t and years_of(t) <= set(range(min(asked), max(asked) + 1)))
        if within:
            return within
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


def _pick(view: IndexView, analysis: QueryAnalysis, passage: Passage, citation: Citation, grid: TableGrid,
          searched: str, settings: Settings) -> TableAnswer:
    """The cells a question asks for. A table of figures answers only a question asking for a figure
    or naming a row ("What did NHS England plan to prioritise until 2018-19?" names a year of Figure 12,
    and is answered by what the Figure shows, not by a cell); its Total answers a question naming a
    column only when it says what the table is of ("the STF in 2016-17")."""
    rows, columns = rows_asked(grid, analysis, settings, passage.title), columns_asked(grid, analysis)
    of_figures = any(_values_in(c) for row in grid.rows for c in row.cells)
    if of_figures and not rows and not analysis.wanted_figures:
        columns = ()
    if columns and not rows and says_title(searched or analysis.question, passage.title):
        rows = tuple(i for i, row in enumerate(grid.rows) if _TOTAL.match(row.label))[:1]
    if not rows:
        columns = ()  # a column alone, with no row and no total, is no answer to quote
    note = "" if grid.headings_legible else messages.table_headings_lost(citation.locator, citation.ocr)
    above = " ".join(_HEADING_MARKS.sub(" ", passage.text[: grid.start]).split())  # label, title, subtitle
    opening = chart_findings(passage, above) or above or f"{citation.locator}: {passage.title}"
    table = TableAnswer(citation, passage.title or passage.search_text.split(":")[0], grid, rows, columns,
                        opening, note)
    table.notes = _notes_bearing_on(passage, table) if rows else ()
    table.figures = _figures(view, passage, table)
    return table


def _values_in(cell: str) -> bool:
    return bool(re.search(r"\d", cell))


def _notes_bearing_on(passage: Passage, table: TableAnswer) -> tuple[str, ...]:
    """The table's notes that speak of a column picked (its year: "For 2019-20 and 2020-21, NHS England
    has not allocated the Fund ..."), of a row picked (its words), or of a mark its cells carry ("*")."""
    grid = table.grid
    periods = {time_key(q) for c in table.columns for q in extract_quantities(grid.columns[c])
               if q.kind in ("year", "period")}
    labels = {t for r in table.rows for t in content_terms(grid.rows[r].label) if not t.isdigit()}
    marked = any("*" in grid.rows[r].label or any("*" in c for c in grid.rows[r].cells) for r in table.rows)
    out = []
    for note in table_notes(passage.text, grid):
        stated = {time_key(q) for q in extract_quantities(note) if q.kind in ("year", "period")}
        if (periods & stated) or (marked and note.startswith("*")) or len(labels & content_terms(note)) >= 2:
            out.append(note)
    return tuple(out)


def table_answer(view: IndexView, analysis: QueryAnalysis, answer: Answer, settings: Settings,
                 searched: str = "") -> TableAnswer | None:
    """The table of the answer's first sentence read from a table passage, with the cells the question
    asks for."""
    for sentence in answer.sentences:
        passage = view.passage(sentence.citation.passage_id)
        grid = grid_of(passage)
        if grid is not None:
            return _pick(view, analysis, passage, sentence.citation, grid, searched, settings)
    return None


def cell_asked(view: IndexView, analysis: QueryAnalysis, passages: list[ScoredPassage], settings: Settings,
               searched: str = "") -> TableAnswer | None:
    """A cell of a table among the top passages that the question names by its row and its column and
    whose table it names too ("STF transformation funding 2017-18", `searched` with "STF" spelt out):
    the cell answers first, though a sentence ranked above it may state another year's figure, or none.
    A row named without the table ("Integration Transformation Fund 2015-16" is not Figure 12's
    Transformation row) answers only a question already answered from that table."""
    for scored in passages[: settings.table_passages]:
        grid = grid_of(scored.passage)
        if grid is None or not grid.headings_legible:
            continue
        title = scored.passage.title
        table = _pick(view, analysis, scored.passage, scored.citation, grid, searched, settings)
        if table.rows and table.columns and (says_title(searched or analysis.question, title) or (
                rows_asked(grid, analysis, settings, title)
                and _mostly_names(analysis.question, title, settings.table_title_share))):
            return table
    return None


def _mostly_names(question: str, title: str, share: float) -> bool:
    """Whether a question naming a row also says most of the table's title ("the sustainability part of
    the fund" for the "Sustainability and Transformation Fund"), and names nothing else by its words (the
    "Integration Transformation Fund" is another fund)."""
    wanted = content_terms(title)
    if not wanted or len(wanted & content_terms(question)) < share * len(wanted):
        return False
    others = [m.group(0) for m in _NAME.finditer(question) if m.group(0).lower() != title.lower()]
    return not any(content_terms(name) & wanted for name in others)


def with_table(answer: Answer, table: TableAnswer, first: bool = False) -> Answer:
    """The answer with its table. The sentences quoting the table's run-on text give way to the cells
    picked (put first when `first`: a cell the question names is the answer); with none picked, to the
    table's title when a sentence of it strings two rows' cells together (the app shows the rows)."""
    answer.table = table
    statement = table.statement()
    from_table = [i for i, s in enumerate(answer.sentences) if s.citation.passage_id == table.citation.passage_id]
    kept = [s for s in answer.sentences if s.citation.passage_id != table.citation.passage_id]
    if statement:
        cells = [AnswerSentence(statement, table.citation, table.figures, from_cells=True)]
        cells += [AnswerSentence(note, table.citation) for note in table.notes]  # what the cell needs said
        if first:  # the cell answers; sentences of another report are about something else
            answer.sentences = cells + [s for s in kept if s.citation.doc_id == table.citation.doc_id]
        else:
            at = from_table[0] if from_table else 0
            answer.sentences = kept[:at] + cells + kept[at:]
        answer.reading = " ".join(c for c in (answer.reading, table.note) if c)
    elif from_table and any(_strings_rows(s.text, table.grid) for s in answer.sentences):
        heading = AnswerSentence(table.opening, table.citation)
        answer.sentences = kept[:from_table[0]] + [heading] + kept[from_table[0]:]
    return answer


def _strings_rows(text: str, grid: TableGrid) -> bool:
    """Whether a sentence holds the cells of two rows or more: a table's text run on, not a finding."""
    held = [all(c in text for c in row.cells if c) and any(row.cells) for row in grid.rows]
    return sum(held) >= 2


def unread_table(view: IndexView, answer: Answer) -> str:
    """What to say when the answer quotes a table that could not be read into cells (the Nuffield
    Trust's Table 3, its values two to a line with labels among them): which value is whose cannot be
    told from the text. Said of a sentence running a table's values together ("£28,750 £23,250 Upper
    £23,250* £50,000"), not of a table's list of items each with its own figure."""
    for sentence in answer.sentences:
        passage = view.passage(sentence.citation.passage_id)
        values = [q for q in extract_quantities(sentence.text) if q.kind not in ("year", "period")]
        run_together = any(not sentence.text[a.end : b.start].strip() for a, b in zip(values, values[1:], strict=False))
        if (passage.kind == TABLE and grid_of(passage) is None and len(values) >= _MANY_VALUES
                and run_together):
            return messages.table_unread(sentence.citation.locator, sentence.citation.ocr)
    return ""
