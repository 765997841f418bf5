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
