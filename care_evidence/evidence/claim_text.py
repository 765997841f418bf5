"""How a claim's words are compared with a report's: the figures, years, number words and names a
reader checks first, the attribution a claim opens with ("the report notes that"), acronyms the
reports spell out, and the words of a claim its evidence never uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz.distance import Levenshtein

from care_evidence.evidence.settings import Settings
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.sentences import sentence_spans

# What a reader checks first: figures and years, and capitalised names that are not a sentence's first word.
_FIGURE = re.compile(r"(?<![A-Za-z])[£$€]?\d[\d,]*(?:\.\d+)?(?:\s*(?:%|per cent|bn|billion|m\b|million|k\b|thousand))?"
                     r"(?:[-/–]\d{2,4})?")
_NAME = re.compile(r"(?<=[a-z,;:(] )(?:[A-Z][a-zA-Z'’&-]+)(?: (?:of |and )?[A-Z][a-zA-Z'’&-]+)*")
_NATION = re.compile(r"\b(?:England|Scotland|Wales|Northern Ireland)\b")
# A name that opens a sentence: two or more capitalised words ("NHS Improvement"), after an optional
# "The" or "In"; one capitalised word alone opens most sentences and is no name.
_OPENING_NAME = re.compile(r"^(?:(?:The|In|By|For|A|An) )?([A-Z][\w'’&-]*(?: (?:of |and |for )?[A-Z][\w'’&-]*)+)")
NUMBER_WORDS = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|"
                           r"a third|a quarter|twice|double|treble)\b", re.IGNORECASE)


def claim_sentences(text: str, settings: Settings) -> list[str]:
    """The sentences of the text that can make a claim: not headings or fragments too short to."""
    return [claim for claim, _ in claims_in_context(text, settings)]


# A sentence that opens by pointing back ("This programme seeks ...", "Both were above target") is
# about what the sentence before it names.
POINTS_BACK = re.compile(r"^(?:This|These|That|Those|It|Its|They|Their|Both|Such|The latter|The former)\b")


def subject_of(sentence: str) -> str:
    """What a sentence is about, for the one after it that points back: its names and acronyms ("The
    Better Care Fund pooled £5.3 billion ..." -> "Better Care Fund"), else the sentence itself."""
    names = [n for n in checkable_items(sentence) if not re.match(r"[£$€]?\d", n) and not NUMBER_WORDS.fullmatch(n)]
    names += re.findall(r"\b[A-Z]{2,6}s?\b", sentence)
    return " ".join(dict.fromkeys(names)) or sentence


def claims_in_context(text: str, settings: Settings) -> list[tuple[str, str]]:
    """(claim, what the sentence before it in its paragraph is about when the claim points back to it,
    else "").

    A paragraph (text between blank lines) is read on its own. A paragraph of short lines none of which
    ends a sentence, with more text after it, is a title, date or byline, not the start of the sentence
    after it; a line is never dropped from inside a paragraph (a text wrapped at 70 columns is one
    paragraph), nor is the last paragraph ("Emergency admissions fell by 87,000 in 2015-16", pasted
    alone, is a claim)."""
    blocks = [[line.strip() for line in block.splitlines() if line.strip()] for block in re.split(r"\n\s*\n", text)]
    blocks = [lines for lines in blocks if lines]
    out = []
    for number, lines in enumerate(blocks):
        titles = number < len(blocks) - 1 and all(_heading_line(line, settings) for line in lines)
        if lines[0].startswith("#") or titles:
            continue
        flat = " ".join(" ".join(lines).split())
        before = ""
        for start, end in sentence_spans(flat, merge_short=False):
            sentence = flat[start:end].strip()
            # a short sentence pointing back is a claim too ("It saved £511 million.", "Both were above
            # target."); other short ones are cross-references and datelines ("See Figure 3.")
            points_back = POINTS_BACK.match(sentence) is not None
            words = len(sentence.split())
            long_enough = words >= settings.claim_min_words or (points_back and words >= 3)
            if long_enough and not sentence.endswith("?"):
                out.append((sentence, subject_of(before) if points_back else ""))
            before = sentence
    return out


def _heading_line(line: str, settings: Settings) -> bool:
    return len(line.split()) <= settings.heading_max_words and not re.search(r"[.!?:;\u201d\"')]$", line)


def checkable_items(text: str, ignored: frozenset[str] = frozenset()) -> list[str]:
    """Figures, years, number words and names in the claim, as written. Not checked: acronyms (the
    reports spell them out), and `ignored` names (the corpus's documents and publishers, which a claim
    names to say who said it)."""
    items = [m.group(0).strip() for m in _FIGURE.finditer(text)]
    items += [m.group(0) for m in NUMBER_WORDS.finditer(text)]
    names = [m.group(0) for m in _NAME.finditer(text)]
    opening = _OPENING_NAME.match(text)  # "NHS Improvement is ...", "The Integration Partnership Board ..."
    if opening:
        name = re.sub(r"^(?:The|In|By|For|A|An) ", "", opening.group(1))
        if " " in name:
            names.insert(0, name)
    # "Scotland has had ...": a nation is a place to check even where it opens the sentence alone
    names += [m.group(0) for m in _NATION.finditer(text) if m.group(0) not in names]
    names = [re.sub(r"['’]s?$", "", n) for n in names]  # "NHS England's" names NHS England
    # "Department" inside "Department for Communities and Local Government" is not a name of its own
    names = [n for n in names if not any(n != other and n in other for other in names)]
    items += [n for n in names if not re.fullmatch(r"[A-Z&]{2,6}s?", n) and n.lower() not in ignored]
    return [i for i in dict.fromkeys(items) if i and not re.fullmatch(r"\d", i)]


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("–", "-").replace(",", "")
    text = re.sub(r"\s*(?:per cent)", "%", text)
    text = re.sub(r"(\d)\s*(?:bn|billion)\b", r"\1 billion", text)
    text = re.sub(r"(\d)\s*(?:m|million)\b", r"\1 million", text)
    text = re.sub(r"\b(\d{4})/(\d{2})\b", r"\1-\2", text)
    return " ".join(text.split())


def stands_in(item: str, source: str, shortened: Mapping[str, frozenset[str]] | None = None) -> bool:
    """The figure or name stands in the source, as written or, for a name the reports shorten once
    they have named it (`shortened`, from shortened_names: "the Fund" for the Better Care Fund), as
    shortened."""
    item_n = _norm(item)
    pattern = r"(?<![\w.£$])" + re.escape(item_n) + r"(?![\w]|\.\d)"
    if re.search(pattern, _norm(source)):
        return True
    return any(re.search(rf"\bthe {re.escape(short)}\b", source) for short in (shortened or {}).get(item, ()))


# "The Better Care Fund (the Fund)", "Care Quality Commission (CQC)": a name and how a report shortens it
_DEFINED = re.compile(r"((?:[A-Z][\w’'&-]*)(?: (?:and |of |for |on )?[A-Z][\w’'&-]*)+) "
                      r"\((?:the )?([A-Z][a-z][\w’'-]*)\)")


def shortened_names(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """The names the texts shorten to one capitalised word after naming them in full, each with its
    short forms: {"Better Care Fund": {"Fund"}}."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for m in _DEFINED.finditer(text):
            found.setdefault(re.sub(r"^(?:The|A|An) ", "", m.group(1)), set()).add(m.group(2))
    return {name: frozenset(shorts) for name, shorts in found.items()}


def differences(claim: str, sentence: str, passage_text: str,
                ignored: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(the claim's, the report's) for each figure, year or name of the claim that its evidence does
    not hold, where the aligned report sentence has another of the same form in its place."""
    sentence = _GLUED_MARKER.sub(r"\1", sentence)  # "(2007/08).95": footnote 95, not a figure
    # A figure or name is checked against the sentence it is aligned with, not anywhere in its passage:
    # "In Scotland, there is a cap ..." is not supported by "In Wales, there is a cap ..." because the
    # paragraph mentions Scotland elsewhere. The passage still counts where no sentence aligns.
    missing = [i for i in checkable_items(claim, ignored) if not stands_in(i, sentence)]
    if not missing:
        return []
    claim_words, source_words = claim.split(), sentence.split()
    ops = Levenshtein.opcodes([_norm(w) for w in claim_words], [_norm(w) for w in source_words])
    found = []
    for op, i1, i2, j1, j2 in ops:
        if op != "replace":
            continue
        said, source = " ".join(claim_words[i1:i2]), " ".join(source_words[j1:j2])
        hits = [m for m in missing if m in said or said.strip(".,;:()") in m]
        # the whole figure or name of the sentence the replaced words are part of ("£329" of "£329 million")
        counterpart = [s for s in checkable_items(sentence) if hits and _form(s) == _form(hits[0])
                       and source.strip(".,;:()") in s] or [s for s in checkable_items(source)
                                                            if hits and _form(s) == _form(hits[0])]
        if hits and counterpart and not stands_in(counterpart[0], claim) and _norm(hits[0]) != _norm(counterpart[0]):
            found.append((hits[0], counterpart[0]))
    if not found:  # not aligned word for word: pair each missing figure with one of the same form
        source_items = [i for i in checkable_items(sentence) if not stands_in(i, claim)]
        for item in [m for m in missing if re.match(r"[£$€]?\d", m)]:
            same_form = [s for s in source_items if _form(s) == _form(item)]
            if same_form:
                found.append((item, same_form[0]))
    return list(dict.fromkeys(found))


def words_of(text: str, terms: list[str]) -> list[str]:
    """The words of `text` as written whose stems are `terms`."""
    wanted = set(terms)
    return list(dict.fromkeys(w.strip(".,;:()'\"") for w in text.split() if content_terms(w) & wanted))


# A footnote marker glued to a word or bracket by its punctuation, as PDF text has them ("care.26",
# "(2007/08).95"); not "£5.3", "A.3" or "Wales:7".
_GLUED_MARKER = re.compile(r"(?:(?<=[A-Za-z]{2})|(?<=\)))([.,]['’\"”)]?)\d{1,3}(?:,\d{1,3})*(?=\s|$)")


def _form(item: str) -> str:
    """"£", "%", "year", "period", "number", "word" or "name": figures are paired with their like."""
    if item.startswith(("£", "$", "€")):
        return "money"
    if "%" in item or "per cent" in item:
        return "percent"
    if re.fullmatch(r"(?:19|20)\d\d(?:[-/–]\d{2,4})?", item):
        return "year"
    if re.match(r"\d", item):
        return "number"
    return "word" if NUMBER_WORDS.fullmatch(item) else "name"


# "The report notes that ...", "According to the NAO, ...", "Looking to the future, the report notes
# that ...": who said it and how a writer leads in, not what is claimed.
_ATTRIBUTION = re.compile(
    r"^(?:according to [^,]{1,60},\s*|(?:[^,]{1,60},\s+)?(?:the |its |their )?(?:[\w&'’-]+\s+){0,2}?"
    r"(?:report|nao|pac|committee|mps|trust|digest|authors?|study|it|they|we|auditors?|confederation)\s+"
    r"(?:also\s+|further\s+)?(?:notes?|finds?|found|says?|said|states?|observes?|observed|argues?|concludes?|"
    r"concluded|recommends?|recommended|shows?|showed|highlights?|warns?|warned|quotes?|suggests?|estimates?|"
    r"reports?|points? out)\s+(?:that\s+)?)", re.IGNORECASE)
# Stems of the words a writer reports with; never a claim's substance.
_REPORTING = content_terms("report reports notes finds found says said states observes argues concludes "
                           "recommends shows highlights warns quotes suggests estimates looking moving turning "
                           "also begins parallel")
_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")


def claim_core(claim: str) -> str:
    """The claim without the attribution it opens with."""
    core = _ATTRIBUTION.sub("", claim.strip(), count=1)
    return core[:1].upper() + core[1:] if core else claim


def _spelled_out(acronym: str, text: str) -> bool:
    """The text spells the acronym out: "BCF" in "Better Care Fund", "STP" in "Sustainability and
    Transformation Plans"."""
    words = re.findall(r"[A-Z][a-z]+|(?<= )(?:and|of|for|the) (?=[A-Z])", text)
    initials = "".join(w[0] for w in words if w[0].isupper())
    return acronym in initials


def said_terms(text: str) -> frozenset[str]:
    """The text's content words (stemmed), hyphenated words also by their parts: "over-optimistic"
    says "optimistic"."""
    return content_terms(text) | content_terms(text.replace("-", " "))


def unsaid_words(claim: str, evidence_text: str, ignored_terms: frozenset[str]) -> tuple[list[str], int]:
    """The stems of the claim's words that its evidence never uses, and how many stems the claim has:
    names of who said it, reporting words, figures (compared on their own) and acronyms the evidence
    spells out are left out of both."""
    core = claim_core(claim)
    spelled = {content_terms(a).__iter__().__next__() for a in _ACRONYM.findall(core)
               if content_terms(a) and _spelled_out(a, evidence_text)}
    terms = {t for t in content_terms(core) - ignored_terms - _REPORTING - spelled if not re.search(r"\d", t)}
    said = said_terms(evidence_text)
    # a figure's unit ("million" of "£511 million") is checked with its figure ("£511m"), not as a word
    units = content_terms(" ".join(m.group(0) for m in _FIGURE.finditer(core)))
    return sorted(terms - said - units), len(terms)


# Words that rank ("the best-performing country", "the largest fall"): a claim made of one is that judgement,
# and passages that never rank so do not make it, however close in meaning. Words of one rank say the same
# ("biggest" for "largest", "least" for "lowest"). "Full" and "fully" say all of it, but are said in passing
# as often ("the full £197 million"): they count only inside quotation marks ("achieved full integration").
_RANKS = {"best": "best", "worst": "worst", "ranked": "ranked", "ranking": "ranked",
          "highest": "most", "largest": "most", "biggest": "most", "greatest": "most", "most": "most",
          "lowest": "least", "smallest": "least", "least": "least", "fewest": "least",
          "full": "full", "fully": "full"}
_RANK_WORD = re.compile(rf"(?<![\w-])({'|'.join(_RANKS)})(?![\w])", re.IGNORECASE)
_CLAIMING = frozenset(_RANKS) - {"most", "least", "full", "fully"}  # what makes a claim a ranking


def emphatic_unsaid(claim: str, evidence_texts: list[str] | str, all_of_it: bool = False) -> list[str]:
    """The claim's ranking words ("best", "ranked", "largest"), and with `all_of_it` its "full" and "fully",
    that none of the evidence texts says in a word of the same rank."""
    texts = [evidence_texts] if isinstance(evidence_texts, str) else evidence_texts
    said = {_RANKS[m.group(1).lower()] for text in texts for m in _RANK_WORD.finditer(text)}
    claimed = [m.group(1).lower() for m in _RANK_WORD.finditer(claim_core(claim))]
    words = dict.fromkeys(w for w in claimed if w in _CLAIMING or (all_of_it and _RANKS[w] == "full"))
    return [w for w in words if _RANKS[w] not in said]


# Words that turn a statement round: a claim and its evidence must agree on them, however close their
# meaning vectors (which barely tell "increased" from "decreased").
_UP = re.compile(r"\b(?:rise|rises|rose|risen|rising|increase|increases|increased|increasing|grew|grow|grows|grown|"
                 r"growing|higher|up|doubled|tripled|more than doubled)\b", re.IGNORECASE)
_DOWN = re.compile(r"\b(?:fall|falls|fell|fallen|falling|decrease|decreases|decreased|decreasing|decline|declines|"
                   r"declined|declining|reduce|reduces|reduced|reducing|reduction|cut|cuts|lower|fewer|down|dropped|"
                   r"drop|drops|shrank|halved)\b", re.IGNORECASE)


def opposite(claim: str, sentence: str) -> tuple[str, str] | None:
    """(the claim's word, the report's word) where the claim goes up and its sentence down, or the
    reverse; else None. (A negation in one and not the other was tried too: in a claim of two clauses
    the "not" is often in the one the sentence does not cover, and it cost a faithful claim and an
    altered one on the helper-written rows, so it is not used.)"""
    core = claim_core(claim)
    said_up, said_down = _UP.search(core), _DOWN.search(core)
    source_up, source_down = _UP.search(sentence), _DOWN.search(sentence)
    if said_up and not said_down and source_down and not source_up:
        return said_up.group(0), source_down.group(0)
    if said_down and not said_up and source_up and not source_down:
        return said_down.group(0), source_up.group(0)
    return None
