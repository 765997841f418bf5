"""The page of a PDF a passage was printed on, as an image with the passage marked: a person checking a
quote sees the page they would open. Only for a document whose original PDF is in the corpus folder; the
file name comes from the index's metadata and is checked to stay inside that folder."""

from __future__ import annotations

import functools
import io
import logging
import re
from pathlib import Path

from care_evidence.indexer.models import Passage
from care_evidence.indexer.paths import UnsafePath, inside

MARK_COLOUR = (245, 158, 11)
RESOLUTION = 110  # dots per inch: a readable page a few hundred kilobytes large


def pdf_of(corpus: Path, file_name: str) -> Path | None:
    """The document's PDF in the corpus folder, or None (not a PDF, not there, or a name leading out)."""
    if not file_name.lower().endswith(".pdf"):
        return None
    try:
        path = inside(corpus, file_name)
    except UnsafePath:
        return None
    return path if path.is_file() else None


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9£%][\w£%,.’'-]*", text)


@functools.lru_cache(maxsize=32)
def page_image(pdf: Path, modified: float, printed_page: int | None, first_words: str, last_words: str) -> bytes | None:
    """A PNG of the page holding `first_words` (searched first near the printed page), its lines from the
    first words to the last marked; None when the words are on no page."""
    import pdfplumber

    del modified  # part of the cache key: a replaced PDF is read again
    with pdfplumber.open(pdf) as document:
        order = list(range(len(document.pages)))
        if printed_page is not None:  # printed numbers run a few sheets behind: look there first
            order.sort(key=lambda i: abs(i - printed_page))
        for i in order:
            page = document.pages[i]
            start = page.search(_phrase(first_words), regex=True)
            if not start:
                continue
            end = page.search(_phrase(last_words), regex=True) if last_words else []
            top = start[0]["top"]
            ends = [m["bottom"] for m in end if m["top"] >= top]
            # a passage running on to the next page is marked to the foot of this one (its last text line)
            foot = max([c["bottom"] for c in page.chars if c["top"] >= top and c["bottom"] < page.height * 0.92]
                       or [start[0]["bottom"]])
            bottom = max(ends) if ends else (start[0]["bottom"] if not last_words else foot)
            bottom = max(bottom, start[0]["bottom"])
            image = page.to_image(resolution=RESOLUTION)
            image.draw_rect((page.bbox[0] + 20, top - 3, page.bbox[2] - 20, bottom + 3), fill=(*MARK_COLOUR, 40),
                            stroke=MARK_COLOUR, stroke_width=2)
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    return None


def _phrase(words: str) -> str:
    """A regex for the words with any spacing between them (a line break in the PDF)."""
    return r"[^\w£%]*".join(re.escape(w) for w in words.split())  # dashes, bullets, breaks between


def passage_page(corpus: Path, file_name: str, passage: Passage) -> bytes | None:
    """The page image for a passage of the document `file_name`, or None."""
    pdf = pdf_of(corpus, file_name)
    if pdf is None:
        return None
    words = _words(passage.search_text)
    first, last = " ".join(words[:6]), " ".join(words[-4:]) if len(words) > 10 else ""
    if not first:
        return None
    try:
        return page_image(pdf, pdf.stat().st_mtime, passage.page, first, last)
    except Exception:  # noqa: BLE001 - a PDF that cannot be drawn loses the picture, not the passage
        logging.getLogger(__name__).exception("could not draw the page of %s for %s", pdf.name, passage.id)
        return None
