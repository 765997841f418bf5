"""Which documents of the corpus a text names: by id, label or alias, longest name first, and not
when the name is part of the name of another of the publisher's reports ("the NAO vanguards report")."""

from __future__ import annotations

import itertools
import re

from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import DocumentInfo

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
    matches = list(pattern.finditer(lowered))
    dropped = {id(m) for name, following in itertools.pairwise(matches)
               for m in _not_named(lowered, name, following, by_name, documents)}
    found = [by_name[m.group(0)] for m in matches
             if id(m) not in dropped and not _names_another_report(lowered[m.end():], documents[by_name[m.group(0)]])
             and not _a_common_noun(lowered, m, documents[by_name[m.group(0)]])]
    return tuple(dict.fromkeys(found)), pattern.sub(" ", lowered)


# A name the metadata gives in lower case is a common noun too ("digest"): it names no document in "give me
# a digest of what the PAC said", only as "the digest" or as typed in a search box ("admissions digest").
_A_NOUN_BEFORE = re.compile(r"\b(?:a|an|any|some|short|quick|brief)\s+$")
_A_NOUN_AFTER = re.compile(r"^\s+of\b")


def _a_common_noun(text: str, name: re.Match, doc: DocumentInfo) -> bool:
    if name.group(0) not in doc.aliases or " " in name.group(0):  # "NAO": a proper name, however typed;
        return False                                                  # "the digest of the NAO report" is one
    return bool(_A_NOUN_BEFORE.search(text[:name.start()]) or _A_NOUN_AFTER.match(text[name.end():]))


def _not_named(text: str, name: re.Match, following: re.Match, by_name: dict[str, str],
               documents: dict[str, DocumentInfo]) -> set[re.Match]:
    """Of a name and the one right after it, the one the question does not name. A publisher's name before
    a document it publishes ("the NAO's web summary", "the NAO online summary") names that document, not
    the publisher's other report; one publisher's own ("the NHS Confederation's online summary") is its
    own, not another's of that kind."""
    between = re.fullmatch(r"(['’]s)?\s+", text[name.end():following.start()])
    if between is None:
        return set()
    owner, owned = documents[by_name[name.group(0)]], documents[by_name[following.group(0)]]
    if owner.id == owned.id:
        return set()
    if _same_publisher(owner, owned):
        return {name}
    return {following} if between.group(1) else set()


def _same_publisher(a: DocumentInfo, b: DocumentInfo) -> bool:
    """"National Audit Office (Comptroller and Auditor General)" publishes what "National Audit Office" does."""
    first, second = (re.sub(r"\s*\(.*", "", d.publisher).strip().lower() for d in (a, b))
    return bool(first) and first == second


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


# What a report says of another ("What did the NHS Confederation digest say the NAO recommended?", "How did
# the digest sum up what the NAO found?"): a speech verb after the first name, and no word setting the two
# side by side ("and", "vs", "agree", "different", "but") or making the second the speaker ("reported by
# the digest"); a sentence's end or a dash starts another clause.
_SIDE_BY_SIDE = (r"(?!\b(?:and|or|but|whereas|while|vs|versus|compared?|than|both|each|agree|agrees|differ|differs|"
                 r"different|differently|with|same|similar|like|unlike|contradict\w*|match\w*|anything|not|also|"
                 r"by)\b)[^,;?.\-–—]")
_REPORTED_SPEECH = re.compile(
    rf"^(?:{_SIDE_BY_SIDE})*?"
    r"\b(?:say|says|said|sum(?:s|med)? up|summari[sz]e[sd]?|describe[sd]?|report(?:s|ed)?|write|writes|wrote|"
    r"think|thinks|thought|claim(?:s|ed)?|tell|tells|told|(?:summary|account|digest|version|reading) of)\b"
    rf"(?:{_SIDE_BY_SIDE})*$")
_A_QUESTION = re.compile(r"\?\s*$|^\W*(?:what|how|did|does|do|according|which|why|when|where|who|is|was|were|has|"
                         r"have|had)\b", re.IGNORECASE)
_ACCORDING_TO = re.compile(r"\baccording to\s+(?:the\s+)?$")


def reporting_document(text: str, documents: dict[str, DocumentInfo],
                       named: tuple[str, ...]) -> tuple[str, str] | None:
    """The document a question asks for its account of another it names (the digest in "What did the
    NHS Confederation digest say the NAO recommended?"), with the text without that document's names:
    the other's name is what the account is of ("The NAO recommends that ..."). None for a question
    setting two reports side by side ("What did the NAO and the PAC say?"). `named`: what find_documents
    found in the text."""
    pattern, by_name = _names_pattern(documents)
    if pattern is None or not _A_QUESTION.search(text):  # a claim ("The digest called the NAO's report ...")
        return None                                        # is checked against every report it may quote
    lowered = text.lower()
    if len(named) != 2:
        return None
    matches = [m for m in pattern.finditer(lowered) if by_name[m.group(0)] in named]
    first = matches[0]
    second = next(m for m in matches if by_name[m.group(0)] != by_name[first.group(0)])
    between = lowered[first.end():second.start()]
    if not (_REPORTED_SPEECH.match(between) or (_ACCORDING_TO.search(lowered[:first.start()])
                                                and re.search(r",", between))):
        return None
    speaker = by_name[first.group(0)]
    return speaker, pattern.sub(lambda m: " " if by_name[m.group(0)] == speaker else m.group(0), lowered)
