"""Check a text against the reports: each sentence that makes a claim gets a verdict and its evidence.

A claim is matched to the report sentence closest in meaning and words (the engine's retrieval picks
the passages; the sentence vectors and a word-overlap score pick the sentence). Then what a reader
checks first is compared: every figure, year and name of the claim must stand in that sentence's
passage. One that does not, where the source sentence has another in its place, is a difference
shown with both values; a claim with nothing close enough is "not in these reports".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from care_evidence.evidence.errors import QueryError
from care_evidence.evidence.limits import check_length
from care_evidence.evidence.models import Citation, Filters
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import Passage
from care_evidence.indexer.sentences import sentence_spans


class Verdict(StrEnum):
    SUPPORTED = "supported"
    DIFFERS = "differs"  # a figure, year, body or place differs from the report's
    PARTLY = "partly supported"
    NOT_IN_REPORTS = "not in these reports"


@dataclass(frozen=True)
class Evidence:
    passage: Passage
    citation: Citation
    sentence: str  # the report's sentence closest to the claim
    score: float  # meaning (cosine) plus a share of word overlap


@dataclass
class ClaimCheck:
    claim: str
    verdict: Verdict
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    differences: list[tuple[str, str]] = field(default_factory=list)  # (the claim's, the report's)

    def to_dict(self) -> dict:
        return {"claim": self.claim, "verdict": str(self.verdict), "message": self.message,
                "differences": [{"claim": a, "report": b} for a, b in self.differences],
                "evidence": [{"citation": str(e.citation), "passage_id": e.passage.id, "sentence": e.sentence,
                              "score": round(e.score, 3)} for e in self.evidence]}


@dataclass
class CheckResult:
    text: str
    excluded: tuple[str, ...]
    claims: list[ClaimCheck]

    def to_dict(self) -> dict:
        return {"excluded_documents": list(self.excluded), "claims": [c.to_dict() for c in self.claims]}

    def counts(self) -> dict[str, int]:
        return {str(v): sum(c.verdict == v for c in self.claims) for v in Verdict}

    def to_markdown(self) -> str:
        """The whole check as a reader would file it: each claim, its verdict and its evidence."""
        lines = ["# Claim check", ""]
        if self.excluded:
            lines += [f"Evidence excludes: {', '.join(self.excluded)}.", ""]
        lines += [", ".join(f"{n} {v}" for v, n in self.counts().items() if n) or "No claims found.", ""]
        for i, c in enumerate(self.claims, start=1):
            lines += [f"## {i}. {c.verdict}", "", f"> {c.claim}", "", c.message, ""]
            for e in c.evidence[:1]:
                lines += [f"- {e.citation}: \u201c{e.sentence}\u201d", ""]
        return "\n".join(lines)


# What a reader checks first: figures and years, and capitalised names that are not a sentence's first word.
_FIGURE = re.compile(r"[£$€]?\d[\d,]*(?:\.\d+)?(?:\s*(?:%|per cent|bn|billion|m\b|million|k\b|thousand))?"
                     r"(?:[-/–]\d{2,4})?")
_NAME = re.compile(r"(?<=[a-z,;:(] )(?:[A-Z][a-zA-Z'’&-]+)(?: (?:of |and )?[A-Z][a-zA-Z'’&-]+)*")
_NUMBER_WORDS = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|"
                           r"a third|a quarter|twice|double|treble)\b", re.IGNORECASE)


def claim_sentences(text: str, settings: Settings) -> list[str]:
    """The sentences of the text that can make a claim: not headings or fragments too short to."""
    flat = " ".join(text.split())
    out = []
    for start, end in sentence_spans(flat):
        sentence = flat[start:end].strip()
        if len(sentence.split()) >= settings.claim_min_words and not sentence.endswith("?"):
            out.append(sentence)
    return out


def checkable_items(text: str, ignored: frozenset[str] = frozenset()) -> list[str]:
    """Figures, years, number words and names in the claim, as written. Not checked: acronyms (the
    reports spell them out), and `ignored` names (the corpus's documents and publishers, which a claim
    names to say who said it)."""
    items = [m.group(0).strip() for m in _FIGURE.finditer(text)]
    items += [m.group(0) for m in _NUMBER_WORDS.finditer(text)]
    items += [m.group(0) for m in _NAME.finditer(text)
              if not re.fullmatch(r"[A-Z&]{2,6}s?", m.group(0)) and m.group(0).lower() not in ignored]
    return [i for i in dict.fromkeys(items) if i and not re.fullmatch(r"\d", i)]


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("–", "-").replace(",", "")
    text = re.sub(r"\s*(?:per cent)", "%", text)
    text = re.sub(r"(\d)\s*(?:bn|billion)\b", r"\1 billion", text)
    text = re.sub(r"(\d)\s*(?:m|million)\b", r"\1 million", text)
    text = re.sub(r"\b(\d{4})/(\d{2})\b", r"\1-\2", text)
    return " ".join(text.split())


def _stands_in(item: str, source: str) -> bool:
    item_n = _norm(item)
    pattern = r"(?<![\w.£$])" + re.escape(item_n) + r"(?![\w]|\.\d)"
    return re.search(pattern, _norm(source)) is not None


def differences(claim: str, sentence: str, passage_text: str,
                ignored: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(the claim's, the report's) for each figure, year or name of the claim that its evidence does
    not hold, where the aligned report sentence has another of the same form in its place."""
    missing = [i for i in checkable_items(claim, ignored) if not _stands_in(i, passage_text)]
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
        if hits and counterpart and not _stands_in(counterpart[0], claim):
            found.append((hits[0], counterpart[0]))
    if not found:  # not aligned word for word: pair each missing figure with one of the same form
        source_items = [i for i in checkable_items(sentence) if not _stands_in(i, claim)]
        for item in [m for m in missing if re.match(r"[£$€]?\d", m)]:
            same_form = [s for s in source_items if _form(s) == _form(item)]
            if same_form:
                found.append((item, same_form[0]))
    return list(dict.fromkeys(found))


def _words_of(text: str, terms: list[str]) -> list[str]:
    """The words of `text` as written whose stems are `terms`."""
    wanted = set(terms)
    return list(dict.fromkeys(w.strip(".,;:()'\"") for w in text.split() if content_terms(w) & wanted))


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
    return "word" if _NUMBER_WORDS.fullmatch(item) else "name"


class ClaimChecker:
    def __init__(self, view: IndexView, settings: Settings, candidates):
        """`candidates(text, filters)`: the engine's scored candidates and the text's vector."""
        self.view, self.settings, self._candidates = view, settings, candidates
        self._name_terms = frozenset().union(*(content_terms(n) for n in view.document_names))

    def closest(self, claim: str, filters) -> list[Evidence]:
        """Report sentences closest to the claim, best first, one per passage."""
        candidates, vector = self._candidates(claim, filters)
        if vector is None:
            return []
        scored = []
        for rank, c in enumerate(candidates[: self.settings.claim_candidates]):
            rows = self.view.sentence_rows(c.row)
            if not len(rows):
                continue
            sims = self.view.sentence_vectors[rows.start : rows.stop].astype(np.float32) @ vector
            best = None
            for offset, sim in enumerate(sims):
                text = self.view.sentence_text(rows.start + offset)
                words = fuzz.token_set_ratio(claim.lower(), text.lower()) / 100
                score = float(sim) + self.settings.claim_word_weight * words - self.settings.claim_rank_penalty * rank
                if best is None or score > best[0]:
                    best = (score, text)
            passage = self.view.passages[c.row]
            scored.append(Evidence(passage, self.view.citation(passage), best[1], best[0]))
        return sorted(scored, key=lambda e: -e.score)

    def check(self, text: str, exclude_docs: tuple[str, ...] = ()) -> CheckResult:
        """Every claim of the text with its verdict; the documents in `exclude_docs` (ids, labels or
        aliases) are not evidence (a digest is not checked against itself)."""
        check_length(text, "check")
        excluded = tuple(self.view.document_id(name) for name in exclude_docs)
        kept = tuple(d for d in self.view.documents if d not in excluded)
        if not kept:
            raise QueryError("every document is excluded: nothing is left to check the text against")
        filters = Filters(documents=kept) if excluded else Filters()
        return CheckResult(text, excluded, [self.check_claim(s, filters) for s in claim_sentences(text, self.settings)])

    def check_claim(self, claim: str, filters) -> ClaimCheck:
        evidence = self.closest(claim, filters)
        if not evidence or evidence[0].score < self.settings.claim_min_score:
            closest = f" The closest is {evidence[0].citation}." if evidence else ""
            return ClaimCheck(claim, Verdict.NOT_IN_REPORTS,
                              f"Not in these reports: no passage states this.{closest}", evidence[:3])
        best = evidence[0]
        diffs = differences(claim, best.sentence, best.passage.search_text, self.view.document_names)
        if diffs:
            said = "; ".join(f"the claim says {a!r}, {best.citation} says {b!r}" for a, b in diffs)
            return ClaimCheck(claim, Verdict.DIFFERS, f"Differs: {said}.", evidence[:3], diffs)
        unheld = [i for i in checkable_items(claim, self.view.document_names)
                  if not _stands_in(i, best.passage.search_text)]
        # "nine in ten", "a third", "half": a figure put in words, which the report states as a number
        approximate = [i for i in unheld if _NUMBER_WORDS.fullmatch(i)]
        unheld = [i for i in unheld if i not in approximate]
        # Words of the claim its evidence never uses ("abolished"): close in meaning is not the same claim.
        claim_terms = content_terms(claim) - self._name_terms
        unsaid = sorted(claim_terms - content_terms(best.passage.search_text))
        too_much_unsaid = len(unsaid) > self.settings.claim_max_unsaid_share * max(len(claim_terms), 1) or (
            bool(unsaid) and len(claim_terms) <= self.settings.claim_short_terms)
        if unheld or too_much_unsaid or best.score < self.settings.claim_supported_score:
            missing = unheld or (_words_of(claim, unsaid) if too_much_unsaid else [])
            part = f" Not found there: {', '.join(repr(i) for i in missing)}." if missing else ""
            return ClaimCheck(claim, Verdict.PARTLY,
                              f"Partly supported: {best.citation} says {best.sentence!r}.{part}", evidence[:3])
        note = (f" The claim puts a figure in words ({', '.join(repr(i) for i in approximate)}): compare it with "
                "the report's figure." if approximate else "")
        return ClaimCheck(claim, Verdict.SUPPORTED, f"Supported by {best.citation}: {best.sentence!r}.{note}",
                          evidence[:3])
