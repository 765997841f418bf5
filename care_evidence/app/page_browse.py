"""Browse: each document by its sections, passage by passage, with a stable link to every passage."""

from __future__ import annotations

import streamlit as st

from care_evidence.app import links
from care_evidence.app.browse_state import section_key
from care_evidence.app.render import block, bullets, esc, link, phrase_spans
from care_evidence.app.widgets import PRINTED_LAYOUT_KINDS, html, passage_card, passage_header, passage_url, say
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.errors import QueryError
from care_evidence.evidence.models import Filters
from care_evidence.indexer.models import Passage

WHOLE_SECTION = ""


def _sections(engine: Engine, doc_id: str) -> dict[str, list[Passage]]:
    """The document's sections in reading order, by their shown name, each with its passages."""
    return {section_key(section): passages for section, passages in engine.outline(doc_id).items()}


def _on_document_change(engine: Engine) -> None:
    sections = _sections(engine, st.session_state["browse_doc"])
    st.session_state["browse_section"] = next(iter(sections))
    st.session_state["browse_passage"] = WHOLE_SECTION


def _on_section_change() -> None:
    st.session_state["browse_passage"] = WHOLE_SECTION


def _step_section(names: list[str], step: int) -> None:
    i = names.index(st.session_state["browse_section"]) + step
    st.session_state["browse_section"] = names[max(0, min(i, len(names) - 1))]
    st.session_state["browse_passage"] = WHOLE_SECTION


def render(engine: Engine) -> links.Params:
    st.header("Browse the documents")
    state = st.session_state
    docs = list(engine.documents)
    if state.get("browse_doc") not in docs:
        state["browse_doc"] = docs[0]
    st.selectbox("Document", docs, key="browse_doc", on_change=_on_document_change, args=(engine,),
                 format_func=lambda d: f"{engine.documents[d].label} — {engine.documents[d].title}")
    info = engine.documents[state["browse_doc"]]
    say(" · ".join(x for x in (info.publisher, info.date, info.paper, info.kind) if x), "caption")
    _search_in_document(engine, state["browse_doc"])
    with st.expander("Contents", expanded=not state.get("browse_passage") and not state.get("browse_find")):
        _contents(engine, state["browse_doc"])
    sections = _sections(engine, state["browse_doc"])
    names = list(sections)
    if state.get("browse_section") not in sections:
        state["browse_section"] = names[0]
    st.selectbox("Section", names, key="browse_section", on_change=_on_section_change,
                 format_func=lambda s: f"{s} ({len(sections[s])})")
    passages = sections[state["browse_section"]]
    ids = [WHOLE_SECTION] + [p.id for p in passages]
    if state.get("browse_passage") not in ids:
        state["browse_passage"] = WHOLE_SECTION
    by_id = {p.id: p for p in passages}
    st.selectbox("Passage", ids, key="browse_passage",
                 format_func=lambda i: by_id[i].locator if i else "(the whole section)")
    chosen = state["browse_passage"]
    if chosen:
        _show_chosen(engine, by_id[chosen])
    _show_section(engine, passages, chosen, names)
    if chosen:
        return {"passage": chosen}
    return {"page": "browse", "document": state["browse_doc"]}


def _go_to(section: str, passage_id: str = WHOLE_SECTION) -> None:
    st.session_state["browse_section"] = section
    st.session_state["browse_passage"] = passage_id


def _contents(engine: Engine, doc_id: str) -> None:
    """The document's headings as a tree (each level indented under the one above, shown once), with
    its Figures, Tables and Boxes under the section that holds them. Each is a link to its place: the
    corpus's own words go out as escaped text, never as a button label (which renders Markdown)."""
    lines, shown = [], ()
    for section, passages in engine.outline(doc_id).items():
        common = next((n for n, (a, b) in enumerate(zip(shown, section, strict=False)) if a != b),
                      min(len(shown), len(section)))
        for depth in range(common, len(section)):
            lines.append(_toc_line(depth, link(passage_url(passages[0].id), section[depth])))
        shown = section
        for p in passages:
            if p.kind in PRINTED_LAYOUT_KINDS:
                title = f"{p.locator}: {p.title}" if p.title else p.locator
                lines.append(_toc_line(len(section), link(passage_url(p.id), title), "ev-toc-item"))
    html(block("".join(lines), "ev-toc"))


def _toc_line(depth: int, inner_html: str, cls: str = "") -> str:
    return f'<div class="{cls}" style="padding-left:{1.2 * depth:.1f}em">{inner_html}</div>'


def _search_in_document(engine: Engine, doc_id: str) -> None:
    """Words searched within this document only; each hit opens its passage."""
    words = st.text_input("Search this document", key="browse_find", placeholder="e.g. pooled budgets")
    if not words.strip():
        return
    try:
        hits = engine.rank(words, 8, Filters(documents=(doc_id,)))
    except QueryError as err:
        say(f"This cannot be searched: {err}.", "warning")
        return
    if not hits:
        say("Nothing in this document matches.", "info")
    for i, sp in enumerate(hits):
        left, right = st.columns([5, 1], vertical_alignment="center")
        with left:
            excerpt = sp.sentence_text or sp.passage.search_text[:200]
            say(f"{sp.citation}: {excerpt}", "caption")
        right.button("Open", key=f"browse-find-{i}", on_click=_go_to,
                     args=(section_key(sp.passage.section), sp.passage.id))


def _show_chosen(engine: Engine, passage: Passage) -> None:
    also = engine.also_in(passage)
    figures = phrase_spans(passage.search_text, [q.printed for q in passage.quantities])
    passage_card(engine, passage, key="browse-chosen", spans=figures, mark="fig", also_in=also, context=False,
                 open_button=False)


def _show_section(engine: Engine, passages: list[Passage], chosen: str, names: list[str]) -> None:
    st.subheader("The section, passage by passage")
    for p in passages:
        html(passage_header(p, engine.citation(p), section=False))
        html(block(bullets(esc(p.search_text)), "ev-context ev-current" if p.id == chosen else "ev-context"))
    i = names.index(st.session_state["browse_section"])
    left, _, right = st.columns([1, 2, 1])
    left.button("◀ Previous section", key="browse-prev", disabled=i == 0, on_click=_step_section,
                args=(names, -1), width="stretch")
    right.button("Next section ▶", key="browse-next", disabled=i == len(names) - 1, on_click=_step_section,
                 args=(names, 1), width="stretch")
