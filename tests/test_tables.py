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
    assert "lost its column headings" in answer.caveat and "Check the original" in answer.caveat
    assert answer.table.columns == (), "no value is given a column the text does not print"
    assert all(h.endswith("(heading not in the text)") for h in answer.table.header()[1:])


def test_an_ocr_table_that_cannot_be_read_into_cells_says_so(engine):
    answer = engine.ask("What is the upper capital threshold for means-tested care in Scotland?")
    assert answer.found and answer.sentences[0].citation.locator == "Table 3"
    assert "could not be read into rows and columns" in answer.caveat
    assert answer.table is None


def test_a_question_about_a_whole_table_is_answered_with_what_it_shows_not_its_run_on_text(engine):
    answer = engine.ask("What does Figure 12 show about how the Sustainability and Transformation Fund is split?")
    # What the chart shows, in its own words; not its label and title, nor its note
    assert answer.sentences[0].text == ("NHS England plans to continue prioritising funding towards "
                                        "sustainability until 2018-19")
    assert answer.table is not None and len(answer.table.body()) == 3
    assert "|" not in " ".join(s.text for s in answer.sentences), "no cells run on in a sentence"


def test_every_table_cell_shown_stands_in_the_passage_it_cites(engine):
    """Over the user-written table questions: each picked cell, its row label and its column heading is
    the cited passage's own text, and the citation resolves to that passage."""
    rows = (DATA_DIR / "wild" / "table_cells.jsonl").read_text(encoding="utf-8").splitlines()
    picked = 0
    for question in [json.loads(line)["question"] for line in rows if line.strip()]:
        answer = engine.ask(question)
        table = answer.table
        if table is None:
            continue
        passage = engine.passage(table.citation.passage_id)
        assert engine.lookup(str(table.citation)).passages[0].passage.id == passage.id
        text = _flat(passage.text)
        for cells, on in table.body():
            label, *values = cells
            if any(on):  # an OCR row's label is its words around the values: each of them, in order
                assert words_in_order(label, text), (question, label)
            for cell, chosen in zip(values, on[1:], strict=True):
                if chosen and cell:
                    picked += 1
                    assert _flat(cell) in text, (question, cell)
        for c in table.columns:
            assert _flat(table.grid.columns[c]) in text, (question, table.grid.columns[c])
        for figure in table.figures:
            assert passage.text[figure.start : figure.end] == figure.printed
    assert picked >= 20


def test_a_table_answer_exports_as_a_markdown_table_with_the_cell_asked_for_in_bold(engine):
    from care_evidence.app.export import answer_markdown

    text = answer_markdown(engine.ask("STF transformation funding 2019-20"))
    assert "| Row | 2015-16 (£bn) | 2016-17 (£bn) |" in text
    assert "| Transformation | 0.2 | 0.3 | 1.1 | 1.1 | **3.4** | 3.4 |" in text
