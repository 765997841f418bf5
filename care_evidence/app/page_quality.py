"""Quality: the latest retrieval evaluation written by `python -m care_evidence.eval`, said in plain
words, by kind of question and over time, with the engineer's tables behind an expander."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from care_evidence.app import links, state
from care_evidence.app.widgets import say
from care_evidence.eval.report import HISTORY_FILE
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


# What each group of known facts is, in a reader's words.
GROUP_NAMES = {"all": "all questions", "kind=figure": "asking for a figure", "kind=fact": "asking for a fact",
               "kind=report_figure": "about a report's Figure or Table",
               "paraphrased": "in other words than the reports'",
               "multi-document": "stated in more than one report"}


def _group_name(group: str, engine: Engine) -> str:
    if group.startswith("doc="):
        doc = engine.documents.get(group[4:])
        return f"answered in {doc.label}" if doc else group
    return GROUP_NAMES.get(group, group)


def _in_ten(share: float) -> str:
    return f"{round(share * 10)} in 10"


def _measured(metrics: dict, name: str) -> bool:
    value = metrics.get(name)
    return isinstance(value, int | float) and value == value  # present and not NaN


def plain_summary(report: dict) -> str:
    """One paragraph a reader who is not an engineer can take away."""
    engine = report.get("retrievers", {}).get("engine")
    if not engine:
        return "The last evaluation did not score the engine; run it again."
    m, sizes = engine["metrics"], report.get("group_sizes", {})
    facts, other_words = report.get("facts", 0), sizes.get("paraphrased", 0)
    said = [f"Of {facts} questions whose answer is known, the passage that answers it comes first for "
            f"{_in_ten(m['hit_rate@1'])} and is among the first five for {round(m['hit_rate@5'] * 100)} in 100."]
    para = engine.get("breakdown", {}).get("paraphrased")
    if para and other_words:
        said.append(f"For the {other_words} asked in other words than the reports use, it is among the first five "
                    f"for {round(para['hit_rate@5'] * 100)} in 100.")
    if _measured(m, "figure_accuracy"):
        said.append(f"When the question asks for a figure, the answer states the right one for "
                    f"{round(m['figure_accuracy'] * 100)} in 100.")
    if _measured(m, "lookup_reference") and _measured(m, "lookup_quote"):
        said.append(f"Typed references found their passage for {round(m['lookup_reference'] * 100)} in 100, pasted "
                    f"quotes (some damaged by copying) for {round(m['lookup_quote'] * 100)} in 100.")
    said.append("These are questions with a known answer: how often the tool rightly says a question is not in "
                "these reports is measured separately, and is still far from what it should be.")
    return " ".join(said)


def render(engine: Engine) -> links.Params:
    st.header("How well it finds the evidence")
    folder = state.results_dir()
    report_json, report_md, plot = folder / "report.json", folder / "report.md", folder / "recall_at_k.png"
    if not report_json.exists():
        say("The evaluation has not been run on this machine yet. It asks the engine 164 questions whose answers "
            "are known and checks what comes back; it takes a minute or two.", "info")
        if st.button("Run the evaluation now", type="primary", key="quality-run"):
            _run_now(engine, folder)
            st.rerun()
        return {"page": "quality"}
    try:
        report = json.loads(report_json.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        say(f"The evaluation report {report_json} cannot be read ({err}); run python -m care_evidence.eval again.",
            "error")
        return {"page": "quality"}
    when = time.strftime("%d %B %Y", time.localtime(report_json.stat().st_mtime))
    say(plain_summary(report), "info")
    say(f"Last measured {when}.", "caption")
    engine_result = report.get("retrievers", {}).get("engine")
    if engine_result:
        st.subheader("By kind of question")
        by_kind = pd.DataFrame([
            {"questions": f"{_group_name(g, engine)} ({report.get('group_sizes', {}).get(g, '?')})",
             "answering passage among the first five (%)": round(r["hit_rate@5"] * 100)}
            for g, r in engine_result.get("breakdown", {}).items()])
        st.bar_chart(by_kind, x="questions", y="answering passage among the first five (%)", horizontal=True)
    _over_time(folder)
    with st.expander("Details for engineers"):
        st.dataframe(metrics_table(report), hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.3f")
                                    for c in metrics_table(report).columns if c != "retriever"})
        _plot(plot)
        st.caption("Recall@5 by group")
        st.dataframe(groups_table(report), hide_index=True, width="stretch")
        _failures(report)
        if report_md.exists():
            st.code(report_md.read_text(encoding="utf-8"), language="markdown")
    return {"page": "quality"}


def _over_time(folder: Path) -> None:
    """The engine's scores over the last runs, when there are two or more."""
    path = folder / HISTORY_FILE
    if not path.exists():
        return
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[-50:]:
        try:
            run = json.loads(line)
            engine = run["metrics"]["engine"]
            rows.append({"run": run["written"], "first (%)": round(engine["hit_rate@1"] * 100),
                         "among the first five (%)": round(engine["hit_rate@5"] * 100)})
        except (ValueError, KeyError, TypeError):
            continue  # a damaged line is skipped, not shown
    if len(rows) >= 2:
        st.subheader("Over the last runs")
        st.line_chart(pd.DataFrame(rows), x="run", y=["first (%)", "among the first five (%)"])


# One evaluation at a time in the server: two readers (or two tabs) pressing the button would write
# the same report files at once.
_RUNNING = threading.Lock()


def _run_now(engine: Engine, folder: Path) -> None:
    """The evaluation of the engine, in this process, with a progress bar; writes the report."""
    if not _RUNNING.acquire(blocking=False):
        say("The evaluation is already running, started from another tab or by another reader. Open this "
            "page again in a minute or two to see its report.", "warning")
        st.stop()
    try:
        _evaluate(engine, folder)
    finally:
        _RUNNING.release()


def _evaluate(engine: Engine, folder: Path) -> None:
    from care_evidence.eval.data import load_facts, load_lookups
    from care_evidence.eval.harness import build_qrels, run_retriever
    from care_evidence.eval.report import write_report
    from care_evidence.evidence.retrieval import EngineRetriever

    bar = st.progress(0.0, text="Asking the known questions")
    facts, lookups = load_facts(), load_lookups()
    qrels = build_qrels(engine.index, facts)
    retriever = EngineRetriever(engine.index, engine.embedder, engine.settings)
    result = run_retriever(retriever, engine.index, facts, lookups, qrels,
                           on_fact=lambda done, total: bar.progress(done / total, text=f"Question {done} of {total}"))
    write_report([result], facts, qrels, engine.index, "", folder, dict(engine.settings))
    bar.progress(1.0, text="Done")


def _plot(path: Path) -> None:
    if path.exists():
        st.image(str(path), caption="Recall@k: share of known facts with a supporting passage in the top k")


def _failures(report: dict) -> None:
    failures = report.get("failures", {})
    if not failures:
        return
    st.caption("Failed questions: facts with no supporting passage in the top 5, and what came back instead.")
    for name, rows in failures.items():  # inside the engineers' expander, which cannot hold another
        say(f"{name}: {len(rows)} failed", "caption")
        if rows:
            table = pd.DataFrame([{"id": r.get("id"), "question": r.get("question"),
                                   "expected": r.get("expected"), "returned": "; ".join(r.get("returned", []))}
                                  for r in rows])
            st.dataframe(table, hide_index=True, width="stretch")
