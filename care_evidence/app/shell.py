"""The app around the pages: page set-up, the engine, navigation and the URL."""

from __future__ import annotations

import streamlit as st

from care_evidence.app import (
    history,
    links,
    page_ask,
    page_browse,
    page_check,
    page_figures,
    page_lookup,
    page_quality,
    state,
)
from care_evidence.app.render import CSS
from care_evidence.app.widgets import say

RENDERERS = {
    "ask": page_ask.render,
    "lookup": page_lookup.render,
    "check": page_check.render,
    "browse": page_browse.render,
    "figures": page_figures.render,
    "quality": page_quality.render,
}


def run() -> None:
    st.set_page_config(page_title="Care integration evidence explorer", page_icon="📑",
                       layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    engine = state.get_engine()
    links.keep_widget_state()
    links.read_url(engine)
    with st.sidebar:
        st.title("Evidence explorer")
        st.caption("UK health and social care integration: answers with the paragraph, footnote, Figure or "
                   "Table that states them.")
        st.radio("Page", list(links.PAGES), key="page", format_func=links.PAGES.get)
    page = st.session_state["page"]
    problem = st.session_state.pop("_url_problem", "")
    if problem:
        say(problem, "warning")
    params = RENDERERS[page](engine)
    links.write_url({"page": page, **params})
    history.record(page, params)
    state.warm_up(engine)
    with st.sidebar:
        if not engine.embedder.loaded:  # said after the page ran, which may have loaded it
            say("The language model is loading (a few seconds, once per server). Look-ups, browsing and the "
                "figures work now; a question is answered as soon as it is ready.", "caption")
        history.show()
        st.divider()
        st.caption(f"{len(engine.documents)} documents · {len(engine.passages):,} passages")
