"""What a question requires of its answer, checked before the answer is shown.

A citation tool's worst failure is a confident answer the reports do not hold, so every answer is
checked, however similar its sentence is to the question:
- the period: a year the question names that neither the answer nor the passages around it state
  ("in 2023" answered with a 2015-16 figure) is not answered;
- the document: a question naming a report is answered from it, or told that it does not hold it
  (and what part of the original the corpus holds, where metadata says);
- the place: a question about Scotland, Wales or Northern Ireland is not answered from passages that
  never name it (the English reports' passages speak of England without saying so);
- the figure: a question that asks by its form for a number ("how many", "how much", "what share")
  is not answered by sentences that state no figure of that kind, nor by a figure of something else
  (a figure for "the Health and Care Levy" from a passage that never names it);
- the outcome: a question asking what a study, review or plan found or decided is not answered by a
  sentence that mentions it only as planned or under way (the reports predate its result).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from care_evidence.evidence import messages
from care_evidence.evidence.analysis import (
    AFTER_A_YEAR,
    MONTHS,
    NATIONS,
    NOT_YET,
    PLURAL,
    QueryAnalysis,
    counts,
    time_key,
    value_key,
)
from care_evidence.evidence.answer import figures_in
from care_evidence.evidence.glossary import expand, has_entry_for, load_glossary
from care_evidence.evidence.intent import sets_the_scene
from care_evidence.evidence.models import AnswerSentence
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import STOPWORDS, content_terms, query_tokens
from care_evidence.indexer.models import FIGURE, TABLE
from care_evidence.indexer.quantities import sentence_quantities

# What a report asks of government: its recommendations and conclusions, in the words people use for
# them ("By what date did the Committee ask the Department to report back?").
_ASKS_FOR_RECOMMENDATIONS = re.compile(
    r"\b(recommend\w*|conclu\w*|report(?:ing)? back|urg(?:e|es|ed)|call(?:s|ed)? (?:for|on))\b"
    r"|\b(?:ask|asks|asked|want|wants|wanted|tell|told)\s+(?:the\s+)?(?:Departments?|government|ministers|"
    r"NHS England|DHSC|councils)\b.{0,60}?\bto\b", re.IGNORECASE)
# A question whose form asks for a figure; "which", "why" and "what did ... say" questions that merely
# mention money ask for no figure, and a sentence without one can answer them.
_ASKS_FOR_A_FIGURE = re.compile(r"\bhow (many|much)\b|\bnumber of\b|\bwhat (share|proportion|percentage|percent)\b"
                                r"|\bwhat\s*%|\bwhat (?:did|does|do|will|would) (?!.*\b(?:say|said|about)\b)"
                                r"(?:[\w'’]+ ){0,6}?cost\b(?![-\w])"
                                r"|\bin days\W*$"
                                r"|\bhow (big|large)\b|\bwhat(?: is|['’]s| was| are| were) (?:the |[\w'’-]+['’]s )"
                                r"(?:[\w'’-]+ ){0,5}(?:rate|total|amount|cost|value|size|percentage|proportion|share|"
                                r"allocation|budget|(?:pay|wage|salary) gap)\b"
                                r"|\bwhat (?:is|was|are|were) .{0,60}\bworth\b(?! it\b)", re.IGNORECASE)
# A question asking for numbers of no kind it says.
_ASKS_FOR_ANY_FIGURE = re.compile(r"\bwhat\s+(?:figures|numbers|statistics)\s+(?:did|does|do|has|have)\b",
                                  re.IGNORECASE)
# A question asking what a study, review, plan or bill found, decided or came to.
_ASKS_FOR_AN_OUTCOME = re.compile(r"\b(conclu(de|ded|sion|sions)|find|found|findings|decide[ds]?|decision|propose[ds]?"
                                  r"|outcomes?|results?|deliver(ed)?|get through|pass(ed)?|reveal(ed|s)?|"
                                  r"achieve[ds]?|perform(ed)?|impact)\b", re.IGNORECASE)
_A_STUDY_OR_PLAN = re.compile(r"\b(study|review|evaluation|report|briefing|(green|white) paper|bill|consultation|"
                              r"survey|inquiry|fund|programme|strategy|pilots?|trials?|scheme|index|framework|"
                              r"boards?)\b", re.IGNORECASE)
# ... and what is said of it as not yet done: under way. (Not the future tense: "it is not clear that integration
# will alleviate these pressures" and "pooled budgets will have a limited impact if ..." are findings.)
_NOT_DONE_YET = re.compile(r"\b(?:in progress|being (?:developed|piloted|tested|trialled)|yet to)\b", re.IGNORECASE)
_REPORTS_AN_OUTCOME = re.compile(r"\b(found|concluded|showed|shows that|decided|reported that|"
                                 r"(?:was|were) not achieved)\b")
# ... unless the next sentence says what came of it ("... commissioned a review ... It found that").
_CAME_OF_IT = re.compile(r"^(It|They|Its|Their|This|These|The \w+(?: \w+)?)\b.*\b(found|concluded|showed|decided|"
                         r"reported that)\b")


# A question asking what actually came about ("How much did the Fund actually save?"), and a sentence
# stating only what was planned, estimated or expected ("£511m ... estimated savings", "the opportunity
# for six to 10 local areas to graduate") unless it states the outturn too ("actual increase ... against
# a planned reduction").
_ASKS_WHAT_ACTUALLY = re.compile(r"\b(actual(?:ly)?|ended up|in the end|turned out|in practice|in reality|outturn)\b",
                                 re.IGNORECASE)
_EXPECTED = re.compile(r"\b(estimat\w*|expect(?:s|ing)?|expected to|expectations?|plann?(?:ed|ing|s)?|predict\w*|"
                       r"targets?|aim(?:s|ed)?|intend\w*|opportunity|assum\w*|projected|hop(?:e|es|ed)|ambition|"
                       r"forecast\w*|would|could)\b",
                       re.IGNORECASE)
_HAPPENED = re.compile(r"\b(actual(?:ly)?|achieved|outturn|in fact|increased|reduced|rose|fell)\b", re.IGNORECASE)


# A question asking which things or who ("Which four STP footprints were led by council officials?",
# "Name the areas that graduated"), and a count in a sentence ("four ... footprints are being led by ...").
_ASKS_WHICH = re.compile(r"^\W*(?:which|name|list|where (?:were|are|was|is))\b|\blist of\b|\bname (?:the|them|all)\b"
                         r"|\bwhich ones\b|\blist them\b", re.IGNORECASE)
# "... a dozen papers - which ones?": what the question spoke of before asks to be named.
_WHICH_ONES = re.compile(r"\b(?:which ones|name them|list them)\b", re.IGNORECASE)
# A count of things: a number of one to three digits (not a year, not money or a share) or a number word,
# then the words it counts, up to the verb ("six to 10 local areas to graduate").
_NUMBER_WORD = r"(?:(?<![£$\d.,/–-])\d{1,3}(?![\d.,/–-])|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_COUNTED = re.compile(rf"\b{_NUMBER_WORD}(?:\s+to\s+{_NUMBER_WORD})?(?!\s*(?:%|per\b|million|billion|bn\b|m\b))"
                      r"((?:\s+(?!(?:are|is|were|was|to|from|that|which|who|being|have|has|had|will|in|of)\b)"
                      r"[\w'’‘-]+){1,6})", re.IGNORECASE)
# What "which" asks for: the words after it, past "of the", "were the" and a number ("Which four STP
# footprints", "Name the 44 footprints", "Which were the four ...").
_WHICH_NOUN = re.compile(rf"^\W*(?:which|name|list)"
                         rf"(?:\s+(?:ones|of|were|are|was|is|the|all|these|those|{_NUMBER_WORD}))*"
                         r"((?:\s+[\w'’-]+){1,3})", re.IGNORECASE)
# "Where were the nine integrated personal budget demonstrator sites?": the things are all it names.
_WHERE_NOUN = re.compile(r"^\W*where\s+(?:were|are|was|is)\s+(.*)", re.IGNORECASE)
_ENUMERATES = re.compile(r"(?:^|\n)\s*[•●▪-]\s|:\s*$|\b(?:First|Firstly|Second|Secondly)\b,|\bsuch as\b|"
                         r"\bincluding\b|\bnamely\b|\(.*?,.*?\)", re.IGNORECASE | re.MULTILINE)


# A run of capitalised words in a question: a name ("the Barker Commission", "Morecambe Bay").
_NAME = re.compile(r"\b[A-Z][\w'’&-]*(?:\s+(?:(?:of|for|the|on)\s+)?[A-Z][\w'’&-]*)*")
_ACRONYM = re.compile(r"^[A-Z]{2,5}s?$")
_LINKING = r"(?:(?:and|of|the|for|&)\s+)*"


@functools.lru_cache(maxsize=256)
def _spelt_out(view: IndexView, acronym: str) -> bool:
    """Whether some passage spells the acronym out ("STF": "Sustainability and Transformation Fund").
    Read over every passage, so only for an acronym no passage uses, and remembered."""
    letters = acronym.rstrip("s")
    pattern = re.compile(r"\b" + rf"\w*\s+{_LINKING}".join(letters) + r"\w*", re.IGNORECASE)
    return any(pattern.search(view.passages[row].search_text) for row in range(len(view.passages)))


def _unknown_word(view: IndexView, word: str) -> bool:
    """A word no passage uses, in any of its hyphenated parts, that the glossary does not know."""
    if len(word) < 2 or has_entry_for(word) or word.lower().rstrip(".") in MONTHS:  # "Nov" is November
        return False
    parts = [p for p in re.split(r"[-&’']", word) if p and not p.isdigit() and p.lower() != "s"]
    terms = [t for p in parts for t in content_terms(p)]
    if not terms or any(view.index.lexical.document_frequency(t) > 0 for t in terms):
        return False
    return not (_ACRONYM.match(word) and _spelt_out(view, word))


def _names_asked(analysis: QueryAnalysis) -> list[list[str]]:
    """The runs of capitalised words of the question, as words, but for a report's own name. The
    question's first word is capitalised as any sentence's is, so it counts only as part of a longer name."""
    out = []
    for match in _NAME.finditer(analysis.question):
        words = match.group(0).split()[1 if match.start() == 0 else 0:]
        if words and " ".join(words).lower() in analysis.without_names:  # not in it: a report's name
            out.append(words)
    return out


def unknown_names(view: IndexView, analysis: QueryAnalysis) -> list[tuple[str, list[str]]]:
    """Names in the question with a word no passage uses and the glossary does not know: each name with
    those words."""
    out = []
    for words in _names_asked(analysis):
        unknown = [re.sub(r"['’]s$", "", w) for w in words if w[0].isupper() and _unknown_word(view, w)]
        if unknown:
            out.append((" ".join(words), unknown))
    return out


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _question_names(analysis: QueryAnalysis) -> list[str]:
    """The names a question asks about ("the Health and Care Levy", "Canterbury"), as the reports would
    print them: not an acronym, a month or a nation; possessives and a leading "the" taken off."""
    out = []
    for words in _names_asked(analysis):
        words = [re.sub(r"['’]s$", "", w) for w in words]
        while words and words[0].lower() == "the":
            words = words[1:]
        if not words or any(_ACRONYM.match(w) or w.lower() in _MONTHS for w in words):
            continue
        name = " ".join(words)
        if not any(re.fullmatch(pattern, name) for pattern in NATIONS.values()):
            out.append(name)
    return out


def _whole_names(analysis: QueryAnalysis) -> list[str]:
    """The question's names of two words or more, split at a possessive ("Wales's Integrated Care Fund"
    is "Wales" and "Integrated Care Fund"), a leading "the" taken off."""
    out = []
    for words in _names_asked(analysis):
        current: list[str] = []
        for word in words:
            current.append(re.sub(r"['’]s?$", "", word))
            if re.search(r"['’]s?$", word):
                out.append(current)
                current = []
        out.append(current)
    names = []
    for words in out:
        while words and words[0].lower() == "the":
            words = words[1:]
        if len(words) > 1:
            names.append(" ".join(words))
    return names


def unprinted_names(view: IndexView, analysis: QueryAnalysis, settings) -> list[str]:
    """Names the question asks about that no passage prints, even loosely, with a word the reports use in
    only a few passages ("Healthwatch England", "Surrey County Council", "the Scottish Parliament"): a body
    or place the reports do not discuss. A name of common words ("the NHS Five Year Forward View") may be
    the user's wording of one the reports print otherwise, and counts as printed; so does a question in
    title case, whose every word reads as a name."""
    if _in_title_case(analysis.question):
        return []
    out = []
    for name in _whole_names(analysis):
        frequencies = [view.index.lexical.document_frequency(t) for t in content_terms(name)]
        if (any(0 < f <= settings.unprinted_name_max_passages for f in frequencies)
                and not _printed_loosely(view, name, gap=1)):
            out.append(name)
    return out


def _in_title_case(question: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", question)
    return len(words) > 3 and sum(w[0].isupper() for w in words) > 0.7 * len(words)


# A term the question puts in quotation marks ("the 'discharge to assess' approach"): an opening quote after a
# space or bracket, a closing one before a space or punctuation (not an apostrophe: "Wales's", "isn't").
_QUOTED_TERM = re.compile(r"(?:^|(?<=[\s(]))[‘'\"“]([^‘'\"“”’]{3,60}?)[’'\"”](?=[\s.,;:?!)]|$)")


def unprinted_terms(view: IndexView, analysis: QueryAnalysis) -> list[str]:
    """Terms the question quotes that no passage prints, even loosely, and the glossary does not know as a
    whole: the user's term for something the reports do not discuss ("discharge to assess")."""
    out = []
    for match in _QUOTED_TERM.finditer(analysis.question):
        term = " ".join(match.group(1).split())
        if not _glossary_term(term) and not _printed_loosely(view, term):
            out.append(term)
    return out


def _glossary_term(term: str) -> bool:
    """The glossary knows the whole term ("bed-blocking"), not only a word of it ("care home closures")."""
    return any(pattern.fullmatch(term) for pattern, _ in load_glossary())


def _squashed(text: str) -> str:
    """Letters and digits only, "&" as "and", a leading article off: "purchaser-provider split",
    "purchaser/provider split" and "the Scottish approach" read as the reports print them."""
    text = re.sub(r"^(?:the|a|an)\s+", "", text.lower().replace("&", " and "))
    return re.sub(r"[^0-9a-z]", "", text)


@functools.lru_cache(maxsize=256)
def _printed_loosely(view: IndexView, phrase: str, gap: int = 3) -> bool:
    """Some passage prints the phrase, whatever its hyphens, spaces, slashes and quotes, or its words in
    order with at most `gap` others between each ("no compelling evidence that integration leads to
    savings" for "no compelling evidence to show that integration in England leads to sustainable
    financial savings"), a word matching another it begins ("Programme", "Program"). A name is read
    with one word between ("West Sussex Council", "Future Generations Act"): three would let
    "Healthwatch England" stand for a table listing Healthwatch among NHS England's partners."""
    squashed = _squashed(phrase)
    wanted = query_tokens(phrase)
    for passage in view.passages:
        text = passage.search_text
        if squashed and squashed in _squashed(text):
            return True
        lowered = text.lower()
        # a stem's first letters are in the word it comes from ("save" is not in "savings"; "sav" is)
        if len(wanted) > 1 and all(w[:3] in lowered for w in wanted) and _in_order(wanted, query_tokens(text), gap):
            return True
    return False


def _in_order(wanted: list[str], tokens: list[str], gap: int = 3) -> bool:
    def same(a: str, b: str) -> bool:
        return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))

    for start, token in enumerate(tokens):
        if not same(token, wanted[0]):
            continue
        at, found = start, 1
        while found < len(wanted):
            ahead = [i for i in range(at + 1, min(at + 2 + gap, len(tokens))) if same(tokens[i], wanted[found])]
            if not ahead:
                break
            at, found = ahead[0], found + 1
        if found == len(wanted):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _passages_naming(view: IndexView, name: str) -> int:
    """Passages printing the name, in any case, with curly and straight quotes alike."""
    lowered = name.lower().replace("’", "'").replace("‘", "'")
    return sum(lowered in " ".join(p.search_text.lower().replace("’", "'").replace("‘", "'").split())
               for p in view.passages)


def specific_names(view: IndexView, analysis: QueryAnalysis, settings) -> list[str]:
    """The question's names that the corpus holds in a few passages: what it asks about, not the
    reports' subject ("the Better Care Fund") nor a name no passage uses."""
    names = [_as_printed(view, n) for n in _joined_over_to(view, analysis, _question_names(analysis))]
    return [n for n in names if 1 <= _passages_naming(view, n) <= settings.figure_subject_max_passages]


def _as_printed(view: IndexView, name: str) -> str:
    """"the Welsh Invest to Save Fund", printed nowhere, is the reports' "Invest to Save Fund" in Wales."""
    words = name.split()
    if (len(words) > 2 and any(re.fullmatch(pattern, words[0]) for pattern in NATIONS.values())
            and not _passages_naming(view, name)):
        return " ".join(words[1:])
    return name


def _joined_over_to(view: IndexView, analysis: QueryAnalysis, names: list[str]) -> list[str]:
    """Two names the question joins with "to" read as one where a passage prints them so ("Invest" and
    "Save Fund": the "Invest to Save Fund"), not where none does ("from the Integrated Care Fund to
    Regional Partnership Boards" names two things)."""
    out: list[str] = []
    for name in names:
        joined = f"{out[-1]} to {name}" if out else ""
        if joined and joined in analysis.question and _passages_naming(view, _as_printed(view, joined)):
            out[-1] = joined
        else:
            out.append(name)
    return out


def figure_without_its_subject(view: IndexView, analysis: QueryAnalysis, answer, settings) -> list[str]:
    """The names a figure question asks about ("How much did Canterbury in New Zealand save?") that no
    passage stating a figure of the kind asked for names: the figure shown is for something else
    (the £900 million NHS England hopes to save). Only names the corpus holds in a few passages count:
    a name it never uses is said otherwise (unknown_names), and one in many passages is the reports'
    subject ("the Better Care Fund"), whose figures are stated of "the Fund"."""
    if not (analysis.wanted_figures and _ASKS_FOR_A_FIGURE.search(analysis.question)):
        return []
    names = specific_names(view, analysis, settings)
    if not names:
        return []
    # A table's rows are one passage: its figure is stated of what its own row names ("A Healthier Wales
    # Transformation Fund (2019-): provides £100 million a year" is not the Invest to Save Fund's, two rows on).
    stating = [(s.text if view.passage(s.citation.passage_id).kind == TABLE
                else view.passage(s.citation.passage_id).search_text).lower() for s in answer.sentences
               if any(f.kind in analysis.wanted_figures for f in s.figures)]
    if any(all(n.lower() in text for n in names) for text in stating):
        return []
    return names


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
    """Years the question names; "the 2010s" is the decade; "after 2019" every year after it: a passage
    stating 2019 does not answer what happened after it, one stating 2021 does."""
    years = years_of(analysis.times)
    for decade in re.findall(r"\b((?:19|20)\d0)['’]?s\b", analysis.question):
        years.update(range(int(decade), int(decade) + 10))
    return years | years_after(analysis)


def years_after(analysis: QueryAnalysis) -> set[int]:
    """The years after the one a question asks "after" ("after 2016-17": 2018 on, to the century's end)."""
    years: set[int] = set()
    for after in AFTER_A_YEAR.finditer(analysis.question):
        before = years_of([after.group(1).replace("–", "-").replace("/", "-")])
        if before:
            years.update(range(max(before) + 1, 2100))
    return years


def later_years_not_stated(view: IndexView, analysis: QueryAnalysis, answer) -> str:
    """The caveat of an answer to "What happened after 2019?" whose passages state no year after it."""
    later = years_after(analysis)
    if not later or not answer.found or not answer.sentences:
        return ""
    stated = _years_of_answer(view, answer)
    if stated & later or not stated:
        return ""
    return messages.later_years_not_stated(years_as_asked(analysis, later))


def _years_of_answer(view: IndexView, answer) -> set[int]:
    """The years the answer's sentences and the passages they stand in state."""
    stated: set[int] = set()
    for s in answer.sentences:
        stated |= years_stated(s.text) | years_stated(view.passage(s.citation.passage_id).search_text)
    return stated


def years_as_asked(analysis: QueryAnalysis, years: set[int]) -> list[int] | list[str]:
    """The years asked for as a message says them: "the years after 2019", not each year after it."""
    after = [f"the years after {m.group(1)}" for m in AFTER_A_YEAR.finditer(analysis.question)]
    return after or sorted(years)


def years_stated(text: str) -> set[int]:
    """Years a text states, as years or within periods ("2015-16")."""
    periods, years = periods_stated(text)
    return years_of(periods) | years


def periods_stated(text: str) -> tuple[set[str], set[int]]:
    """The periods a text states ("2017-18") and its plain years ("2018")."""
    periods, years = set(), set()
    for q in sentence_quantities(text):
        if q.kind == "period":
            periods.add(q.period)
        elif q.kind == "year" and q.value is not None:
            years.add(int(q.value))
    return periods, years


def other_period(view: IndexView, analysis: QueryAnalysis, answer) -> list[str]:
    """The financial years the answer states instead of the one asked for, when it states none of
    the asked ones: "in 2018-19" is not answered by "£240 million in 2017-18", though the two share
    2018. A plain year within the asked period, or a span of years over it, answers it."""
    asked = {t for t in analysis.times if re.fullmatch(r"\d{4}-\d{2}", t)}
    if not asked:
        return []
    periods, years = set(), set()
    for s in answer.sentences:
        for text in (s.text, view.passage(s.citation.passage_id).search_text):
            p, y = periods_stated(text)
            periods |= p
            years |= y
    spans = {p for p in periods if len(years_of([p])) > 2}  # "2017-2020", "2015-19"
    if asked & periods or years_of(asked) & (years | years_of(spans)) or not periods:
        return []
    # The periods the answer's sentences state, or, when they state none ("Delayed days increased by
    # 119% ..."), those of their passages: either way not the one asked for.
    said = set().union(*(periods_stated(s.text)[0] for s in answer.sentences))
    return sorted(said or periods)


_ORDINAL_YEAR = re.compile(r"\b(first|second|third|fourth|fifth|final|last)\s+(?:full\s+)?year\b", re.IGNORECASE)


def other_ordinal_year(analysis: QueryAnalysis, answer) -> tuple[str, str] | None:
    """(asked, stated) when the question asks for a year of something by its order ("in its second year")
    and the answer's sentences state another ("£5.3bn total pooled budget in the first year of the Better
    Care Fund") and not the one asked."""
    asked = {m.group(1).lower() for m in _ORDINAL_YEAR.finditer(analysis.question)}
    if len(asked) != 1 or analysis.times:  # "its second year, 2016-17": the year named is checked as such
        return None
    stated = {m.group(1).lower() for s in answer.sentences for m in _ORDINAL_YEAR.finditer(s.text)}
    if not stated or asked & stated:
        return None
    return next(iter(asked)), sorted(stated)[0]


# A change asked over a span: "between 2019 and 2021", "from 2009-10 to 2015-16".
_SPAN = re.compile(r"\b(?:between|from)\s+(\d{4}(?:[-–/]\d{2,4})?)\s+(?:and|to|until)\s+(\d{4}(?:[-–/]\d{2,4})?)\b",
                   re.IGNORECASE)


def span_end_not_stated(view: IndexView, analysis: QueryAnalysis, answer) -> str:
    """The end of a span the question asks a change over ("between 2019 and 2021") when no answer sentence
    nor its passage states it: the change the answer gives ends earlier ("higher ... in 2019 ... than in
    2012" says nothing of 2021)."""
    span = _SPAN.search(analysis.question)
    if span is None:
        return ""
    end = span.group(2).replace("–", "-").replace("/", "-")
    wanted = years_of([end])
    stated = set()
    for s in answer.sentences:
        for text in (s.text, view.passage(s.citation.passage_id).search_text):
            # "double between 2015 and 2035.14": a footnote number glued to the year hides it from the parser
            stated |= years_stated(text) | {y for y in wanted if re.search(rf"(?<![\d£$.,]){y}(?![\d,])", text)}
    return "" if wanted & stated else end


def asks_for_recommendations(analysis: QueryAnalysis) -> bool:
    return bool(_ASKS_FOR_RECOMMENDATIONS.search(analysis.question))


def latest_year(view: IndexView, doc_ids: Iterable[str] | None = None) -> int | None:
    """The year of the most recent document (of `doc_ids`, else of all), from its metadata date; None
    when one of them is undated."""
    docs = view.documents.values() if doc_ids is None else [view.documents[d] for d in doc_ids]
    years = [int(d.date[:4]) if d.date[:4].isdigit() else None for d in docs]
    return max(years) if years and None not in years else None


def figure_of_another_period(view: IndexView, analysis: QueryAnalysis, answer, around=None, settings=None) -> str:
    """"For 2017-18, not 2018-19:" when every sentence stating a figure of the kind asked for states a
    year or period, and none the one asked for: a partial answer says which part it answers."""
    report_years = {str(y) for y in years_of_named_reports(view, analysis)}  # "the PAC (2018)" names a report
    asked = set(analysis.times) - report_years
    if not asked or not analysis.wanted_figures:
        return ""
    # A table's cell states the figure asked for, though its unit is in its column's heading ("1.8" under
    # "2017-18 (£bn)").
    table = answer.table
    cell = table.citation.passage_id if table is not None and table.rows and table.columns else None
    stating = [s for s in answer.sentences if s.citation.passage_id == cell
               or any(f.kind in analysis.wanted_figures for f in s.figures)]
    around = answer.passages if around is None else around
    depth = settings.same_figure_passages if settings is not None else 0
    times = [{time_key(f) for f in s.figures if f.kind in ("year", "period")}
             or _times_stated_with(view, around, s, depth, analysis.wanted_figures) for s in stating]
    if not stating or not all(times) or any(_same_time(asked, t) for t in times):
        return ""
    stated = sorted(set().union(*times))
    return messages.figure_of_another_period(stated, sorted(asked))


_SAME_THING_WORDS = 2  # words, not common ones, a sentence stating the same value must share with the one it dates
_COMMON_SHARE = 0.15  # a word in more than this share of the passages says nothing of what a sentence is about


def _times_stated_with(view: IndexView, around: list, sentence, depth: int = 0,
                       kinds: frozenset[str] = frozenset()) -> set[str]:
    """The years a sentence stating no year gives its figure for, where the passages `around` it (the
    question's top passages) or the `depth` passages worded most like it state the same figure of the
    same thing with one: "£5.3bn total pooled budget in the first year" is "£5.3 billion being pooled in
    2015-16" in the paragraph it sums up; "increased to 82.7%" (NAO para 2.8) is "82.7% ... in 2015-16"
    in the key facts. Only figures of the `kinds` asked for are dated, if given: the "91" of "at home 91
    days after discharge" is the question's own."""
    values = {value_key(f) for f in sentence.figures
              if f.kind not in ("year", "period") and (not kinds or f.kind in kinds)}
    if not values:
        return set()
    ids = {sentence.citation.passage_id}
    for sp in around:
        ids |= {sp.passage.id, *(c.passage_id for c in sp.also_in)}
    ids |= {view.passages[row].id for row, _ in view.index.lexical.search(sentence.text, depth)}
    # The same value stated of the same thing: "36% of local areas reported having contingency
    # arrangements" in 2016-17 is not Figure 8's 36% of the pay-for-performance money in 2015-16.
    most = _COMMON_SHARE * len(view.passages)  # "local areas" is said of everything
    words = {t for t in content_terms(sentence.text)
             if not t[0].isdigit() and view.index.lexical.document_frequency(t) <= most}
    times: set[str] = set()
    for passage_id in ids:
        passage = view.passage(passage_id)
        for row in view.sentence_rows(view.row(passage_id)):
            text = view.sentence_text(row)
            if len(words & view.sentence_terms(row)) < _SAME_THING_WORDS:
                continue
            figures = figures_in(passage, text)
            dated = [f for f in figures if f.kind in ("year", "period")]
            for same in (f for f in figures if value_key(f) in values and dated):
                # the year nearest the figure in its sentence: "£5.3 billion being pooled in 2015-16 and
                # £5.8 billion in 2016-17" (positions in the sentence: a passage may print a year twice)
                at = text.find(same.printed)
                times.add(time_key(min(dated, key=lambda d: abs(text.find(d.printed) - at))))
    return times


def _same_time(asked: set[str], stated: set[str]) -> bool:
    """A year asked is answered by a period holding it ("2017" by "2016-17"); a financial year asked
    only by itself or by a year within it ("2018-19" by "2018", not by "2017-18")."""
    years = {t for t in asked if "-" not in t}
    periods = asked - years
    return bool(asked & stated or {int(y) for y in years} & years_of(stated)
                or years_of(periods) & years_of({t for t in stated if "-" not in t}))


def years_of_named_reports(view: IndexView, analysis: QueryAnalysis) -> set[int]:
    """The years of the reports a question names: "the NAO (2017)" names a report, not a period."""
    return {int(view.documents[d].date[:4]) for d in analysis.named_documents if view.documents[d].date[:4].isdigit()}


def caveat(view: IndexView, analysis: QueryAnalysis) -> str:
    """What a found answer cannot be: about a word of the question that no passage uses ("Whitehall",
    said, since the answer is only the closest the reports come); or, from the report named, its
    recommendations or conclusions, when the corpus holds only a part of it without them."""
    said = [messages.word_not_used([w for _, words in unknown_names(view, analysis) for w in words])] if any(
        len(name.split()) == 1 for name, _ in unknown_names(view, analysis)) else []
    if not asks_for_recommendations(analysis):
        return " ".join(said)

    for doc_id in analysis.named_documents:
        doc = view.documents[doc_id]
        if "recommendation" in doc.coverage:
            said.append(messages.partial_coverage(doc.label, doc.coverage))
            break
    return " ".join(said)


def nation_asked(analysis: QueryAnalysis) -> str | None:
    """The one nation other than England a question is about ("How many GP practices are in Wales?")."""
    named = [n for n, pattern in NATIONS.items() if re.search(pattern, analysis.question)]
    return named[0] if len(named) == 1 and named[0] != "England" else None


def _about_another_nation(sentence: str, nation: str | None) -> bool:
    """A sentence naming another nation but not the one asked about ("In Wales, there is a cap ...")."""
    return bool(nation) and not re.search(NATIONS[nation], sentence) and any(
        re.search(pattern, sentence) for other, pattern in NATIONS.items() if other != nation)


def place_not_stated(view: IndexView, analysis: QueryAnalysis, answer) -> str | None:
    """The nation asked about, when no answer sentence, nor its passage or section, names it. A sentence
    naming another nation and not this one vouches for nothing, wherever it stands."""
    nation = nation_asked(analysis)
    if nation is None:
        return None
    for s in answer.sentences:
        if _about_another_nation(s.text, nation):  # "In England, data are published as ...": not Scotland's
            continue
        passage = view.passage(s.citation.passage_id)
        if passage.kind in (FIGURE, TABLE):  # a chart's or table's nations may be in headings its text lost
            return None
        if any(re.search(NATIONS[nation], text) for text in (s.text, passage.search_text, " ".join(passage.section))):
            return None
        if _goes_on_about(view, passage, nation):
            return None
    return nation


# A paragraph going on from the one before: "However, ...", "This ...", "In practice, ...".
_GOES_ON = re.compile(r"^\W*(?:However|But|Yet|Even|Despite|Nevertheless|In practice|In addition|Also|Further|"
                      r"Furthermore|Moreover|This|These|That|Those|It|Its|They|Their|Such)\b")


def _goes_on_about(view: IndexView, passage, nation: str) -> bool:
    """A paragraph naming no nation that follows one in its section naming this one: it goes on about it
    ("In Scotland, integrated joint boards oversee ..." then "However, even with this wider scope ...")."""
    if any(re.search(pattern, passage.search_text) for pattern in NATIONS.values()):
        return False
    if not _GOES_ON.match(passage.search_text):  # "Previous research has suggested ..." starts something new
        return False
    before = [p for p in view.passages.neighbours(passage, 1, 0) if p.id != passage.id]
    if not before:
        return False
    text = before[-1].search_text
    others = [n for n, pattern in NATIONS.items() if n != nation and re.search(pattern, text)]
    return (bool(re.search(NATIONS[nation], text)) and not others
            and not re.search(r"\b(?:apart from|except|unlike|other than)\s+(?:in\s+)?" + NATIONS[nation], text))


def states_no_figure_asked(analysis: QueryAnalysis, answer) -> bool:
    """A question that asks by its form for a figure, answered by sentences that state none of its kind
    (a sentence about another nation than the one asked about does not count)."""
    wanted = analysis.wanted_figures
    nation = nation_asked(analysis)
    if answer.table is not None and answer.table.rows:  # a table's cells: their unit is in the row or column
        return False
    own = [s for s in answer.sentences if not _about_another_nation(s.text, nation)]
    # The reports write small counts in words ("seven regional partnership boards"), which are no parsed figure.
    in_words = "count" in wanted and analysis.counted and any(counts(s.text, analysis.counted, in_words_only=True)
                                                                    for s in own)
    if not wanted and _ASKS_FOR_ANY_FIGURE.search(analysis.question):  # "What figures did the NAO give for ...?"
        return not any(f.kind not in ("year", "period") for s in own for f in s.figures)
    return bool(wanted and _ASKS_FOR_A_FIGURE.search(analysis.question) and not in_words
                and not any(f.kind in wanted for s in own for f in s.figures))


def only_expected(analysis: QueryAnalysis, answer) -> str | None:
    """A question asking for a figure of what actually came about, answered only by sentences giving a
    planned, estimated or expected one: the first of them, or None."""
    asks_figure = analysis.wanted_figures or _ASKS_FOR_A_FIGURE.search(analysis.question)
    # "How much was the Fund actually expected to save?" asks for the plan itself
    if not (_ASKS_WHAT_ACTUALLY.search(analysis.question) and asks_figure) or _EXPECTED.search(analysis.question):
        return None
    stating = [s for s in answer.sentences if s.figures]
    if stating and all(_EXPECTED.search(s.text) and not _HAPPENED.search(s.text) for s in stating):
        return stating[0].text
    return None


def count_not_names(view: IndexView, analysis: QueryAnalysis, answer) -> str | None:
    """A question asking which things (or naming a number of them: "Which four footprints ...") answered
    by a sentence that counts them ("four sustainability and transformation plan footprints are being
    led by ...") in a passage that names none: the count, or None. A passage listing items ("•",
    "First, ...", "such as") or a chart's or table's may name them."""
    if not _ASKS_WHICH.search(analysis.question) or not answer.sentences:
        return None
    # Any passage of the answer listing items, or a chart's or table's, may name them.
    passages = [view.passage(s.citation.passage_id) for s in answer.sentences]
    if any(p.kind in (FIGURE, TABLE) or _ENUMERATES.search(p.text) for p in passages):
        return None
    # What "which" asks for must be what the sentence counts: "Which organisation selected 50 vanguard
    # sites?" asks for an organisation, which the sentence names.
    noun = _WHICH_NOUN.search(analysis.question) or _WHERE_NOUN.search(analysis.question)
    if noun is not None:
        asked = content_terms(noun.group(1))
        asked |= content_terms(expand(noun.group(1)))  # "STP": "sustainability and transformation plan"
    elif _WHICH_ONES.search(analysis.question):
        # "... test five new care models - name them": the things the question counts, or failing a number
        # its plural nouns ("vanguard sites", "footprints"), not its every word
        counted = [m.group(1) for m in _COUNTED.finditer(analysis.question)] or re.findall(
            r"\b[A-Za-z]+[^s\W]s\b", analysis.question)
        asked = (content_terms(" ".join(counted)) | content_terms(expand(" ".join(counted)))) - {"one"}  # "which ones"
        if not asked:
            return None
    else:
        return None
    # Any of the answer's sentences: the one counting them need not be the first ("Among the local
    # authorities we spoke to, ..." before "four ... footprints are being led by local authority officials").
    for sentence in answer.sentences:
        for match in _COUNTED.finditer(sentence.text):
            if content_terms(match.group(1)) & asked:
                return match.group(0).strip()
    return None


# What "which" asks to be named: places ("Which councils ...", "Which vanguard sites ...") and bodies
# ("Which body ..."). Not nations ("Which of the four nations lets councils ..."): answered nation by
# nation (comparison.py).
_PLACES = content_terms(
    "council councils authority authorities area areas site sites trust trusts ccg ccgs footprint footprints region "
    "regions place places vanguard vanguards pioneer pioneers hospital hospitals city cities town towns county "
    "counties system systems group groups")
_BODIES = content_terms("organisation organisations body bodies department departments ministry ministries charity "
                        "charities provider providers company companies firm firms board boards partnership "
                        "partnerships")
# A name that is no body: a fund, plan, law, paper or part of a report ("the Sustainability and
# Transformation Fund" does not say which trusts); no place either: an organisation.
_NO_BODY = re.compile(r"\b(?:Fund|Funds|Programme|Plans?|Act|Bill|Review|Report|Framework|Standard|Strategy|View|"
                      r"Paper|Grant|Levy|Figure|Table|Box|Appendix|Part|Summary|Statement|Spending|Budget)\b")
_NO_PLACE = re.compile(_NO_BODY.pattern + r"|\b(?:Department|Ministry|Government|Association|Institute|Office|"
                       r"Commission|Committee|Services?|Pioneers?|Care)\b")
_NATIONS = content_terms("nation nations country countries")
# A name run on over "and" and a bracket, so that a law's or fund's name is read whole ("the Social Services and
# Well-being (Wales) Act 2014", not "Social Services").
_WHOLE_NAME = re.compile(r"\b[A-Z][\w'’&-]*(?:\s+(?:(?:of|for|the|on|and)\s+)?\(?[A-Z][\w'’&-]*\)?)*")
_OPENING_WORDS = frozenset("the a an in for however this these that it its they their since from by on at as "
                           "although while when both so but and or if".split())


def names_none_asked(view: IndexView, analysis: QueryAnalysis, answer, settings) -> bool:
    """A question asking which places or bodies ("Which local areas got more than their performance
    justified?") answered by sentences naming none: they say how much or how many, not which. Named: a
    body by any name the question does not hold ("NHS England"); a place by a name the reports print in
    few passages that is no fund, plan, law or organisation ("Greater Manchester"); either by a kind
    the question does not say ("combined authorities" for "Which authorities ...")."""
    noun = _WHICH_NOUN.search(analysis.question) if _ASKS_WHICH.search(analysis.question) else None
    asked_for = content_terms(_head_noun(noun.group(1))) if noun else frozenset()
    bodies = bool(asked_for & _BODIES)
    heads = asked_for & (_BODIES | _PLACES)
    if asked_for & _NATIONS or not heads:
        return False
    for sentence in answer.sentences:
        # A title in italics names a report, not a place; a bullet is no part of the sentence's first word.
        text = re.sub(r"^[\s•●▪–-]+", "", re.sub(r"\*[^*]+\*", " ", sentence.text))
        if _names_a_kind(text, heads, analysis.question_terms):
            return False
        for match in _WHOLE_NAME.finditer(text):
            words = match.group(0).split()
            # A sentence's first word is capitalised: alone ("However") or an opening word ("In Scotland") it
            # is no name; "NHS England has used ..." opens with one.
            if match.start() == 0 and (len(words) == 1 or words[0].lower() in _OPENING_WORDS):
                words = words[1:]
            # A run of names joined by "and" is read name by name, but a law's or fund's name whole.
            parts = re.split(r"\s+and\s+", " ".join(words))
            if len(parts) > 1 and _NO_BODY.search(parts[-1]):  # "Social Services and Well-being (Wales) Act"
                continue
            if any(_names_one(view, part, analysis, bodies, settings) for part in parts):
                return False
    return True


def _names_one(view: IndexView, name: str, analysis: QueryAnalysis, bodies: bool, settings) -> bool:
    """Whether one name (of a run split at "and") names a body or place the question does not."""
    core = re.sub(r"\s*\([^)]*\)", "", name)  # "The Health Foundation (IBH0007)" names the Foundation
    # A name of the question's own words restates it ("Pioneer sites" for "Which Pioneer sites ...");
    # one adding a word names something ("Department of Health" for "Which department ...").
    if (not core or content_terms(core) <= analysis.question_terms
            or any(w.lower() in _MONTHS for w in core.split()) or _abbreviates(core, analysis.question)):
        return False
    if bodies:
        return not _NO_BODY.search(core)  # "the Sustainability and Transformation Fund" is no body
    return not _NO_PLACE.search(core) and _passages_naming(view, core) <= settings.figure_subject_max_passages


_DETERMINERS = frozenset("the a an these those this that such other each every all some any many most more several "
                         "their its our his her local public national different individual relevant new existing"
                         .split())


def _abbreviates(name: str, question: str) -> bool:
    """An acronym of words the question spells out ("RPBs" for "regional partnership boards")."""
    if not _ACRONYM.match(name):
        return False
    letters = name.rstrip("s").lower()
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", question)).lower()
    return letters in initials


def _head_noun(words: str) -> str:
    """What "which" asks for: its words up to the first plural ("local areas", "NHS trusts"), or all of them
    when none is plural ("body is responsible", "integrated care pioneer" of "Name the 25 integrated care
    pioneer sites"). "Which adults do councils pay for?" asks for adults, not councils."""
    out = []
    for word in words.split():
        out.append(word)
        if PLURAL.match(word):
            break
    return " ".join(out)


def _names_a_kind(text: str, heads: frozenset[str], question_terms: frozenset[str]) -> bool:
    """The sentence names a kind of what is asked for by a word the question does not use ("combined
    authorities", "integrated care systems" for "Which authorities ...", "Which systems ...")."""
    words = re.findall(r"[\w'’-]+", text)
    for before, word in itertools.pairwise(words):
        if word.endswith("s") and content_terms(word) & heads:  # a kind is named in the plural
            # "combined", not "four", "these" nor another place word ("footprints areas")
            modifier = content_terms(before) if before.lower() not in _DETERMINERS else frozenset()
            if modifier and not modifier & (question_terms | _PLACES | _BODIES) and not before[0].isdigit():
                return True
    return False


# A figure asked for per hour, week, day or person ("hourly pay", "per week towards care home fees") and how a
# sentence states one of that unit; a figure a year for senior managers is not an hourly rate.
_PER_UNIT = {
    "per hour": (r"\bhourly\b|\b(?:per|an|each|by the) hour\b", r"\bhour(?:s|ly)?\b"),
    "a week": (r"\bweekly\b|\b(?:per|a|each) week\b", r"\bweek(?:s|ly)?\b"),
    "a day": (r"\bdaily\b|\b(?:per|a|each) day\b(?! case)", r"\b(?:per|a|each) day\b|\bdaily\b"),
    "per person": (r"\bper (?:person|head|capita|resident)\b",
                   r"\bper (?:person|head|capita|resident|[\d,]+ (?:people|population|residents))\b|\bper [\d,]+\b"),
}


def unit_not_stated(analysis: QueryAnalysis, answer) -> str | None:
    """A question asking for a figure per hour, week, day or person, answered by sentences whose figures of
    the kind asked for are stated in no such unit: the unit, or None."""
    wanted = analysis.wanted_figures
    if not wanted or answer.table is not None and answer.table.rows:  # a table's unit is in its headings
        return None
    stating = [s.text for s in answer.sentences if any(f.kind in wanted for f in s.figures)]
    for unit, (asked, stated) in _PER_UNIT.items():
        if re.search(asked, analysis.question, re.IGNORECASE) and stating and not any(
                re.search(stated, text, re.IGNORECASE) for text in stating):
            return unit
    return None


def counts_something_else(analysis: QueryAnalysis, answer) -> str | None:
    """A question asking how many people, answered by sentences that count other things ("nine
    demonstrator sites" for "How many patients received a budget at the nine sites?") and name no one:
    the count shown, or None."""
    # Only a count of people is told from a count of places or bodies: "areas", "places", "organisations"
    # and the reports' "sites" or "services" are the same things in other words, and were refused so.
    asked = analysis.counted
    if (not asked & _PEOPLE or "count" not in analysis.wanted_figures
            or "rate" in analysis.asked_figures):  # "per 100,000"
        return None
    counted = [_number_and_noun(m.group(0)) for s in answer.sentences for m in _COUNTED.finditer(s.text)]
    counted = [c for c in counted if len(c.split()) > 1]  # "aged 65 and over" counts nothing
    if not counted or any(content_terms(s.text) & _PEOPLE for s in answer.sentences):
        return None
    return counted[0]


# (Not "persons" or "individuals": stemmed, they are "personal" and "individual budgets".)
_PEOPLE = content_terms("people patients staff workers nurses doctors carers users residents adults children "
                        "men women recipients clients")


def _number_and_noun(count: str) -> str:
    """A count and the words it counts, up to the first small word ("nine demonstrator sites in April")."""
    words = count.split()
    shown = words[:1]
    for word in words[1:]:
        if word.lower() in STOPWORDS:
            break
        shown.append(word)
    return " ".join(shown)


# A question asking who a person was ("Who chaired the inquiry?", "Who was the NHS England boss who said
# ..."), and a person's name as the reports print one ("Sir Amyas Morse", "Dr Caroline Shulman"). "Who
# led the footprints?" is answered by a body or a role ("local authority officials") and is not asked here.
_ASKS_FOR_A_PERSON = re.compile(r"^\W*who\b.*\b(chair(?:ed|s|man|woman|person)?|boss(?:es)?|chief executives?|"
                                r"ministers?|secretary of state|comptroller)\b", re.IGNORECASE)
_A_PERSON = re.compile(r"\b(?:Sir|Dame|Lord|Baroness|Mr|Mrs|Ms|Dr|Professor)\.?\s+[A-Z]")


def names_no_person(analysis: QueryAnalysis, answer) -> bool:
    """A question asking who a person was, answered by sentences naming nobody."""
    return bool(answer.sentences and _ASKS_FOR_A_PERSON.search(analysis.question)) and not any(
        _A_PERSON.search(s.text) for s in answer.sentences)


# A question asking when ("When does the £86,000 cap start?", "On what date did ...", "By when ...").
_ASKS_WHEN = re.compile(r"^\W*(?:when|on what date|by when|in what year|what year|in which year|since when)\b",
                        re.IGNORECASE)
_A_SOURCE = re.compile(r"\bSources?:", re.IGNORECASE)
_A_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)


def states_no_date_asked(analysis: QueryAnalysis, answer) -> bool:
    """A question asking when, answered by sentences that state no year, period or month (a source's
    "(2020)" in a table's note dates the source, not what is asked)."""
    if (not _ASKS_WHEN.search(analysis.question) or sets_the_scene(analysis.question)
            or answer.table is not None and answer.table.rows):
        return False
    return not any(not _A_SOURCE.search(s.text) and (any(f.kind in ("year", "period") for f in s.figures)
                                                     or _A_MONTH.search(s.text))
                   for s in answer.sentences)


# A question asking for a total or level ("total number of emergency admissions in 2015-16", "the actual
# number, not the change") and a figure stated as a change ("increased by 87,000", "87,000 more").
_ASKS_A_TOTAL = re.compile(r"\b(total|actual number|absolute number|all told|altogether)\b", re.IGNORECASE)
_SPEAKS_OF_A_CHANGE = re.compile(r"\b(?:increas\w*|ris(?:e|es|en|ing)|rose|grow\w*|grew|fall\w*|fell|cut\w*|reduc\w*|"
                                 r"drop\w*|declin\w*|more|extra|additional|compared|against|than|chang\w*|"
                                 r"differen\w*|avoided|saved)\b", re.IGNORECASE)
_NOT_THE_CHANGE = re.compile(r"\bnot (?:the |a |just the )?(?:change|increase|rise|fall|difference)\b", re.IGNORECASE)
_CHANGE_BEFORE = re.compile(r"\b(increas\w*|ris(?:e|es|en|ing)|rose|fell|fall(?:s|en|ing)?|grew|grow\w*|reduc\w*|cut|"
                            r"drop\w*|declin\w*|up|down)\b(?:\s+[\w'’-]+){0,3}?\s+(?:by|of)\s+(?:around\s+|about\s+|some\s+)?$",
                            re.IGNORECASE)
_CHANGE_AFTER = re.compile(r"^\s*(?:more|fewer|less|extra|additional|higher|lower|increase|rise|fall|reduction)\b",
                           re.IGNORECASE)


def _stated_as_change(sentence: str, printed: str, after: bool = True) -> str:
    """The words stating the figure as a change ("increased by 87,000", or with `after` "87,000 more"), or ""."""
    at = sentence.find(printed)
    if at < 0:
        return ""
    end = at + len(printed)
    before = _CHANGE_BEFORE.search(sentence[max(0, at - 60):at])
    if before:
        return sentence[max(0, at - 60) + before.start():end]
    following = _CHANGE_AFTER.match(sentence[end:]) if after else None
    return sentence[at:end + following.end()] if following else ""


def change_not_total(analysis: QueryAnalysis, answer) -> str | None:
    """A question asking for a total or level, answered only by figures stated as a change (the NAO gives
    "the number of emergency admissions increased by 87,000", not how many there were): the first such
    figure's words, or None. A question asking for the change itself ("by how much ...") is not asked
    for a total."""
    # "total delayed days 2015-16", typed as a search, asks for a number without saying which kind (a money
    # word would have said so)
    wanted = analysis.wanted_figures or frozenset(("count", "rate"))
    # "the total increase", "the total extra cost against plan" ask for the change or the difference
    asks_change = _SPEAKS_OF_A_CHANGE.search(analysis.question) and not _NOT_THE_CHANGE.search(analysis.question)
    if not _ASKS_A_TOTAL.search(analysis.question) or asks_change:
        return None
    # "£14 million more than they would have received" compares; only a question that asks for a figure
    # by its form reads "N more" as the change
    changes = [_stated_as_change(s.text, f.printed, after=bool(analysis.wanted_figures))
               for s in answer.sentences for f in s.figures if f.kind in wanted]
    return " ".join(changes[0].split()) if changes and all(changes) else None


def only_planned(view: IndexView, analysis: QueryAnalysis, answer) -> bool:
    """A question asking what a study, review or plan found or decided, answered by a sentence that has
    it as planned or under way ("has commissioned a further report", "due to report at the end of
    2017") in a passage that never says what came of it."""
    if not (answer.sentences and _ASKS_FOR_AN_OUTCOME.search(analysis.question)
            and _A_STUDY_OR_PLAN.search(analysis.question)):
        return False
    first = answer.sentences[0]
    if not (NOT_YET.search(first.text) or _NOT_DONE_YET.search(first.text)) or _REPORTS_AN_OUTCOME.search(first.text):
        return False  # "An April 2016 review ... commissioned by the government found that ..." says what came of it
    rows = view.sentence_rows(view.row(first.citation.passage_id))
    following = [view.sentence_text(r + 1) for r in rows if r + 1 < rows.stop and view.sentence_text(r) == first.text]
    return not any(_CAME_OF_IT.search(text) for text in following)


def misleads(view: IndexView, analysis: QueryAnalysis, answer) -> str | None:
    """Why an answer as shown, with every sentence added to it, would mislead (the message to show
    instead), or None: a count of the things a question asks to be named."""
    counted = count_not_names(view, analysis, answer)
    return messages.count_not_names(counted, str(answer.sentences[0].citation)) if counted else None


def unmet(view: IndexView, analysis: QueryAnalysis, answer, filters, settings) -> str | None:
    """Why a found answer does not answer the question (the message to show instead), or None."""
    # A name of two or more words with a word no passage uses is what the question is about ("the
    # Barker Commission", "Morecambe Bay"); a single such word may be a lay name for what the reports
    # name otherwise ("Whitehall"), so that is a caveat, not a refusal, unless the question asks for a
    # figure of it ("How much did Torbay save?"): no figure of the reports is one for a name they never use.
    asks_figure = bool(analysis.wanted_figures and _ASKS_FOR_A_FIGURE.search(analysis.question))
    unnamed = [name for name, _ in unknown_names(view, analysis)
               if len(name.split()) > 1 or (asks_figure and not _ACRONYM.match(name))]  # "NHSE" may be a short form
    unnamed += [name for name in unprinted_names(view, analysis, settings) + unprinted_terms(view, analysis)
                if name not in unnamed]
    if unnamed:
        return messages.name_not_mentioned(unnamed, str(answer.sentences[0].citation))

    named = analysis.named_documents
    unused = words_the_named_report_never_uses(view, analysis, settings) if not filters.documents else []
    if unused:
        doc = view.documents[named[0]]
        held = f" ({doc.label} in this corpus holds {doc.coverage})" if doc.coverage else ""
        return messages.named_document_never_uses(doc.label, unused, held, str(answer.sentences[0].citation))
    if named and not filters.documents:
        labels = " or ".join(view.documents[d].label for d in named)
        coverage = "; ".join(f"{view.documents[d].label} in this corpus holds {view.documents[d].coverage}"
                             for d in named if view.documents[d].coverage)
        first = answer.sentences[0].citation
        if first.doc_id not in named:  # the report named holds nothing that ranks above another's passage
            if coverage and asks_for_recommendations(analysis) and "recommendation" in coverage:
                return messages.outside_coverage(coverage)
            return messages.named_document_silent(labels, coverage, str(first))
    asked = years_asked(analysis) - years_of_named_reports(view, analysis)
    if asked:
        # The years of the answer's sentences and of the passages they stand in. (Counting the years
        # of every passage shown too refused fewer answerable questions but answered more that the
        # reports cannot: on the tuned half, honest 0.333 -> 0.238, wrongly refused 0.021 -> 0.014.)
        stated = _years_of_answer(view, answer)
        # A passage that states no year at all (a paragraph under a 2015-16 heading) is not taken to
        # be about another period; a year after the reports cited is one they cannot answer for (the
        # NAO in 2017 on "delayed discharges from hospitals" says nothing of spring 2020), unless the
        # figure asked for is dated where the reports state it again: that is said as a partial answer
        # ("For 2015-16, not 2018-19: £5.3bn total pooled budget in the first year").
        latest, cited = latest_year(view), latest_year(view, {s.citation.doc_id for s in answer.sentences})
        after_the_reports = not stated and latest is not None and min(asked) > latest
        after_those_cited = not stated and cited is not None and min(asked) > cited and not (
            analysis.wanted_figures and figure_of_another_period(view, analysis, answer, settings=settings))
        # "after 2019" answered by passages stating 2019 and no later year: a partial answer, said in its
        # caveat (later_years_not_stated), for what comes after a year is often said in a passage dated by it
        after_stated_year = (min(asked) - 1) in stated and asked == years_after(analysis) and not (
            latest is not None and min(asked) > latest)
        if not asked & stated and (stated or after_the_reports or after_those_cited) and not after_stated_year:
            first = answer.sentences[0].citation
            return messages.period_not_stated(years_as_asked(analysis, asked),
                                              sorted(stated & years_stated(answer.sentences[0].text)),
                                              str(first))
    ordinal = other_ordinal_year(analysis, answer)
    if ordinal:
        asked, stated = ordinal
        return messages.period_not_stated([f"its {asked} year"], [f"its {stated} year"],
                                          str(answer.sentences[0].citation))
    end = span_end_not_stated(view, analysis, answer)
    if end:
        return messages.period_not_stated([end], sorted(years_stated(answer.sentences[0].text)),
                                          str(answer.sentences[0].citation))
    instead = other_period(view, analysis, answer)
    if instead:
        asked = sorted(t for t in analysis.times if re.fullmatch(r"\d{4}-\d{2}", t))
        return messages.period_not_stated(asked, instead, str(answer.sentences[0].citation))
    nation = place_not_stated(view, analysis, answer)
    if nation:
        return messages.place_not_stated(nation, str(answer.sentences[0].citation))
    if states_no_figure_asked(analysis, answer):
        return messages.no_figure_stated(str(answer.sentences[0].citation))
    if states_no_date_asked(analysis, answer):
        return messages.no_date_stated(str(answer.sentences[0].citation))
    subject = figure_without_its_subject(view, analysis, answer, settings)
    if subject:
        return messages.no_figure_for(subject, str(answer.sentences[0].citation))
    counted = count_not_names(view, analysis, answer)
    if counted:
        return messages.count_not_names(counted, str(answer.sentences[0].citation))
    if names_none_asked(view, analysis, answer, settings):
        return messages.names_none_asked(str(answer.sentences[0].citation))
    other = counts_something_else(analysis, answer)
    if other:
        return messages.counts_something_else(other, str(answer.sentences[0].citation))
    unit = unit_not_stated(analysis, answer)
    if unit:
        return messages.unit_not_stated(unit, str(answer.sentences[0].citation))
    if names_no_person(analysis, answer):
        return messages.names_no_person(str(answer.sentences[0].citation))
    change = change_not_total(analysis, answer)
    if change:
        return messages.change_not_total(change, str(answer.sentences[0].citation))
    expected = only_expected(analysis, answer)
    if expected:
        return messages.only_expected(str(answer.sentences[0].citation), expected)
    if only_planned(view, analysis, answer):
        return messages.only_planned(str(answer.sentences[0].citation), answer.sentences[0].text)
    proposal = dated_only_as_proposed(analysis, answer)
    if proposal:
        return messages.only_planned(str(proposal.citation), proposal.text)
    return None


# Words of asking, not of what is asked about: "What did the PAC say about ...", "Does the digest mention ...".
_ASKING_WORDS = content_terms("say says said find finds found conclude concludes concluded conclusion recommend "
                              "recommends recommended recommendation report reports reported think thinks thought "
                              "mention mentions mentioned discuss discusses discussed cover covers covered describe "
                              "describes described claim claims claimed write writes wrote give gives gave show shows "
                              "showed tell tells told note notes noted state states stated view views verdict argue "
                              "argued suggest suggested comment comments commented address addresses addressed deal "
                              "deals dealt refer refers referred look looks looked talk talks talked include includes "
                              "included explicitly specifically actually really briefly even directly all anywhere "
                              "anything at")


# Only a question asking whether a report speaks of something at all: asked what a report says of it, a
# user's own words are often not the report's (tried on every question naming one report, it refused 0.08
# of the answerable ones, at any share from 0.02 to 0.1).
_ASKS_WHETHER_IT_MENTIONS = re.compile(r"^\W*(?:does|did|do|is|are|was|were)\b.{0,80}?\b(?:mention\w*|discuss\w*|"
                                       r"cover\w*|talk\w* about|say\w* anything about|refer\w* to|include\w*|"
                                       r"address\w*|look\w* at|deal\w* with)\b", re.IGNORECASE)


def words_the_named_report_never_uses(view: IndexView, analysis: QueryAnalysis, settings) -> list[str]:
    """Words of what a question asks whether one named report mentions that the report never uses, though
    other reports do, rarely ("Does the PAC report mention the Disabled Facilities Grant?": only the NAO's
    writes "Disabled Facilities"; "Does the digest mention the council tax precept?"). A word the glossary
    knows counts as used when the report uses its gloss ("BCF": "Better Care Fund")."""
    asks = _ASKS_WHETHER_IT_MENTIONS.search(analysis.question)
    if len(analysis.named_documents) != 1 or not asks:
        return []
    subject = content_terms(analysis.question[asks.end():])  # what it is asked to mention, not how it is asked
    doc_id = analysis.named_documents[0]
    used = view.document_terms(doc_id)
    names = content_terms(" ".join(view.document_names))
    glossed = set()
    for pattern, gloss in load_glossary():
        for m in pattern.finditer(analysis.question):
            if content_terms(gloss) & used:
                glossed |= content_terms(m.group(0))
    rare = settings.named_term_max_share * len(view.passages)
    others = [d for d in view.documents if d != doc_id]
    out = []
    for term in sorted((analysis.question_terms & subject) - _ASKING_WORDS - names - glossed - used):
        # how many passages use it, by the search index's own words ("pay-for-performance" is three there)
        frequency = min((view.index.lexical.document_frequency(t) for t in query_tokens(term)), default=0)
        if (0 < frequency <= rare and not re.search(r"\d", term)
                and any(term in view.document_terms(d) for d in others)):
            out.append(next((w for w in re.findall(r"[\w'’-]+", analysis.question) if content_terms(w) == {term}),
                            term))  # as the question spells it, not its stem
    return out


# "When did RPBs get the power to employ staff?": asked when something came about ...
_ASKS_WHEN_IT_HAPPENED = re.compile(r"^\W*(?:when|in what year|what year|in which year)\s+"
                                    r"(?:did|was|were|has|have|had)\b", re.IGNORECASE)
# ... answered by a date of its proposal ("In January 2021, the Welsh government proposed changes ... RPBs
# would then be able to directly employ staff"), which says it was planned, not that it happened.
_PROPOSED = re.compile(r"\b(?:propos(?:ed|es|als?)|would then|plans? to|intends? to|is expected to|will be able)\b",
                       re.IGNORECASE)


# "When was the green paper due?", "When did Wales propose ...?": the plan itself is asked for.
_ASKS_OF_A_PLAN = re.compile(r"\b(?:plans?|planned|propose|announce[ds]?|commit|committed|due|expected|supposed|meant|"
                             r"scheduled|intended|target|aim|aimed|say|says|said|tell|told|consult\w*|delay\w*|"
                             r"postpone\w*)\b", re.IGNORECASE)


def dated_only_as_proposed(analysis: QueryAnalysis, answer) -> AnswerSentence | None:
    """The answer's first dated sentence, when a question asks when something came about and every
    sentence shown that states a date speaks of it as proposed or planned; else None. A question about
    the proposal itself ("When did Wales propose ...?") is answered by it."""
    if not _ASKS_WHEN_IT_HAPPENED.search(analysis.question) or _PROPOSED.search(analysis.question) \
            or _ASKS_OF_A_PLAN.search(analysis.question):
        return None
    dated = [s for s in answer.sentences
             if any(f.kind in ("year", "period") for f in s.figures) or _A_MONTH.search(s.text)]
    if dated and all(_PROPOSED.search(s.text) for s in dated):
        return dated[0]
    return None
