"""Figures: every number stated in the corpus, filterable, sortable, downloadable as CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from care_evidence.app import links
from care_evidence.app.figures import COLUMNS, SORTS, figures_table, filter_figures, sort_figures
from care_evidence.app.render import app_url
from care_evidence.evidence.engine import Engine


@st.cache_resource(show_spinner=False, max_entries=2)
def _table(_engine: Engine, build: str) -> pd.DataFrame:
    return figures_table(_engine)


def render(engine: Engine) -> links.Params:
    st.header("Every figure in the corpus")
    table = _table(engine, str(engine.index.root))
    kinds = sorted(table["kind"].unique())
    # Values from the address that this table does not have are dropped before the widgets are drawn.
    st.session_state["fig_kinds"] = [k for k in st.session_state.get("fig_kinds", []) if k in kinds]
    if st.session_state.get("fig_sort") not in SORTS:
        st.session_state["fig_sort"] = "Document order"
    left, middle, right, sort = st.columns([3, 2, 2, 2])
    st.session_state.setdefault("fig_text", "")
    left.text_input("Passage mentions", key="fig_text", placeholder="e.g. delayed transfers")
    middle.multiselect("Documents", list(engine.documents), key="fig_docs", placeholder="All documents",
                       format_func=lambda d: engine.documents[d].label)
    right.multiselect("Kinds", kinds, key="fig_kinds", placeholder="All kinds")
    st.session_state.setdefault("fig_sort", "Document order")
    sort.selectbox("Sort by", list(SORTS), key="fig_sort")
    text = st.session_state["fig_text"]
    shown = filter_figures(table, text, tuple(st.session_state.get("fig_docs") or ()),
                           tuple(st.session_state.get("fig_kinds") or ()))
    shown = sort_figures(shown, st.session_state["fig_sort"])
    st.caption(f"{len(shown):,} of {len(table):,} figures. Click a column heading to sort; "
               "the link opens the passage.")
    view = shown[["figure", "value", "unit", "kind", "period", "citation", "ocr"]].copy()
    view["link"] = [app_url(links.base_url(), passage=pid) for pid in shown["passage"]]
    view["sentence"] = shown["sentence"]
    st.dataframe(
        view, hide_index=True, width="stretch", height=600,
        column_config={
            "figure": st.column_config.TextColumn("Figure", help="As printed"),
            "value": st.column_config.NumberColumn("Value", format="localized"),
            "unit": "Unit", "kind": "Kind", "period": "Period",
            "citation": st.column_config.TextColumn("Citation", width="medium"),
            "ocr": st.column_config.CheckboxColumn("OCR", help="Read from the PDF by OCR: check it against the "
                                                   "original before quoting"),
            "sentence": st.column_config.TextColumn("Sentence", width="large"),
            "link": st.column_config.LinkColumn("Passage", display_text="open"),
        },
    )
    csv = shown[COLUMNS].to_csv(index=False).encode("utf-8")
    st.download_button("Download these figures as CSV", csv, file_name="figures.csv", mime="text/csv",
                       key="download-figures", on_click="ignore", icon=":material/download:")
    sort_by = st.session_state["fig_sort"]
    return {"page": "figures", "find": text.strip(), "fdoc": list(st.session_state.get("fig_docs") or []),
            "fkind": list(st.session_state["fig_kinds"]), "sort": "" if sort_by == "Document order" else sort_by}
