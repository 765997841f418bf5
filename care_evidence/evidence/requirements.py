"""What a question requires of its answer, checked before the answer is shown.

A citation tool's worst failure is a confident answer the reports do not hold, so every answer is
checked, however similar its sentence is to the question:
- the period: a year the question names that neither the answer nor the passages around it state
  ("in 2023" answered with a 2015-16 figure) is not answered;
- the document: a question naming a report is answered from it, or told that it does not hold it
  (and what part of the original the corpus holds, where metadata says);
- the figure: a question that asks by its form for a number ("how many", "how much", "what share")
  is not answered by sentences that state no figure of that kind;
- the outcome: a question asking what a study, review or plan found or decided is not answered by a
  sentence that mentions it only as planned or under way (the reports predate its result).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.quantities import extract_quantities

_ASKS_FOR_RECOMMENDATIONS = re.compile(r"\b(recommend\w*|conclu\w*)\b", re.IGNORECASE)
# A question whose form asks for a figure; "which", "why" and "what did ... say" questions that merely
# mention money ask for no figure, and a sentence without one can answer them.
_ASKS_FOR_A_FIGURE = re.compile(r"\bhow (many|much)\b|\bnumber of\b|\bwhat (share|proportion|percentage)\b"
                                r"|\bhow (big|large)\b", re.IGNORECASE)
# A question asking what a study, review, plan or bill found, decided or came to.
_ASKS_FOR_AN_OUTCOME = re.compile(r"\b(conclu(de|ded|sion|sions)|find|found|findings|decide[ds]?|decision|propose[ds]?"
                                  r"|outcomes?|results?|deliver(ed)?|get through|pass(ed)?)\b", re.IGNORECASE)
_A_STUDY_OR_PLAN = re.compile(r"\b(study|review|evaluation|report|briefing|(green|white) paper|bill|consultation|"
                              r"survey|inquiry|fund|programme|strategy)\b", re.IGNORECASE)
# A sentence speaking of something still to come or under way when the report was written...
_NOT_YET = re.compile(r"\b(due (to|for|at)|plans? to|commissioned|is (undertaking|developing|reviewing|"
                      r"consulting)|was reviewing|pending|expected (to|for)|currently consulting|intends? to)\b",
                      re.IGNORECASE)
# ... unless the next sentence says what came of it ("... commissioned a review ... It found that").
_CAME_OF_IT = re.compile(r"\b(found|concluded|showed|decided|reported that|proposed)\b", re.IGNORECASE)


def years_of(keys: Iterable[str]) -> set[int]:
    """Years a set of time keys covers: "2023" is {2023}, "2015-16" is {2015, 2016}, "2017-19" is
    2017 to 2019."""
    years = set()
    for key in keys:
        start, _, end = key.partition("-")
        if start.isdigit():
            last = int(start[:2] + end) if len(end) == 2 else int(end) if end.isdigit() else int(start)
            years.update(range(int(start), max(last, int(start)) + 1))
    return years


def years_asked(analysis: QueryAnalysis) -> set[int]:
    """Years the question names; "the 2010s" is the decade."""
    years = years_of(analysis.times)
    for decade in re.findall(r"\b((?:19|20)\d0)['’]?s\b", analysis.question):
        years.update(range(int(decade), int(decade) + 10))
    return years


def years_stated(text: str) -> set[int]:
    """Years a text states, as years or within periods ("2015-16")."""
    keys = []
    for q in extract_quantities(text):
        if q.kind == "year" and q.value is not None:
            keys.append(str(int(q.value)))
        elif q.kind == "period":
            keys.append(q.period)
    return years_of(keys)


def asks_for_recommendations(analysis: QueryAnalysis) -> bool:
    return bool(_ASKS_FOR_RECOMMENDATIONS.search(analysis.question))


def latest_year(view: IndexView) -> int | None:
    """The year of the most recent document, from its metadata date."""
    years = [int(d.date[:4]) for d in view.documents.values() if d.date[:4].isdigit()]
    return max(years) if years else None


def caveat(view: IndexView, analysis: QueryAnalysis) -> str:
    """What a found answer from the report named cannot be: its recommendations or conclusions, when
    the corpus holds only a part of it without them."""
    if not asks_for_recommendations(analysis):
        return ""
    from care_evidence.evidence import messages

    for doc_id in analysis.named_documents:
        doc = view.documents[doc_id]
        if "recommendation" in doc.coverage:
            return messages.partial_coverage(doc.label, doc.coverage)
    return ""


def states_no_figure_asked(analysis: QueryAnalysis, answer) -> bool:
    """A question that asks by its form for a figure, answered by sentences that state none of its kind."""
    wanted = analysis.wanted_figures
    return bool(wanted and _ASKS_FOR_A_FIGURE.search(analysis.question)
                and not any(f.kind in wanted for f in answer.figures))


def only_planned(view: IndexView, analysis: QueryAnalysis, answer) -> bool:
    """A question asking what a study, review or plan found or decided, answered by a sentence that has
    it as planned or under way ("has commissioned a further report", "due to report at the end of
    2017") in a passage that never says what came of it."""
    if not (answer.sentences and _ASKS_FOR_AN_OUTCOME.search(analysis.question)
            and _A_STUDY_OR_PLAN.search(analysis.question)):
        return False
    first = answer.sentences[0]
    if not _NOT_YET.search(first.text):
        return False
    rows = view.sentence_rows(view.row(first.citation.passage_id))
    following = [view.sentence_text(r + 1) for r in rows if r + 1 < rows.stop and view.sentence_text(r) == first.text]
    return not any(_CAME_OF_IT.search(text) for text in following)


def unmet(view: IndexView, analysis: QueryAnalysis, answer, filters) -> str | None:
    """Why a found answer does not answer the question (the message to show instead), or None."""
    from care_evidence.evidence import messages

    named = analysis.named_documents
    if named and not filters.documents:
        labels = " or ".join(view.documents[d].label for d in named)
        coverage = "; ".join(f"{view.documents[d].label} in this corpus holds {view.documents[d].coverage}"
                             for d in named if view.documents[d].coverage)
        first = answer.sentences[0].citation
        if first.doc_id not in named:  # the report named holds nothing that ranks above another's passage
            if coverage and asks_for_recommendations(analysis) and "recommendation" in coverage:
                return messages.outside_coverage(coverage)
            return messages.named_document_silent(labels, coverage, str(first))
    asked = years_asked(analysis) - {int(view.documents[d].date[:4]) for d in named
                                     if view.documents[d].date[:4].isdigit()}
    if asked:
        # The years of the answer's sentences and of the passages they stand in. (Counting the years
        # of every passage shown too refused fewer answerable questions but answered more that the
        # reports cannot: on the tuned half, honest 0.333 -> 0.238, wrongly refused 0.021 -> 0.014.)
        stated = set()
        for s in answer.sentences:
            stated |= years_stated(s.text) | years_stated(view.passage(s.citation.passage_id).search_text)
        # A passage that states no year at all (a paragraph under a 2015-16 heading) is not taken to
        # be about another period; a year after the last report is one no passage can answer for.
        latest = latest_year(view)
        if not asked & stated and (stated or (latest is not None and min(asked) > latest)):
            first = answer.sentences[0].citation
            return messages.period_not_stated(sorted(asked), sorted(stated & years_stated(answer.sentences[0].text)),
                                              str(first))
    if states_no_figure_asked(analysis, answer):
        return messages.no_figure_stated(str(answer.sentences[0].citation))
    if only_planned(view, analysis, answer):
        return messages.only_planned(str(answer.sentences[0].citation), answer.sentences[0].text)
    return None
