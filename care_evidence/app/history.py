"""This session's questions, look-ups and checks, most recent first: each reopens with one click, and
the list can be cleared. Kept in the session only: nothing a reader types is stored on the server."""

from __future__ import annotations

import streamlit as st

from care_evidence.app import links
from care_evidence.app.widgets import say

HISTORY_KEY = "_history"
MAX_ENTRIES = 30
# page -> (the widget holding its text, the word shown before it)
SOURCES = {"ask": ("ask_q", "Ask"), "lookup": ("lookup_q", "Look up")}


def record(page: str, params: links.Params) -> None:
    """Remember what the page just showed, when it is a question or a look-up."""
    if page not in SOURCES:
        return
    text = str(params.get("q") or params.get("lookup") or "").strip()
    # Each rerun shows the page again; only a new question or look-up is a new entry (and one shown
    # when the history was cleared is not added back).
    if not text or st.session_state.get("_history_last") == (page, text):
        return
    st.session_state["_history_last"] = (page, text)
    entries = [e for e in st.session_state.get(HISTORY_KEY, []) if e != (page, text)]
    st.session_state[HISTORY_KEY] = [(page, text), *entries][:MAX_ENTRIES]


def _reopen(page: str, text: str) -> None:
    widget, _ = SOURCES[page]
    st.session_state["page"] = page
    st.session_state[widget] = text


def _clear() -> None:
    st.session_state[HISTORY_KEY] = []


def show() -> None:
    """The history in the sidebar."""
    entries = st.session_state.get(HISTORY_KEY, [])
    if not entries:
        return
    st.subheader("History")
    for i, (page, text) in enumerate(entries):
        # The text goes through say() (shown as text); a button's label would render Markdown and links.
        shown = text if len(text) <= 70 else text[:67] + "…"
        left, right = st.columns([4, 1], vertical_alignment="center")
        with left:
            say(f"{SOURCES[page][1]}: {shown}", "caption")
        right.button("Open", key=f"history-{i}", on_click=_reopen, args=(page, text), type="tertiary")
    st.button("Clear history", key="history-clear", on_click=_clear, icon=":material/delete:")
