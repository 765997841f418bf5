"""Links: the URL's query parameters reopen a question, a look-up or a passage; the app keeps them current.

?q=...&doc=<id>&kind=<kind> (Ask), ?lookup=... (Look up), ?passage=<id> or ?document=<id> (Browse), ?find=... (Figures),
?page=ask|lookup|browse|figures|quality.
"""

from __future__ import annotations

import streamlit as st

from care_evidence.app import browse_state
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.limits import INPUT_LIMITS
from care_evidence.indexer.models import PASSAGE_KINDS

PAGES = {"ask": "Ask", "lookup": "Look up", "check": "Check a text",
         "browse": "Browse", "figures": "Figures", "quality": "Quality"}

# Widget values kept when their page is not shown (Streamlit forgets a widget that is not drawn).
PERSISTENT = ("page", "ask_q", "ask_docs", "ask_kinds", "ask_k", "lookup_q", "browse_doc", "browse_section",
              "browse_passage", "fig_text", "fig_docs", "fig_kinds", "fig_sort",
              "check_text", "check_exclude", "browse_find")

Params = dict[str, str | list[str]]


def keep_widget_state() -> None:
    for key in PERSISTENT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def read_url(engine: Engine) -> None:
    """Set the widgets to the state the URL names: on a session's first run, and when the browser's Back
    or Forward button has moved to another address (Streamlit pushes each address the app writes, and
    reruns the app with the one moved to). A click's rerun may carry the address from before the last
    one was written; that one is not read, or it would undo the click."""
    state = st.session_state
    params = st.query_params
    first_run = "_url_written" not in state
    if not first_run and (not _history_navigation() or state["_url_written"] == _normalised(params)):
        return
    state["_url_written"] = _normalised(params)
    limit = INPUT_LIMITS["url value"]
    too_long = sorted({key for key in params for value in params.get_all(key) if len(value) > limit})
    if too_long:  # checked before any of it is used: a huge ?q= would slow every other user's answers
        state["_url_problem"] = (f"The address was not used: its {', '.join(too_long)} value is longer than "
                                 f"{limit:,} characters.")
        state["page"] = "browse" if "passage" in too_long else "ask"
        return
    page = params.get("page", "")
    if params.get("q"):
        state["ask_q"] = params["q"]
        page = page or "ask"
    docs = [d for d in params.get_all("doc") if d in engine.documents]
    if docs:
        state["ask_docs"] = docs
    kinds = [k for k in params.get_all("kind") if k in PASSAGE_KINDS]
    if kinds:
        state["ask_kinds"] = kinds
    if params.get("lookup"):
        state["lookup_q"] = params["lookup"]
        page = page or "lookup"
    passage_id = params.get("passage")
    if passage_id:
        if browse_state.exists(engine, passage_id):
            browse_state.focus(engine, passage_id)
        else:
            state["_url_problem"] = f"There is no passage with the id “{passage_id[:200]}” in this index."
        page = page or "browse"
    if params.get("document") in engine.documents and not passage_id:
        state["browse_doc"] = params["document"]
        page = page or "browse"
    if params.get("find"):
        state["fig_text"] = params["find"]
        page = page or "figures"
    fig_docs = [d for d in params.get_all("fdoc") if d in engine.documents]
    if fig_docs:
        state["fig_docs"] = fig_docs
    if params.get_all("fkind"):
        state["fig_kinds"] = params.get_all("fkind")  # checked against the table's kinds on the page
    if params.get("sort"):
        state["fig_sort"] = params["sort"]
    state["page"] = page if page in PAGES else "ask"


def _history_navigation() -> bool:
    """This run was started by the browser's Back or Forward button."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and getattr(ctx, "is_history_navigation", False))


def _normalised(params) -> dict[str, list[str]]:
    if hasattr(params, "get_all"):
        return {k: params.get_all(k) for k in params}
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}


def write_url(params: Params) -> None:
    """Make the URL name the state shown, so that it can be copied, bookmarked or reloaded."""
    wanted = {k: v for k, v in params.items() if v}
    if _normalised(st.query_params) != _normalised(wanted):
        st.query_params.from_dict(wanted)  # the browser adds it to its history: Back returns here
    st.session_state["_url_written"] = _normalised(wanted)


def base_url() -> str:
    """The app's address without a query, when the browser told it (else links stay relative)."""
    try:
        url = st.context.url or ""
    except Exception:  # older Streamlit or no browser context (tests)
        url = ""
    return url.split("?", 1)[0].split("#", 1)[0]
