"""Tables as tables (issue 18, item 4): a Table's or Figure's text read into rows and columns where the
text allows it, a question about a cell answered with its row, column and value, and an OCR table whose
headings or cell order are lost said to be so rather than guessed."""

from __future__ import annotations

import json

from care_evidence.eval.data import DATA_DIR
from care_evidence.indexer.tables import read_grid

TAB_TABLE = """Figure 12
Sustainability and Transformation Fund

\t2015-16 (£bn)\t2016-17 (£bn)\t2017-18 (£bn)
Sustainability\t0.0\t1.8\t
<b>Total</b>\t<b>0.2</b>\t<b>2.1</b>\t<b>2.9</b>

Source: NHS England"""


def test_a_tab_separated_table_reads_into_headings_rows_and_cells_where_the_text_has_them():
    grid = read_grid(TAB_TABLE)
    assert grid.headings_legible and grid.columns == ("2015-16 (£bn)", "2016-17 (£bn)", "2017-18 (£bn)")
    assert [r.label for r in grid.rows] == ["Sustainability", "Total"]
    assert grid.rows[0].cells == ("0.0", "1.8", "") and grid.rows[1].cells == ("0.2", "2.1", "2.9")
    for row in grid.rows:  # each cell where the text prints it (markup aside); an empty cell nowhere
        for cell, start in zip(row.cells, row.starts, strict=True):
            assert (TAB_TABLE[start : start + len(cell)] == cell) if cell else start == -1
    for heading, start in zip(grid.columns, grid.column_starts, strict=True):
        assert TAB_TABLE[start : start + len(heading)] == heading
    assert TAB_TABLE[: grid.start].strip().endswith("Sustainability and Transformation Fund")


def test_a_markdown_pipe_table_reads_and_its_rule_line_is_no_row():
    text = "Table 9: Beds\n\n| Trust | 2015 | 2016 |\n|---|---|---|\n| North | 10 | 12 |\n| South | 7 | 9 |\n"
    grid = read_grid(text)
    assert grid.label_heading == "Trust" and grid.columns == ("2015", "2016")
    assert [(r.label, r.cells) for r in grid.rows] == [("North", ("10", "12")), ("South", ("7", "9"))]


def test_an_ocr_table_reads_into_rows_but_never_into_columns_it_does_not_print():
    text = ("Table 2: Overview\n\nSpending per person on health\n\n. 2,427 2,546 2,507 2,616\nservices, 2019/20, £\n"
            "Spending on social care as a share\n3.3% 3.8% 41% 4.3%\n\nof total public spending\n\nNote: * combined")
    grid = read_grid(text)
    assert not grid.headings_legible and grid.columns == ("", "", "", "")
    assert [r.label for r in grid.rows] == ["Spending per person on health services, 2019/20, £",
                                            "Spending on social care as a share of total public spending"]
    assert grid.rows[1].cells == ("3.3%", "3.8%", "41%", "4.3%")  # "41%" as printed: OCR may misread a cell


def test_an_ocr_table_with_its_cells_out_of_order_is_not_read():
    """The Nuffield Trust's Table 3: values two to a line, labels scattered among them."""
    text = ("Table 3: Thresholds\n\n£28,750 £23,250\nUpper £23,250* £50,000 (non-personal/ (non-domiciliar\n"
            "threshold ’ (residential care) ) P 4\n£18,000 £14,250\nLower £14,250** £24,000 (non-\n")
    assert read_grid(text) is None
    assert read_grid("Figure 3: a chart\n\nDelayed days per 100,000 population\n\nSource: NHS England") is None


def words_in_order(label: str, text: str) -> bool:
    """Each word of the label stands in the text, after the one before it."""
    at = 0
    for word in label.split():
        at = text.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return True


def _flat(text: str) -> str:
    return " ".join(text.replace("<b>", "").replace("</b>", "").split())


def test_a_cell_named_by_its_row_and_year_is_the_answer_with_its_row_column_and_value(engine):
    answer = engine.ask("How much of the Sustainability and Transformation Fund went on sustainability in 2017-18?")
    first = answer.sentences[0]
    assert str(first.citation) == "NAO 2017, Figure 12"
    assert first.text == "Sustainability, 2017-18 (£bn): 1.8"
    assert not answer.caveat, "the cell is for the year asked: no 'for another period' caveat"
    passage = engine.passage(first.citation.passage_id)
    assert [passage.text[f.start : f.end] for f in first.figures] == ["2017-18", "1.8"]
    assert answer.table.rows == (0,) and answer.table.columns == (2,)
    # "STF", which no report prints, is read as the name they do print; the Fund's total for a year
    acronym = engine.ask("How much was the STF in 2016-17?")
    assert acronym.sentences[0].text == "Total, 2016-17 (£bn): 2.1"


def test_two_rows_named_give_both_cells(engine):
    answer = engine.ask("Was any STF money earmarked for sustainability back in 2015-16, or was it all transformation?")
    assert answer.sentences[0].text == "Sustainability, 2015-16 (£bn): 0.0; Transformation, 2015-16 (£bn): 0.2"


def test_an_ocr_table_row_is_shown_in_the_order_printed_and_said_to_have_lost_its_headings(engine):
    answer = engine.ask("What was social care spending per person in Wales in 2019/20?")
    assert answer.found and str(answer.sentences[0].citation) == "Nuffield Trust 2022, Table 2"
    assert answer.sentences[0].text.endswith(": 318, 416, 476, 501")
    assert "lost its column headings" in answer.reading and "Check the original" in answer.reading
    assert not answer.caveat, "how far a table can be read is no caveat about whether the reports answer"
    # the table's note on the row's starred label comes with it
    assert answer.sentences[1].text == "* Social care spending combines old-age and sickness and disability spending"
    assert answer.table.columns == (), "no value is given a column the text does not print"
    assert all(h.endswith("(heading not in the text)") for h in answer.table.header()[1:])


def test_an_ocr_table_that_cannot_be_read_into_cells_says_so(engine):
    answer = engine.ask("What is the upper capital threshold for means-tested care in Scotland?")
    assert answer.found and answer.sentences[0].citation.locator == "Table 3"
    assert "could not be read into rows and columns" in answer.reading
    assert answer.table is None


def test_a_question_about_a_whole_table_is_answered_with_what_it_shows_not_its_run_on_text(engine):
    answer = engine.ask("What does Figure 12 show about how the Sustainability and Transformation Fund is split?")
    # What the chart shows, in its own words; not its label and title, nor its note
    assert answer.sentences[0].text == ("NHS England plans to continue prioritising funding towards "
                                        "sustainability until 2018-19")
    assert answer.table is not None and len(answer.table.body()) == 3
    assert "|" not in " ".join(s.text for s in answer.sentences), "no cells run on in a sentence"


def assert_picked_where_printed(table, passage) -> int:
    """Each cell picked is the passage's own text at the place the grid says, on its row's line, under
    its column (as many separators before it as its column's place), and each heading picked is printed
    where the grid says. Returns how many cells it checked."""
    text, grid, checked = passage.text, table.grid, 0
    for r in table.rows:
        row = grid.rows[r]
        for c in table.columns or range(len(row.cells)):
            cell, start = row.cells[c], row.starts[c]
            if not cell:
                assert start == -1
                continue
            assert " ".join(text[start:].split()).startswith(cell), (row.label, c, cell)
            line_start = text.rfind("\n", 0, start) + 1
            line = text[line_start : text.find("\n", start) if "\n" in text[start:] else len(text)]
            if grid.headings_legible:  # a delimited table: the row's label opens the line, the cell is column c
                assert _flat(line.split("\t")[0] if "\t" in line else line.strip("| ").split("|")[0]) == row.label
                separator = "\t" if "\t" in line else "|"
                assert text[line_start:start].count(separator) == c + 1 + (separator == "|"), (row.label, c)
            checked += 1
    for c in table.columns:
        start = grid.column_starts[c]
        assert " ".join(text[start:].split()).startswith(grid.columns[c])
    return checked


def test_every_table_cell_shown_stands_in_the_passage_it_cites_at_its_row_and_column(engine):
    """Over the user-written table questions: each picked cell, its row label and its column heading is
    the cited passage's own text at the place the grid says, and the citation resolves to that passage."""
    rows = (DATA_DIR / "wild" / "table_cells.jsonl").read_text(encoding="utf-8").splitlines()
    checked = 0
    for question in [json.loads(line)["question"] for line in rows if line.strip()]:
        answer = engine.ask(question)
        table = answer.table
        if table is None:
            continue
        passage = engine.passage(table.citation.passage_id)
        assert engine.lookup(str(table.citation)).passages[0].passage.id == passage.id
        for r in table.rows:  # an OCR row's label is its words around the values: each of them, in order
            assert words_in_order(table.grid.rows[r].label, _flat(passage.text)), (question, table.grid.rows[r].label)
        checked += assert_picked_where_printed(table, passage)
        for note in table.notes:
            assert note in _flat(passage.text), (question, note)
        for figure in table.figures:
            assert passage.text[figure.start : figure.end] == figure.printed
    assert checked >= 20


def test_a_tables_note_on_the_cell_asked_for_comes_with_it(engine):
    answer = engine.ask("STF transformation funding 2019-20")
    assert [s.text for s in answer.sentences[:2]] == [
        "Transformation, 2019-20 (£bn): 3.4",
        "1 For 2019-20 and 2020-21, NHS England has not allocated the Fund between sustainability and transformation."]
    # a span of years picks every column within it; a note on other years stays out
    span = engine.ask("sustainability money in the STF between 2016-17 and 2018-19")
    assert span.sentences[0].text == ("Sustainability, 2016-17 (£bn): 1.8; Sustainability, 2017-18 (£bn): 1.8; "
                                      "Sustainability, 2018-19 (£bn): 1.8")
    assert not any("2019-20 and 2020-21" in s.text for s in span.sentences)


def test_a_row_of_words_is_found_by_its_cells_and_a_row_name_alone_does_not_name_a_table(engine):
    digital = engine.ask("Which objective promises a digital integrated care record that moves with me?")
    assert digital.table.rows == (0,) and digital.sentences[0].text.startswith("1 Digital interoperability")
    # the words of Figure 12's rows, but not its table: no cell of it
    for question in ("How many sustainability and transformation plans were there in 2016-17?",
                     "How much did the Integration Transformation Fund hold in 2015-16?",
                     "What was the NHS England total deficit in 2016-17?"):
        answer = engine.ask(question)
        assert not any(s.citation.locator == "Figure 12" for s in answer.sentences), question
    # a year of the table named, no figure asked for: what the Figure shows, not a cell
    prioritise = engine.ask("What did NHS England plan to prioritise until 2018-19?")
    assert prioritise.table is None or not prioritise.table.rows


def test_a_paragraph_is_never_read_as_a_table(engine):
    answer = engine.ask("NHS Confederation: plans aimed for a reduction of delayed days, saving how much?")
    assert answer.table is None and not answer.reading
    assert answer.sentences[0].text == "• Plans aimed for a reduction of 293,000 delayed days, saving £90 million."


def test_prose_indented_with_tabs_is_no_table_and_a_pipe_table_keeps_escaped_pipes():
    assert read_grid("Title\nNurses were short.\tCare workers were hard to recruit.\nA line.\tAnother.") is None
    grid = read_grid("T\n\n| Homes | Value |\n|-|-|\n| Homes with \\| pipes | 7 |\n| Care homes | 42 |")
    assert [(r.label, r.cells) for r in grid.rows] == [("Homes with | pipes", ("7",)), ("Care homes", ("42",))]


def test_a_table_answer_exports_as_a_markdown_table_with_the_cell_asked_for_in_bold(engine):
    from care_evidence.app.export import answer_markdown

    text = answer_markdown(engine.ask("STF transformation funding 2019-20"))
    assert "| Row | 2015-16 (£bn) | 2016-17 (£bn) |" in text
    assert "| Transformation | 0.2 | 0.3 | 1.1 | 1.1 | **3.4** | 3.4 |" in text


def test_a_statement_read_from_cells_is_shown_as_read_never_as_a_quotation(engine):
    """"Transformation, 2019-20 (£bn): 3.4" is made from a row, a heading and a value; the report prints no
    such sentence, so every output says it was read from the table, and a picked empty cell says so."""
    from care_evidence.app.export import answer_markdown
    from care_evidence.evidence.cli import format_answer

    answer = engine.ask("STF transformation funding 2019-20")
    first = answer.sentences[0]
    assert first.from_cells and first.to_dict()["from_cells"] is True
    assert not any(s.from_cells for s in answer.sentences[1:])  # the table's note is printed: a quotation
    markdown = answer_markdown(answer)
    assert "Read from the table's cells: Transformation, 2019-20 (£bn): 3.4" in markdown
    assert "> Transformation, 2019-20" not in markdown  # not a block quotation
    assert "Read from the table's cells: Transformation, **2019-20** (£bn): **3.4**" in format_answer(answer)
    empty = format_answer(engine.ask("Sustainability and Transformation Fund sustainability money 2019-20"))
    assert "Sustainability, **2019-20** (£bn): no value printed" in empty
    assert "| [no value printed] |" in empty and "[]" not in empty
