"""The Ask page's question box and examples: drawn before the index and the engine's modules load, so
that a new visitor can type a question at once (bench/app_start.py measures it)."""

from __future__ import annotations

import streamlit as st

EXAMPLES = (
    "How much was pooled in the Better Care Fund in 2015-16?",
    "What happened to bed-blocking in the Better Care Fund's first year?",
    "What did the Public Accounts Committee say about vanguards?",
    "How does Scotland integrate health and social care?",
)


def _use_example(question: str) -> None:
    st.session_state["ask_q"] = question


def draw() -> str:
    """The heading, the question box and the example buttons; returns the question typed."""
    st.header("Ask the reports")
    st.session_state.setdefault("ask_q", "")
    st.text_input("Question", key="ask_q", placeholder="e.g. How much was pooled in the Better Care Fund in 2015-16?")
    st.caption("Examples:")
    columns = st.columns(len(EXAMPLES))
    for i, (column, example) in enumerate(zip(columns, EXAMPLES, strict=True)):
        column.button(example, key=f"example-{i}", on_click=_use_example, args=(example,), width="stretch",
                      wrap=True)
    return st.session_state["ask_q"].strip()
