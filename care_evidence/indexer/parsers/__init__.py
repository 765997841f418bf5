"""One parser per shape of document, chosen by name in corpus/metadata.toml."""

from __future__ import annotations

import re
from collections.abc import Callable

from care_evidence.indexer.corpus import SourceText
from care_evidence.indexer.models import FOOTNOTE, DocumentInfo, Passage
from care_evidence.indexer.parsers.common import clean_markdown, dedupe_ids
from care_evidence.indexer.parsers.generic import parse_generic, parse_paragraphs
from care_evidence.indexer.parsers.nao import parse_nao
from care_evidence.indexer.parsers.nuffield import parse_nuffield
from care_evidence.indexer.parsers.pac import parse_pac
from care_evidence.indexer.parsers.webpage import parse_webpage

Parser = Callable[[str, DocumentInfo], list[Passage]]
PARSERS: dict[str, Parser] = {
    "nao": parse_nao,
    "pac": parse_pac,
    "nuffield": parse_nuffield,
    "webpage": parse_webpage,
    "generic": parse_generic,
}


def parse_pdf(source: SourceText) -> list[Passage]:
    """Paragraphs of each PDF page, cited by page (its printed number where it prints one) and order on
    the page."""
    passages: list[Passage] = []
    layout = source.layout
    for number, region in enumerate(source.pages, start=1):
        page = number
        if layout is not None and layout.numbered:
            page = layout.printed[number - 1]
        passages += parse_paragraphs(source.text, source.doc, page=page, region=region,
                                     first_order=len(passages))
    return passages


def parse_document(source: SourceText) -> list[Passage]:
    """Passages of one document, by the parser its metadata names or, for a PDF, the parser of the shape
    its layout shows (by page when none fits); a PDF's passages know their printed pages."""
    if source.pages and source.shape:
        passages = PARSERS[source.shape](source.text, source.doc)
        _set_pages(passages, source)
    elif source.pages:
        passages = parse_pdf(source)
    else:
        name = source.doc.parser if source.doc.parser in PARSERS else "generic"
        passages = PARSERS[name](source.text, source.doc)
    attach_footnote_context(passages)
    return dedupe_ids(passages)


def _set_pages(passages: list[Passage], source: SourceText) -> None:
    """Each passage's first and last printed page, from where its text was printed in the PDF."""
    if source.layout is None:
        return
    for p in passages:
        pages = [n for start, end in p.segments for n in source.layout.pages_of(start, end) if n is not None]
        if pages:
            p.page, p.page_end = min(pages), max(pages)


def attach_footnote_context(passages: list[Passage]) -> None:
    """Give each footnote the sentence that cites it, for retrieval: "Q 115" alone says nothing,
    but the claim it supports does."""
    notes = {}
    for p in passages:
        if p.kind == FOOTNOTE and p.locator.split()[-1].isdigit():
            notes[int(p.locator.split()[-1])] = p
    for p in passages:
        if p.kind == FOOTNOTE:
            continue
        for number in p.footnote_refs:
            note = notes.get(number)
            position = _marker_position(p.text, number)
            if note is None or position is None:
                continue
            sentence = citing_sentence(p.text[:position])
            note.context = f"{note.context} {CITED_IN} {p.locator}: {sentence}".strip()


CITED_IN = "Cited in"
_CITED_IN_LOCATOR = re.compile(rf"\b{CITED_IN} (.+?): ")


def citing_locators(footnote: Passage) -> list[str]:
    """The locators of the passages citing a footnote, as `attach_footnote_context` recorded them."""
    return _CITED_IN_LOCATOR.findall(footnote.context) if footnote.kind == FOOTNOTE else []


def _marker_position(text: str, number: int) -> int | None:
    """Where footnote `number` is marked: <sup>20</sup>, <sup>57,58</sup> or a digit glued to a word."""
    for m in re.finditer(r"<sup>([\d,\s]+)</sup>", text):
        if str(number) in re.findall(r"\d+", m.group(1)):
            return m.start()
    m = re.search(rf"(?<=[A-Za-z)’”'\".]){number}(?=\s|$)", text)
    return m.start() if m else None


def citing_sentence(text_before: str) -> str:
    """The last sentence of the text before a footnote marker, cleaned."""
    clean = clean_markdown(text_before)
    pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z•])", clean)
    return pieces[-1].lstrip("• ").strip() if pieces else ""
