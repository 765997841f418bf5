"""Links: the URL's query parameters reopen a question, a look-up or a passage; the app keeps them current.

?q=...&doc=<id>&kind=<kind> (Ask), ?lookup=... (Look up), ?passage=<id> or ?document=<id> (Browse), ?find=... (Figures),
?page=ask|lookup|browse|figures|quality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from care_evidence.evidence.limits import INPUT_LIMITS
from care_evidence.indexer.models import PASSAGE_KINDS

if TYPE_CHECKING:
    from care_evidence.evidence.engine import Engine

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


# What each page keeps in the address, and the value each has when the address leaves it out: Back or
# Forward to an address without a filter clears that filter rather than keeping the one shown last.
PAGE_STATE: dict[str, dict[str, object]] = {
    "ask": {"ask_q": "", "ask_docs": [], "ask_kinds": []},
    "lookup": {"lookup_q": ""},
    "figures": {"fig_text": "", "fig_docs": [], "fig_kinds": [], "fig_sort": "Document order"},
}
# Address values that name documents or passages: checked against the index once it is loaded (apply_url).
_PENDING = "_url_pending"


def read_url() -> None:
    """Set the widgets to the state the URL names: on a session's first run, and when the browser's Back
    or Forward button has moved to another address (Streamlit pushes each address the app writes, and
    reruns the app with the one moved to). A click's rerun may carry the address from before the last
    one was written; that one is not read, or it would undo the click.

    Needs no index, so the page can be drawn before the index loads; the values that name documents
    or passages wait in the session for apply_url."""
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
    page = params.get("page", "") or _page_implied(params)
    page = page if page in PAGES else "ask"
    if not first_run:
        for key, empty in PAGE_STATE.get(page, {}).items():
            state[key] = empty.copy() if isinstance(empty, list) else empty
    if params.get("q"):
        state["ask_q"] = params["q"]
    kinds = [k for k in params.get_all("kind") if k in PASSAGE_KINDS]
    if kinds:
        state["ask_kinds"] = kinds
    if params.get("lookup"):
        state["lookup_q"] = params["lookup"]
    if params.get("find"):
        state["fig_text"] = params["find"]
    if params.get_all("fkind"):
        state["fig_kinds"] = params.get_all("fkind")  # checked against the table's kinds on the page
    if params.get("sort"):
        state["fig_sort"] = params["sort"]
    state[_PENDING] = {key: params.get_all(key) for key in ("doc", "fdoc", "passage", "document")}
    state["page"] = page


def _page_implied(params) -> str:
    """The page an address without ?page= opens: the one its first value belongs to."""
    for key, page in (("q", "ask"), ("lookup", "lookup"), ("passage", "browse"), ("document", "browse"),
                      ("find", "figures")):
        if params.get(key):
            return page
    return ""


def apply_url(engine: Engine) -> None:
    """The address's documents and passage, once the index is loaded: ids it does not hold are dropped,
    and a passage it does not hold is said."""
    from care_evidence.app import browse_state  # needs the engine's modules, loaded after the first paint

    pending = st.session_state.pop(_PENDING, None)
    if not pending:
        return
    state = st.session_state
    docs = [d for d in pending["doc"] if d in engine.documents]
    if docs:
        state["ask_docs"] = docs
    fig_docs = [d for d in pending["fdoc"] if d in engine.documents]
    if fig_docs:
        state["fig_docs"] = fig_docs
    passage_id = next(iter(pending["passage"]), "")
    if passage_id:
        if browse_state.exists(engine, passage_id):
            browse_state.focus(engine, passage_id)
        else:
            state["_url_problem"] = f"There is no passage with the id “{passage_id[:200]}” in this index."
    document = next(iter(pending["document"]), "")
    if document in engine.documents and not passage_id:
        state["browse_doc"] = document


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
