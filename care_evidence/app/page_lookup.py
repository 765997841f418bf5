"""Look up: a typed reference ("NAO para 2.7") or a pasted quote, resolved to its passage."""

from __future__ import annotations

import streamlit as st

from care_evidence.app import browse_state, links, state
from care_evidence.app.render import block, esc, first_span, highlight, link, phrase_spans
from care_evidence.app.widgets import html, passage_card, passage_url, say
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.models import LookupResult
from care_evidence.evidence.query import QueryError

EXAMPLES = (
    "NAO para 2.7",
    "PAC 12",
    "Figure 7",
    "Nuffield Table 5",
    "the Fund would achieve sav-\nings of £511 milion in 2015-16",
)


def _use_example(text: str) -> None:
    st.session_state["lookup_q"] = text


def _lookup(engine: Engine, text: str) -> LookupResult:
    return state.remembered("_lookup_cache", text, lambda: engine.lookup(text))


def render(engine: Engine) -> links.Params:
    st.header("Look up a reference or a quote")
    st.session_state.setdefault("lookup_q", "")
    st.text_area("Reference or quote", key="lookup_q", height=110,
                 placeholder="NAO para 2.7 · PAC 12 · footnote 20 · Nuffield Table 5 · p. 60 — or paste a quote")
    columns = st.columns([1, 1, 1, 1, 3, 1])
    for i, example in enumerate(EXAMPLES):
        label = "Damaged quote example" if "\n" in example else example
        columns[i].button(label, key=f"lookup-example-{i}", on_click=_use_example, args=(example,), width="stretch",
                          wrap=True)
    columns[-1].button("Look up", type="primary", key="lookup-go", width="stretch")
    text = st.session_state["lookup_q"]
    if not text.strip():
        say("Type a citation such as “NAO para 2.7”, “PAC 12”, “Figure 7” or “Nuffield Table 5”, "
                "or paste a quote to check it word for word against its source.", "info")
        return {}
    try:
        result = _lookup(engine, text)
    except QueryError as err:
        html(block(f'<span class="meta">You typed:</span> {esc(text)}'))
        say(f"This cannot be looked up: {err}.", "warning")
        return {"lookup": text}
    if result.kind == "reference":
        _show_reference(engine, result)
    else:
        _show_quote(engine, result)
    return {"lookup": text}


def _show_reference(engine: Engine, result: LookupResult) -> None:
    if result.status == "found":
        say(f"Found: {result.message}", "success")
        for i, sp in enumerate(result.passages):
            passage_card(engine, sp.passage, key=f"lookup-{i}", context_open=len(result.passages) == 1)
        return
    if result.status == "ambiguous":
        say(f"Ambiguous: {result.message}", "warning")
        say("Candidates:", "caption")
        for i, sp in enumerate(result.passages):
            passage_card(engine, sp.passage, key=f"lookup-candidate-{i}", rank=i + 1, context=False)
        return
    say(result.message, "error")
    if result.candidates:
        say("Nearest passages:", "caption")
        for i, citation in enumerate(result.candidates):
            left, right = st.columns([5, 1], vertical_alignment="center")
            with left:
                html(block(link(passage_url(citation.passage_id), str(citation))))
            right.button("Open", key=f"lookup-nearest-{i}", on_click=browse_state.open_passage,
                         args=(engine, citation.passage_id))


def _show_quote(engine: Engine, result: LookupResult) -> None:
    tones = {"verbatim": "success", "altered": "warning", "paraphrase": "info"}
    say(result.message, tones.get(result.status, "error"))
    if not result.passages:
        return
    sp = result.passages[0]
    if result.status == "altered" and result.differences:
        st.subheader("Differences")
        rows = [{"change": d.op, "in the quote": d.quoted, "in the source": d.source} for d in result.differences]
        st.dataframe(rows, hide_index=True, width="content")
        quoted = phrase_spans(result.query, [d.quoted for d in result.differences if d.quoted])
        html(block(f'<span class="meta">Quote as pasted:</span> {highlight(result.query, quoted, "diff-old")}'))
    match = first_span(sp.passage.search_text, result.matched_text)
    spans = [match] if match else []
    if result.status == "paraphrase":
        st.subheader("The report's words")
        say(result.matched_text, "caption")
    if result.status == "altered":
        inside = sp.passage.search_text[match[0]:match[1]] if match else ""
        changed = phrase_spans(inside, [d.source for d in result.differences if d.source])
        if match and changed:
            html(block(f'<span class="meta">Source:</span> {highlight(inside, changed, "diff-new")}'))
    st.subheader("Source passage")
    passage_card(engine, sp.passage, key="lookup-quote", spans=spans, mark="quote", context_open=True)
