"""Read a reference the way people write it into a document and a place in it.

A small grammar, not a list of whole-text patterns: a reference is a document (its label, an alias,
its publisher, its title or part of it, its paper number, its year) and a place (part, chapter,
section, paragraph, summary paragraph, appendix, footnote, Figure, Table, Box, Key facts, key point,
recommendation, conclusion, oral-evidence question, page, bullet), in any order and with any
punctuation, around bibliographic detail (dates, sessions, "London:", a web address) and a few words
saying what the passage is about ("para 4, on means-testing"). "NAO para 2.7", "HC 1011 ¶ 1.6",
"Comptroller and Auditor General, Health and social care integration, Session 2016–17, HC 1011,
paragraph 3.4" and "the PAC's second paragraph" all read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from care_evidence.evidence.doc_names import find_documents
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import DocumentInfo

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13}
_APPENDIX_NAMES = {1: "One", 2: "Two", 3: "Three", 4: "Four"}

# Question-side patterns: a locator cited inside a question ("what does para 2.7 say?"), read by
# evidence.analysis and evidence.candidates.
REFERENCE_PATTERNS: tuple[tuple[re.Pattern, callable], ...] = (
    (re.compile(r"\bsummary\s*(?:para(?:graph)?s?\.?|¶)?\s*(\d{1,3})\b"), lambda m: f"Summary para {m[1]}"),
    (re.compile(r"\bappendix\s+(one|two|three|[123])\s*,?\s*(?:para(?:graph)?\.?|¶)?\s*(\d{1,3})\b"),
     lambda m: f"Appendix {_APPENDIX_NAMES[number_value(m[1])]} para {m[2]}"),
    (re.compile(r"\bfig(?:ure)?s?\.?\s*([a-z]?\d{1,3})\b"), lambda m: f"Figure {m[1].upper()}"),
    (re.compile(r"\btables?\.?\s*([a-z]?\d{1,3})\b"), lambda m: f"Table {m[1].upper()}"),
    (re.compile(r"\bbox(?:es)?\.?\s*(\d{1,3})\b"), lambda m: f"Box {m[1]}"),
    (re.compile(r"\b(?:foot\s?notes?|fn\.?|note)\s*(\d{1,3})\b"), lambda m: f"footnote {m[1]}"),
    (re.compile(r"\bkey points?\s*,?\s*(?:point\s*)?(\d{1,2})\b"), lambda m: f"Key points, point {m[1]}"),
    (re.compile(r"(?:\bparagraphs?|\bparas?\.?|¶|§)\s*(\d{1,3}(?:\.\d{1,3})?)\b"), lambda m: f"para {m[1]}"),
)
# Words that make a short text a citation, even one the tool cannot read ("PAC recommendation 2").
LOCATOR_WORD = re.compile(r"\b(para(graph)?s?|figure|fig|table|box|footnote|fn|page|appendix|summary|"
                          r"recommendations?|conclusions?|chapter|section|part|key (facts?|points?))\b|¶|§",
                          re.IGNORECASE)
KEY_FACTS_PREFIX = "Key facts, "  # a Key facts entry's locator: "Key facts, £5.3bn"
# Places the reports number but the corpus may not hold: said so by name, never guessed.
RECOMMENDATION, CONCLUSION, ORAL_EVIDENCE, EXHIBIT = "recommendation", "conclusion", "Q", "Exhibit"


@dataclass(frozen=True)
class Reference:
    doc_ids: tuple[str, ...]  # empty: any document
    locator: str = ""  # "para 2.7", "Summary para 13", "Summary para 26(d)", "footnote 20", "Figure 7", ...
    page: int | None = None
    bare_number: bool = False  # "PAC 12": a number with no "para"
    unknown_document: str = ""  # "XYZ para 2": a name that is no document of the corpus
    unknown_paper: str = ""  # "HC 950": a paper number no document of the corpus was printed under
    chapter: int | None = None  # "chapter 3, 'Wales'": a section within a chapter
    about: str = ""  # the words left once the document and the place are read: a section's name, or a topic
    extra_words: int = 0  # how many of those words there are

    @property
    def place(self) -> str:
        """What the reference asks for, in words: "para 2.7", "p. 60", "chapter 3"."""
        if self.page is not None and not self.locator:
            return f"p. {self.page}"
        if self.locator:
            return self.locator
        if self.chapter:
            return f"chapter {self.chapter}"
        return f"a passage about {self.about!r}" if self.about else "this place"


def number_value(word: str) -> int:
    """"3", "three" or "third" as 3; 0 for another word."""
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, _ORDINALS.get(word, 0))


_NUM = r"(\d{1,3}|(?:" + "|".join(_NUMBER_WORDS) + r")\b)"  # "fourteen" is not "four"
# Bibliographic detail: read, then set aside.
_BIBLIOGRAPHIC = re.compile(
    r"https?://\S+|www\.\S+|\b[\w.-]+\.(?:org|gov|co|ac)\.uk\S*|available (?:at|from)|\[online[^\]]*\]|"
    r"\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
    r"\b(?:report of )?session \d{4}\s*[-/]\s*\d{2,4}\b|\(\d{4}\s*[-/]\s*\d{2,4}\)|\b(?:19|20)\d\d\s*[-/]\s*\d{2}\b|"
    r"\b(?:19|20)\d\d\b|\blondon\b|\bpublished\b|\bordered by the house of commons to be printed\b|"
    r"\breport by the comptroller and auditor general\b|\bhouse of commons\b|\bpolicy digest\b"
)
_PAPER = re.compile(r"\bhc\s*(\d{1,5})\b")
_PLACES: tuple[tuple[str, re.Pattern], ...] = tuple((name, re.compile(pattern)) for name, pattern in (
    ("appendix", r"\b(?:appendix|app\.?)\s*(one|two|three|four|[1-4])\b"),
    ("part", r"\bpart\s+(one|two|three|four|[1-4])\b"),
    ("chapter", r"\b(?:chapter|ch\.?)\s*(\d{1,2})\b"),
    ("key_fact_value", r"\bkey facts?\s*[,:]?\s*(?:entry\s+)?([£$]?\d[\d,.]*\s*(?:%|bn|billion|m|million|k)?)"),
    ("key_facts", r"\bkey facts?\b"),
    ("key_point", r"\bkey points?\s*,?\s*(?:point\s*)?(\d{1,2})\b"),
    ("key_points", r"\bkey points?\b"),
    ("summary", r"\bsummary\b"),
    ("recommendation", r"\b(?:recommendations?|rec\.)\s*(?:\(([a-z]|\d{1,2})\)|([a-z]|\d{1,2})(?![\w.]))"),
    ("conclusion", r"\bconclusions?\s*\(?(\d{1,2}|[a-z])\)?(?![\w.])"),
    ("oral", r"\bqq?\.?\s*(\d{1,4})(?:\s*[-–]\s*\d{1,4})?\b"),
    ("figure", r"\b(?:fig(?:ure)?s?\.?)\s*([a-z]?\d{1,3})\b"),
    ("exhibit", r"\bexhibits?\s*(\d{1,3})\b"),
    ("table", r"\b(?:tables?|tab\.)\s*([a-z]?\d{1,3})\b"),
    ("box", r"\bbox(?:es)?\.?\s*(\d{1,3})\b"),
    ("footnote", r"(?:\bfoot\s?notes?|\bfn\.?|\bnotes?|(?<![\w.])n\.?)\s*(\d{1,3})\b"),
    ("bullet", r"\(?(?:\b(first|second|third|fourth|fifth|sixth|seventh|eighth) bullet|\bbullet\s*(\d{1,2}))\)?"),
    # "two point seven" and "2.7.9.1" are not paragraph numbers: said unreadable, not guessed
    ("para", r"(?:\bparagraphs?|\bpar?gra?phs?|\bparas?\.?|¶|§)\s*" + _NUM
             + r"(?:\.(\d{1,3}))?(?!\.\d|\d|\s+point\b)\s*(?:\(([a-z])\)|([a-g])\b)?"),
    ("ordinal_para", r"\b(" + "|".join(_ORDINALS) + r")\s+(?:para(?:graph)?s?)\b"),
    ("page", r"(?:\bpages?|\bpp?\.?|\bpg\.?)\s*(\d{1,4})\b"),
))
_MALFORMED_PLACE = re.compile(r"(?:\b(?:para(?:graph)?s?|figure|fig|table|box|footnote|page|appendix)\b\.?|¶|§)\s*"
                              r"(?:\d|" + "|".join(_NUMBER_WORDS) + r")\b")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})?)\s*$")
# "the digest, the paragraph about the pioneers": words for a place that name no number.
_PLACE_NOUNS = frozenset("paragraph paragraphs para passage section bit part write-up writeup digest summary "
                         "article piece page text".split())
_FILLER = frozenset("a an the of in on at from to by see and its it's their report reports document "
                    "about regarding re this that which where what is paper".split())


def _found_places(rest: str) -> tuple[dict[str, re.Match], str]:
    """Each kind of place the text gives, and the text with them taken out."""
    found: dict[str, re.Match] = {}
    for name, pattern in _PLACES:
        m = pattern.search(rest)
        if m and name not in found:
            found[name] = m
            rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    return found, rest


def _locator(found: dict[str, re.Match]) -> tuple[str, int | None, int | None]:
    """The locator, page and chapter the places make together."""
    page = int(found["page"][1]) if "page" in found else None
    chapter = int(found["chapter"][1]) if "chapter" in found else None
    if "para" in found or "ordinal_para" in found:
        if "para" in found:
            m = found["para"]
            number = f"{number_value(m[1])}" + (f".{m[2]}" if m[2] else "")
            letter = m[3] or m[4] or ""
        else:
            number, letter = str(_ORDINALS[found["ordinal_para"][1]]), ""
        if "appendix" in found:
            return f"Appendix {_APPENDIX_NAMES[number_value(found['appendix'][1])]} para {number}", page, chapter
        prefix = "Summary " if "summary" in found and "." not in number else ""
        return f"{prefix}para {number}" + (f"({letter})" if letter else ""), page, chapter
    if "recommendation" in found:
        m = found["recommendation"]
        return f"{RECOMMENDATION} {m[1] or m[2]}", page, chapter
    if "conclusion" in found:
        return f"{CONCLUSION} {found['conclusion'][1]}", page, chapter
    if "oral" in found:
        return f"{ORAL_EVIDENCE} {found['oral'][1]}", page, chapter
    for name, noun in (("figure", "Figure"), ("table", "Table"), ("box", "Box"), ("exhibit", EXHIBIT)):
        if name in found:
            return f"{noun} {found[name][1].upper()}", page, chapter
    if "footnote" in found:
        return f"footnote {found['footnote'][1]}", page, chapter
    if "key_fact_value" in found:
        return f"{KEY_FACTS_PREFIX}{found['key_fact_value'][1].strip().rstrip('.,')}", page, chapter
    if "key_facts" in found:
        return "Key facts", page, chapter
    if "key_point" in found:
        return f"Key points, point {found['key_point'][1]}", page, chapter
    if "key_points" in found:
        return "Key points", page, chapter
    if "appendix" in found:
        return f"Appendix {_APPENDIX_NAMES[number_value(found['appendix'][1])]}", page, chapter
    if "part" in found:
        return f"Part {_APPENDIX_NAMES[number_value(found['part'][1])]}", page, chapter
    return "", page, chapter


def _title_named(text: str, documents: dict[str, DocumentInfo]) -> tuple[str, ...]:
    """Documents whose whole title (its content words) the text holds, best cover first."""
    words = content_terms(text)
    named = []
    for doc in documents.values():
        title = content_terms(re.sub(r"\(.*?\)", " ", doc.title))
        if title and title <= words:
            named.append((len(title), doc.id))
    return tuple(doc_id for _, doc_id in sorted(named, reverse=True))


def parse_reference(text: str, documents: dict[str, DocumentInfo], max_words: int | None = None,
                    strict: bool = True) -> Reference | None:
    """A Reference if `text` reads as one, else None (then it is a question or a quote).

    `strict` (questions): at most one word beyond the document and the place, so "what does para 2.7
    say about savings?" stays a question. Not strict (look-ups): any number of words saying what the
    passage is about, up to `max_words` words in all (default: the max_reference_words setting)."""
    if max_words is None:
        from care_evidence.evidence.settings import Settings

        max_words = Settings().max_reference_words
    if len(text.split()) > max_words:
        return None
    lowered = text.lower().translate(_PLAIN)
    papers = _PAPER.findall(lowered)
    by_paper = {doc.paper.lower(): doc.id for doc in documents.values() if doc.paper}
    unknown_paper = next((f"HC {n}" for n in papers if f"hc {n}" not in by_paper), "")
    doc_ids, rest = find_documents(_PAPER.sub(" ", lowered), documents)
    doc_ids = tuple(dict.fromkeys([*(by_paper[f"hc {n}"] for n in papers if f"hc {n}" in by_paper), *doc_ids]))
    doc_ids = _most_specific_first(doc_ids, lowered, documents)
    titled = _title_named(_PAPER.sub(" ", lowered), documents)
    if titled and (not doc_ids or titled[0] in doc_ids or not set(titled) & set(doc_ids)):
        doc_ids = tuple(dict.fromkeys([*(d for d in titled if not doc_ids or d in doc_ids), *doc_ids]))
    for doc_id in titled:
        rest = _remove_words(rest, content_terms(documents[doc_id].title))
    if unknown_paper and not titled:  # "C&AG, The health and social care interface, HC 950": another report
        doc_ids = ()
    rest = _BIBLIOGRAPHIC.sub(" ", rest)
    found, rest = _found_places(rest)
    locator, page, chapter = _locator(found)
    leftover = [w for w in re.findall(r"[a-z][a-z0-9&'-]+", rest) if w not in _FILLER and len(w) >= 3]
    about = " ".join(leftover)
    if strict and len(leftover) > 1:
        return None
    if not locator and page is None and chapter is None:
        # "paragraph two point seven", or "NAO bullet 2" (of which paragraph?): unreadable, not guessed
        if _MALFORMED_PLACE.search(rest) or "bullet" in found:
            return None
        bare = _BARE_NUMBER.match(re.sub(r"[^\w.\s]", " ", rest))
        if bare and doc_ids:
            return Reference(doc_ids, f"para {bare[1]}", bare_number=True, unknown_paper=unknown_paper)
        if unknown_paper and not doc_ids:
            return Reference((), unknown_paper=unknown_paper, about=about, extra_words=len(leftover))
        topic = [w for w in leftover if w not in _PLACE_NOUNS]
        if doc_ids and not strict and (titled or len(topic) <= 3):  # "NHS Confederation (2017) 'More ...'"
            return Reference(doc_ids, about=" ".join(topic), extra_words=len(topic))
        return None
    # "XYZ para 2": one word that names no document, where a document's name would stand (before the
    # place); "Figure 7 savings" and "chapter 3, Wales" say what the place is about instead.
    first_place = min((m.start() for m in found.values()), default=len(rest))
    unknown = ""
    if len(leftover) == 1 and not doc_ids and not unknown_paper:
        at = re.search(rf"\b{re.escape(leftover[0])}\b", rest)
        unknown = leftover[0] if at and at.start() < first_place else ""
    return Reference(doc_ids, locator, page, unknown_document=unknown, unknown_paper=unknown_paper,
                     chapter=chapter, about=about, extra_words=len(leftover))


_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-"})


def _most_specific_first(doc_ids: tuple[str, ...], text: str, documents: dict[str, DocumentInfo]) -> tuple[str, ...]:
    """Named documents in the order named, except that of two documents from one publisher, one named
    only by the publisher's name ("NAO") comes after one named as itself ("web page summary"):
    "NAO, 'Health and social care integration' (web page summary)" cites the web summary."""
    order = list(doc_ids)
    for later in doc_ids:
        for earlier in doc_ids[: doc_ids.index(later)]:
            same_publisher = _publisher_key(documents[earlier]) == _publisher_key(documents[later])
            if same_publisher and _only_by_publisher(documents[earlier], text) \
                    and not _only_by_publisher(documents[later], text) and order.index(earlier) < order.index(later):
                order.remove(later)
                order.insert(order.index(earlier), later)
    return tuple(order)


def _publisher_key(doc: DocumentInfo) -> str:
    return re.sub(r"\(.*?\)", "", doc.publisher).strip().lower()


def _publisher_names(doc: DocumentInfo) -> set[str]:
    """The publisher's name, each part of it and its initials ("National Audit Office", "NAO", "C&AG")."""
    names = set()
    for part in re.split(r"[()]", doc.publisher):
        words = part.split()
        if words:
            names.add(" ".join(words).lower())
            names.add("".join(w[0] for w in words if w[0].isupper()).lower())
            names.add("".join("&" if w == "and" else w[0] for w in words).lower())
    return names


def _only_by_publisher(doc: DocumentInfo, text: str) -> bool:
    named = [n.lower() for n in (doc.id, doc.label, *doc.aliases)
             if re.search(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)", text)]
    publisher = _publisher_names(doc)
    # a name inside a longer name that is itself there ("NAO" in "NAO report") does not count alone
    own = [n for n in named if n not in publisher and not any(n != m and n in m for m in named)]
    return bool(named) and not own


def _remove_words(text: str, terms: set[str]) -> str:
    """The text without the words whose stems are in `terms` (a title, once it has named its document)."""
    return " ".join(w for w in text.split() if not (content_terms(w) and content_terms(w) <= terms))
