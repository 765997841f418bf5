"""Typed objects that cross every boundary: documents, passages and the quantities in them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Passage kinds. Kept as plain strings so they read naturally in JSON and filters.
PARAGRAPH = "paragraph"
SUMMARY_PARAGRAPH = "summary paragraph"
APPENDIX_PARAGRAPH = "appendix paragraph"
FOOTNOTE = "footnote"
FIGURE = "figure"
TABLE = "table"
BOX = "box"
KEY_FACT = "key fact"
KEY_POINT = "key point"
PASSAGE_KINDS = (
    PARAGRAPH, SUMMARY_PARAGRAPH, APPENDIX_PARAGRAPH, FOOTNOTE, FIGURE, TABLE, BOX, KEY_FACT, KEY_POINT,
)
PROSE_KINDS = frozenset({PARAGRAPH, SUMMARY_PARAGRAPH, APPENDIX_PARAGRAPH})  # running text, not a unit or a note


@dataclass(frozen=True)
class DocumentInfo:
    """One corpus file and how it is cited."""

    id: str
    file: str
    label: str
    title: str
    publisher: str = ""
    date: str = ""
    kind: str = "document"
    parser: str = "generic"
    aliases: tuple[str, ...] = ()
    sha256: str = ""
    ocr: bool = False  # text read by OCR from a scan: a figure or a table cell may be misread
    coverage: str = ""  # what part of the original the corpus holds, when not all of it
    paper: str = ""  # the paper number it was printed under ("HC 1011"), when it has one
    url: str = ""  # where it can be read, where the document says so

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DocumentInfo:
        return cls(**{**data, "aliases": tuple(data.get("aliases", ()))})


@dataclass(frozen=True)
class Quantity:
    """A number stated in a passage ("£5.3bn", "82.7%", "2015-16"), with its span in the printed text."""

    printed: str
    start: int
    end: int
    kind: str  # money, percent, rate, count, period, year
    value: float | None
    unit: str
    period: str = ""  # for periods: normalised "2015-16"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Quantity:
        return cls(**data)


@dataclass
class Passage:
    """One citable unit of a document.

    `segments` are character spans in the document's source text; a paragraph broken by footnotes
    printed in the middle of it has several. `text` is exactly those spans joined by a blank line.
    """

    id: str
    doc_id: str
    kind: str
    locator: str
    section: tuple[str, ...]
    segments: tuple[tuple[int, int], ...]
    text: str
    search_text: str
    page: int | None = None
    order: int = 0
    title: str = ""
    page_end: int | None = None  # the last page, for a passage running over a page break ("pp. 34-35")
    footnote_refs: tuple[int, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    group: str | None = None
    context: str = ""  # retrieval-only text, e.g. the sentence that cites a footnote

    @property
    def retrieval_text(self) -> str:
        """What lexical and dense passage retrieval index: the section headings, the search text and
        its context. A paragraph under "Northern Ireland" or "Our audit approach" is about that even
        when it does not say so (`python -m care_evidence.eval`: MRR@10 0.817 -> 0.834 with the headings). A
        footnote under the heading "Footnotes" learns nothing from it; its context, the sentence
        citing it, says what it is about."""
        headings = "".join(f"{h}. " for h in self.section if h.lower() != "footnotes")
        text = headings + self.search_text
        return f"{text} {self.context}" if self.context else text

    @property
    def span(self) -> tuple[int, int]:
        return self.segments[0][0], self.segments[-1][1]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["section"] = list(self.section)
        data["segments"] = [list(s) for s in self.segments]
        data["footnote_refs"] = list(self.footnote_refs)
        data["quantities"] = [q.to_dict() for q in self.quantities]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(
            **{
                **data,
                "section": tuple(data["section"]),
                "segments": tuple(tuple(s) for s in data["segments"]),
                "footnote_refs": tuple(data.get("footnote_refs", ())),
                "quantities": tuple(Quantity.from_dict(q) for q in data.get("quantities", ())),
            }
        )


@dataclass
class DuplicateGroup:
    """Passages in several places stating the same fact; `primary` is cited first."""

    id: str
    primary: str
    members: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FileProblem:
    """A corpus file that could not be indexed, and why."""

    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"
