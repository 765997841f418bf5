"""What a question asks, read once: the documents it names, its words expanded with the reports' own,
the passage kinds and figure kinds it asks for, the years it names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from care_evidence.evidence.doc_names import find_documents, reporting_document
from care_evidence.evidence.glossary import expand, has_entry_for
from care_evidence.evidence.intent import COMPATIBLE, asked_figure_kinds
from care_evidence.evidence.references import REFERENCE_PATTERNS
from care_evidence.indexer.lexical import STOPWORDS, content_terms
from care_evidence.indexer.models import BOX, FIGURE, FOOTNOTE, KEY_FACT, TABLE, DocumentInfo
from care_evidence.indexer.quantities import extract_quantities, period_key

# Words that name a passage kind in a question ("Figure", "table", "footnote", "key facts").
KIND_WORDS: tuple[tuple[str, str], ...] = (
    # "figure" without a number is a number as often as a chart ("NAO figure vs PAC figure").
    (FIGURE, r"\b(?:fig(?:ure)?\.?\s*\d|charts?\b|graphs?\b|(?:which|what|the|this|that)\s+figure\b"
             r"(?=.{0,60}\b(?:shows?|illustrates?|plots?|tracks?)\b))"), (TABLE, r"\btable\b"), (BOX, r"\bbox\b"),
    (FOOTNOTE, r"\b(footnotes?|sources?|cited|HC \d+|evidence sessions?|oral evidence|"
               r"back(s|ed)? (up )?(the|this|that) claims?)\b"),
    (KEY_FACT, r"\bkey facts?\b"),
)


def time_key(q) -> str:
    """A year or period (a Quantity or a FigureMention) as a comparable key: "2010–11", "2010/11" and
    "2010-11" are the same period."""
    return period_key(q.printed.strip()) if q.kind == "period" else str(int(q.value))


def value_key(f) -> tuple:
    return f.kind, f.unit, f.value


# The nations a question or sentence names, each by its pattern.
NATIONS = {  # any case ("england vs scotland" as typed in a search box), but "NI" in capitals
    # not "NHS England", "Public Health England" nor "www.england.nhs.uk"
    "England": r"(?<!NHS )(?<!Health )(?<![./])(?i:\bEngland\b|\bEnglish\b)",
    "Scotland": r"(?i:\bScotland\b|\bScottish\b)",
    "Wales": r"(?i:\bWales\b|\bWelsh\b)",
    "Northern Ireland": r"(?i:\bNorthern Ireland\b)|\bNI\b",
}
# "the four nations", "each UK country", "across the UK": every nation is a part.
# Not the name of a report comparing them: "the Nuffield four nations report" asks one report one question.
# ... but "a four nations comparison of delays" compares them.
_A_REPORT_OF_THEM = r"(?!['’]?\s*(?:report|paper)\b|['’]?\s*(?:comparison|study|review|analysis)\b(?!\s+of\b))"
EVERY_NATION = re.compile(
    r"\b(?:four|each|all|every|different)\s+(?:of\s+the\s+)?(?:four\s+)?(?:UK\s+)?(?:nations|countries|nation|country)\b"
    + _A_REPORT_OF_THEM + r"|\bUK(?:'s)?\s+(?:nations|countries)\b" + _A_REPORT_OF_THEM
    + r"|\bnations?'|\bby\s+(?:UK\s+)?(?:nation|country)\b",
    re.IGNORECASE)

# "after 2019", "post-2016", "beyond 2020-21": the years after the one named.
AFTER_A_YEAR = re.compile(r"\b(?:after|post-?|beyond)\s*((?:19|20)\d{2}(?:[-–/]\d{2,4})?)\b", re.IGNORECASE)

ASKING_WHY = re.compile(r"\bwhy\b|\bhow come\b|\breasons?\b|\bwhat(?:'s| is| was) behind\b|\bwhat caused\b|\bexplain",
                        re.IGNORECASE)
# What a sentence that gives a reason says: "because", "due to", "the two main reasons", "stemmed from".
# ("due to report", "due to be published" set a date, not a reason)
GIVING_A_REASON = re.compile(r"\bbecause\b|\bdue to\b(?!\s+(?:be|report|publish|start|begin|end|close|open|run|"
                             r"come|take)\b)|\bowing to\b|\bas a result of\b|\breasons?\b"
                             r"|\bstem(?:s|med)? from\b|\bdriven by\b|\bcaused by\b|\bexplanation\b|\btherefore\b"
                             r"|\bresult(?:s|ed)? from\b", re.IGNORECASE)

# A question asking what came of something: what a review found or concluded, what happened to a body,
# what went wrong, whether it worked. Not "why" (a reason, above) nor "how much" (a figure).
ASKING_FOR_A_FINDING = re.compile(
    r"\bwhat (?:did|does|do|has|have)\b.{0,80}\b(?:find|found|conclude|show|say|report|reveal|leave out)\b"
    r"|\bwhat (?:happened|was wrong|went wrong|came of)\b|\b(?:did|does|do|has|have) .{0,80}\b(?:work|succeed|help|"
    r"reduce|improve|deliver)\b|\bfindings?\b|\bconclu(?:de|ded|sion)\b|\boutcome\b|\bturned out\b",
    re.IGNORECASE)
# What a sentence that reports a finding says: a study's verdict, a result, a failure, a lack.
STATING_A_FINDING = re.compile(
    r"\b(?:found|concluded|showed|shown|reported that|judged|did not|has not|have not|had not|was not|were not|"
    r"cannot|could not|failed|disbanded|abolished|missed|little evidence|no evidence|limited|unlikely|"
    r"proved|slower than|worse|fell short|not achieved)\b", re.IGNORECASE)
# A sentence speaking of something still to come or under way when the report was written...
NOT_YET = re.compile(r"\b(due (to (?:be|report|publish|start|begin|run|end|conclude|complete|close|open|launch|take)\b|"
                     r"for|at)|plans? to|commissioned|is (undertaking|developing|reviewing|"
                      r"consulting)|was reviewing|pending|expected (to|for)|currently consulting|intends? to)\b",
                      re.IGNORECASE)
# A sentence that sets up a finding, not one: a body commissioned, established or launched something.
SETTING_UP = re.compile(r"\b(?:commissioned|established|launched|set up|introduced|announced|began|published)\b",
                        re.IGNORECASE)


# A month as people shorten it before a year ("Nov 2014", "Sept. 2016"); the reports print "November 2014".
MONTHS = {"jan": "January", "feb": "February", "mar": "March", "apr": "April", "jun": "June", "jul": "July",
          "aug": "August", "sep": "September", "sept": "September", "oct": "October", "nov": "November",
          "dec": "December"}
_SHORT_MONTH = re.compile(rf"\b({'|'.join(MONTHS)})\.?(?=\s+(?:19|20)\d\d\b)", re.IGNORECASE)


def months_spelt_out(text: str) -> list[str]:
    """The months a text shortens before a year, spelt out as the reports print them."""
    return list(dict.fromkeys(MONTHS[m.group(1).lower()] for m in _SHORT_MONTH.finditer(text)))


@dataclass(frozen=True)
class QueryAnalysis:
    question: str  # cleaned
    named_documents: tuple[str, ...]  # ids of the documents the question names
    without_names: str  # the question with those names taken out
    expanded: str  # what is searched: the question (without names) and glossary expansions
    terms: frozenset[str]  # content words of `expanded`, for passage overlap
    question_terms: frozenset[str]  # content words of the question, for answer sentences
    kinds: tuple[str, ...]  # passage kinds it names
    asked_figures: tuple[str, ...]  # figure kinds it asks for, most specific first
    wanted_figures: frozenset[str]  # figure kinds that answer those
    times: frozenset[str]  # years and periods it names (time_key)
    asks_for_unit: bool  # names a Figure, chart or table
    asks_for_source: bool  # asks what backs a claim (footnote words)
    asks_why: bool  # asks for a reason ("why", "what caused", "the reasons for")
    asks_finding: bool = False  # asks what came of something ("what did the review conclude", "did it work")
    counted: frozenset[str] = frozenset()  # what "how many" counts ("patients"), with its glossary words
    speaker: frozenset[str] = frozenset()  # whose words it asks for ("according to the Department"): stems

    def without_citations(self) -> str:
        """The question but for document names and locators ("Figure 13 of the NAO report")."""
        rest = self.without_names
        for pattern, _ in REFERENCE_PATTERNS:
            rest = pattern.sub(" ", rest)
        return rest


def analyse(question: str, documents: dict[str, DocumentInfo]) -> QueryAnalysis:
    """Read a cleaned question once for every part of the engine."""
    # A document's name chooses the document; as words to match it would favour footnotes that cite
    # reports of that name.
    named, without_names = find_documents(question, documents)
    reporting = reporting_document(question, documents, named)
    if reporting is not None:  # the digest's account of what the NAO found is answered from the digest
        named = (reporting[0],)
        if not _SAYS_ABOUT.search(question):  # "... say the NAO recommends?": the NAO is what it speaks of
            without_names = reporting[1]
    expanded = expand(without_names if re.search(r"\w{3,}", without_names) else question)
    months = [m for m in months_spelt_out(question) if m.lower() not in expanded.lower()]
    if months:  # "DTOC rise Nov 2014 to Nov 2016" is searched with "November", as the reports print it
        expanded = f"{expanded} ({'; '.join(months)})"
    asked = asked_figure_kinds(question)
    kinds = tuple(kind for kind, pattern in KIND_WORDS if re.search(pattern, question, re.IGNORECASE))
    # "between 2010-11 and 2016-17": compared as parsed figures, "2010–11" in the text is "2010-11" typed.
    # "after 2019" asks for the years after it, not 2019 (requirements.years_asked)
    times = frozenset(time_key(q) for q in extract_quantities(AFTER_A_YEAR.sub(" ", question))
                      if q.kind in ("year", "period"))
    return QueryAnalysis(
        question=question, named_documents=named, without_names=without_names, expanded=expanded,
        terms=content_terms(expanded), question_terms=content_terms(question), kinds=kinds,
        asked_figures=asked, wanted_figures=frozenset(k for a in asked for k in COMPATIBLE[a]), times=times,
        asks_for_unit=FIGURE in kinds or TABLE in kinds,
        asks_for_source=FOOTNOTE in kinds,
        asks_why=bool(ASKING_WHY.search(question)),
        asks_finding=bool(ASKING_FOR_A_FINDING.search(question)) and not asked and not ASKING_WHY.search(question),
        counted=counted_noun(question),
        speaker=speaker_asked(question),
    )


# Whose account the question asks for: "according to the Department", "What did NHS England tell MPs",
# "Why did the Department say ...". A report's own name chooses the report instead (find_documents);
# the speaker is someone the reports quote.
_SPEECH = (r"(?:say|says|said|tell|tells|told|claim|claims|claimed|admit|admitted|accept|accepted|argue|argued|"
           r"predict|expect)")
_SPEAKER = re.compile(
    r"\b(?i:according to (?:what )?(?:the )?)(?P<a>[A-Z][\w'’-]*(?: (?:of |and )?[A-Z][\w'’-]*){0,4})"
    rf"|\b(?:did|does|do|has|have) (?:the )?(?P<b>[A-Z][\w'’-]*(?: (?:of |and )?[A-Z][\w'’-]*){{0,4}}) {_SPEECH}\b")
_REPORT_VOICES = frozenset({"nao", "pac", "mps", "committee", "nuffield", "confederation", "audit", "trust",
                            "report", "digest", "summary"})


def speaker_asked(question: str) -> frozenset[str]:
    """The stemmed words of the body whose account the question asks for, or none: none when the
    name is a report's or its authors' ("the NAO", "MPs", "the Committee"), which choose the report."""
    m = _SPEAKER.search(question)
    if not m:
        return frozenset()
    name = (m.group("a") or m.group("b")).removesuffix("'s").removesuffix("’s")
    words = {w.lower().strip("'’") for w in name.split()}
    if words & _REPORT_VOICES:
        return frozenset()
    return content_terms(name)


# What "how many" counts: the words after it up to the first plural one, since "how many" takes a plural
# noun ("How many integrated care systems are there?"); "how many came in each wave" names none.
_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w'’-]+\s*){1,4})", re.IGNORECASE)
_HOW_MANY_LAST = re.compile(r"(.*)\bhow many\W*$", re.IGNORECASE)
# A plural: a lower-case word in -s (not "-ss", "-us", "-is": "analysis", "status"), an acronym's plural ("CCGs"),
# or an irregular one; "NHS" and "Wales" are not.
PLURAL = re.compile(r"^[a-z][\w'’-]*(?<![sui])s$|^[A-Z]{2,}s$|^(?i:people|staff|children|men|women|personnel)$")


def counted_noun(question: str) -> frozenset[str]:
    """The content words of what "how many" counts, with the reports' words for a glossary phrase ("STPs":
    "sustainability and transformation plans"); empty when it names no plural noun."""
    found = _HOW_MANY.search(question)
    if not found:
        # As typed in a search box, what is counted comes first: "Wales RPBs how many".
        before = _HOW_MANY_LAST.search(question)
        plural = next((w for w in reversed(before.group(1).split()) if PLURAL.search(w)), None) if before else None
        return content_terms(plural) | content_terms(expand(plural)) if plural else frozenset()
    words = []
    for word in found.group(1).split():
        if word.lower() in STOPWORDS or not content_terms(word):
            break
        words.append(word)
        if PLURAL.search(word):
            return content_terms(" ".join(words)) | content_terms(expand(" ".join(words)))
    return frozenset()


# A number with the four words before it and the six after it ("50 vanguard sites", "integrated care
# systems - 42 of which ..."); the words after are looked ahead at, not taken, so the next number is seen.
_NUMBER_IN_WORDS = re.compile(r"((?:[\w'’‘-]+\W+){0,4})(?<![\w£$])(?:\d[\d,.]*|one|two|three|four|five|six|seven|"
                              r"eight|nine|ten|eleven|twelve)\b(?=((?:\s+[\w'’‘-]+){0,6}))", re.IGNORECASE)


_AN_AGE = re.compile(r"\b(?:aged|age|ages|over|under)\W*$", re.IGNORECASE)  # "older people (aged 65 and over)"


def counts(sentence: str, counted: frozenset[str], in_words_only: bool = False) -> bool:
    """Whether the sentence has a number beside one of the counted words ("50 vanguard sites" counts
    vanguards; "between two and 10 years" does not); with `in_words_only`, a number spelt out ("seven
    regional partnership boards"), which the figure parser does not read."""
    return any(content_terms(m.group(1) + " " + m.group(2)) & counted for m in _NUMBER_IN_WORDS.finditer(sentence)
               if not _AN_AGE.search(m.group(1)) and not (in_words_only and m.group(0)[len(m.group(1))].isdigit()))


# What a question asks a report to speak of: "What does the digest say about the Better Care Fund?"
_SAYS_ABOUT = re.compile(r"\b(?:say|says|said|write|writes|wrote|report|reports|reported|find|finds|found|conclude|"
                         r"concludes|concluded)(?:\s+[\w'’-]+){0,3}?\s+(?:about|on)\s+(.+)", re.IGNORECASE)


def speaks_of_what_was_asked(question: str, texts: list[str]) -> bool:
    """Whether a question asking what a report says about something ("... say about the BCF?") is
    answered by sentences naming every word of it, a glossary phrase by the reports' own words ("BCF":
    "Better Care Fund"). False for a question of another form."""
    found = _SAYS_ABOUT.search(question)
    if not found:
        return False
    subject = found.group(1)
    held = content_terms(" ".join(texts))
    for word in re.findall(r"[\w'’&-]+", subject):
        terms = content_terms(word)
        if not terms or terms <= held:
            continue
        spelt = content_terms(expand(word)) - terms  # "BCF" -> "Better Care Fund"
        if not (has_entry_for(word) and spelt and spelt <= held):
            return False
    return True
