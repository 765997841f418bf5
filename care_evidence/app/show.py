"""The two ways the app puts HTML on the page; light to import, so the shell can use them before the
engine's modules load."""

from __future__ import annotations

import streamlit as st

from care_evidence.app.render import notice


def html(fragment: str) -> None:
    """Show an already-escaped HTML fragment (see app.render)."""
    st.markdown(fragment, unsafe_allow_html=True)


def say(text: str, tone: str = "info") -> None:
    """Show a message that may hold a value from a URL, the metadata or the corpus, as text only."""
    html(notice(text, tone))
