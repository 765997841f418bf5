"""The app around the pages: page set-up, the engine, navigation and the URL.

A server's first visitor would wait a second or two for the engine's modules and the index to load;
the sidebar and the Ask page's question box are drawn before either, from modules that load fast, so
that the page takes a question at once (bench/app_start.py)."""

from __future__ import annotations

import importlib

import streamlit as st

from care_evidence.app import ask_box, links
from care_evidence.app.render import CSS
from care_evidence.app.show import say

# page -> the module that draws it (care_evidence.app.page_<name>), imported when first shown
PAGE_MODULES = {page: f"care_evidence.app.page_{page}" for page in links.PAGES}


def run() -> None:
    st.set_page_config(page_title="Care integration evidence explorer", page_icon="📑",
                       layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    links.keep_widget_state()
    links.read_url()
    with st.sidebar:
        st.title("Evidence explorer")
        st.caption("UK health and social care integration: answers with the paragraph, footnote, Figure or "
                   "Table that states them.")
        st.radio("Page", list(links.PAGES), key="page", format_func=links.PAGES.get)
    page = st.session_state["page"]
    _say_url_problem()
    if page == "ask":
        ask_box.draw()
    # The page so far is in the browser: the model loads now, beside the engine's modules and the index.
    from care_evidence.app.state import chosen_model
    from care_evidence.indexer.embedding import load_in_background

    load_in_background(chosen_model())
    _run_page(page)


def _run_page(page: str) -> None:
    from care_evidence.app import history, state  # the engine's modules: after the first paint

    engine = state.get_engine()
    links.apply_url(engine)
    _say_url_problem()
    params = importlib.import_module(PAGE_MODULES[page]).render(engine)
    links.write_url({"page": page, **params})
    history.record(page, params)
    with st.sidebar:
        if not engine.embedder.loaded:  # said after the page ran, which may have loaded it
            say("The language model is loading (a few seconds, once per server). Look-ups, browsing and the "
                 "figures work now; a question is answered as soon as it is ready.", "caption")
        history.show()
        st.divider()
        st.caption(f"{len(engine.documents)} documents · {len(engine.passages):,} passages")


def _say_url_problem() -> None:
    problem = st.session_state.pop("_url_problem", "")
    if problem:
        say(problem, "warning")

