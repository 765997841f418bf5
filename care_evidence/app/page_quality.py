"""Quality: the latest retrieval evaluation written by `python -m care_evidence.eval`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from care_evidence.app import links, state
from care_evidence.app.widgets import say
from care_evidence.evidence.engine import Engine

NAMES = {"hit_rate": "recall"}


def _label(metric: str) -> str:
    for old, new in NAMES.items():
        metric = metric.replace(old, new)
    return metric


def metrics_table(report: dict) -> pd.DataFrame:
    rows = []
    for name, result in report.get("retrievers", {}).items():
        rows.append({"retriever": name, **{_label(m): v for m, v in result.get("metrics", {}).items()}})
    return pd.DataFrame(rows)


def groups_table(report: dict, metric: str = "hit_rate@5") -> pd.DataFrame:
    retrievers = report.get("retrievers", {})
    groups: list[str] = []
    for result in retrievers.values():
        groups += [g for g in result.get("breakdown", {}) if g not in groups]
    rows = [{"group": g, **{name: r.get("breakdown", {}).get(g, {}).get(metric) for name, r in retrievers.items()}}
            for g in groups]
    return pd.DataFrame(rows)


def render(engine: Engine) -> links.Params:
    st.header("Retrieval quality")
    folder = state.results_dir()
    report_json, report_md, plot = folder / "report.json", folder / "report.md", folder / "recall_at_k.png"
    if not report_json.exists():
        say(f"There is no evaluation report yet in {folder}. Create it from the project "
                "folder with .venv/bin/python -m care_evidence.eval; it writes report.md, report.json and "
                "recall_at_k.png there. Then reload this page.", "info")
        return {"page": "quality"}
    try:
        report = json.loads(report_json.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        say(f"The evaluation report {report_json} cannot be read ({err}); run python -m care_evidence.eval again.",
            "error")
        return {"page": "quality"}
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(report_json.stat().st_mtime))
    say(f"{report.get('facts', '?')} known facts · report written {when} · {folder}", "caption")
    st.subheader("Metrics")
    st.dataframe(metrics_table(report), hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.3f")
                                for c in metrics_table(report).columns if c != "retriever"})
    _plot(plot)
    st.subheader("Recall@5 by group")
    st.dataframe(groups_table(report), hide_index=True, width="stretch")
    _failures(report)
    if report_md.exists():
        with st.expander("The full report (Markdown)"):
            st.code(report_md.read_text(encoding="utf-8"), language="markdown")
    return {"page": "quality"}


def _plot(path: Path) -> None:
    if path.exists():
        st.image(str(path), caption="Recall@k: share of known facts with a supporting passage in the top k")


def _failures(report: dict) -> None:
    failures = report.get("failures", {})
    if not failures:
        return
    st.subheader("Failed questions")
    st.caption("Facts with no supporting passage in the top 5, and what came back instead.")
    for name, rows in failures.items():
        with st.expander(f"{name}: {len(rows)} failed", expanded=False):
            if rows:
                table = pd.DataFrame([{"id": r.get("id"), "question": r.get("question"),
                                       "expected": r.get("expected"), "returned": "; ".join(r.get("returned", []))}
                                      for r in rows])
                st.dataframe(table, hide_index=True, width="stretch")
            else:
                st.write("None.")
