"""Questions that ask what a report recommends, and the lettered recommendations that answer them.

"What did the NAO recommend about tracking progress?" is answered by one of Summary para 26's items
(a) to (g), led by its own bold headline ("Complete their development of measures ..."). Ranked as
ordinary sentences, a descriptive sentence inside another item ("Progress with integration has been
slower ...") matched the question's words better and was quoted as the recommendation."""

from __future__ import annotations

import re

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.models import Filters
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.items import item_sentence_core
from care_evidence.indexer.models import Passage

# The words people use to ask for a recommendation ("recommend", "urge", "call for", "told ... to").
ASKING_FOR_RECOMMENDATION = re.compile(
    r"\b(recommend\w*|urg(?:e|es|ed|ing)|advis(?:e|es|ed|ing)|call(?:s|ed)? (?:for|on)|told|tell)\b"
    # "What should ministers do about ...?"
    r"|\bshould\s+(?:the\s+)?(?:Departments?|government|ministers|NHS England)\b.{0,40}?\bdo\b",
    re.IGNORECASE)
# Words that ask for a report's advice only when a report is the one advising or wanting: "Did the
# watchdog want a single body in charge?", "NAO advice on ..."; not "Did hospital leaders want an
# integrated system?" nor "What advice did ADASS give?".
_ADVICE_OF_A_REPORT = re.compile(r"\b(?:advice|wants?|wanted)\b", re.IGNORECASE)
_A_REPORT = re.compile(r"\b(?:watchdog|auditors?|committee|MPs|report)\b", re.IGNORECASE)


def asks_for_recommendation(question: str, named_documents: tuple[str, ...] = ()) -> bool:
    if ASKING_FOR_RECOMMENDATION.search(question):
        return True
    return bool(_ADVICE_OF_A_REPORT.search(question) and (named_documents or _A_REPORT.search(question)))


def recommendation_passages(view: IndexView, analysis: QueryAnalysis, filters: Filters) -> list[Passage]:
    """The paragraphs with lettered recommendations that the filters and the report named allow."""
    named = analysis.named_documents
    return [p for p in view.lettered_passages if view.allows(p, filters) and (not named or p.doc_id in named)]


def headline_row(view: IndexView, passage: Passage, item: Passage) -> int | None:
    """The sentence row of the item's first sentence: its headline, the recommendation itself."""
    for row in view.sentence_rows(view.row(passage.id)):
        core = item_sentence_core(view.sentence_text(row))
        if core and core in item.search_text:
            return row
    return None
