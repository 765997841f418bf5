"""One parser per shape of document, chosen by name in corpus/metadata.toml."""

from __future__ import annotations

from collections.abc import Callable

from indexer.corpus import SourceText
from indexer.models import DocumentInfo, Passage
from indexer.parsers.common import dedupe_ids
from indexer.parsers.generic import parse_generic, parse_paragraphs
from indexer.parsers.nao import parse_nao
from indexer.parsers.nuffield import parse_nuffield
from indexer.parsers.pac import parse_pac
from indexer.parsers.webpage import parse_webpage

Parser = Callable[[str, DocumentInfo], list[Passage]]
PARSERS: dict[str, Parser] = {
    "nao": parse_nao,
    "pac": parse_pac,
    "nuffield": parse_nuffield,
    "webpage": parse_webpage,
    "generic": parse_generic,
}


def parse_pdf(source: SourceText) -> list[Passage]:
    """Paragraphs of each PDF page, cited by page and order on the page."""
    passages: list[Passage] = []
    for number, region in enumerate(source.pages, start=1):
        passages += parse_paragraphs(source.text, source.doc, page=number, region=region,
                                     first_order=len(passages))
    return passages


def parse_document(source: SourceText) -> list[Passage]:
    """Passages of one document, by the parser its metadata names (PDFs always by page)."""
    if source.pages:
        passages = parse_pdf(source)
    else:
        name = source.doc.parser if source.doc.parser in PARSERS else "generic"
        passages = PARSERS[name](source.text, source.doc)
    return dedupe_ids(passages)
