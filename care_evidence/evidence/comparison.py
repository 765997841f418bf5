"""Comparisons answered part by part: "How do the four UK nations pool budgets?" by one sentence for
each nation, "NAO vs PAC on the Better Care Fund" by one sentence from each report, "emergency
admissions target vs delayed transfers target" by one sentence for each measure.

Answered as one question, a comparison got the single best sentence, about one nation or from one
report: a one-sided answer the reader could take for the whole. Each part is searched on its own:
- a nation: the question asked of that nation alone, among passages naming it or in its section, and
  from the reports that speak of two or more of the nations compared (like is compared with like);
- a report: the question asked of that report alone;
- a measure or group: the question without the other side's words, and its sentence must hold the
  words that tell this side from the other.
A part with no such sentence is said to be missing, not filled from another part. The answer to the
question as a whole comes first, and parts it already answers are not searched; a sentence that
speaks of all the parts at once (an overview) does not answer any one of them."""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from care_evidence.evidence import messages
from care_evidence.evidence.analysis import EVERY_NATION, NATIONS, QueryAnalysis, analyse
from care_evidence.evidence.answer import POINTS_BACK, figures_in, is_list_item, item_citation, scored_sentences
from care_evidence.evidence.candidates import CandidateSearch
from care_evidence.evidence.folding import fold_duplicates
from care_evidence.evidence.glossary import expand
from care_evidence.evidence.models import Answer, AnswerSentence, Filters
from care_evidence.evidence.rerank import rerank
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import FIGURE, PROSE_KINDS, TABLE


@dataclass(frozen=True)
class Part:
    label: str  # as shown before its sentence: "Scotland", "PAC 2018"
    document: str = ""  # a report's part: answered from that report only
    names: str = ""  # a nation's part: its sentence must match this
    terms: frozenset[str] = frozenset()  # a measure's or group's part: its sentence must hold most of these
    other: str = ""  # the words of the other side, taken out of the question when this part is searched
    needed: int = 0  # how many of `terms` a sentence must hold to speak of the part

    @property
    def kind(self) -> str:
        return "report" if self.document else "measure" if self.terms else "nation"


def comparison_parts(view: IndexView, analysis: QueryAnalysis, settings: Settings,
                     define: Callable[[str], list[str]] | None = None) -> list[Part]:
    """The parts a question compares, or none when it compares nothing; `define` gives the names the
    reports spell an acronym out with ("CCG": "clinical commissioning groups")."""
    if len(analysis.named_documents) >= 2:
        return [Part(view.documents[d].label, document=d) for d in analysis.named_documents]
    named = [n for n, pattern in NATIONS.items() if re.search(pattern, analysis.question)]
    if len(named) < 2 and EVERY_NATION.search(analysis.question):
        named = list(NATIONS)
    if len(named) >= 2:
        return [Part(n, names=NATIONS[n]) for n in named]
    return aspect_parts(analysis.question, settings.comparison_aspect_share, define)


# "X vs Y", "X compared with Y", "X or Y": two measures or groups set against each other. Each side
# runs from the connector back (or on) to the nearest punctuation or clause word.
_CONNECTOR = re.compile(r"\s+(?:vs\.?|versus|compared (?:with|to)|or)\s+", re.IGNORECASE)
_LEFT_STOP = re.compile(r"^(?:.*(?:[:?;,(–—]|\s-\s|\b(?:on|did|do|does|was|were|is|are|in|from|to|between|of|whether|"
                        r"which|what|how|for)\b))?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_RIGHT_STOP = re.compile(r"^(.*?)(?:[:?;,()–—]|\s-\s|\s(?:in|during|over|between|since|by|more|less|than|and|"
                         r"according|that|who|which|whether)\b|$)", re.IGNORECASE | re.DOTALL)


# "or" sets two things against each other only in a question asking to choose between them.
_CHOOSING = re.compile(r"\b(?:which|whether|more|less|fewer|faster|slower|bigger|smaller|larger|higher|lower|"
                       r"better|worse|most|least|\w+er than)\b", re.IGNORECASE)
_DIRECTION = re.compile(r"(?:up|down|more|less|better|worse|higher|lower|rise|fall|yes|no|not)", re.IGNORECASE)


def aspect_parts(question: str, share: float, define: Callable[[str], list[str]] | None = None) -> list[Part]:
    """Two sides of a question setting one measure or group against another ("emergency admissions
    target vs delayed transfers target", "hospital finance directors or CCG finance directors"), each
    with the words that tell it from the other side; none when the question sets nothing against
    anything, or a side is only a year (a period is answered by the sentence stating it)."""
    match = _CONNECTOR.search(question)
    if match is None or (match.group(0).strip().lower() == "or" and not _CHOOSING.search(question)):
        return []  # "Do the teams reduce hospital use or costs?" lists what it asks about
    left = _LEFT_STOP.match(question[: match.start()]).group(1).strip()
    right = _RIGHT_STOP.match(question[match.end():]).group(1).strip()
    left_terms, right_terms = _words(left), _words(right)
    sides = [(left, left_terms - right_terms), (right, right_terms - left_terms)]
    if any(not terms or len(text.split()) > 8 or _DIRECTION.fullmatch(text) for text, terms in sides):
        return []  # "gone up or down" asks which way one thing went
    if re.fullmatch(r"\w+ed", right):
        return []  # "was the bill passed or dropped" asks what became of one thing
    if any(all(t.isdigit() or re.fullmatch(r"[\d-]+", t) for t in terms) for _, terms in sides):
        return []
    parts = []
    for (text, _), (other, _) in zip(sides, reversed(sides), strict=True):
        terms = _words(expand(text)) - _words(other)
        needed = max(1, math.ceil(share * len(terms)))
        # An acronym's spelt-out words stand for it ("CCG finance directors" is the sentence's "clinical
        # commissioning group finance directors"), without raising how many words a sentence must hold.
        named = " ".join(define(text)) if define else ""
        parts.append(Part(text, terms=terms | (_words(named) - _words(other)), other=other, needed=needed))
    return parts


def compare(view: IndexView, searches: CandidateSearch, analysis: QueryAnalysis, filters: Filters,
            settings: Settings, whole: Answer) -> Answer:
    """The answer to the question as one (`whole`), with a sentence added for each part it leaves
    out, each labelled with the parts it answers; `whole` itself when the question compares nothing.

    The whole answer stays first: "Which of the four nations lets councils add a precept?" is
    answered by the sentence about the precept, which names no nation."""
    parts = comparison_parts(view, analysis, settings, searches.expansion.definitions)
    if not parts:
        return whole
    sentences = list(whole.sentences) if whole.found else []
    chosen = {view.document_id(d) for d in filters.documents}  # as typed: "NAO", "nao2017"
    comparing = tuple(d for d in _documents_comparing(view, tuple(p.label for p in parts if p.names))
                      if not chosen or d in chosen)  # none left: the documents chosen, as they are
    if comparing:  # nations are compared like for like, from a report that speaks of each of them
        filters = dataclasses.replace(filters, documents=comparing)
        # The answer to the question as a whole stays first ("Which of the four nations lets councils
        # add a precept?" is answered by the NAO's sentence on the precept), but no other report's
        # sentence stands for a nation's part.
        # An English report's sentence naming one of the nations ("... across England") would stand
        # for that nation beside the comparing report's sentences for the others.
        lead = sentences[0].citation.passage_id if sentences else ""
        sentences = [s for s in sentences if s.citation.doc_id in filters.documents
                     or (s.citation.passage_id == lead and not _nations_named(parts, s.text))]
    answered_by: dict[str, set[str]] = {}  # sentence text -> labels of the parts searched for it
    for part in parts:
        if any(_answers_alone(part, parts, s) and (not comparing or s.citation.doc_id in comparing)
               for s in sentences):
            continue
        sentence = _answer_part(view, searches, analysis, filters, settings, part, parts,
                                sentences[0].citation.doc_id if sentences else "")
        if sentence is None:
            continue
        answered_by.setdefault(sentence.text, set()).add(part.label)
        if all(s.text != sentence.text for s in sentences):
            sentences.append(sentence)
    if not sentences:
        return whole

    def labels(s: AnswerSentence) -> list[str]:
        return [p.label for p in parts if p.label in answered_by.get(s.text, ())
                or (_answers(p, s) and (not comparing or s.citation.doc_id in comparing))]

    # A report the filters leave out was not searched: said so, not "none of its passages is close".
    unsearched = [p for p in parts if p.document and chosen and p.document not in chosen]
    missing = [p for p in parts if not any(p.label in labels(s) for s in sentences) and p not in unsearched]
    labelled = [dataclasses.replace(s, part=", ".join(labels(s))) for s in sentences]
    caveat = " ".join([messages.parts_not_found([p.label for p in missing if p.kind == kind], kind)
                       for kind in ("nation", "report", "measure") if any(p.kind == kind for p in missing)]
                      + ([messages.parts_filtered_out([p.label for p in unsearched])] if unsearched else []))
    return Answer(whole.question, True, "", labelled, whole.passages, whole.asked_for, caveat=caveat,
                  parts=tuple(p.label for p in parts if p not in unsearched))


def _answers(part: Part, sentence: AnswerSentence) -> bool:
    """The sentence speaks to the part: it is from the part's report, names the part's nation, or holds
    half the words that tell the part's measure or group from the other's."""
    if part.document:
        return sentence.citation.doc_id == part.document
    if part.terms:
        return _holds(part, sentence.text)
    return bool(re.search(part.names, sentence.text))


def _holds(part: Part, text: str) -> bool:
    return len(part.terms & _words(text)) >= part.needed


def _words(text: str) -> frozenset[str]:
    """A side's or a sentence's content words, a hyphenated word also as its parts: the question's
    "91-day reablement measure" is the sentence's "still at home 91 days after discharge"."""
    return frozenset(content_terms(text) | content_terms(text.replace("-", " ")))


@functools.lru_cache(maxsize=64)
def _documents_comparing(view: IndexView, nations: tuple[str, ...]) -> tuple[str, ...]:
    """The documents that name at least two of the nations compared (the four-country comparison, not
    the English reports, whose "England" is their whole subject); none when the parts are not nations."""
    if len(nations) < 2:
        return ()
    named: dict[str, set[str]] = {}
    for passage in view.passages:
        for nation in nations:
            if re.search(NATIONS[nation], passage.search_text):
                named.setdefault(passage.doc_id, set()).add(nation)
    return tuple(sorted(d for d, found in named.items() if len(found) >= 2))


ALL_NATIONS = [Part(n, names=pattern) for n, pattern in NATIONS.items()]


def _nations_named(parts: list[Part], sentence: str) -> int:
    return sum(bool(p.names and re.search(p.names, sentence)) for p in parts)


def _answers_alone(part: Part, parts: list[Part], sentence: AnswerSentence) -> bool:
    """The sentence speaks to the part in its own right: a sentence naming three or more of the nations
    compared ("In England and Wales ... whereas in Scotland and Northern Ireland ...") is an overview;
    it stays in the answer, but each nation's part is still searched for a sentence of its own, since
    the reader asked what each nation does, and the overview says it in a clause. Likewise a sentence
    naming both measures compared ("the savings target was not achieved due to increases in emergency
    admissions and delayed transfers") is an overview unless it states a figure for each ("6% of
    hospital finance directors and 17% of clinical commissioning group finance directors")."""
    if not _answers(part, sentence):
        return False
    if part.names:  # all four counted: "As England and Wales ..., Scotland and Northern Ireland ..." is an overview
        return _nations_named(ALL_NATIONS, sentence.text) <= 2
    if part.terms:
        both = all(_holds(p, sentence.text) for p in parts if p.terms)
        return not both or sum(f.kind not in ("year", "period") for f in sentence.figures) >= 2
    return True


def _part_question(analysis: QueryAnalysis, part: Part, parts: list[Part]) -> str:
    """The question as asked of one nation: the other nations' names taken out and "each of the four
    nations" put as this one ("legal status of partnerships in England vs Wales" asked of Wales is
    "legal status of partnerships in Wales"); searched with all four named, a nation's own passage
    ranks below the ones comparing them all."""
    question = EVERY_NATION.sub(part.label, analysis.question)
    for other in parts:
        if other is not part and other.names:
            question = re.sub(other.names, " ", question)
    if not re.search(part.names, question):
        question = f"{question} ({part.label})"
    return " ".join(question.split())


def _speaks_of(part: Part, passage) -> bool:
    """A passage that names the part's nation in its text or its section ("Chapter 3, Wales")."""
    return bool(re.search(part.names, passage.search_text) or re.search(part.names, " ".join(passage.section)))


def _answer_part(view: IndexView, searches: CandidateSearch, analysis: QueryAnalysis, filters: Filters,
                 settings: Settings, part: Part, parts: list[Part], lead: str = "") -> AnswerSentence | None:
    """The sentence answering one part, searched on its own; `lead`: the document of the whole
    answer's first sentence."""
    if part.document:
        if filters.documents and part.document not in {view.document_id(d) for d in filters.documents}:
            return None
        part_filters = dataclasses.replace(filters, documents=(part.document,))
        part_analysis = dataclasses.replace(analysis, named_documents=(part.document,))
    elif part.terms:  # the question with the other side's words taken out
        part_filters = filters
        question = " ".join(analysis.question.replace(part.other, " ").split())
        part_analysis = analyse(question, view.documents)
    else:
        part_filters = filters
        part_analysis = analyse(_part_question(analysis, part, parts), view.documents)
    lists = searches.search(part_analysis, part_filters)
    if lists is None:
        return None
    candidates = rerank(view, part_analysis, lists, settings)
    if part.names:  # only passages about the nation: its sentence must be about it
        candidates = [c for c in candidates if _speaks_of(part, view.passages[c.row])]
    top = fold_duplicates(view, candidates, settings.answer_passages, part_filters)
    if not top:
        return None
    # A chart's flattened caption and legend ("Figure 17 ... England Scotland Wales") names every
    # nation and states nothing about any; a sentence naming the others too is an overview.
    scored = [s for s in scored_sentences(view, part_analysis, top, lists.vector, part_filters, settings)
              if s.passage.kind != FIGURE and (not part.terms or _holds(part, s.text))]
    # A sentence of the nation's own first; failing one, an overview naming it among the others ("...
    # higher in England and Scotland in 2019 ... at a similar rate in Wales") speaks of it too, where
    # "not found" would say the reports do not.
    if part.names:  # naming the nation is not enough: "A Healthier Wales Transformation Fund" for delays
        subject = part_analysis.terms - _nation_words()
        scored = [s for s in scored if subject & view.sentence_terms(s.row)]
    own = [s for s in scored if _about(view, part, parts, s)] if part.names else [
        s for s in scored if _answers_alone(part, parts, AnswerSentence(s.text, s.citation, s.figures))]
    # A table's OCR text runs the four nations' cells together: no overview.
    overview = [s for s in scored if (not part.names or re.search(part.names, s.text)) and s.passage.kind != TABLE]
    if part.terms:
        # Two measures or groups are set against each other within a report: "whole population growth"
        # beside the NAO's over-65s is not Nuffield's "the population of England as a whole".
        own, overview = [s for s in own if s.citation.doc_id == lead] or own, (
            [s for s in overview if s.citation.doc_id == lead] or overview)
        if own and own[0].citation.doc_id != lead and any(s.citation.doc_id == lead for s in overview):
            own = []
    # The best sentence must be close enough to the question; a weaker one is not taken in its place.
    close = [best for best in (max(found, key=lambda s: s.score, default=None) for found in (own, overview))
             if best is not None and view.sentence_similarity(best.row, lists.vector) >= settings.part_similarity]
    if not close:
        return None
    best = close[0]
    return AnswerSentence(best.text, item_citation(view, best.passage, best.citation, best.text),
                          figures_in(best.passage, best.text))


@functools.cache
def _nation_words() -> frozenset[str]:
    """The words that name the nations or the UK, as stemmed: no sign of what a sentence is about."""
    return content_terms("England English Scotland Scottish Wales Welsh Northern Ireland NI UK United Kingdom "
                         "nation nations country countries four each")


def _about(view: IndexView, part: Part, parts: list[Part], sentence) -> bool:
    """A sentence about the part's nation: it names it (and at most one other of those compared), or
    names none while its section is the nation's ("Chapter 3, Wales") or the sentences before it in its
    paragraph last named this nation alone ("For Scotland, satisfaction ... worsened over time. Meanwhile,
    length of hospital stay decreased, and healthy life expectancy at age 65 improved for men.")."""
    if re.search(part.names, sentence.text):
        return _nations_named(parts, sentence.text) <= 2
    if _nations_named(ALL_NATIONS, sentence.text) or EVERY_NATION.search(sentence.text):
        return False
    if re.search(part.names, " ".join(sentence.passage.section)):
        return True
    # Only in prose: a table's or list's entries follow each other without naming whose they are (Nuffield
    # Table 7 runs the four nations' entries together); and "This means ..." carried over would be read
    # without what "this" is.
    if sentence.passage.kind not in PROSE_KINDS or is_list_item(sentence.text):
        return False
    first = view.sentence_rows(view.row(sentence.passage.id)).start
    return not POINTS_BACK.match(sentence.text) and _nation_carried(view, sentence.row, first) == part.label


def _nation_carried(view: IndexView, row: int, first: int) -> str | None:
    """The nation a sentence naming none speaks of: the one the nearest sentence before it in its
    paragraph names, when that sentence names only one."""
    for before in range(row - 1, first - 1, -1):
        text = view.sentence_text(before)
        named = [p.label for p in ALL_NATIONS if re.search(p.names, text)]
        if EVERY_NATION.search(text):
            return None
        if named:
            return named[0] if len(named) == 1 else None
    return None
