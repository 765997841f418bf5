"""A figure over time, gathered from every report: "How has the Better Care Fund's pooled total changed over
time?" is answered by each year's value with its citation (£5.3 billion in 2015-16 and £5.8 billion in 2016-17
from the NAO, £6.9 billion in 2021/22 from the Nuffield Trust), not by one sentence holding one or two of
them.

A value is given a year only where its sentence says so next to it: "£5.3 billion being pooled in 2015-16"
(the year follows, after "in", "for", "during" or "by"), "In 2015-16, the £3.8 billion pooled fund" (the year
leads the clause) or "2009-10 (£16.1 billion)" (the value follows in brackets). A value with no year of its
own is left out rather than guessed; so is a sentence on another subject (it must be close to the question,
and its passage must hold half of what the question asks about), and a chart's or OCR table's cells, whose
flattened text no longer says which value is whose. Values of one measure are kept (money, for a question
about spending); a year may still hold two of them (the Fund's minimum and its total), each with its
sentence."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from care_evidence.evidence.analysis import QueryAnalysis, time_key
from care_evidence.evidence.answer import scored_sentences
from care_evidence.evidence.models import Citation, Filters, ScoredPassage
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import content_terms, overlap
from care_evidence.indexer.models import FIGURE, TABLE
from care_evidence.indexer.quantities import sentence_quantities

# The words people use to ask how something moved over the years.
_OVER_TIME = re.compile(
    r"\b(?:over time|over the (?:years|decade|period)|year (?:by|on) year|by year|each year|every year|"
    r"trends?|time series|(?:has|have|did)\b.{0,60}\b(?:changed?|grow|grown|fall(?:en)?|rise|risen|moved?))\b",
    re.IGNORECASE)
_TIMES = ("period", "year")
# A question about money asks for amounts, not the counts beside them ("How has NHS spending changed?").
_ABOUT_MONEY = re.compile(r"\b(?:spend\w*|spent|budgets?|costs?|fund(?:ing|s)?|money|pounds|£)\b", re.IGNORECASE)
# Between a value and the year that follows it: "£5.3 billion being pooled in 2015-16", "£9 billion (2018)".
_YEAR_FOLLOWS = re.compile(r"^(?:\s*\(|(?:[\s,]+[\w'’-]+){0,4}?[\s,]+(?:in|for|during|by)\s+(?:the\s+)?"
                           r"(?:(?:financial|calendar)\s+)?(?:year\s+)?)$", re.IGNORECASE)
# A year leading its clause, and what stands between it and the value: "In 2015-16, the £3.8 billion",
# "in 2021/22, the pooled budgets equalled £6.9 billion" (not "compared with 2014-15, costing £311 million").
_LEADING_YEAR = re.compile(r"(?:^|\b)(?:in|by|during|for)\s+(?:the\s+)?(?:year\s+)?$", re.IGNORECASE)
_YEAR_LEADS = re.compile(r"^,(?:\s+[\w'’-]+){0,5}\s+$")
# Words of a question over time that say how it asks, not what about.
_ASKING_OVER_TIME = frozenset(content_terms("how has have did change changed changes over time year years yearly "
                                            "each every trend trends grown grow fallen fall risen rise moved total"))


@dataclass(frozen=True)
class SeriesPoint:
    period: str  # as a comparable key: "2015-16", "2018"
    printed: str  # the value as the report prints it: "£5.3 billion"
    kind: str
    unit: str
    value: float | None
    citation: Citation
    sentence: str

    def to_dict(self) -> dict:
        out = asdict(self)
        out["citation"] = str(self.citation)
        return out


def asks_over_time(question: str) -> bool:
    return bool(_OVER_TIME.search(question))


def dated_values(sentence: str, kinds: frozenset[str]) -> list[tuple[str, object]]:
    """The values of a sentence that it dates itself, each with its period key, in reading order; one
    value for each period (the first dated)."""
    found = sentence_quantities(sentence)
    times = [q for q in found if q.kind in _TIMES]
    out: dict[str, object] = {}
    for q in found:
        if q.kind in _TIMES or (kinds and q.kind not in kinds):
            continue
        after = next((t for t in times if t.start >= q.end), None)
        before = next((t for t in reversed(times) if t.end <= q.start), None)
        if before is not None and re.fullmatch(r"\s*\(", sentence[before.end:q.start]):
            out.setdefault(time_key(before), q)  # "between 2009-10 (£16.1 billion) and 2015-16 (£14.5 billion)"
        elif after is not None and _YEAR_FOLLOWS.match(sentence[q.end:after.start]):
            out.setdefault(time_key(after), q)
        elif (before is not None and _LEADING_YEAR.search(sentence[: before.start])
              and _YEAR_LEADS.match(sentence[before.end:q.start])
              and not any(o.kind not in _TIMES and before.end <= o.start < q.start for o in found)):
            out.setdefault(time_key(before), q)
    return list(out.items())


def gather_series(view: IndexView, analysis: QueryAnalysis, passages: list[ScoredPassage], vector: np.ndarray,
                  filters: Filters, settings: Settings) -> list[SeriesPoint]:
    """Each period's value of the figure asked about, from the passages found (and the duplicates folded
    into them), earliest first; a value stated in several reports is given once, from the closest."""
    kinds = analysis.wanted_figures or (frozenset({"money"}) if _ABOUT_MONEY.search(analysis.question)
                                        else frozenset({"money", "percent", "rate", "count"}))
    subject = analysis.terms - _ASKING_OVER_TIME
    scored = sorted(scored_sentences(view, analysis, passages, vector, filters, settings), key=lambda s: -s.score)
    points: list[SeriesPoint] = []
    seen: set[tuple[str, str]] = set()
    for s in scored:
        if s.passage.kind in (FIGURE, TABLE):
            continue  # a chart's or OCR table's flattened cells lose which value is whose and when
        # About what was asked: as close as a comparison's part, and holding half its words (the
        # Integrated Care Fund's £129 million is not the Sustainability and Transformation Fund's).
        if (view.sentence_similarity(s.row, vector) < settings.series_similarity
                or overlap(subject, view.passage_terms(view.row(s.passage.id))) < settings.series_subject_share):
            continue
        for period, q in dated_values(s.text, kinds):
            key = (period, " ".join(q.printed.split()))
            if key in seen:
                continue
            seen.add(key)
            points.append(SeriesPoint(period, q.printed, q.kind, q.unit, q.value, s.citation, s.text))
    # One measure: the kind and unit most of the points share (a total in pounds, not a share beside it).
    groups: dict[tuple[str, str], list[SeriesPoint]] = {}
    for p in points:
        groups.setdefault((p.kind, p.unit), []).append(p)
    if not groups:
        return []
    chosen = max(groups.values(), key=len)
    if len({p.period for p in chosen}) < settings.series_min_periods:
        return []
    return sorted(chosen, key=lambda p: (int(p.period[:4]), p.period))
