"""Check: paste a paragraph, a briefing or an article; each sentence that makes a claim is marked by
its verdict, with the report sentence and passage that decide it, and the whole check as Markdown."""

from __future__ import annotations

import streamlit as st

from care_evidence.app import links, state
from care_evidence.app.render import first_span
from care_evidence.app.widgets import passage_card, say
from care_evidence.evidence.claims import CheckResult, Verdict
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.query import QueryError

TONES = {Verdict.SUPPORTED: "success", Verdict.DIFFERS: "error", Verdict.PARTLY: "warning",
         Verdict.NOT_IN_REPORTS: "error"}
EXAMPLE = ("The NAO found that delayed transfers of care increased by 76% between August 2010 and November 2016. "
           "In February 2015 the Departments expected the Better Care Fund to save £611 million in 2015-16. "
           "The Better Care Fund was abolished in 2016.")


def _check(engine: Engine, text: str, exclude: tuple[str, ...]) -> CheckResult:
    return state.remembered("_check_cache", (text, exclude), lambda: engine.check(text, exclude))


def _use_example() -> None:
    st.session_state["check_text"] = EXAMPLE


def render(engine: Engine) -> links.Params:
    st.header("Check a text against the reports")
    st.session_state.setdefault("check_text", "")
    st.text_area("Text to check", key="check_text", height=160,
                 placeholder="Paste a paragraph, a briefing or an article: each sentence that makes a claim is "
                             "checked against the reports.")
    st.multiselect("Leave out of the evidence", list(engine.documents), key="check_exclude",
                   format_func=lambda d: engine.documents[d].label,
                   help="A digest is not evidence for itself: leave it out when checking it.")
    left, right = st.columns([1, 5])
    left.button("Check", type="primary", key="check-go")
    right.button("Example", key="check-example", on_click=_use_example)
    text = st.session_state["check_text"]
    if not text.strip():
        say("Paste a text to check. Each claim gets one of: supported, differs (a figure, year, body or place is "
            "not the report's), partly supported, not in these reports.", "info")
        return {}
    try:
        result = _check(engine, text, tuple(st.session_state.get("check_exclude", [])))
    except QueryError as err:
        say(f"This cannot be checked: {err}.", "warning")
        return {}
    if not result.claims:
        say("No sentence in the text makes a claim to check.", "info")
        return {}
    say(", ".join(f"{n} {v}" for v, n in result.counts().items() if n), "caption")
    st.download_button("Download the check (Markdown)", result.to_markdown(), file_name="claim-check.md",
                       mime="text/markdown", key="check-download")
    for i, claim in enumerate(result.claims):
        st.subheader(f"{i + 1}. {claim.verdict}")
        say(claim.claim, "caption")
        say(claim.message, TONES.get(claim.verdict, "info"))
        for j, evidence in enumerate(claim.evidence[:1]):
            span = first_span(evidence.passage.search_text, evidence.sentence)
            passage_card(engine, evidence.passage, key=f"check-{i}-{j}", spans=[span] if span else [],
                         context=False)
    return {}
