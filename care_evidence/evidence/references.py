"""Read a citation typed the way people type it ("NAO para 2.7", "paragraph 3.11 of the NAO report",
"PAC 12", "footnote 20", "Nuffield Table 5", "p. 60") into a document and a locator."""

from __future__ import annotations

import re
from dataclasses import dataclass

from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import DocumentInfo

_NUMBER_WORDS = {"1": "One", "2": "Two", "3": "Three", "one": "One", "two": "Two", "three": "Three"}


@dataclass(frozen=True)
class Reference:
    doc_ids: tuple[str, ...]  # empty: any document
    locator: str = ""  # "para 2.7", "Summary para 13", "footnote 20", "Figure 7", ...
    page: int | None = None
    bare_number: bool = False  # "PAC 12": a number with no "para"
    unknown_document: str = ""  # "XYZ para 2": a name that is no document of the corpus


REFERENCE_PATTERNS: tuple[tuple[re.Pattern, callable], ...] = (
    (re.compile(r"\bsummary\s*(?:para(?:graph)?s?\.?|¶)?\s*(\d{1,3})\b"), lambda m: f"Summary para {m[1]}"),
    (re.compile(r"\bappendix\s+(one|two|three|[123])\s*,?\s*(?:para(?:graph)?\.?|¶)?\s*(\d{1,3})\b"),
     lambda m: f"Appendix {_NUMBER_WORDS[m[1]]} para {m[2]}"),
    (re.compile(r"\bfig(?:ure)?s?\.?\s*([a-z]?\d{1,3})\b"), lambda m: f"Figure {m[1].upper()}"),
    (re.compile(r"\btables?\.?\s*([a-z]?\d{1,3})\b"), lambda m: f"Table {m[1].upper()}"),
    (re.compile(r"\bbox(?:es)?\.?\s*(\d{1,3})\b"), lambda m: f"Box {m[1]}"),
    (re.compile(r"\b(?:foot\s?notes?|fn\.?|note)\s*(\d{1,3})\b"), lambda m: f"footnote {m[1]}"),
    (re.compile(r"\bkey points?\s*,?\s*(?:point\s*)?(\d{1,2})\b"), lambda m: f"Key points, point {m[1]}"),
    (re.compile(r"(?:\bparagraphs?|\bparas?\.?|¶|§)\s*(\d{1,3}(?:\.\d{1,3})?)\b"), lambda m: f"para {m[1]}"),
)
# Words that make a short text a citation, even one the tool cannot read ("PAC recommendation 2"):
# unless it stands verbatim in a passage, it is answered with the closest citations, never matched
# loosely as a quote.
LOCATOR_WORD = re.compile(r"\b(para(graph)?s?|figure|fig|table|box|footnote|fn|page|appendix|summary|"
                          r"recommendations?|conclusions?|chapter|section|part|key (facts?|points?))\b|¶|§",
                          re.IGNORECASE)
# "NAO key facts 628", "key fact £511m": one Key facts entry, by the figure it is cited by.
_KEY_FACT = re.compile(r"key facts?\s*[,:]?\s*(?:entry\s+)?([£$]?\d[\d,.]*\s*(?:%|bn|billion|m|million|k)?)")
_PAGE = re.compile(r"(?:\bpages?|\bpp?\.)\s*(\d{1,4})\b")
_BARE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})?)\s*$")
_FILLER = re.compile(r"\b(?:of|in|the|from|report|document|see|at|on|page)\b|[,;:()]")
KEY_FACTS_PREFIX = "Key facts, "  # a Key facts entry's locator: "Key facts, £5.3bn"


_PATTERNS_BY_CORPUS: dict[int, tuple[dict, int, re.Pattern | None, dict[str, str]]] = {}


def _names_pattern(documents: dict[str, DocumentInfo]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One compiled alternation of every document name, longest first ("NAO summary page" before
    "NAO"), made once per loaded corpus and not per question: a library of a thousand reports would
    overflow re's own cache, and listing its names cost 2 ms a question at a million passages."""
    cached = _PATTERNS_BY_CORPUS.get(id(documents))
    if cached is None or cached[0] is not documents or cached[1] != len(documents):
        names = [(name, doc.id) for doc in documents.values() for name in sorted({doc.id, doc.label, *doc.aliases})]
        by_name = {name.lower(): doc_id for name, doc_id in sorted(names, key=lambda nd: -len(nd[0]))}
        alternatives = "|".join(re.escape(name) for name in by_name)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if by_name else None
        if len(_PATTERNS_BY_CORPUS) >= 8:  # the dictionary is held here, so its id stays its own
            _PATTERNS_BY_CORPUS.clear()
        cached = _PATTERNS_BY_CORPUS[id(documents)] = (documents, len(documents), pattern, by_name)
    return cached[2], cached[3]


def find_documents(text: str, documents: dict[str, DocumentInfo]) -> tuple[tuple[str, ...], str]:
    """Documents named in `text` (by id, label or alias) and the text with every name removed.

    A publisher's name that is part of the name of another of its reports ("the NAO vanguards
    report") names no document: the corpus may only cite that report. Its words are removed all the
    same, since a publisher's name matches every passage that mentions the publisher."""
    pattern, by_name = _names_pattern(documents)
    if pattern is None:
        return (), text.lower()
    lowered = text.lower()
    found = [by_name[m.group(0)] for m in pattern.finditer(lowered)
             if not _names_another_report(lowered[m.end():], documents[by_name[m.group(0)]])]
    return tuple(dict.fromkeys(found)), pattern.sub(" ", lowered)


# After a name: words that make one noun with "report" or "study" ("the NAO['s] vanguards report").
_QUALIFIED_REPORT = re.compile(r"^(?:['’]s)?((?:\s+[\w&-]+){1,5}?)\s+(?:report|study)\b")
# With one of these among the words, the name is not part of a report's name: "the NAO found in its
# report", "the NAO and the PAC report".
_NOT_IN_A_NAME = frozenset(
    "a an the its their this that these those our in on of to for from with by at as about into than "
    "is was were be been did does do has had have not what which who when where why how".split()
)
# Words that say which or when, not what about: "the NAO's November 2014 report" may be cited for
# what the document says about it.
_WHICH_OR_WHEN = frozenset(
    "earlier previous original latest recent final annual full main own first second third "
    "january february march april may june july august september october november december".split()
)


def _names_another_report(after_name: str, doc: DocumentInfo) -> bool:
    """True when the text right after a document's name makes a report of a subject the document's
    title, label, kind and aliases do not name ("vanguards", "interface"), compared by word stem."""
    m = _QUALIFIED_REPORT.match(after_name)
    if not m:
        return False
    words = re.findall(r"[a-z&-]+", m.group(1))
    if any(w in _NOT_IN_A_NAME for w in words):
        return False
    subject = content_terms(" ".join(w for w in words if w not in _WHICH_OR_WHEN))
    return bool(subject - content_terms(" ".join([doc.title, doc.label, doc.kind, *doc.aliases])))


def parse_reference(text: str, documents: dict[str, DocumentInfo], max_words: int | None = None) -> Reference | None:
    """A Reference if `text` reads as a citation, else None (then it is a question or a quote); a text
    of more than `max_words` words (default: the max_reference_words setting) never is."""
    if max_words is None:
        from care_evidence.evidence.settings import Settings

        max_words = Settings().max_reference_words
    if len(text.split()) > max_words:
        return None
    doc_ids, rest = find_documents(text, documents)
    rest = rest.replace("’", "'")
    for pattern, locator in REFERENCE_PATTERNS:
        m = pattern.search(rest)
        if m:
            leftover = re.findall(r"[a-z][a-z0-9&-]{1,}", _FILLER.sub(" ", pattern.sub(" ", rest, count=1)))
            if len([w for w in leftover if len(w) >= 3]) <= 1:
                unknown = leftover[0] if leftover and not doc_ids and len(leftover[0]) >= 3 else ""
                return Reference(doc_ids, locator(m), unknown_document=unknown)
    page = _PAGE.search(rest)
    if page and len(re.findall(r"[a-z]{3,}", _FILLER.sub(" ", _PAGE.sub(" ", rest)))) <= 1:
        return Reference(doc_ids, page=int(page[1]))
    bare = _BARE.match(_FILLER.sub(" ", rest))
    if bare and doc_ids:
        return Reference(doc_ids, f"para {bare[1]}", bare_number=True)
    if doc_ids and re.fullmatch(r"\s*key facts?\s*", _FILLER.sub(" ", rest)):
        return Reference(doc_ids, "Key facts")
    # Filler words and the punctuation around the whole go; a figure's own "%" or "£" stays.
    key_fact = _KEY_FACT.fullmatch(" ".join(re.sub(r"\b(?:the|of|in|from)\b|^\W+|[\s.,;:!?]+$", " ", rest).split()))
    if key_fact:
        return Reference(doc_ids, f"{KEY_FACTS_PREFIX}{key_fact[1].strip().rstrip('.,')}")
    return None
