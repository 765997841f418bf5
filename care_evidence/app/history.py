"""This browser's questions and look-ups, most recent first: each reopens with one click, and the list
can be cleared.

A link inside the app (a contents entry, "also in", a passage's link) loads the page afresh, which
starts a new Streamlit session; the history must outlive it, as a browser's own history does. So it
is kept in the server's memory for the browser, known by the token of Streamlit's XSRF cookie (hashed;
the token itself is not kept), while the server runs. It is never written to disk, and a browser that
sends no such cookie keeps its history for the session only."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import streamlit as st

from care_evidence.app import links
from care_evidence.app.widgets import say

HISTORY_KEY = "_history"
MAX_ENTRIES = 30
MAX_BROWSERS = 1000  # the oldest browser's history is dropped first
XSRF_COOKIE = "_streamlit_xsrf"
_BROWSERS: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
_LOCK = threading.Lock()
# page -> (the widget holding its text, the word shown before it)
SOURCES = {"ask": ("ask_q", "Ask"), "lookup": ("lookup_q", "Look up")}


def browser_key(cookie: str) -> str | None:
    """A stable key for the browser from Streamlit's XSRF cookie. The cookie is tornado's masked form,
    "2|mask|masked token|time", re-masked on every page load; the token under the mask is the browser's."""
    parts = cookie.split("|")
    try:
        if len(parts) != 4 or parts[0] != "2":
            return None
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return None
    if len(mask) != 4 or len(masked) < 16:
        return None
    token = bytes(b ^ mask[i % 4] for i, b in enumerate(masked))
    return hashlib.sha256(token).hexdigest()


def _this_browser() -> str | None:
    try:
        return browser_key(st.context.cookies.get(XSRF_COOKIE) or "")
    except Exception:  # no browser behind this session (tests run the script without one)
        return None


def _restore() -> None:
    """A new session in a browser seen before starts with that browser's history."""
    if "_history_restored" in st.session_state:
        return
    st.session_state["_history_restored"] = True
    key = _this_browser()
    if key is None:
        return
    with _LOCK:
        entries = list(_BROWSERS.get(key, []))
    if entries:
        st.session_state[HISTORY_KEY] = entries
        st.session_state["_history_last"] = entries[0]


def _keep(entries: list[tuple[str, str]]) -> None:
    key = _this_browser()
    if key is None:
        return
    with _LOCK:
        _BROWSERS[key] = list(entries)
        _BROWSERS.move_to_end(key)
        while len(_BROWSERS) > MAX_BROWSERS:
            _BROWSERS.popitem(last=False)


def record(page: str, params: links.Params) -> None:
    """Remember what the page just showed, when it is a question or a look-up."""
    _restore()
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
    _keep(st.session_state[HISTORY_KEY])


def _reopen(page: str, text: str) -> None:
    widget, _ = SOURCES[page]
    st.session_state["page"] = page
    st.session_state[widget] = text


def _clear() -> None:
    st.session_state[HISTORY_KEY] = []
    _keep([])


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
