"""Ask: a question, the answer sentence with its figures and citation, the passages behind it."""

from __future__ import annotations

import streamlit as st

from care_evidence.app import links, state
from care_evidence.app.export import answer_markdown
from care_evidence.app.render import app_url, block, esc, highlight, link, phrase_spans, table
from care_evidence.app.widgets import citation_links, html, passage_card, say
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.messages import PART_NOT_IN_REPORTS, READ_FROM_CELLS
from care_evidence.evidence.models import OCR_CAUTION, Answer, AnswerSentence, Filters
from care_evidence.evidence.query import QueryError
from care_evidence.indexer.models import PASSAGE_KINDS


def _filters(engine: Engine) -> Filters:
    st.sidebar.subheader("Filters")
    docs = st.sidebar.multiselect("Documents", list(engine.documents), key="ask_docs",
                                  format_func=lambda d: engine.documents[d].label, placeholder="All documents")
    kinds = st.sidebar.multiselect("Passage kinds", list(PASSAGE_KINDS), key="ask_kinds", placeholder="All kinds")
    st.session_state.setdefault("ask_k", 5)
    st.sidebar.slider("Supporting passages", 1, 10, key="ask_k")
    return Filters(documents=tuple(docs), kinds=tuple(kinds))


def _ask(engine: Engine, question: str, k: int, filters: Filters) -> Answer:
    """engine.ask, remembered for the session (a rerun for another widget does not search again)."""
    return state.remembered("_ask_cache", (question, k, filters),
                            lambda: engine.ask(question, k=k, filters=filters))


def render(engine: Engine) -> links.Params:
    """The answer to the question in the box that ask_box drew above."""
    question = st.session_state["ask_q"].strip()  # the box itself is drawn first (ask_box)
    filters = _filters(engine)
    params: links.Params = {"q": question, "doc": list(filters.documents), "kind": list(filters.kinds)}
    if not question:
        say("Type a question and press Enter, or pick an example. Every answer comes with the paragraph, "
                "footnote, Figure or Table that states it.", "info")
        return params
    try:
        if engine.embedder.loaded:
            answer = _ask(engine, question, st.session_state["ask_k"], filters)
        else:
            with st.spinner("The language model is still loading (a few seconds, once per server); the answer "
                            "follows as soon as it is ready."):
                answer = _ask(engine, question, st.session_state["ask_k"], filters)
    except QueryError as err:
        html(block(f'<span class="meta">You asked:</span> {esc(question)}'))
        say(f"This cannot be searched: {err}. Type a question in words.", "warning")
        return params
    if answer.found:
        _show_answer(engine, answer, filters)
    else:
        say(answer.message, "warning")
        _download(engine, answer, filters)
    _show_passages(engine, answer)
    return params


def _download(engine: Engine, answer: Answer, filters: Filters) -> None:
    """The answer, or what was searched and not found, as Markdown with the full references."""
    base = links.base_url()
    left, right = st.columns([1, 3], vertical_alignment="center")
    with left:
        st.download_button("Download as Markdown", answer_markdown(answer, base, engine.documents, filters),
                           file_name="answer.md", mime="text/markdown", key="download-answer", on_click="ignore",
                           icon=":material/download:")
    with right:
        html(block(f'{link(app_url(base, q=answer.question), "Permalink to this answer")} '
                   '<span class="meta">(the address bar shows it too)</span>'))


def _show_answer(engine: Engine, answer: Answer, filters: Filters) -> None:
    st.subheader("Answer")
    if answer.caveat:
        say(answer.caveat, "warning")
    if answer.reading:  # how far a table quoted can be read
        say(answer.reading, "warning")
    if answer.parts:
        _show_comparison(answer)
    else:
        for s, cited in zip(answer.sentences, answer.citation_shown_after(), strict=True):
            html(block(_sentence_html(s, cited), "ev-answer"))
    if answer.series:
        _show_series(answer)
    if answer.table is not None:
        _show_table(answer)
    if any(s.citation.ocr for s in answer.sentences):
        st.warning(f"{OCR_CAUTION}.", icon=":material/warning:")
    st.caption("Citation, ready to copy")
    cited = list(dict.fromkeys(str(s.citation) for s in answer.sentences))
    st.code("; ".join(cited), language=None, wrap_lines=True)  # a long citation wraps, not overflows
    figures = {" ".join(f.printed.split()): f.kind for f in answer.figures}  # each figure once
    if figures:
        chips = " · ".join(f'<mark class="fig">{esc(printed)}</mark> <span class="meta">{esc(kind)}</span>'
                           for printed, kind in figures.items())
        html(block(f'<span class="meta">Figures stated:</span> {chips}'))
    also = answer.also_in()
    if also:
        html(block(f'<span class="meta">Also stated in:</span> {citation_links(also)}'))
    _download(engine, answer, filters)


def _sentence_html(s: AnswerSentence, cited: bool = True) -> str:
    spans = phrase_spans(s.text, [f.printed for f in s.figures])
    cite = f' <span class="meta">— {esc(str(s.citation))}</span>' if cited else ""
    read = f'<span class="meta">{esc(READ_FROM_CELLS)}</span> ' if s.from_cells else ""
    return f'{read}{highlight(s.text, spans, "fig")}{cite}'


def _show_comparison(answer: Answer) -> None:
    """A comparison as a table, one row for each part (nation, report, measure), each with its own cited
    sentences; a part the reports hold nothing for says so in its row, not filled from another part.
    The sentences answering the question as a whole come first."""
    for s in answer.overview():
        html(block(_sentence_html(s), "ev-answer"))
    rows, classes = [], []
    for label, sentences in answer.part_rows():
        said = "<br>".join(_sentence_html(s) for s in sentences)
        rows.append([f"<b>{esc(label)}</b>", said or esc(PART_NOT_IN_REPORTS)])
        classes.append(["", "" if sentences else "ev-missing"])
    html(table(["Part", "What the reports say"], rows, cell_classes=classes))


def _show_series(answer: Answer) -> None:
    """The figure over time: each year's value as the reports print it, with the sentence saying what it
    measures and its citation; drawn as a chart only when each year has one value (two measures in one
    year, a minimum and a total, would draw as one zigzag line)."""
    import pandas as pd

    st.caption("By year, as the reports state it: read each sentence for what the value measures")
    rows = [[esc(p.period), f'<mark class="fig">{esc(p.printed)}</mark>', esc(p.sentence), esc(str(p.citation))]
            for p in answer.series]
    html(table(["Year", "Value", "Sentence", "Citation"], rows))
    periods = [p.period for p in answer.series]
    if len(set(periods)) == len(periods) and all(p.value is not None for p in answer.series):
        frame = pd.DataFrame({"year": periods, answer.series[0].unit or answer.series[0].kind:
                              [p.value for p in answer.series]})
        st.bar_chart(frame, x="year", y=frame.columns[1])


def _show_table(answer: Answer) -> None:
    """The table the answer reads, as a table: every row and column as printed, the cells the question
    asked for marked; a heading the OCR text lost is said to be lost."""
    shown = answer.table
    html(block(f'<span class="meta">{esc(shown.citation.locator)}: {esc(shown.title)}, as a table; the cells '
               'asked for are marked</span>'))
    rows = [[f'<mark class="fig">{esc(c)}</mark>' if on and c else esc(c) for c, on in zip(cells, picked, strict=True)]
            for cells, picked in shown.body()]
    html(table(shown.header(), rows))
    html(block(f'<span class="meta">— {esc(str(shown.citation))}</span>'))


def _show_passages(engine: Engine, answer: Answer) -> None:
    if not answer.passages:
        return
    if answer.found:
        st.subheader("Supporting passages")
    else:
        st.subheader("Closest passages")
        st.caption("These are the nearest passages in the corpus; they do not answer the question.")
    for rank, sp in enumerate(answer.passages, start=1):
        spans = [sp.sentence] if sp.sentence else []
        # The answer's own sentences, where they come from this passage.
        spans += phrase_spans(sp.passage.search_text,
                              [s.text for s in answer.sentences if s.citation.passage_id == sp.passage.id])
        passage_card(engine, sp.passage, key=f"ask-{rank}", spans=spans, rank=rank, also_in=sp.also_in)
