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

from care_evidence.evidence.claim_text import (
    NUMBER_WORDS,
    checkable_items,
    claims_in_context,
    differences,
    emphatic_unsaid,
    opposite,
    shortened_names,
    stands_in,
    unsaid_words,
    words_of,
)
from care_evidence.evidence.errors import QueryError
from care_evidence.evidence.limits import INPUT_LIMITS, check_length
from care_evidence.evidence.models import Citation, Filters
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.items import item_holding
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import FIGURE, TABLE, Passage

# "Figure 10 New care models ...": the title a Figure's or Table's first sentence is
_TITLE = re.compile(r"(?:Figure|Table) \w+\b")


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


def _as_text(text: str) -> str:
    """Text that Markdown shows as written: no links, emphasis or HTML from a pasted claim."""
    return re.sub(r"([\\`*_\[\]<>#~$|])", r"\\\1", " ".join(text.split()))


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
            lines += [f"## {i}. {c.verdict}", "", f"> {_as_text(c.claim)}", "", _as_text(c.message), ""]
            for e in c.evidence[:1]:
                lines += [f"- {_as_text(str(e.citation))}: \u201c{_as_text(e.sentence)}\u201d", ""]
        return "\n".join(lines)


class ClaimChecker:
    def __init__(self, view: IndexView, settings: Settings, candidates):
        """`candidates(text, filters)`: the engine's scored candidates and the text's vector."""
        self.view, self.settings, self._candidates = view, settings, candidates
        self.name_terms = frozenset().union(*(content_terms(n) for n in view.document_names))
        self._shortened: dict[str, frozenset[str]] | None = None

    @property
    def shortened(self) -> dict[str, frozenset[str]]:
        """How the reports shorten names they have given in full ("the Fund"), read once when first needed."""
        if self._shortened is None:
            self._shortened = shortened_names(p.text for p in self.view.passages)
        return self._shortened

    def closest(self, claim: str, filters, context: str = "") -> list[Evidence]:
        """Report sentences closest to the claim, best first, one per passage. A sentence longer than a
        question may be is searched by its opening (a pasted text without full stops is one sentence).
        `context`, the sentence a claim points back to ("This programme ..."), is searched with it."""
        limit = INPUT_LIMITS["question"]
        searched = f"{context[: limit // 4]} {claim}" if context else claim
        candidates, vector = self._candidates(searched[:limit], filters)
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
                if self.view.passages[c.row].kind in (FIGURE, TABLE) and _TITLE.match(text):
                    continue  # a chart's title names a subject; it states nothing a claim could rest on
                words = fuzz.token_set_ratio(claim.lower(), text.lower()) / 100
                score = float(sim) + self.settings.claim_word_weight * words - self.settings.claim_rank_penalty * rank
                if best is None or score > best[0]:
                    best = (score, text)
            if best is None:  # every sentence of the passage is a Figure's or Table's title
                continue
            passage = item_holding(self.view.passages[c.row], best[1])
            sentence = re.sub(r"^[•-]\s*[a-z]\s+", "", best[1]) if passage.locator.endswith(")") else best[1]
            scored.append(Evidence(passage, self.view.citation(passage), sentence, best[0]))
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
        return CheckResult(text, excluded, [self.check_claim(claim, filters, context)
                                            for claim, context in claims_in_context(text, self.settings)])

    def says_too_little(self, claim: str, best: Evidence) -> bool:
        """The closest passage is not close enough and lacks most of the claim's words: it does not say it."""
        unsaid, counted = unsaid_words(claim, best.passage.search_text, self.name_terms)
        # A short claim is its few words: one of them missing ("abolished"), and not as close as a
        # rewording, is a claim the passage does not make.
        short_and_unsaid = (bool(unsaid) and counted <= self.settings.claim_short_terms
                            and best.score < self.settings.claim_reworded_score)
        return best.score < self.settings.claim_absent_below and (
            len(unsaid) / max(counted, 1) > self.settings.claim_absent_unsaid_share or short_and_unsaid)

    def check_claim(self, claim: str, filters, context: str = "") -> ClaimCheck:
        evidence = self.closest(claim, filters, context)
        if not evidence or evidence[0].score < self.settings.claim_min_score:
            closest = f" The closest is {evidence[0].citation}." if evidence else ""
            return ClaimCheck(claim, Verdict.NOT_IN_REPORTS,
                              f"Not in these reports: no passage states this.{closest}", evidence[:3])
        best = evidence[0]
        # Words of the claim its evidence never uses ("abolished"): close in meaning is not the same claim.
        unsaid, counted = unsaid_words(claim, best.passage.search_text, self.name_terms)
        share = len(unsaid) / max(counted, 1)
        ranked = emphatic_unsaid(claim, [e.passage.search_text for e in evidence[:3]])
        if ranked:  # "ranked Wales as the best-performing": the judgement is the claim
            return ClaimCheck(claim, Verdict.NOT_IN_REPORTS,
                              f"Not in these reports: the closest passage, {best.citation}, does not say this "
                              f"({', '.join(repr(w) for w in ranked)} not there).", evidence[:3])
        if self.says_too_little(claim, best):
            return ClaimCheck(claim, Verdict.NOT_IN_REPORTS,
                              f"Not in these reports: the closest passage, {best.citation}, does not say this "
                              f"({', '.join(repr(w) for w in words_of(claim, unsaid))} not there).", evidence[:3])
        diffs = differences(claim, best.sentence, best.passage.search_text, self.view.document_names)
        turned = opposite(claim, best.sentence)
        if turned and not diffs:
            return ClaimCheck(claim, Verdict.DIFFERS, f"Differs: the claim says {turned[0]!r} where {best.citation} "
                              f"says {turned[1]!r}: {best.sentence!r}", evidence[:3], [turned])
        if diffs:
            said = "; ".join(f"the claim says {a!r}, {best.citation} says {b!r}" for a, b in diffs)
            return ClaimCheck(claim, Verdict.DIFFERS, f"Differs: {said}.", evidence[:3], diffs)
        unheld = [i for i in checkable_items(claim, self.view.document_names)
                  if not stands_in(i, f"{best.passage.search_text} {best.passage.locator}", self.shortened)]
        # "nine in ten", "a third", "half": a figure put in words, which the report states as a number
        approximate = [i for i in unheld if NUMBER_WORDS.fullmatch(i)]
        unheld = [i for i in unheld if i not in approximate]
        # In a short claim one word can be the whole claim ("abolished"), unless the claim is as close to
        # its sentence as a rewording is ("rose" for "increased", scoring over claim_reworded_score).
        too_much_unsaid = share > self.settings.claim_max_unsaid_share or (
            bool(unsaid) and counted <= self.settings.claim_short_terms
            and best.score < self.settings.claim_reworded_score)
        if unheld or too_much_unsaid or best.score < self.settings.claim_supported_score:
            missing = unheld or (words_of(claim, unsaid) if too_much_unsaid else [])
            part = f" Not found there: {', '.join(repr(i) for i in missing)}." if missing else ""
            return ClaimCheck(claim, Verdict.PARTLY,
                              f"Partly supported: {best.citation} says {best.sentence!r}.{part}", evidence[:3])
        note = (f" The claim puts a figure in words ({', '.join(repr(i) for i in approximate)}): compare it with "
                "the report's figure." if approximate else "")
        return ClaimCheck(claim, Verdict.SUPPORTED, f"Supported by {best.citation}: {best.sentence!r}.{note}",
                          evidence[:3])
