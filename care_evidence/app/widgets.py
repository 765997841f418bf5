"""Pieces shared by the pages: a passage card, its context, citation blocks and links."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from care_evidence.app import browse_state, links
from care_evidence.app.render import app_url, block, bullets, esc, highlight, link
from care_evidence.app.show import html, say  # noqa: F401  (the pages take both from here)
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.models import OCR_CAUTION, Citation
from care_evidence.evidence.reference_styles import full_reference
from care_evidence.indexer.models import BOX, FIGURE, TABLE, Passage

PRINTED_LAYOUT_KINDS = (FIGURE, TABLE, BOX)


def passage_url(passage_id: str) -> str:
    return app_url(links.base_url(), passage=passage_id)


def citation_links(citations: Iterable[Citation]) -> str:
    return ", ".join(link(passage_url(c.passage_id), str(c)) for c in citations)


def passage_header(passage: Passage, citation: Citation, rank: int | None = None, note: str = "",
                   section: bool = True) -> str:
    parts = [f"<b>{rank}.</b> " if rank else "", f"<b>{esc(str(citation))}</b>",
             f' <span class="meta">· {esc(passage.kind)}']
    if passage.page:
        parts.append(f" · p. {passage.page}")
    if section and passage.section:
        parts.append(f" · {esc(browse_state.section_key(passage.section))}")
    if note:
        parts.append(f" · {esc(note)}")
    parts.append(f" · {link(passage_url(passage.id), 'link')}</span>")
    return block("".join(parts))


def passage_card(
    engine: Engine, passage: Passage, *, key: str, spans: Iterable[tuple[int, int]] = (), mark: str = "hit",
    rank: int | None = None, note: str = "", also_in: Iterable[Citation] = (), context: bool = True,
    context_open: bool = False, open_button: bool = True,
) -> None:
    """A passage with its citation (ready to copy), the spans highlighted, and its neighbours on demand."""
    citation = engine.citation(passage)
    with st.container(border=True):
        html(passage_header(passage, citation, rank, note))
        html(block(bullets(highlight(passage.search_text, spans, mark))))
        if citation.ocr:
            say(f"{OCR_CAUTION}.", "caption")
        also_in = list(also_in)
        if also_in:
            html(block(f'<span class="meta">Also in:</span> {citation_links(also_in)}'))
        if open_button:
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.code(str(citation), language=None, wrap_lines=True)
            right.button("Open in Browse", key=f"{key}-open", on_click=browse_state.open_passage,
                         args=(engine, passage.id), width="stretch")
        else:
            st.code(str(citation), language=None, wrap_lines=True)
        with st.expander("Full reference"):
            reference_view(engine, passage, citation, key)
        if passage.kind in PRINTED_LAYOUT_KINDS:
            with st.expander("As printed"):
                st.text(passage.text)
        _page_of_the_pdf(engine, passage, citation, key)
        if context:
            with st.expander("In context", expanded=context_open):
                context_view(engine, passage.id)


def _page_of_the_pdf(engine: Engine, passage: Passage, citation: Citation, key: str) -> None:
    """The PDF page the passage was printed on, the passage marked, when the PDF is in the corpus folder.
    Drawn only when asked for: a page image takes a second to draw."""
    from care_evidence.app.pdf_page import passage_page, pdf_of
    from care_evidence.app.state import corpus_dir

    doc = engine.documents[passage.doc_id]
    if pdf_of(corpus_dir(), doc.file) is None:
        return
    label = "Show the page in the PDF" + (f" (p. {passage.page})" if passage.page else "")
    if st.toggle(label, key=f"{key}-pdf-page"):
        image = passage_page(corpus_dir(), doc.file, passage)
        if image is None:
            say("The passage could not be found on a page of the PDF in the corpus folder.", "caption")
        else:
            st.image(image, width="stretch")  # no caption: Streamlit renders a caption as Markdown
            say(f"{doc.file}: the passage is marked", "caption")


def reference_view(engine: Engine, passage: Passage, citation: Citation, key: str) -> None:
    """The passage's full reference to paste (plain, Harvard) and to import (BibTeX, RIS)."""
    reference = full_reference(engine.documents[passage.doc_id], citation)
    st.caption("Reference")
    st.code(reference.plain, language=None, wrap_lines=True)
    st.caption("Harvard")
    st.code(reference.harvard, language=None, wrap_lines=True)
    left, right = st.columns(2)
    name = passage.doc_id
    left.download_button("BibTeX (.bib)", reference.bibtex, file_name=f"{name}.bib", mime="application/x-bibtex",
                         key=f"{key}-bib", on_click="ignore")
    right.download_button("RIS (.ris)", reference.ris, file_name=f"{name}.ris",
                          mime="application/x-research-info-systems", key=f"{key}-ris", on_click="ignore")


def context_view(engine: Engine, passage_id: str, before: int = 2, after: int = 2) -> None:
    """The passage among its neighbours in the same section, the passage itself marked."""
    for p in engine.context(passage_id, before, after):
        current = p.id == passage_id
        label = f"<b>{esc(p.locator)}</b> "
        html(block(label + bullets(esc(p.search_text)), "ev-context ev-current" if current else "ev-context"))
