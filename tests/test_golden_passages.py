"""Golden tests on the five real documents, through the real built index."""

from __future__ import annotations

import re

import pytest

from care_evidence.indexer.models import BOX, FIGURE, FOOTNOTE, KEY_FACT, PARAGRAPH, TABLE
from care_evidence.indexer.parsers.common import segments_text
from tests.conftest import find


def test_nao_para_2_7_holds_the_511_million_savings_estimate(real_index):
    p = find(real_index, "nao2017", "para 2.7")
    assert "savings of £511 million in 2015-16" in p.text
    assert p.section[0] == "Part Two"
    assert any(q.printed == "£511 million" and q.value == 511e6 for q in p.quantities)
    assert 20 in p.footnote_refs


def test_bare_paragraph_numbers_are_distinct_passages_by_section(real_index):
    summary = find(real_index, "nao2017", "Summary para 13")
    part_one = find(real_index, "nao2017", "para 1.3")
    appendix = find(real_index, "nao2017", "Appendix Two para 4")
    assert len({summary.id, part_one.id, appendix.id}) == 3
    assert summary.text.startswith("**13 Nationally, the Better Care Fund")
    assert part_one.text.startswith("**1.3** People generally are living later")
    assert appendix.text.startswith("**4 We interviewed representatives")


def test_nao_footnote_20_is_a_passage_of_its_own(real_index):
    p = find(real_index, "nao2017", "footnote 20")
    assert p.kind == FOOTNOTE
    assert p.search_text.startswith("The original planning assumption")
    assert "footnote 20" not in find(real_index, "nao2017", "para 2.7").search_text


def test_nao_figure_7_has_its_title_and_source(real_index):
    p = find(real_index, "nao2017", "Figure 7")
    assert p.kind == FIGURE
    assert p.title == "Better Care Fund 2015-16 performance"
    assert "Source: National Audit Office analysis" in p.text


def test_nao_figure_13_keeps_its_table(real_index):
    p = find(real_index, "nao2017", "Figure 13")
    assert p.title == "Draft integration standard"
    assert "Digital interoperability" in p.text and "Source: Department of Health" in p.text


def test_nao_key_facts_and_no_front_matter(real_index):
    facts = [p for p in real_index.passages if p.doc_id == "nao2017" and p.kind == KEY_FACT]
    assert len(facts) == 10
    assert any("87,000" in p.text for p in facts)
    nao_text = " ".join(p.text for p in real_index.passages if p.doc_id == "nao2017")
    assert "Our vision is to help the nation spend wisely" not in nao_text
    assert "Evolution Digital Satin" not in nao_text
    assert "James Beveridge" not in nao_text


def test_nao_paragraph_interrupted_by_footnotes_keeps_its_bullets(real_index):
    p = find(real_index, "nao2017", "para 1.12")
    assert len(p.segments) == 2
    assert "Nuffield Trust published a summary of more than 30" in p.text
    assert "RAND Europe" not in p.text  # footnote 9 printed in the middle is not part of it


def test_pac_para_10_figures_and_footnote_digit(real_index):
    p = find(real_index, "pac2018", "para 10")
    printed = [q.printed for q in p.quantities]
    assert "£329 million" in printed
    assert "20" not in printed
    assert p.footnote_refs == (20,)
    assert not p.search_text.endswith("20")
    assert p.search_text.startswith("One way in which the NHS")


def test_pac_footnotes_2_to_26(real_index):
    notes = [p for p in real_index.passages if p.doc_id == "pac2018" and p.kind == FOOTNOTE]
    assert [p.locator for p in notes] == [f"footnote {n}" for n in range(2, 27)]
    refs = [r for p in real_index.passages if p.doc_id == "pac2018" for r in p.footnote_refs]
    assert refs == list(range(2, 27))


def test_nuffield_units(real_index):
    box = find(real_index, "nuffield2022", "Box 1")
    assert box.kind == BOX and box.title == "What is meant by integration?"
    table = find(real_index, "nuffield2022", "Table 5")
    assert table.kind == TABLE and "Pooled budgets" in table.text
    assert find(real_index, "nuffield2022", "Figure 15").title.startswith("Age- and sex-standardised")
    points = [p for p in real_index.passages if p.doc_id == "nuffield2022" and p.kind == "key point"]
    assert len(points) == 9


def test_nuffield_appendix_tables_are_one_passage_each(real_index):
    """Appendix A's two tables, printed column by column, are one table passage each, not one-cell
    paragraphs or bogus sections."""
    appendix = [p for p in real_index.passages if p.doc_id == "nuffield2022" and p.section
                and p.section[0].startswith("Appendix A")]
    tables = {p.locator: p for p in appendix if p.kind == TABLE}
    assert set(tables) == {"Table A1", "Table A2"}
    assert tables["Table A1"].text.startswith("Table A1: Typologies of integration")
    assert "Potential outcomes of interest" in tables["Table A2"].text
    assert all(len(p.text) > 60 for p in appendix), [p.locator for p in appendix if len(p.text) <= 60]
    assert len({p.section for p in appendix}) <= 6


def test_nuffield_tables_over_two_pages_keep_their_other_columns(real_index):
    """Tables 4, 6 and 7 print their Source line on the first page and their other columns after
    the page footer: those cells belong to the table, not to sections named after a cell ("Yes",
    "Variable", "Boundaries are aligned") that then swallowed the body text after the table."""
    nuffield = [p for p in real_index.passages if p.doc_id == "nuffield2022"]
    sections = {p.section[-1] for p in nuffield}
    assert not sections & {"Yes", "Coterminous", "Variable", "Boundaries are aligned", "Number of days"}
    def words(locator: str) -> str:
        return " ".join(find(real_index, "nuffield2022", locator).text.split())

    assert "The 7 RPBs have a statutory basis" in words("Table 4")
    assert "A Healthier Wales Transformation Fund" in words("Table 6")
    assert "indicators in the National Performance Framework" in words("Table 7")
    after_table_4 = next(p for p in nuffield if p.search_text.startswith("In Wales, RPBs have a legal basis"))
    assert after_table_4.kind == PARAGRAPH
    assert after_table_4.section[-1] == "The limitations of statutory responsibility"
    # A heading over three short lines heads its section; it is not a paragraph of the one before.
    pilots = next(p for p in nuffield if p.search_text.startswith("Some countries of the UK have also attempted"))
    assert pilots.section[-1] == "Transformation funding and support to develop and scale integrated service models"


def test_nuffield_paragraphs_start_after_a_sentence_end_or_a_title_with_no_blank_line(real_index):
    """OCR runs some paragraphs into the one before, on a line starting with one space after a
    sentence's end (which may carry a footnote number: "... government.85"), and some titles into
    their first paragraph."""
    starts = {p.search_text[:80] for p in real_index.passages if p.doc_id == "nuffield2022"}
    for opening in ("Beyond health and local government partners", "There is a possible risk that short-term",
                    "Health spending increased in all four countries", "The rate of emergency admissions per 100,000"):
        assert any(s.startswith(opening) for s in starts), opening
    admissions = next(p for p in real_index.passages if p.search_text.startswith("The rate of emergency admissions"))
    assert admissions.section[-1] == "Emergency admissions"


def test_nuffield_figure_source_lines_stay_with_their_figure(real_index):
    """A Source line printed right under a chart's last label belongs to the figure, as does a
    list of sources running over blocks; neither is a paragraph of its own."""
    assert "Nuffield Trust analysis of Department of Health" in find(real_index, "nuffield2022", "Figure 16").text
    figure_12 = find(real_index, "nuffield2022", "Figure 12")
    assert "Labour market" in figure_12.text
    assert figure_12.title == "Access to employment for people with a long-term health condition, 2013/14 to 2019/20"
    assert "GDP deflators" in find(real_index, "nuffield2022", "Table 2").text
    paragraphs = [p for p in real_index.passages if p.doc_id == "nuffield2022" and p.kind == PARAGRAPH]
    assert not [p.locator for p in paragraphs if re.match(r"\s*(Sources?:|Office for National Statistics)", p.text)]


def test_nuffield_figure_3_ends_where_the_next_page_starts(real_index):
    """Figure 3's title is the last line of its page: the next page's first line opens a paragraph
    and is not part of the figure."""
    figure_3 = find(real_index, "nuffield2022", "Figure 3")
    assert "Each country has" not in figure_3.text
    funding = find(real_index, "nuffield2022", "Chapter 2, Funding, para 3")
    assert funding.search_text.startswith("Each country has, to some extent, different funding and financing "
                                          "systems for health and social care.")


def test_nuffield_unit_titles_go_on_over_lines_in_lower_case(real_index):
    title = "Age- and sex-standardised rates of emergency admissions, 2011/12 to 2019/20"
    assert find(real_index, "nuffield2022", "Figure 15").title == title


def test_nuffield_long_section_titles_head_their_sections(real_index):
    """Titles of 64-71 characters standing alone before a new paragraph head a section; they are
    not one-line paragraphs. Lines of body text as short, whose sentence goes on in the next block,
    do not (nor does any other line: the long titles are exactly these)."""
    nuffield = [p for p in real_index.passages if p.doc_id == "nuffield2022"]
    long_titles = {"Access to employment for people with a long-term health conditions",
                   "Key points and implications for future transformation programmes"}
    for title in long_titles:
        assert not [p.locator for p in nuffield if p.search_text == title], title
        assert any(p.section[-1] == title for p in nuffield), title
    titles = {p.section[-1] for p in nuffield if p.section}
    # ... and one of Chapter 6's findings, a title broken over two lines (next test).
    assert {t for t in titles if 64 <= len(t) < 72} == long_titles | {
        "We can never know the impact of integration if we cannot measure it"}


def test_nuffield_questions_and_findings_as_titles_head_their_sections(real_index):
    """A user audit found "What can the data tell us?" cited as "Chapter 4, Delayed transfers of care
    from hospital, para 2", its paragraphs counted on under the section before, and Chapter 6's
    findings (titles of up to three lines) counted as paragraphs."""
    nuffield = [p for p in real_index.passages if p.doc_id == "nuffield2022"]
    chapter_4 = [p.section[-1] for p in nuffield if p.locator.startswith("Chapter 4, ")]
    for title in ("Has there been improvement over time?", "How do the countries compare?",
                  "What can the data tell us?"):
        assert title in chapter_4, title
    assert find(real_index, "nuffield2022", "Chapter 4, What can the data tell us?, para 1").search_text.startswith(
        "National integration initiatives have largely sought")
    chapter_6 = list(dict.fromkeys(p.section[-1] for p in nuffield if p.locator.startswith("Chapter 6, ")))
    assert chapter_6 == [
        "Chapter 6: Conclusions and key lessons",  # its opening paragraph
        "Structural reform is insufficient to counteract systemic barriers to integration",
        "Integration is more relational than organisational — and cannot easily be legislated for",
        "Realistic expectations are needed about what integration can actually deliver - and the time it will "
        "take to get there",
        "We can never know the impact of integration if we cannot measure it",
        "Next steps with integration policies",
    ]
    assert not [p.locator for p in nuffield if p.kind == PARAGRAPH and len(p.search_text) < 100
                and not p.search_text.rstrip().endswith((".", ":"))], "a title left as a paragraph"


@pytest.mark.parametrize("opening,goes_on", [
    ("Previous research and audits have highlighted the importance of ‘soft skills’", "in integration to encourage"),
    ("Northern Ireland - where health and social care budgets are fully integrated", "- has also confronted"),
    ("Alongside more integrated planning and governance structures", "• aligned budgets: where partners align"),
    ("A long-list of measures was developed relevant to the main aims of integration", "(see Table A2)."),
])
def test_nuffield_paragraphs_go_on_over_a_blank_line(real_index, opening, goes_on):
    """OCR leaves blank lines inside paragraphs: after a closing quotation mark, before a dash or a
    bracket, and between the items of a list, one of which ends with a bracket."""
    passage = next(p for p in real_index.passages if p.doc_id == "nuffield2022" and p.search_text.startswith(opening))
    assert goes_on in passage.search_text


def test_nuffield_pages_only_from_footers(real_index):
    pages = {p.page for p in real_index.passages if p.doc_id == "nuffield2022" and p.page}
    assert pages <= {5, 7, 8, 9, 60, 66}
    assert {8, 9, 60} <= pages


def test_nuffield_search_text_repairs_ocr(real_index):
    p = find(real_index, "nuffield2022", "Key points, point 2")
    assert p.text.startswith("e Across countries")
    assert p.search_text.startswith("• Across countries")
    intro = [p for p in real_index.passages if "King'’s" in p.text][0]
    assert "Foundation3" in intro.text and "Foundation3" not in intro.search_text


@pytest.mark.parametrize("text,repaired", [
    ("rate was 10,652.4 per 100,000", "rate was 10,652.4 per 100,000"),  # a decimal, no marker
    ("was high.2.5 million people", "was high.2.5 million people"),  # numbers that do not follow on
    ("experience.92,93", "experience."), ("initiatives,54.55 and", "initiatives, and"),
    ("a budget to do s0.66 But", "a budget to do s. But"), ("set at £86,000.30", "set at £86,000"),
])
def test_nuffield_footnote_markers_are_told_from_numbers(text, repaired):
    from care_evidence.indexer.parsers.nuffield import repair_ocr

    assert repair_ocr(text, set()) == repaired


@pytest.mark.parametrize("glued,kept", [
    ("experience.92,93", "experience."), ("initiatives,54.55", "initiatives,"), ("entities.61,62", "entities."),
    ("£86,000.30", "£86,000"), ("£20,000.31", "£20,000"),
])
def test_nuffield_footnote_numbers_glued_to_text_are_no_figures(real_index, glued, kept):
    """The OCR glues footnote numbers to the word or amount before them; shown as key figures they
    were wrong ("93", "£86,000.30")."""
    passage = next(p for p in real_index.passages if p.doc_id == "nuffield2022" and glued in p.text)
    assert glued not in passage.search_text and kept in passage.search_text
    start = passage.text.index(glued)
    within = [q.printed for q in passage.quantities if start <= q.start < start + len(glued)]
    assert within == ([kept] if kept[0] == "£" else []), within


def test_web_pages_drop_site_furniture(real_index):
    for doc_id in ("nhsconfed2017", "naosummary2017"):
        text = " ".join(p.text for p in real_index.passages if p.doc_id == doc_id)
        assert "Why Register?" not in text and "Skip to main content" not in text
        assert "Latest Tweets" not in text


def test_summary_page_paragraphs_grouped_with_nao_summary(real_index):
    page = [p for p in real_index.passages if p.doc_id == "naosummary2017"]
    assert len(page) == 8
    for p in page:
        group = real_index.groups[p.group]
        primary = real_index.passage(group.primary)
        assert primary.doc_id == "nao2017" and primary.kind == "summary paragraph", p.id


def test_key_facts_grouped_with_the_paragraphs_that_state_them(real_index):
    fact = find(real_index, "nao2017", "Key facts, £5.3bn")
    assert real_index.groups[fact.group].primary == "nao2017/summary-para-5"


def test_every_span_gives_back_the_printed_text(real_index):
    for p in real_index.passages:
        assert segments_text(real_index.sources[p.doc_id], p.segments) == p.text, p.id


def test_every_figure_span_is_verbatim(real_index):
    for p in real_index.passages:
        for q in p.quantities:
            assert p.text[q.start : q.end] == q.printed, (p.id, q)


def test_passage_ids_are_unique_and_stable(real_index):
    ids = [p.id for p in real_index.passages]
    assert len(ids) == len(set(ids))
    assert "nao2017/para-2-7" in ids and "pac2018/footnote-20" in ids


def test_cli_show_prints_the_passage_with_its_citation(real_index_dir, capsys):
    from care_evidence.indexer.cli import main

    assert main(["--index", str(real_index_dir), "show", "NAO 2017", "para 2.7"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("NAO 2017, para 2.7") and "£511 million" in out
    assert main(["--index", str(real_index_dir), "show", "PAC", "para 99"]) == 1
    assert "no passage 'para 99' in PAC 2018" in capsys.readouterr().err
