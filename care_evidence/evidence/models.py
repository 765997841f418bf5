"""Typed objects the query engine returns: answers, citations, scored passages, lookups."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from care_evidence.evidence.errors import QueryError
from care_evidence.indexer.metadata import is_date
from care_evidence.indexer.models import PASSAGE_KINDS, DocumentInfo, Passage


def names_document(name: str, doc: DocumentInfo) -> bool:
    """Whether `name` is the document's id, label or one of its aliases ("PAC", "Nuffield"), in any case."""
    return name.strip().lower() in {n.lower() for n in (doc.id, doc.label, *doc.aliases)}


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval by document (id, label or alias), passage kind and document date (YYYY or
    YYYY-MM-DD)."""

    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""

    def __post_init__(self):
        """A filter that cannot match anything by its form is refused, not applied silently."""
        unknown = [k for k in self.kinds if k not in PASSAGE_KINDS]
        if unknown:
            raise QueryError(f"no passage kind {unknown[0]!r}; kinds are {', '.join(PASSAGE_KINDS)}")
        for name, value in (("from", self.date_from), ("to", self.date_to)):
            if value and not is_date(value):
                raise QueryError(f"the {name} date {value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        if self.date_from and self.date_to and self.date_from > self.date_to + "~":
            raise QueryError(f"the from date {self.date_from} is after the to date {self.date_to}")

    def describe(self) -> str:
        """The filters in words, for a message: "document PAC; kind table; dated from 2020"."""
        parts = []
        if self.documents:
            parts.append("document " + " or ".join(self.documents))
        if self.kinds:
            parts.append("kind " + " or ".join(self.kinds))
        if self.date_from:
            parts.append(f"dated from {self.date_from}")
        if self.date_to:
            parts.append(f"dated up to {self.date_to}")
        return "; ".join(parts)

    def allows(self, passage: Passage, doc: DocumentInfo) -> bool:
        return self.allows_document(doc) and (not self.kinds or passage.kind in self.kinds)

    def allows_document(self, doc: DocumentInfo) -> bool:
        if self.documents and not any(names_document(name, doc) for name in self.documents):
            return False
        if self.date_from and (doc.date or "0") < self.date_from:
            return False
        return not (self.date_to and (doc.date or "9") > self.date_to + "~")

    @property
    def active(self) -> bool:
        return bool(self.documents or self.kinds or self.date_from or self.date_to)


OCR_CAUTION = "OCR text: check figures and table cells against the original PDF"


@dataclass(frozen=True)
class Citation:
    """Where a passage stands: "NAO 2017, para 2.7" (", p. 60" where the page is known)."""

    passage_id: str
    doc_id: str
    label: str
    locator: str
    page: int | None = None
    ocr: bool = False  # the document's text was read by OCR: check figures against the original
    page_end: int | None = None  # a passage running over a page break: "pp. 34-35"

    def __str__(self) -> str:
        page = ""
        if self.page and not self.locator.startswith("p."):
            running_on = self.page_end and self.page_end != self.page
            page = f", pp. {self.page}-{self.page_end}" if running_on else f", p. {self.page}"
        return f"{self.label}, {self.locator}{page}"

    def to_dict(self) -> dict:
        return {**asdict(self), "text": str(self)}


@dataclass(frozen=True)
class FigureMention:
    """A figure shown in an answer: `printed` is verbatim in passage `passage_id` at start:end."""

    printed: str
    kind: str
    value: float | None
    unit: str
    passage_id: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ScoredPassage:
    passage: Passage
    citation: Citation
    score: float
    sentence: tuple[int, int] | None = None  # best-matching sentence, as a span of passage.search_text
    also_in: list[Citation] = field(default_factory=list)

    @property
    def sentence_text(self) -> str:
        if not self.sentence:
            return ""
        return self.passage.search_text[self.sentence[0] : self.sentence[1]]

    def to_dict(self) -> dict:
        return {
            "id": self.passage.id, "document": self.citation.label, "locator": self.passage.locator,
            "page": self.passage.page, "kind": self.passage.kind, "citation": str(self.citation),
            "score": round(self.score, 4), "text": self.passage.text, "matched_sentence": self.sentence_text,
            "also_in": [str(c) for c in self.also_in], "ocr": self.citation.ocr,
        }


@dataclass
class AnswerSentence:
    text: str
    citation: Citation
    figures: list[FigureMention] = field(default_factory=list)
    part: str = ""  # the part of a comparison it answers ("Scotland", "PAC 2018"), shown before it
    # Read from a table's cells ("Transformation, 2019-20 (£bn): 3.4"), not a sentence the report prints:
    # shown as read, never as a quotation.
    from_cells: bool = False

    def to_dict(self) -> dict:
        return {"text": self.text, "citation": str(self.citation), "figures": [f.printed for f in self.figures],
                "ocr": self.citation.ocr, "part": self.part, "from_cells": self.from_cells}


@dataclass
class Answer:
    question: str
    found: bool
    message: str
    sentences: list[AnswerSentence] = field(default_factory=list)
    passages: list[ScoredPassage] = field(default_factory=list)
    asked_for: tuple[str, ...] = ()  # the kinds of figure the question asks for
    caveat: str = ""  # what a found answer does not answer ("its recommendations are not in the text held here")
    parts: tuple[str, ...] = ()  # a comparison's parts ("England", "Wales", ...), each answered on its own
    series: list = field(default_factory=list)  # a figure over time: SeriesPoint per period, earliest first
    table: object | None = None  # a TableAnswer: the table the answer reads cells from, as rows and columns
    reading: str = ""  # what the text cannot tell ("its OCR text has lost the column headings"): not a caveat
    # about whether the reports answer, but about how far the table quoted can be read

    @property
    def figures(self) -> list[FigureMention]:
        return [f for s in self.sentences for f in s.figures]

    def citation_shown_after(self) -> list[bool]:
        """Per answer sentence, whether its citation follows it: once after a run of sentences from
        one passage (a list after its lead-in), not after each."""
        s = self.sentences
        return [i + 1 == len(s) or s[i + 1].citation != s[i].citation for i in range(len(s))]

    def also_in(self) -> list[Citation]:
        """Other places stating what the answer's passages say (their folded duplicates)."""
        cited = {s.citation.passage_id for s in self.sentences}
        out = []
        for p in self.passages:
            members = {p.passage.id, *(c.passage_id for c in p.also_in)}
            if members & cited:
                out += [c for c in [p.citation, *p.also_in] if c.passage_id not in cited]
        return out

    @property
    def citations(self) -> list[Citation]:
        """The answer's citations, then the other places that state the same fact."""
        seen, out = set(), []
        for c in [s.citation for s in self.sentences] + self.also_in():
            if c.passage_id not in seen:
                seen.add(c.passage_id)
                out.append(c)
        return out

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences) if self.found else self.message

    def part_rows(self) -> list[tuple[str, list[AnswerSentence]]]:
        """A comparison as rows: each part with the sentences answering it (none: not in these reports)."""
        return [(label, [s for s in self.sentences if label in s.part.split(", ")]) for label in self.parts]

    def overview(self) -> list[AnswerSentence]:
        """A comparison's sentences that answer no one part: the answer to the question as a whole."""
        return [s for s in self.sentences if not s.part]

    def to_dict(self) -> dict:
        return {
            "question": self.question, "found": self.found, "answer": self.text, "message": self.message,
            "caveat": self.caveat, "reading": self.reading,
            "figures": [f.to_dict() for f in self.figures], "citations": [str(c) for c in self.citations],
            "sentences": [s.to_dict() for s in self.sentences], "passages": [p.to_dict() for p in self.passages],
            "parts": [{"part": label, "found": bool(sentences), "sentences": [s.text for s in sentences],
                       "from_cells": [s.from_cells for s in sentences]} for label, sentences in self.part_rows()],
            "series": [p.to_dict() for p in self.series],
            "table": self.table.to_dict() if self.table is not None else None,
        }


@dataclass
class Difference:
    """One change between a pasted quote and the passage text: op is replace, insert or delete."""

    op: str
    quoted: str
    source: str


@dataclass
class LookupResult:
    query: str
    kind: str  # reference or quote
    status: str  # found, ambiguous, not found (references); verbatim, altered, not found (quotes)
    message: str
    passages: list[ScoredPassage] = field(default_factory=list)
    candidates: list[Citation] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    matched_text: str = ""

    @property
    def found(self) -> bool:
        return self.status in ("found", "verbatim", "altered", "paraphrase")

    def to_dict(self) -> dict:
        return {
            "query": self.query, "kind": self.kind, "status": self.status, "message": self.message,
            "passages": [p.to_dict() for p in self.passages], "candidates": [str(c) for c in self.candidates],
            "differences": [asdict(d) for d in self.differences], "matched_text": self.matched_text,
        }
