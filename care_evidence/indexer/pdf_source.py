"""A PDF as a source text: read with its layout (pdf_layout), its shape recognised, so that the parser
of that shape reads it as it reads the text versions; by page, with a warning saying why, when the
layout is not one the parsers know.

The shape is the parser named in corpus/metadata.toml for the file, else recognised from the text:
- "nao": numbered paragraphs set with a bold number ("**2.7** ...") under "Summary" or "Part" headings;
- "pac": numbered paragraphs "1." to "n." glued to their first word, a committee's house style;
- "generic": headings over paragraphs (larger type over body text), cited as "para N" under them.
A PDF with none of these (one block a page, no headings) is read by page: "p. 12 para 3"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from care_evidence.indexer.pdf_layout import Layout, read_layout

_NAO_PARAGRAPH = re.compile(r"^\*\*\d+(?:\.\d+)?\*\*\s", re.MULTILINE)
_NAO_PART = re.compile(r"^#{1,3} (?:Summary|Part \w+|Key facts)\s*$", re.MULTILINE)
_PAC_PARAGRAPH = re.compile(r"^\d{1,3}\.(?=[A-Z])", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6} \S", re.MULTILINE)
MIN_NUMBERED = 5  # numbered paragraphs a report needs to be read as numbered
MIN_HEADINGS = 2  # headings a generic document needs to be read under its headings


@dataclass
class PdfText:
    layout: Layout
    shape: str  # the parser that reads it, or "" (by page)
    warnings: list[str] = field(default_factory=list)


def recognise_shape(text: str) -> tuple[str, str]:
    """The parser for a PDF's text, or "" and why none fits."""
    if len(_NAO_PARAGRAPH.findall(text)) >= MIN_NUMBERED and _NAO_PART.search(text):
        return "nao", ""
    if len(_PAC_PARAGRAPH.findall(text)) >= MIN_NUMBERED:
        return "pac", ""
    headings = len(_HEADING.findall(text))
    blocks = len([b for b in text.split("\n\n") if b.strip()])
    if headings >= MIN_HEADINGS and blocks > 2 * headings:
        return "generic", ""
    return "", (f"no numbered paragraphs and {headings} heading{'s' if headings != 1 else ''} in a larger type "
                f"(at least {MIN_HEADINGS} are needed)")


def read_pdf_text(data: bytes, named_parser: str, known_parsers: set[str]) -> PdfText:
    """The PDF's text for its parser; `named_parser` is the one metadata names ("pdf", the default for
    a PDF without metadata: none)."""
    layout = read_layout(data)
    pages = ", ".join(map(str, layout.sideways))
    plural = "s" if len(layout.sideways) > 1 else ""
    warnings = [f"the text set sideways on page{plural} {pages} (a landscape table?) is not indexed"
                ] if layout.sideways else []
    if named_parser in known_parsers:
        return PdfText(layout, named_parser, warnings)
    shape, why = recognise_shape(layout.text)
    if shape:
        return PdfText(layout, shape, warnings)
    return PdfText(read_layout(data, defer_footnotes=False), "",
                   [f"its layout was not recognised ({why}); indexed by page, cited as 'p. N para M'", *warnings])
