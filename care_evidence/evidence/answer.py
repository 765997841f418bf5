"""The answer shown on top of the passages: whether the reports answer at all, and which sentences do.

Every rule that chooses an answer sentence is here: its cosine to the question, its share of the
question's words, a bonus for stating a figure of the kind asked for, the rank of its passage, and
penalties for other years, for captions and footnotes not asked for, and for folded duplicates.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from care_evidence.evidence import messages
from care_evidence.evidence.analysis import (
    EVERY_NATION,
    GIVING_A_REASON,
    NATIONS,
    NOT_YET,
    SETTING_UP,
    STATING_A_FINDING,
    QueryAnalysis,
    counts,
    speaks_of_what_was_asked,
    time_key,
    value_key,
)
from care_evidence.evidence.models import Answer, AnswerSentence, Citation, FigureMention, Filters, ScoredPassage
from care_evidence.evidence.recommendations import asks_for_recommendation, headline_row, recommendation_passages
from care_evidence.evidence.references import number_value
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.items import item_holding
from care_evidence.indexer.lexical import content_terms, overlap
from care_evidence.indexer.models import BOX, FIGURE, FOOTNOTE, KEY_FACT, PROSE_KINDS, TABLE, Passage
from care_evidence.indexer.parsers import citing_locators
from care_evidence.indexer.quantities import sentence_quantities


@dataclass
class ScoredSentence:
    score: float
    row: int  # sentence row
    passage: Passage
    citation: Citation
    text: str
    figures: list[FigureMention]
    states_wanted_figure: bool


@functools.cache
def _asking_for_a_passage() -> frozenset[str]:
    """Words that ask for any passage ("what does Figure 13 show"), stemmed as questions are."""
    return frozenset(content_terms("show shows say says said tell mean means contain contains describe "
                                   "describes illustrate illustrates set out give gives state states"))


def figures_in(passage: Passage, sentence: str) -> list[FigureMention]:
    """Figures of a sentence, each taken from the passage's own printed text (never composed)."""
    out, used = [], set()
    for q in sentence_quantities(sentence):
        printed = " ".join(q.printed.split())
        for i, pq in enumerate(passage.quantities):
            if i not in used and " ".join(pq.printed.split()) == printed:
                used.add(i)
                out.append(FigureMention(pq.printed, pq.kind, pq.value, pq.unit, passage.id, pq.start, pq.end))
                break
    return out


def asks_only_for(view: IndexView, analysis: QueryAnalysis, passage: Passage, settings: Settings) -> bool:
    """Whether the question's words, but for the passage's citation and words that ask for any
    passage ("what does ... show"), are mostly in the passage."""
    asked = frozenset(content_terms(analysis.without_citations())) - _asking_for_a_passage()
    return not asked or overlap(asked, view.passage_terms(view.row(passage.id))) >= settings.named_passage_overlap


def answer(view: IndexView, analysis: QueryAnalysis, passages: list[ScoredPassage], cited: set[int],
           vector: np.ndarray, filters: Filters, settings: Settings) -> Answer:
    """The answer to a question from its ranked passages, or "not found" with them as the closest."""
    question, asked = analysis.question, analysis.asked_figures
    if not passages:
        return Answer(question, False, messages.nothing_matches(filters.active), asked_for=asked)
    # A recommendation asked for is answered by the lettered recommendation closest to it, if one is
    # as close as an answer must be, though its paragraph ranks below the top passages.
    recommendation = _recommendation(view, analysis, vector, filters, settings) if asks_for_recommendation(
        question, analysis.named_documents) else []
    if recommendation:
        return Answer(question, True, "", recommendation, passages, asked)
    top = passages[: settings.answer_passages]
    best_similarity = max(view.best_sentence_similarity(view.row(p.passage.id), vector) for p in top)
    # "What does NAO Figure 13 show?": a passage the question names answers it, however little its
    # words (a figure's title) resemble the question's, if the question asks nothing else of it
    # ("How many astronauts does NAO Figure 13 show landing on Mars?" is not found).
    named = [p for p in top if view.row(p.passage.id) in cited]
    # "What does the NHS Confederation say about information sharing?": the report named speaking of it in
    # a sentence ("... workforce challenges and information sharing challenges, were still in place") is
    # what it says, however little the sentence resembles the question as a whole.
    speaking = [p for p in top if p.passage.doc_id in analysis.named_documents and any(
        speaks_of_what_was_asked(question, [view.sentence_text(r)])
        for r in view.sentence_rows(view.row(p.passage.id)))]
    if best_similarity < settings.not_found_similarity and not speaking and not (
            named and asks_only_for(view, analysis, named[0].passage, settings)):
        return Answer(question, False, messages.nothing_answers(), passages=passages, asked_for=asked)
    # The answer is read from the passage the question names, not from another that says more; and
    # from the report the question names, when one of the top passages is from it.
    from_named_report = [p for p in top if p.passage.doc_id in analysis.named_documents]
    sentences = answer_sentences(view, analysis, named or from_named_report or top, vector, filters, settings)
    return Answer(question, True, "", sentences, passages, asked)


def answer_sentences(view: IndexView, analysis: QueryAnalysis, top: list[ScoredPassage], vector: np.ndarray,
                     filters: Filters, settings: Settings) -> list[AnswerSentence]:
    """The best sentence of the top passages (any of them); with a second one when the question asks
    for a figure and another sentence states one nearly as well; with the list a sentence leads into."""
    scored = scored_sentences(view, analysis, top, vector, filters, settings)
    if not scored:  # passages without sentences: quote the top passage's opening
        sp = top[0]
        text = sp.passage.search_text[: settings.opening_chars]
        return [AnswerSentence(text, sp.citation, figures_in(sp.passage, text))]
    scored.sort(key=lambda s: -s.score)
    chosen = [scored[0]] + _second_figure_sentence(analysis, scored, settings)
    chosen += _each_kind_asked(analysis, scored, chosen)
    chosen += _list_after_lead_in(view, chosen, settings)
    chosen += _context_it_needs(view, chosen, settings)
    chosen += _what_it_goes_on_to_say(view, chosen, same_subject=not analysis.wanted_figures)
    if analysis.asks_why:
        chosen += _reason_that_follows(view, analysis, chosen, settings)
    if analysis.asks_finding:
        chosen += _finding_that_follows(view, analysis, chosen, settings)
    chosen += _list_after_lead_in(view, chosen, settings)  # of a lead-in those added ("... found that:")
    chosen.sort(key=lambda s: (s.passage.doc_id, s.passage.order, s.row))  # in reading order
    wanted = analysis.wanted_figures
    for s in chosen:
        if wanted:  # the figures the question asks for first
            s.figures.sort(key=lambda f: f.kind not in wanted)
    # A sentence from one of a paragraph's lettered items (a recommendation) is cited as that item.
    out = []
    for s in chosen:
        findings = chart_findings(s.passage, s.text, analysis.question_terms)
        text = findings or s.text
        figures = figures_in(s.passage, text) if findings else s.figures
        out.append(AnswerSentence(text, item_citation(view, s.passage, s.citation, text), figures))
    return out


_FINDING_WORDS = 8  # a chart's line of this many words says what it shows; its axis labels are shorter
_NOTES_FOLLOW = re.compile(r"(?:notes?|sources?)\b:?", re.IGNORECASE)
_NOT_A_FINDING = re.compile(r"^\W*(?:sources?|notes?)\b|^[•●·\-–]", re.IGNORECASE)


def chart_findings(passage: Passage, sentence: str, asked: frozenset[str] = frozenset()) -> str:
    """The lines of a chart's text that say what it shows ("Delayed transfers of care continue to rise
    despite local plans to reduce them"), those the sentence holds, in place of the sentence: flattened,
    a chart's text runs its label, title, finding, axis and legend into one "sentence". Not when the rest
    of the sentence, its label and title aside, holds more of the question's words (`asked`): a question
    about a chart's note or axis ("Does Figure 2 count non-acute delayed days?") is answered by them."""
    if passage.kind != FIGURE or asked & _source_words():  # its source or notes asked for
        return ""
    findings = []
    for raw in passage.text.split("\n"):
        line = " ".join(re.sub(r"^[#*\s]+|[*\s]+$", "", raw).split())
        if _NOTES_FOLLOW.match(line):
            break  # the chart's notes and sources: what it shows is said above them
        if ("\t" not in raw and "|" not in raw and len(line.split()) >= _FINDING_WORDS and line != passage.title
                and not _NOT_A_FINDING.search(line) and line in sentence):
            findings.append(line)
    if not findings or sentence.startswith(findings[0]):
        return ""
    rest = sentence
    for part in (*findings, passage.title, passage.locator):
        rest = rest.replace(part, " ")
    if len(asked & content_terms(rest)) > len(asked & content_terms(" ".join(findings))):
        return ""
    return " ".join(findings)


@functools.cache
def _source_words() -> frozenset[str]:
    """Words asking for a chart's source or notes, stemmed as questions are."""
    return content_terms("source sources note notes")


def _recommendation(view: IndexView, analysis: QueryAnalysis, vector: np.ndarray, filters: Filters,
                    settings: Settings) -> list[AnswerSentence]:
    """The lettered recommendation closest to the question, headline first, with its sentence that
    matched best; none when no recommendation's sentence is as close as an answer must be.

    An item is chosen by its best sentence's score plus its headline's: the headline says what is
    recommended, the best sentence what about (6 of 7 helper-written questions, against 5 of 7 by
    the best sentence alone; 2 of 3 either way on the held-out half)."""
    items: dict[tuple[str, str], list[ScoredSentence]] = {}
    subject = _subject(view, analysis) if analysis.asks_finding else None
    for p in recommendation_passages(view, analysis, filters):
        for s in _scored_sentences(view, analysis, p, view.citation(p), 0.0, vector, settings, subject):
            item = item_holding(p, s.text)
            if item is not p:
                items.setdefault((p.id, item.locator), []).append(s)
    if not items:
        return []
    chosen = max(items.values(), key=lambda ss: max(s.score for s in ss) + ss[0].score)
    best = max(chosen, key=lambda s: s.score)
    if view.sentence_similarity(best.row, vector) < settings.recommendation_similarity:
        return []
    item = item_holding(best.passage, best.text)
    head = headline_row(view, best.passage, item)
    rows = sorted({best.row} | ({head} if head is not None else set()))
    return [AnswerSentence(view.sentence_text(r), view.citation(item), figures_in(best.passage, view.sentence_text(r)))
            for r in rows]


def scored_sentences(view: IndexView, analysis: QueryAnalysis, top: list[ScoredPassage], vector: np.ndarray,
                     filters: Filters, settings: Settings) -> list[ScoredSentence]:
    """Every sentence of the top passages (and of the duplicates folded into them), scored as an answer."""
    subject = _subject(view, analysis) if analysis.asks_finding else None  # once a question, not once a passage
    def citing_too(footnote: Passage) -> bool:
        """A footnote answers as the paragraphs citing it when the question asks what a source found, or
        when it only names a source (a title, "Q 121"): its words match the question, but it says nothing,
        unless the question asks about the source itself ("When was ... published?", "IBH0007")."""
        if analysis.asks_for_source or _ASKS_ABOUT_A_PUBLICATION.search(analysis.question):
            return False
        # Only when a paragraph citing it is there to answer instead (a filter may leave it out).
        citing = [p for p in _citing(view, footnote) if view.allows(p, filters)]
        if not citing:
            return False
        if analysis.asks_finding:
            return True
        own = analysis.question_terms & view.passage_terms(view.row(footnote.id))
        return names_a_source_only(footnote) and all(own <= view.passage_terms(view.row(p.id)) for p in citing)

    return [s for passage, citation, score in _sources(view, top, filters, settings, citing_too)
            for s in _scored_sentences(view, analysis, passage, citation, score - top[0].score, vector, settings,
                                       subject)]


def item_citation(view: IndexView, passage: Passage, citation: Citation, text: str) -> Citation:
    item = item_holding(passage, text)
    return citation if item is passage else view.citation(item)


def _sources(view: IndexView, top: list[ScoredPassage], filters: Filters, settings: Settings,
             citing_too: Callable[[Passage], bool] = lambda footnote: False) -> list[tuple[Passage, Citation, float]]:
    """The top passages and the duplicates folded into them (a Key fact often states the figure most
    directly) that the filters allow, each with its citation and score; for a footnote `citing_too`
    holds for, its citing paragraphs in its place, at its score (a question asking what a source found:
    the footnote only names the source)."""
    out = []
    for sp in top:
        if sp.passage.kind == FOOTNOTE and citing_too(sp.passage):  # in its place, the paragraphs citing it
            taken = {p.id for p, _, _ in out} | {s.passage.id for s in top}
            out += [(p, view.citation(p), sp.score) for p in _citing(view, sp.passage)
                    if p.id not in taken and view.allows(p, filters)]
            continue
        out.append((sp.passage, sp.citation, sp.score))
        duplicates = [view.passage(c.passage_id) for c in sp.also_in]
        out += [(p, view.citation(p), sp.score - settings.duplicate_sentence_penalty) for p in duplicates
                if view.allows(p, filters)]
    return out


# What marks a footnote that names a source and says nothing else: an evidence session's question ("Q 121",
# "Qq 99-105"), a written evidence code ("(IBH0008)"), a paper's session or number, a publication month,
# an address, a title in italics, a pointer to another footnote.
_A_SOURCE_ONLY = re.compile(r"\bQq? \d|\([A-Z]{3}\d{4}\)|\bSession \d{4}|\bHC \d+|\bunpublished\b|https?://|www\.|"
                           r"\*[^*]+\*|^\W*(?:<sup>\d+</sup>\s*)?See footnote|\b(?:" + "|".join(
                               ("January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December")) + r") \d{4}\b")


# A question about a source itself: when it came out, who sent it, who wrote or carried it out.
_ASKS_ABOUT_A_PUBLICATION = re.compile(r"\b(?:published|publication|submitted|written evidence|oral evidence|by whom)\b"
                                       r"|\bwho (?:\w+ )?(?:evaluated|wrote|authored|carried out|conducted|undertook|"
                                       r"produced|ran|led|did)\b", re.IGNORECASE)


def names_a_source_only(footnote: Passage) -> bool:
    """A footnote naming a source, stating no amount, share or rate of its own ("Based on Department of
    Health 2015-16 excess bed day cost of £306 per day." states one, and answers for itself)."""
    return (not any(q.kind in ("money", "percent", "rate") for q in footnote.quantities)
            and bool(_A_SOURCE_ONLY.search(footnote.text)))


def _citing(view: IndexView, footnote: Passage) -> list[Passage]:
    """The paragraphs citing a footnote: what its source found is said there ("An early evaluation ...
    found that:"), the footnote only names it."""
    rows = [row for locator in citing_locators(footnote)
            for row in view.passages.rows_with_locator(locator, (footnote.doc_id,))]
    return [view.passages[r] for r in rows]


def _scored_sentences(view: IndexView, analysis: QueryAnalysis, passage: Passage, citation: Citation,
                      behind_top: float, vector: np.ndarray, settings: Settings,
                      subject: frozenset[str] | None) -> list[ScoredSentence]:
    """Each sentence of a passage scored as an answer; `behind_top`: its passage's score minus the top's;
    `subject`: for a question asking what came of something, its rarest word (None for another question)."""
    # A Figure's or Table's flattened caption reads badly as an answer unless asked for. A footnote
    # names a source: it matches the question's words, but what the source found is in the
    # paragraph citing it, unless the question asks for the source.
    penalty = settings.unit_sentence_penalty if passage.kind in (FIGURE, TABLE) and not analysis.asks_for_unit else 0.0
    if passage.kind == FOOTNOTE and not analysis.asks_for_source:
        penalty += settings.footnote_sentence_penalty
    if analysis.asks_why and passage.kind == KEY_FACT:
        return []  # a key fact is a figure and its label: it gives no reason ("£511m ... estimated savings")
    unit = passage.kind in (FIGURE, TABLE, BOX)
    # A finding counts only in a passage about what the question asks of: one holding its rarest word
    # ("Did the vanguards reduce emergency admissions?" is not answered by a finding on the Fund's areas).
    finding_here = subject is not None and subject <= view.passage_terms(view.row(passage.id))
    out = []
    rows_of_passage = view.sentence_rows(view.row(passage.id))
    in_notes = after_notes = False
    for row in rows_of_passage:
        text = view.sentence_text(row)
        # A Figure's "Source: ..." line names where its data came from, as a footnote does, and so do the
        # lines after it ("Sources: For England: NHS Digital ... For Scotland: Public Health Scotland, ...");
        # its notes say how the data were counted ("• In Scotland, data measure delayed discharges ...").
        # (A table's OCR text runs its cells on after its "Sources:" line: only a chart's are skipped.)
        chart = passage.kind == FIGURE
        in_notes = after_notes or bool(chart and _NOTES_LINE.search(text))
        after_notes = in_notes or bool(chart and _NOTES_FOLLOW_ON.search(text))  # "... Wales Notes:"
        if not analysis.asks_for_unit and (_is_bare_title(passage, text) or POINTS_TO_A_UNIT.match(text)):
            continue  # "Figure 6: Funding and accountability in ..." names a chart; it states nothing
        if (row == rows_of_passage.stop - 1 and _cut_off(passage, text)) or (
                row == rows_of_passage.start and _ends_a_cut_sentence(view, passage)):
            continue  # "Wales has since developed a" | "Single Integrated Outcomes Framework ...": half a sentence
        # A chart's notes and sources say how its data were counted, not what they show: they answer a
        # question about the data ("How does Wales publish delayed transfers data?"), and no other.
        if in_notes and not (analysis.asks_for_source or _ASKS_ABOUT_DATA.search(analysis.question)):
            continue
        # A table's "Source: ..." line names where its data came from, as a footnote does.
        source_line = unit and not analysis.asks_for_source and _SOURCE_LINE.search(text)
        figures = figures_in(passage, text)
        # A count answers "how many vanguards" when it counts what the question speaks of ("50 vanguard
        # sites"), not "between two and 10 years".
        has_wanted = any(f.kind in analysis.wanted_figures
                         and (f.kind != "count" or not analysis.counted
                              or counts(text, analysis.counted | analysis.question_terms))
                         for f in figures)
        stated = {time_key(f) for f in figures if f.kind in ("year", "period")}
        # A sentence dated by other years than those asked is penalised, in the share of them it misses:
        # for "Nov 2014 to Nov 2016", "between August 2010 and November 2016" shares an end, not the period.
        times_missed = len(analysis.times - stated) / len(analysis.times) if analysis.times and stated else 0.0
        every_time = len(analysis.times) >= 2 and analysis.times <= stated
        # Prefer the best-ranked passage: a sentence elsewhere must be clearly better to win.
        score = (view.sentence_similarity(row, vector)
                 + settings.sentence_overlap_weight * overlap(analysis.question_terms, view.sentence_terms(row))
                 + (settings.figure_sentence_bonus if has_wanted else 0.0)
                 + (settings.reason_sentence_bonus if analysis.asks_why and GIVING_A_REASON.search(text) else 0.0)
                 + (_finding_bonus(text, settings) if finding_here else 0.0)
                 + (settings.speaker_sentence_bonus if _in_their_words(analysis, view, row, text) else 0.0)
                 - settings.time_mismatch_penalty * times_missed
                 + (settings.every_time_bonus if every_time else 0.0)
                 + settings.passage_rank_weight * behind_top - penalty
                 - (settings.footnote_sentence_penalty if source_line else 0.0))
        out.append(ScoredSentence(score, row, passage, citation, text, figures, has_wanted))
    return out


_REPORTED_SPEECH = re.compile(r"\b(?:said|says|told|tells|claim(?:s|ed)?|accepted|acknowledged|explained|argued|"
                              r"predicts?|predicted|stated|informed|suggested|recognised)\b", re.IGNORECASE)


def _in_their_words(analysis: QueryAnalysis, view: IndexView, row: int, text: str) -> bool:
    """The sentence reports what the body the question asks about said ("The Department said that this
    diversion of money had meant ..."), for a question asking for its account ("according to the
    Department")."""
    terms = view.sentence_terms(row)
    # ... and of what the question asks about: "NHS England told us this was because they had no mandate"
    # is no answer to what NHS England said about emergency admissions.
    return bool(analysis.speaker and analysis.speaker <= terms and (analysis.question_terms - analysis.speaker) & terms
                and _REPORTED_SPEECH.search(text))


def _subject(view: IndexView, analysis: QueryAnalysis) -> frozenset[str]:
    """The question's rarest word the reports use (fewest passages hold it): what it asks about."""
    held = [(view.index.lexical.document_frequency(t), t) for t in content_terms(analysis.without_citations())
            if not t[0].isdigit()]  # a report named ("the PAC") chooses the report, it is not the subject
    held = [(df, t) for df, t in held if df > 0]
    return frozenset({min(held)[1]}) if held else frozenset()


def _finding_bonus(text: str, settings: Settings) -> float:
    """For a question asking what came of something: a sentence stating a finding or outcome ("The
    Taskforce did not meet regularly and was eventually disbanded") over one setting it up ("In
    December 2015, the Departments established ...")."""
    if NOT_YET.search(text):  # "pending the outcome of the review": its finding is not in the reports
        return 0.0
    if STATING_A_FINDING.search(text):
        return settings.finding_sentence_bonus
    return -settings.finding_sentence_bonus if SETTING_UP.search(text) else 0.0


def is_list_item(sentence: str) -> bool:
    """A bulleted item ("• ... ; and"): it may end without a stop, and follows a lead-in naming its subject."""
    return sentence.lstrip().startswith(("•", "-", "–"))


def _cut_off(passage: Passage, sentence: str) -> bool:
    """A paragraph's last sentence that stops mid-sentence ("Wales has since developed a"): an OCR text's
    page or column break split the paragraph in two, and its rest opens the next passage. Neither half
    is quoted: alone, each misreads (a list item or a heading may end without a stop, and is kept)."""
    return passage.kind in PROSE_KINDS and not is_list_item(sentence) and bool(
        re.search(r"[a-z,]$", sentence.rstrip()))


def _ends_a_cut_sentence(view: IndexView, passage: Passage) -> bool:
    """Whether the passage opens with the rest of a sentence the passage before it cut off."""
    row = view.row(passage.id)
    if row == 0 or passage.kind not in PROSE_KINDS:
        return False
    before = view.passages[row - 1]
    rows = view.sentence_rows(row - 1)
    return before.doc_id == passage.doc_id and len(rows) > 0 and _cut_off(before, view.sentence_text(rows.stop - 1))


_SOURCE_LINE = re.compile(r"^\W*(?:[\w-]+\s+){0,3}Sources?:")  # "Source: ...", "• England Source: ..."
_NOTES_LINE = re.compile(r"^\W*(?:[\w-]+\s+){0,3}(?:Sources?|Notes?):")  # "Notes: • In England, data are ..."
_NOTES_FOLLOW_ON = re.compile(r"\b(?:Sources?|Notes?):\s*$")
_ASKS_ABOUT_DATA = re.compile(r"\b(?:data|measured|measures?|counted|counts|published|publish|recorded|defined|"
                              r"definitions?|worded|wording|comparable|methodology|collected|notes?)\b", re.IGNORECASE)


# A sentence that only sends the reader to a chart or table ("Figure 6 presents a diagrammatic illustration of
# funding and accountability in ... Scotland.", "See Figure 5 for ..."): what it shows is not said.
POINTS_TO_A_UNIT = re.compile(r"^\W*(?:See\s+)?(?:Figure|Table|Box)\s+[A-Z]?\d+\w*\s+(?:for|presents|illustrates|"
                              r"provides|gives|sets out)\b.{0,80}\b(?:illustration|diagram\w*|overview|summary|"
                              r"details?)\b", re.IGNORECASE)


def _is_bare_title(passage: Passage, sentence: str) -> bool:
    """A Figure's, Table's or Box's heading and nothing more: its label and title, no finding."""
    if passage.kind not in (FIGURE, TABLE, BOX) or not passage.title:
        return False
    rest = sentence.strip().removeprefix(passage.locator).strip(" :.–-")
    title = passage.title.strip().rstrip(".")
    # A chart's caption flattened with its axis and legend ("Figure 9: Mortality ..., 2001-19 Rate per
    # 100,000 population Scotland Wales") is still only its title; one that goes on to say what the
    # chart shows, in words ("... The draft standard comprises seven domains that ..."), is not.
    legend = rest.removeprefix(title) if rest.startswith(title) else None
    return not rest or rest.rstrip(".") == title or (
        passage.kind == FIGURE and legend is not None and len(re.findall(r"\b[a-z]{2,}\b", legend)) <= 3)


def _second_figure_sentence(analysis: QueryAnalysis, scored: list[ScoredSentence],
                            settings: Settings) -> list[ScoredSentence]:
    """A second sentence stating a figure of the kind asked for, when nearly as good: "the minimum was
    £3.8 billion" and "the total was £5.3 billion" both answer "how much". One whose figures are mostly
    those of the first (the same breakdown restated) adds nothing."""
    wanted, best = analysis.wanted_figures, scored[0]
    if not wanted:
        return []
    stated = {value_key(f) for f in best.figures if f.kind in wanted}
    for other in scored[1:]:
        if best.score - other.score >= settings.second_sentence_margin:
            break
        its = [value_key(f) for f in other.figures if f.kind in wanted]
        mostly_new = sum(k in stated for k in its) <= settings.second_sentence_max_shared * len(its)
        if other.states_wanted_figure and other.text != best.text and mostly_new:
            return [other]
    return []


def with_runner_up(view: IndexView, analysis: QueryAnalysis, result: Answer, vector: np.ndarray,
                   settings: Settings) -> Answer:
    """The answer with the next best sentence of its best sentence's paragraph, when it scores within
    `runner_up_margin` of it: a reason or finding is often said in the sentence beside the one most like
    the question ("... the two main reported reasons for the increase are ..." after "61% of delays have
    been due to health"), and the margin between them is below what the scores can tell apart. Added only
    to an answer the requirements have passed: the second sentence must not make a question the reports
    cannot answer look answered. Not to a lettered recommendation (an item of its own), a table or chart
    (its cells run on), a question setting nations side by side (answered part by part), nor a lead-in
    shown with its list."""
    if (not result.found or not result.sentences or result.table is not None or settings.runner_up_margin <= 0
            or _sets_nations_side_by_side(analysis.question)):
        return result
    shown = {s.text for s in result.sentences}
    subject = _subject(view, analysis) if analysis.asks_finding else None
    best: ScoredSentence | None = None
    paragraphs: dict[str, list[ScoredSentence]] = {}
    for s in result.sentences:
        passage = view.passage(s.citation.passage_id)
        if item_holding(passage, s.text) is not passage or passage.kind in (FIGURE, TABLE):
            return result
        if passage.id not in paragraphs:
            paragraphs[passage.id] = _scored_sentences(view, analysis, passage, s.citation, 0.0, vector, settings,
                                                       subject)
        for scored in paragraphs[passage.id]:
            if scored.text == s.text and (best is None or scored.score > best.score):
                best = scored
    if best is None:
        return result
    passage_rows = view.sentence_rows(view.row(best.passage.id))
    rows = {view.sentence_text(r): r for r in passage_rows}
    if (best.text.rstrip().endswith(":") or _enumerated_until(view, best.row, passage_rows.stop) is not None
            or _items_announced(view, best, passage_rows.stop)):
        return result  # a lead-in shown with its list: the list is what goes with it
    shown_rows = {rows[t] for t in shown if t in rows}
    for other in sorted(paragraphs[best.passage.id], key=lambda s: -s.score):
        if best.score - other.score > settings.runner_up_margin:
            break
        if other.text in shown or not _may_stand_beside(view, analysis, best, other, rows, shown_rows):
            continue
        # a lead-in comes with its list ("An early evaluation ... found that:" and what it found)
        added = [AnswerSentence(s.text, best.citation, s.figures)
                 for s in [other, *_list_after_lead_in(view, [other], settings)] if s.text not in shown]
        at = _reading_place(result.sentences, best, other.row, rows)
        return dataclasses.replace(result, sentences=[*result.sentences[:at], *added, *result.sentences[at:]])
    return result


def with_asked_figure_of_its_paragraph(view: IndexView, analysis: QueryAnalysis, result: Answer, vector: np.ndarray,
                                       settings: Settings) -> Answer:
    """The answer with the best sentence of its first sentence's paragraph that states a figure of the kind
    asked for, when no sentence shown states one: "When was Wales's Single Integrated Outcomes Framework
    introduced?" is answered by "Wales has since developed a Single Integrated Outcomes Framework ..." and,
    three sentences on, "However, the framework was only introduced in 2020". Tried only where the answer
    would otherwise be refused for want of the figure; the requirements then check it again."""
    if not result.found or not result.sentences or result.table is not None or not analysis.wanted_figures:
        return result
    first = result.sentences[0]
    passage = view.passage(first.citation.passage_id)
    if passage.kind in (FIGURE, TABLE) or item_holding(passage, first.text) is not passage:
        return result
    scored = _scored_sentences(view, analysis, passage, first.citation, 0.0, vector, settings, None)
    best = next((s for s in scored if s.text == first.text), None)
    if best is None:
        return result
    rows = {view.sentence_text(r): r for r in view.sentence_rows(view.row(passage.id))}
    shown = {s.text for s in result.sentences}
    shown_rows = {rows[t] for t in shown if t in rows}
    for other in sorted(scored, key=lambda s: -s.score):
        # It must bring a word of the question the first sentence lacks ("introduced"): one sharing only the
        # subject's words ("A parliamentary review of health and social care in Wales in 2018") dates another thing.
        brings = (analysis.question_terms & view.sentence_terms(other.row)) - view.sentence_terms(best.row)
        if (other.text in shown or not brings or not any(f.kind in analysis.wanted_figures for f in other.figures)
                or not _may_stand_beside(view, analysis, best, other, rows, shown_rows)):
            continue
        at = _reading_place(result.sentences, best, other.row, rows)
        added = AnswerSentence(other.text, first.citation, other.figures)
        return dataclasses.replace(result, sentences=[*result.sentences[:at], added, *result.sentences[at:]])
    return result


# A sentence speaking of what the one before it said ("Further challenges include ...", "One way of doing
# this is ..."): a pointer, though it does not open with one.
_POINTS_BACK_WITHIN = re.compile(r"^\W*(?:Further|(?:[\w'’-]+\s+){0,4}(?:this|these|those|such)\b)", re.IGNORECASE)


def _may_stand_beside(view: IndexView, analysis: QueryAnalysis, best: ScoredSentence, other: ScoredSentence,
                      rows: dict[str, int], shown_rows: set[int]) -> bool:
    """Whether a sentence of the best one's paragraph may be shown beside it: not a pointer without the
    sentence it points back to, not half a sentence, not another bulleted point holding none of the
    question's words, not another period than the one asked, not another nation than the one asked."""
    if (POINTS_BACK.match(other.text) or _POINTS_BACK_WITHIN.match(other.text)) and other.row - 1 not in shown_rows:
        return False
    if _cut_off(best.passage, other.text):
        return False
    if (_list_item_of(view, other.row, rows) != _list_item_of(view, best.row, rows)
            and not analysis.terms & view.sentence_terms(other.row)):
        return False
    stated = {time_key(f) for f in other.figures if f.kind in ("year", "period")}
    if analysis.times and stated and not analysis.times & stated:
        return False  # "In 2015-16, the minimum was £3.8 billion" beside the 2016-17 asked for
    asked = {n for n, pattern in NATIONS.items() if re.search(pattern, analysis.question)}
    named = {n for n, pattern in NATIONS.items() if re.search(pattern, other.text)}
    return not (named - asked and (asked or not re.search("|".join(NATIONS.values()), best.text)))


def _sets_nations_side_by_side(question: str) -> bool:
    return bool(EVERY_NATION.search(question)) or sum(bool(re.search(p, question)) for p in NATIONS.values()) >= 2


def _reading_place(sentences: list[AnswerSentence], best: ScoredSentence, row: int, rows: dict[str, int]) -> int:
    """Where a sentence of the best one's paragraph goes among the answer's sentences: in the order the
    paragraph prints them, but never ahead of the answer's first sentence (the one most like the
    question leads), unless that sentence points back to it."""
    at = next(i for i, s in enumerate(sentences) if s.text == best.text)
    while at > 0 and sentences[at - 1].citation.passage_id == best.passage.id:
        at -= 1  # the start of the paragraph's run of sentences
    while (at < len(sentences) and sentences[at].citation.passage_id == best.passage.id
           and rows.get(sentences[at].text, -1) < row):
        at += 1
    # ... unless the answer's first sentence points back to it ("Most of this increase has taken place in the
    # past two years" after "... delayed transfers of care increased by 76%"): then it is read first.
    points_back = POINTS_BACK.match(best.text) or _POINTS_BACK_WITHIN.match(best.text)
    if at == 0 and not (points_back and row == best.row - 1):
        at = next(i for i, s in enumerate(sentences) if s.text == best.text) + 1
    # not between a sentence and the one pointing back to it ("This has led to concern ...")
    while at < len(sentences) and POINTS_BACK.match(sentences[at].text):
        at += 1
    return at


def _list_item_of(view: IndexView, row: int, rows: dict[str, int]) -> int | None:
    """The row of the bulleted item a sentence belongs to (itself, or the nearest bullet before it in its
    paragraph), None before the first: a paragraph's items are separate points ("• Financial incentives:
    ..." and "• Information-sharing: ..."), and a sentence of one speaks to a question answered by another
    only when it holds a word of the question (the reablement measure's item beside the care homes')."""
    first = min(rows.values())
    for before in range(row, first - 1, -1):
        if is_list_item(view.sentence_text(before)):
            return before
    return None


_TWO_QUESTIONS = re.compile(r"\bhow many\b.*\band\s+(?:what|how much|how big)\b", re.IGNORECASE)


def _each_kind_asked(analysis: QueryAnalysis, scored: list[ScoredSentence],
                     chosen: list[ScoredSentence]) -> list[ScoredSentence]:
    """For a question asking two things, a number and an amount ("How many vanguards were there and what
    did they cost?"), the best sentence of the first one's passage stating the kind the chosen sentences
    do not. (The kinds a question asks for are otherwise alternatives: "how much" is money or a share.)"""
    if not ({"count", "money"} <= set(analysis.asked_figures) and _TWO_QUESTIONS.search(analysis.question)):
        return []
    stated = {f.kind for s in chosen for f in s.figures}
    out = []
    for kind in analysis.asked_figures:
        if kind in stated or kind == "change":
            continue
        same_passage = [s for s in scored if s.passage.id == chosen[0].passage.id and s not in chosen + out
                        and any(f.kind == kind for f in s.figures)]
        if same_passage:
            out.append(same_passage[0])  # scored is sorted, best first
            stated |= {f.kind for f in same_passage[0].figures}
    return out


# A sentence opening with one of these points back to the sentence before it ("It also spent ...").
POINTS_BACK = re.compile(r"^(It|Its|This|These|They|Their|That|Those|Such|There|He|She)\b")


def _context_it_needs(view: IndexView, chosen: list[ScoredSentence], settings: Settings) -> list[ScoredSentence]:
    """What a chosen sentence cannot be read without: the sentence before one that opens with a
    pronoun ("It also spent £60 million ..."), and the sentence after a Figure's, Table's or Box's
    bare title ("Figure 15 Our audit approach"), so that no answer is a pointer or a heading."""
    taken = {s.row for s in chosen}
    extra = []
    for s in chosen:
        rows = view.sentence_rows(view.row(s.passage.id))
        needed = []
        row, text = s.row, s.text
        # Back to the sentence that names what "it" is ("It stated ... It delayed ..." both point to
        # the sentence before them), within the passage.
        while POINTS_BACK.match(text) and row > rows.start and len(needed) < settings.points_back_sentences:
            row -= 1
            text = view.sentence_text(row)
            needed.append(row)
        if s.passage.kind in (FIGURE, TABLE, BOX) and s.row == rows.start and s.row + 1 < rows.stop:
            needed.append(s.row + 1)
        for neighbour in needed:
            if neighbour not in taken:
                taken.add(neighbour)
                text = view.sentence_text(neighbour)
                figures = figures_in(s.passage, text)
                extra.append(ScoredSentence(0.0, neighbour, s.passage, s.citation, text, figures, False))
    return extra


def _what_it_goes_on_to_say(view: IndexView, chosen: list[ScoredSentence], same_subject: bool) -> list[ScoredSentence]:
    """The sentence after the first chosen one when it carries on about the same thing: it points back
    ("This comprised ...") or opens with a noun the chosen sentence names ("... the ministerial
    Taskforce." "The Taskforce did not meet regularly ..."). A question that asks for no figure asks
    what happened or why, and that is often said in the sentence after the one that names the subject."""
    first = chosen[0]
    rows = view.sentence_rows(view.row(first.passage.id))
    following = first.row + 1
    if following >= rows.stop or following in {s.row for s in chosen}:
        return []
    text = view.sentence_text(following)
    opening = content_terms(" ".join(text.split()[:3]))
    if not (POINTS_BACK.match(text) or (same_subject and opening & view.sentence_terms(first.row))):
        return []
    return [ScoredSentence(0.0, following, first.passage, first.citation, text, figures_in(first.passage, text), False)]


def _reason_that_follows(view: IndexView, analysis: QueryAnalysis, chosen: list[ScoredSentence],
                         settings: Settings) -> list[ScoredSentence]:
    """For a why question answered by a sentence that gives no reason, the reason its paragraph gives
    next, within `reason_follow_sentences`: the question's words are in the sentence naming what
    happened ("only very few localities ... took up care trusts"), the reason in one after it ("Some of
    the resistance stemmed from fears that social care priorities would be subsumed by the NHS").
    "This was because ..." two sentences on gives the reason for the sentence it skipped: not taken."""
    return _said_next(view, analysis, chosen, settings.reason_follow_sentences,
                      lambda text: bool(GIVING_A_REASON.search(text)), stop_at_pointer=True)


def _finding_that_follows(view: IndexView, analysis: QueryAnalysis, chosen: list[ScoredSentence],
                          settings: Settings) -> list[ScoredSentence]:
    """For a question asking what came of something, answered by a sentence stating no finding, the
    finding its paragraph states next, within `finding_follow_sentences`: the question's words are in the
    sentence that sets the study up ("The Department of Health commissioned the Social Care Institute for
    Excellence to test the draft integration standard"), its verdict in the one after ("The Institute
    concluded that the standard was a confusing mix ...")."""
    return _said_next(view, analysis, chosen, settings.finding_follow_sentences,
                      lambda text: bool(STATING_A_FINDING.search(text)) and not NOT_YET.search(text),
                      stop_at_pointer=False)


def _said_next(view: IndexView, analysis: QueryAnalysis, chosen: list[ScoredSentence], within: int,
               says: Callable[[str], bool], stop_at_pointer: bool) -> list[ScoredSentence]:
    """The first of the `within` sentences after the first chosen one, in its paragraph, that `says` what
    the question asks for and shares a word with it, when no chosen sentence says it already. An example
    ("For example, ... because ...") says it of something else."""
    first = chosen[0]
    if any(says(s.text) for s in chosen):
        return []
    rows = view.sentence_rows(view.row(first.passage.id))
    taken = {s.row for s in chosen}
    for row in range(first.row + 1, min(first.row + 1 + within, rows.stop)):
        text = view.sentence_text(row)
        if stop_at_pointer and row > first.row + 1 and POINTS_BACK.match(text):
            break
        if (row not in taken and says(text) and not _AN_EXAMPLE.match(text)
                and analysis.question_terms & view.sentence_terms(row)):
            return [ScoredSentence(0.0, row, first.passage, first.citation, text, figures_in(first.passage, text),
                                   False)]
    return []


_AN_EXAMPLE = re.compile(r"^\W*(?:For example|For instance|e\.g\.)", re.IGNORECASE)


def _list_after_lead_in(view: IndexView, chosen: list[ScoredSentence], settings: Settings) -> list[ScoredSentence]:
    """What follows a chosen sentence that only leads into a list ("An early evaluation ... found
    that:", or "... in two key ways." counted off by "Firstly, ..."): alone, it says nothing. A list ends
    its paragraph in these reports, and an item may run to several sentences, so the rest of the passage
    is taken (or the counted things, to the last one's sentence), up to the list_chars setting."""
    taken = {s.row for s in chosen}
    items = []
    for s in chosen:
        end = view.sentence_rows(view.row(s.passage.id)).stop
        last = _enumerated_until(view, s.row, end)
        announced = _items_announced(view, s, end)
        if not s.text.rstrip().endswith(":") and last is None and not announced:
            continue
        budget = settings.list_chars
        for item_row in announced or range(s.row + 1, end if last is None else last + 1):
            item = view.sentence_text(item_row)
            budget -= len(item)
            if budget < 0:
                break
            if item_row not in taken:
                taken.add(item_row)
                items.append(ScoredSentence(0.0, item_row, s.passage, s.citation, item,
                                            figures_in(s.passage, item), False))
    return items


# A sentence announcing how many things it is about ("NHS England told us that vanguards have been
# successful in two key ways."), whose paragraph then counts them off ("Firstly, ...", "Secondly, ..."):
# alone it says nothing, as a lead-in ending with a colon says nothing.
_LAST_OF = {"two": "second", "three": "third", "four": "fourth", "five": "fifth"}  # what counts off the last
_ANNOUNCES_A_COUNT = re.compile(r"\b(two|three|four|five)\s+(?:[a-z]+\s+)?(?:ways|reasons|areas|respects|things|"
                                r"points|bodies|changes|steps|factors|measures|aims|problems|parts|stages)\.\s*$",
                                re.IGNORECASE)
_COUNTS_OFF = re.compile(r"^\W*(?:first(?:ly)?|the first|in the first place)\b", re.IGNORECASE)


# "The Departments have identified three main barriers to integration encountered by local areas.", then
# one bullet for each: a lead-in, though it ends with a stop.
_ANNOUNCES_ITEMS = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+(?:[a-z-]+\s+){0,2}[a-z-]+s\b",
                              re.IGNORECASE)


def _items_announced(view: IndexView, sentence: ScoredSentence, end: int) -> list[int]:
    """The rows opening the bullets a sentence announces by their number ("three main barriers", then
    "• Financial incentives: ...", "• Workforce challenges: ...", "• Information-sharing: ..."), past one
    sentence between them; each bullet by its opening sentence, which names it (the rest of
    an item may run to paragraphs). None unless as many bullets as things announced follow."""
    announced = _ANNOUNCES_ITEMS.search(sentence.text)
    if is_list_item(sentence.text) or not announced:
        return []
    start = sentence.row + 1
    if start < end and not is_list_item(view.sentence_text(start)):
        start += 1  # "In addition ..., we have identified other evidence ... to overcome these barriers."
    if start >= end or not is_list_item(view.sentence_text(start)):
        return []
    bullets = [row for row in range(start, end) if is_list_item(view.sentence_text(row))]
    # as many bullets as things announced: "launched in two waves" is not what five bullets after it list
    return bullets if len(bullets) == number_value(announced.group(1).lower()) else []


def _enumerated_until(view: IndexView, lead_in: int, end: int) -> int | None:
    """The last sentence row of the things a sentence announces and its next ones count off, or None."""
    announced = _ANNOUNCES_A_COUNT.search(view.sentence_text(lead_in))
    if not announced or lead_in + 1 >= end or not _COUNTS_OFF.match(view.sentence_text(lead_in + 1)):
        return None
    last_ordinal = _LAST_OF[announced.group(1).lower()]
    for row in range(lead_in + 2, end):
        if re.match(rf"^\W*(?:{last_ordinal}(?:ly)?|finally|lastly)\b", view.sentence_text(row), re.IGNORECASE):
            return row
    return end - 1


def answer_from_citation(view: IndexView, question: str, found: ScoredPassage, passages: list[ScoredPassage],
                         message: str, settings: Settings) -> Answer:
    """A question that is a citation ("NAO para 2.7"): the passage it names, its first sentence as the answer."""
    rows = view.sentence_rows(view.row(found.passage.id))
    text = view.sentence_text(rows.start) if len(rows) else found.passage.search_text[: settings.opening_chars]
    return Answer(question, True, message, [AnswerSentence(text, found.citation, figures_in(found.passage, text))],
                  passages)
