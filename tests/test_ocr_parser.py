"""The OCR report parser (care_evidence/indexer/parsers/nuffield.py) on small texts shaped like a report a user
might add: its rules for titles and paragraphs must not misfire outside the Nuffield report."""

from __future__ import annotations

from care_evidence.indexer.models import DocumentInfo
from care_evidence.indexer.parsers import PARSERS

BODY = "This is a long line of body text that runs to the full width of the page, as OCR lines do here."


def _parse(text: str):
    doc = DocumentInfo(id="x", file="x.txt", label="X 2023", title="X", parser="nuffield", ocr=True)
    return PARSERS["nuffield"](text, doc)


def test_a_list_item_that_lost_its_bullet_is_no_title():
    """Two short lines after a lead-in's colon read like a title broken over lines; they are the
    list's first item (the OCR dropped its bullet), so they stay in the paragraph."""
    passages = _parse(f"""Chapter 2: Findings

{BODY}
The review recommended three changes to the way the funds are used across the country in future:

Pooled budgets for all community services in
every local authority area by 2025

{BODY}
Shared records for every person who receives care.
""")
    assert {p.section[-1] for p in passages} == {"Chapter 2: Findings"}
    assert "in future: Pooled budgets for all community services" in passages[0].search_text


def test_a_question_standing_alone_heads_its_section():
    passages = _parse(f"""Chapter 2: Findings

{BODY}

Why does this matter to local leaders now?

{BODY}
It matters.
""")
    assert passages[-1].locator == "Why does this matter to local leaders now?, para 1"


def test_a_sentence_broken_by_a_page_goes_on_past_a_capital():
    """A full-width line that stops on no sentence's end goes on across the blank line a page break
    leaves, though the next page starts with a capital ("... such as Council" / "Tax. Local ..."): the
    paragraphs after keep the numbers a reader counts in the report. A paragraph closed by its footnote
    markers ("... to work.113;114") is not run into the next."""
    passages = _parse(f"""Chapter 2: Findings

{BODY}
and budgets are derived from a combination of a central grant and local revenue raising such as Council

Tax. Local revenue-raising powers are devolved and so vary across the three countries of the report.

{BODY}
if integrated finances are to work in the way that every one of the four countries intends them to.113;114

Establishing adequate joint governance can also be a challenge across all of the countries compared.
""")
    assert [p.locator for p in passages] == ["Chapter 2: Findings, para 1", "Chapter 2: Findings, para 2",
                                             "Chapter 2: Findings, para 3"]
    assert "such as Council Tax. Local revenue-raising" in " ".join(passages[0].search_text.split())
    assert passages[2].search_text.startswith("Establishing adequate joint governance")


def test_the_nuffield_reports_page_breaks_do_not_shift_its_paragraph_numbers(engine):
    """Wales's £100 cap is in the fourth paragraph of Chapter 2's "Finances of social care", as a reader
    counts them, not a fifth made by the page break after "such as Council"."""
    wales = next(p for p in engine.passages if "cap on non-residential care costs" in p.text)
    assert wales.locator == "Chapter 2, Finances of social care, para 4"
