"""The Browse page's selection (document, section, passage) as session state, settable from any page."""

from __future__ import annotations

import streamlit as st

from care_evidence.evidence.engine import Engine

SEPARATOR = " › "
NO_SECTION = "(before the first heading)"


def section_key(section: tuple[str, ...]) -> str:
    return SEPARATOR.join(section) if section else NO_SECTION


def exists(engine: Engine, passage_id: str) -> bool:
    try:
        engine.passage(passage_id)
    except KeyError:
        return False
    return True


def focus(engine: Engine, passage_id: str) -> None:
    """Select a passage on the Browse page (document, section and passage)."""
    p = engine.passage(passage_id)
    st.session_state["browse_doc"] = p.doc_id
    st.session_state["browse_section"] = section_key(p.section)
    st.session_state["browse_passage"] = p.id


def open_passage(engine: Engine, passage_id: str) -> None:
    """Button callback: show a passage on the Browse page (or say it is gone, after a rebuild)."""
    st.session_state["page"] = "browse"
    if not exists(engine, passage_id):
        st.session_state["_url_problem"] = f"The passage “{passage_id[:200]}” is no longer in the index."
        return
    focus(engine, passage_id)
