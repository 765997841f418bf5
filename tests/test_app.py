"""The Streamlit app, driven in-process with AppTest on the real index (built once per session)."""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the app is not an installed package; `pytest` alone may not have the root
    sys.path.insert(0, str(ROOT))

from care_evidence.app.ask_box import EXAMPLES  # noqa: E402
from care_evidence.app.export import answer_markdown  # noqa: E402
from care_evidence.app.figures import figures_table, filter_figures  # noqa: E402
from care_evidence.app.render import esc, highlight, phrase_spans  # noqa: E402

APP = str(ROOT / "care_evidence" / "app" / "main.py")
POOLED = "How much was pooled in the Better Care Fund in 2015-16?"
DAMAGED = "the Fund would achieve sav-\nings of £511 milion in 2015-16"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def app(real_index_dir, monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("EVIDENCE_INDEX", str(real_index_dir))
    monkeypatch.setenv("EVIDENCE_CORPUS", str(ROOT / "corpus"))
    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(tmp_path / "no-results"))
    return AppTest.from_file(APP, default_timeout=120)


def notices(at: AppTest, tone: str) -> list[str]:
    """The text of each message shown in `tone` (app.render.notice: info, success, warning, error, caption)."""
    pattern = re.compile(rf'class="ev (?:ev-notice )?ev-{tone}"')
    return [html.unescape(re.sub(r"<[^>]+>", "", m.value)) for m in at.markdown
            if m.proto.allow_html and pattern.search(m.value)]


def shown(at: AppTest) -> str:
    """Everything the page shows as text (raw Markdown / HTML source of each element)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.code] + [c.value for c in at.caption]
    for kind in (at.success, at.info, at.warning, at.error):
        parts += [e.value for e in kind]
    return "\n".join(parts)


def run_ok(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def go(at: AppTest, page: str) -> AppTest:
    run_ok(at)
    at.radio(key="page").set_value(page)
    return run_ok(at)


# --- Ask ----------------------------------------------------------------------------------------

def test_ask_shows_answer_figure_citation_and_passages(app):
    run_ok(app)
    app.text_input(key="ask_q").input(POOLED)
    run_ok(app)
    text = shown(app)
    assert "£5.3" in text
    assert any(c.value.startswith("NAO 2017") for c in app.code), "the citation is ready to copy"
    assert '<mark class="fig">' in text, "figures in the answer are highlighted"
    assert '<mark class="hit">' in text, "the matching sentence of a passage is highlighted"
    assert [s.value for s in app.subheader][:2] == ["Answer", "Supporting passages"]
    assert "In context" in [e.label for e in app.expander]
    assert "Also in" in text
    assert app.query_params["q"] == POOLED
    assert app.get("download_button"), "the answer can be downloaded as Markdown"


def test_an_answer_from_ocr_text_is_flagged(app):
    run_ok(app)
    app.text_input(key="ask_q").input("How many integration joint boards are there in Scotland?")
    run_ok(app)
    assert [w.value for w in app.warning] == ["OCR text: check figures and table cells against the original PDF."]
    assert any("OCR text" in c for c in notices(app, "caption")), "each passage read by OCR says so"
    app.text_input(key="ask_q").input(POOLED)
    run_ok(app)
    assert not app.warning, "no flag on text that was not read by OCR"


def test_example_question_is_asked(app):
    run_ok(app)
    app.button(key="example-2").click()
    run_ok(app)
    assert app.text_input(key="ask_q").value.startswith("What did the Public Accounts Committee")
    assert "PAC 2018" in shown(app)


def test_a_comparison_shows_which_part_each_sentence_answers(app, engine):
    question = "How do the four UK nations differ in how they pool health and care budgets?"
    run_ok(app)
    app.text_input(key="ask_q").input(question)
    run_ok(app)
    # One table, a row for each nation, each with its own cited sentence.
    tables = [m.value for m in app.markdown if 'class="ev-parts"' in m.value]
    assert len(tables) == 1, [m.value[:80] for m in app.markdown]
    rows = re.findall(r"<tr><td><b>(.*?)</b></td><td>(.*?)</td></tr>", tables[0])
    assert [label for label, _ in rows] == ["England", "Scotland", "Wales", "Northern Ireland"]
    for label, said in rows:
        assert "Nuffield Trust 2022" in said and "Not in these reports" not in said, (label, said)
    md = answer_markdown(engine.ask(question), "", engine.documents)
    assert "**England:**" in md or "**England, " in md


def test_a_comparison_of_two_reports_gives_each_reports_figure_in_its_row(app):
    run_ok(app)
    app.text_input(key="ask_q").input("vanguard programme cost: PAC figure vs Nuffield figure")
    run_ok(app)
    table = next(m.value for m in app.markdown if 'class="ev-parts"' in m.value)
    rows = dict(re.findall(r"<tr><td><b>(.*?)</b></td><td(?: class=\"[\w-]*\")?>(.*?)</td></tr>", table))
    assert set(rows) == {"PAC 2018", "Nuffield Trust 2022"}
    assert "£329 million" in rows["PAC 2018"] and "£380 million" in rows["Nuffield Trust 2022"]


def test_a_figure_over_time_is_shown_as_a_table_and_a_chart(app):
    run_ok(app)
    app.text_input(key="ask_q").input("How has adult social care spending changed over time?")
    run_ok(app)
    table = next(m.value for m in app.markdown if 'class="ev-parts"' in m.value and "<th>Year</th>" in m.value)
    assert "2009-10" in table and "£16.1 billion" in table and "NAO 2017, para 1.5" in table
    assert app.get("vega_lite_chart"), "one value a year: drawn as a chart"


def test_a_table_cell_is_answered_and_the_table_shown_as_a_table_with_the_cell_marked(app):
    run_ok(app)
    app.text_input(key="ask_q").input("STF transformation funding 2019-20")
    run_ok(app)
    answer = [html.unescape(re.sub(r"<[^>]+>", "", m.value)) for m in app.markdown if 'class="ev ev-answer"' in m.value]
    # read from the cells, said so, not shown as if the report printed it; its citation once, after the note
    assert answer[0] == "Read from the table's cells: Transformation, 2019-20 (£bn): 3.4"
    assert answer[1].startswith("1 For 2019-20 and 2020-21, NHS England has not allocated")
    assert answer[1].endswith("— NAO 2017, Figure 12")
    grid = next(m.value for m in app.markdown if 'class="ev-parts"' in m.value and "<th>2015-16 (£bn)</th>" in m.value)
    assert grid.count("<tr>") == 4, "a heading row and the table's three rows"
    assert '<mark class="fig">3.4</mark>' in grid and grid.count("<mark") == 1, "only the cell asked for is marked"


def test_an_ocr_table_says_its_headings_are_lost_in_the_app(app):
    run_ok(app)
    app.text_input(key="ask_q").input("What was social care spending per person in Wales in 2019/20?")
    run_ok(app)
    assert any("lost its column headings" in text for text in notices(app, "warning"))
    grid = next(m.value for m in app.markdown if 'class="ev-parts"' in m.value and "heading not in the text" in m.value)
    assert "<td>318</td>" not in grid and '<mark class="fig">318</mark>' in grid


def test_every_example_question_gives_a_finding(app):
    """No example answers with a heading ("Figure 6: ...") or a pointer ("It also ..."), or not at all."""
    run_ok(app)
    for i, example in enumerate(EXAMPLES):
        app.button(key=f"example-{i}").click()
        run_ok(app)
        answer = [html.unescape(re.sub(r"<[^>]+>", "", m.value)) for m in app.markdown
                  if 'class="ev ev-answer"' in m.value]
        assert answer, f"no answer to the example {example!r}"
        first = answer[0]
        assert not re.match(r"(Figure|Table|Box) \w+:?\s", first) and not re.match(r"(It|This|These|They)\b", first), (
            example, first)
        assert app.code and app.code[0].value, "a citation to copy"


def test_deep_link_reopens_the_question(app):
    app.query_params["q"] = POOLED
    run_ok(app)
    assert app.radio(key="page").value == "ask"
    assert app.text_input(key="ask_q").value == POOLED
    assert "£5.3" in shown(app)


def test_filters_restrict_passages_and_go_into_the_url(app):
    run_ok(app)
    app.multiselect(key="ask_docs").set_value(["pac2018"])
    app.text_input(key="ask_q").input("What did the Public Accounts Committee say about vanguards?")
    run_ok(app)
    citations = [c.value for c in app.code if not c.value.endswith(".")]  # full references end with "."
    assert citations and all(c.startswith("PAC 2018") for c in citations)
    assert all("Public Accounts" in c.value for c in app.code if c.value.endswith("."))
    assert app.query_params["doc"] == "pac2018"


def test_question_nothing_answers(app):
    run_ok(app)
    app.text_input(key="ask_q").input("What is the capital of France?")
    run_ok(app)
    assert any("Not found in the corpus" in w for w in notices(app, "warning"))
    assert "Closest passages" in [s.value for s in app.subheader]


def test_script_query_is_shown_escaped(app):
    run_ok(app)
    app.text_input(key="ask_q").input(SCRIPT)
    run_ok(app)
    assert any("cannot be searched" in w for w in notices(app, "warning"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown(app)
    for m in app.markdown:
        if m.proto.allow_html:
            assert "<script" not in m.value.lower()


def test_open_in_browse_from_an_answer(app):
    app.query_params["q"] = POOLED
    run_ok(app)
    app.button(key="ask-1-open").click()
    run_ok(app)
    assert app.radio(key="page").value == "browse"
    assert app.selectbox(key="browse_passage").value == app.query_params["passage"]


# --- Look up ------------------------------------------------------------------------------------

def test_lookup_reference_shows_passage_in_context(app):
    go(app, "lookup")
    app.text_area(key="lookup_q").input("NAO para 2.7")
    run_ok(app)
    assert any("NAO 2017, para 2.7" in s for s in notices(app, "success"))
    assert "NAO 2017, para 2.7" in [c.value for c in app.code]
    assert "In context" in [e.label for e in app.expander]
    assert "para 2.6" in shown(app), "a neighbouring paragraph is shown"
    assert app.query_params["lookup"] == "NAO para 2.7"


def test_lookup_damaged_quote_is_altered_with_differences(app):
    go(app, "lookup")
    app.text_area(key="lookup_q").input(DAMAGED)
    run_ok(app)
    assert any(w.startswith("Altered") for w in notices(app, "warning"))
    differences = app.dataframe[0].value
    assert {"milion", "million"} <= set(differences["in the quote"]) | set(differences["in the source"])
    text = shown(app)
    assert '<mark class="diff-old">milion</mark>' in text
    assert '<mark class="quote">' in text
    assert "NAO 2017, para 2.7" in [c.value for c in app.code]


def test_lookup_misremembered_quote_is_a_paraphrase_with_the_reports_words(app):
    go(app, "lookup")
    app.text_area(key="lookup_q").input("According to the NAO, delayed days went up by 185,000 in 2015-16.")
    run_ok(app)
    assert any(n.startswith("Not a quotation: this paraphrases NAO 2017, para 2.7") for n in notices(app, "info"))
    assert "The report's words" in [s.value for s in app.subheader]
    assert "NAO 2017, para 2.7" in [c.value for c in app.code]


# --- Check a text ------------------------------------------------------------------------------

def test_check_marks_each_claim_with_its_verdict_and_evidence(app):
    go(app, "check")
    app.button(key="check-example").click()
    run_ok(app)
    assert [s.value for s in app.subheader] == ["1. supported", "2. differs", "3. not in these reports"]
    assert any("£611 million" in n and "£511m" in n for n in notices(app, "error"))
    assert "NAO 2017, para 1.6" in [c.value for c in app.code]
    assert app.get("download_button"), "the whole check downloads as Markdown"


def test_check_leaves_an_excluded_document_out_of_the_evidence(app):
    go(app, "check")
    app.multiselect(key="check_exclude").set_value(["nao2017"])
    app.text_area(key="check_text").input("Delayed transfers of care increased by 76% between August 2010 and "
                                          "November 2016.")
    run_ok(app)
    assert not any(c.value.startswith("NAO 2017") for c in app.code)


def test_check_shows_pasted_markup_as_text(app):
    go(app, "check")
    app.text_area(key="check_text").input("<script>alert(1)</script> The Better Care Fund pooled <b>£5.3 "
                                          "billion</b> in 2015-16.")
    run_ok(app)
    assert all("<script" not in m.value for m in app.markdown if m.proto.allow_html)


def test_lookup_ambiguous_reference_lists_candidates(app):
    app.query_params["lookup"] = "Figure 7"
    run_ok(app)
    assert app.radio(key="page").value == "lookup"
    assert any(w.startswith("Ambiguous") for w in notices(app, "warning"))
    codes = [c.value for c in app.code]
    assert "NAO 2017, Figure 7" in codes and "Nuffield Trust 2022, Figure 7" in codes


def test_lookup_quote_not_found_and_script(app):
    go(app, "lookup")
    app.text_area(key="lookup_q").input("zebra crossings on the moon are painted purple every Tuesday")
    run_ok(app)
    assert notices(app, "error") and notices(app, "error")[0].startswith("Not found")
    app.text_area(key="lookup_q").input(SCRIPT)
    run_ok(app)
    assert any("cannot be looked up" in w for w in notices(app, "warning"))
    assert all("<script" not in m.value for m in app.markdown if m.proto.allow_html)


# --- Browse -------------------------------------------------------------------------------------

def test_passage_link_reopens_the_passage(app):
    app.query_params["passage"] = "nao2017/para-2-7"
    run_ok(app)
    assert app.radio(key="page").value == "browse"
    assert app.selectbox(key="browse_doc").value == "nao2017"
    assert app.selectbox(key="browse_passage").value == "nao2017/para-2-7"
    assert "NAO 2017, para 2.7" in [c.value for c in app.code]
    assert "£511 million" in shown(app)
    assert app.query_params["passage"] == "nao2017/para-2-7"


def test_browse_a_document_section_by_section(app):
    go(app, "browse")
    app.selectbox(key="browse_doc").set_value("pac2018")
    run_ok(app)
    assert app.selectbox(key="browse_passage").value == ""
    first_section = app.selectbox(key="browse_section").value
    assert "PAC 2018" in shown(app)
    assert app.query_params["document"] == "pac2018"
    app.button(key="browse-next").click()
    run_ok(app)
    assert app.selectbox(key="browse_section").value != first_section


def test_unknown_passage_link_says_so(app):
    app.query_params["passage"] = "nao2017/para-99-9"
    run_ok(app)
    assert any("no passage" in w for w in notices(app, "warning"))


# --- Figures ------------------------------------------------------------------------------------

def test_figures_table_filters_sorts_and_downloads(app):
    go(app, "figures")
    everything = app.dataframe[0].value
    assert len(everything) > 500
    assert {"figure", "value", "unit", "kind", "period", "citation", "ocr", "sentence"} <= set(everything.columns)
    # Figures read by OCR are marked, and only those.
    assert set(everything[everything["ocr"]]["citation"].str.split(",").str[0]) == {"Nuffield Trust 2022"}
    app.text_input(key="fig_text").input("delayed transfers")
    run_ok(app)
    narrowed = app.dataframe[0].value
    assert 0 < len(narrowed) < len(everything)
    assert app.query_params["find"] == "delayed transfers"
    app.multiselect(key="fig_docs").set_value(["nao2017"])
    app.selectbox(key="fig_sort").set_value("Value, largest first")
    run_ok(app)
    sorted_rows = app.dataframe[0].value
    assert all(c.startswith("NAO 2017") for c in sorted_rows["citation"])
    values = [v for v in sorted_rows["value"] if v is not None and not math.isnan(v)]
    assert values == sorted(values, reverse=True)
    assert app.get("download_button"), "the table can be downloaded as CSV"
    # The address keeps the document, the kinds and the sort, and reopens the same table.
    assert (app.query_params["fdoc"], app.query_params["sort"]) == ("nao2017", "Value, largest first")
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params.update(dict(app.query_params))
    run_ok(again)
    assert again.dataframe[0].value["citation"].tolist() == sorted_rows["citation"].tolist()


def test_figure_filter_matches_the_figures_own_sentence(engine):
    table = figures_table(engine)
    rows = filter_figures(table, "Delayed  Transfers")
    assert 0 < len(rows) < len(filter_passages_mentioning(table, "delayed transfers"))
    for sentence, citation in zip(rows["sentence"], rows["citation"], strict=True):
        assert "delayed transfers" in " ".join(sentence.lower().split()) or "delayed transfers" in citation.lower()


def filter_passages_mentioning(table, text: str):
    """The old filter, on the whole passage: what the sentence filter narrows."""
    return table[table["text"].str.contains(text, regex=False)]


# --- Quality ------------------------------------------------------------------------------------

def test_quality_without_a_report_runs_the_evaluation_from_a_button(app, tmp_path, monkeypatch):
    from care_evidence.eval import data

    facts = data.load_facts()[:4]
    monkeypatch.setattr(data, "load_facts", lambda: facts)  # four questions keep the test short
    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(tmp_path / "results"))
    go(app, "quality")
    assert any(i.startswith("The evaluation has not been run") for i in notices(app, "info"))
    app.button(key="quality-run").click()
    run_ok(app)
    assert (tmp_path / "results" / "report.json").exists()
    assert any(i.startswith("Of 4 questions whose answer is known") for i in notices(app, "info"))


def test_quality_runs_one_evaluation_at_a_time(app, tmp_path, monkeypatch):
    """While one evaluation runs (another tab's), the button says so and writes nothing."""
    from care_evidence.app import page_quality

    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(tmp_path / "results"))
    go(app, "quality")
    assert page_quality._RUNNING.acquire(blocking=False)
    try:
        app.button(key="quality-run").click()
        run_ok(app)
    finally:
        page_quality._RUNNING.release()
    assert any(w.startswith("The evaluation is already running") for w in notices(app, "warning"))
    assert not (tmp_path / "results" / "report.json").exists()


def test_quality_shows_metrics_plot_and_failures(app, tmp_path, monkeypatch):
    results = tmp_path / "results"
    results.mkdir()
    report = {
        "facts": 2, "group_sizes": {"all": 2},
        "retrievers": {"engine": {"metrics": {"hit_rate@1": 0.5, "hit_rate@5": 1.0, "mrr@10": 0.75},
                                  "breakdown": {"all": {"hit_rate@5": 1.0}}}},
        "failures": {"engine": [{"id": "nao-001", "question": "How much?", "expected": "nao2017 para 2.2",
                                 "returned": ["NAO 2017, para 2.3 (1.00)"]}]},
    }
    (results / "report.json").write_text(json.dumps(report), encoding="utf-8")
    (results / "report.md").write_text("# Retrieval evaluation\n", encoding="utf-8")
    _tiny_png(results / "recall_at_k.png")
    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(results))
    history = [{"written": f"2026-12-0{i}T10:00:00", "facts": 2,
                "metrics": {"engine": {"hit_rate@1": 0.5, "hit_rate@5": 0.5 + i / 10}}} for i in (1, 2)]
    (results / "history.jsonl").write_text("".join(json.dumps(h) + "\n" for h in history) + "not json\n")
    go(app, "quality")
    summary = notices(app, "info")[0]
    assert summary.startswith("Of 2 questions whose answer is known, the passage that answers it comes first for "
                              "5 in 10 and is among the first five for 100 in 100.")
    assert "not in these reports is measured separately" in summary
    assert "Over the last runs" in [s.value for s in app.subheader]
    assert "Details for engineers" in [e.label for e in app.expander]
    metrics = app.dataframe[0].value
    assert list(metrics["retriever"]) == ["engine"] and "recall@5" in metrics.columns
    assert app.image, "the Recall@k plot is shown"
    assert "engine: 1 failed" in notices(app, "caption")
    assert app.query_params["page"] == "quality"


def _tiny_png(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([1, 2], [0.5, 1.0])
    fig.savefig(path)
    plt.close(fig)


# --- First run ----------------------------------------------------------------------------------

def test_first_run_builds_the_index_then_answers(small_corpus, tmp_path, monkeypatch):
    index = tmp_path / "new-index"
    monkeypatch.setenv("EVIDENCE_INDEX", str(index))
    monkeypatch.setenv("EVIDENCE_CORPUS", str(small_corpus))
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["lookup"] = "PAC 12"
    run_ok(at)
    assert any(s.startswith("Built the index") for s in notices(at, "success"))
    assert any("PAC 2018, para 12" in s for s in notices(at, "success"))
    assert (index / "CURRENT").exists()
    shutil.rmtree(index)


def test_index_from_another_schema_offers_a_rebuild(real_index_dir, tmp_path, monkeypatch):
    index = tmp_path / "stale-index"
    shutil.copytree(real_index_dir, index)
    manifest_path = index / "builds" / (index / "CURRENT").read_text(encoding="utf-8").strip() / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["schema_version"] = -1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("EVIDENCE_INDEX", str(index))
    at = run_ok(AppTest.from_file(APP, default_timeout=120))
    assert notices(at, "error") and "cannot be used" in notices(at, "error")[0]
    # The question box and its examples are drawn before the index loads; the rebuild is the one other button.
    assert [b.label for b in at.button] == [*EXAMPLES, "Rebuild the index now"]


def test_unknown_page_falls_back_to_ask(app):
    app.query_params["page"] = "nonsense"
    run_ok(app)
    assert app.radio(key="page").value == "ask"
    assert app.query_params["page"] == "ask"


# --- Rendering and export -----------------------------------------------------------------------

def test_escaping_leaves_no_markup():
    out = esc("<script>alert('x')</script> *bold* [a](b) $x$ `c` a_b")
    assert "<" not in out and "*" not in out and "[" not in out and "$" not in out and "`" not in out
    marked = highlight("cost <b>£5.3bn</b>", phrase_spans("cost <b>£5.3bn</b>", ["£5.3bn"]), "fig")
    assert marked == 'cost &lt;b&gt;<mark class="fig">£5.3bn</mark>&lt;/b&gt;'


def test_answer_exports_as_markdown(engine):
    answer = engine.ask(POOLED)
    md = answer_markdown(answer, "http://localhost:8501/", engine.documents)
    assert md.startswith("# How much was pooled")
    assert "NAO 2017" in md and "## Supporting passages" in md
    assert "http://localhost:8501/?passage=nao2017%2F" in md
    assert "?q=How+much+was+pooled" in md
    figures_line = next(line for line in md.splitlines() if line.startswith("Figures: "))
    shown = figures_line.removeprefix("Figures: ").split("; ")
    assert len(shown) == len(set(shown)), "each figure once"
    assert "## References" in md
    assert "- National Audit Office (2017) Health and social care integration. HC 1011." in md


def test_not_found_export_says_what_the_filters_searched(engine):
    """A not-found answer's export names the documents and kinds searched, not "every passage" of all."""
    from care_evidence.evidence.models import Filters

    filters = Filters(documents=("pac2018",), kinds=("table",))
    answer = engine.ask("How many GP appointments were there in 2023?", filters=filters)
    assert not answer.found
    md = answer_markdown(answer, "", engine.documents, filters)
    searched = next(line for line in md.splitlines() if line.startswith("Searched: "))
    assert searched == "Searched: the table passages of PAC 2018."
    unfiltered = answer_markdown(engine.ask("How many GP appointments were there in 2023?"), "", engine.documents)
    assert "Searched: every passage of NAO 2017, " in unfiltered


def test_sessions_keep_their_state_apart(real_index_dir, monkeypatch, tmp_path):
    """Two users at once: each session shows its own question and answer, in any order of runs."""
    monkeypatch.setenv("EVIDENCE_INDEX", str(real_index_dir))
    monkeypatch.setenv("EVIDENCE_EVAL_RESULTS", str(tmp_path / "no-results"))
    first, second = AppTest.from_file(APP, default_timeout=120), AppTest.from_file(APP, default_timeout=120)
    run_ok(first)
    run_ok(second)
    first.text_input(key="ask_q").input(POOLED)
    second.text_input(key="ask_q").input("What did the Public Accounts Committee say about vanguards?")
    run_ok(second)
    run_ok(first)
    assert first.text_input(key="ask_q").value == POOLED and "£5.3" in shown(first)
    assert second.query_params["q"].startswith("What did the Public Accounts Committee")
    assert "PAC 2018" in shown(second) and "£5.3bn" not in shown(second)


def test_settings_that_cannot_be_used_are_one_message(real_index_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("EVIDENCE_INDEX", str(real_index_dir))
    monkeypatch.setenv("EVIDENCE_SETTINGS", "shortlst=10")
    at = run_ok(AppTest.from_file(APP, default_timeout=120))
    assert notices(at, "error") and notices(at, "error")[0].startswith(
        "The engine's settings cannot be used: unknown setting 'shortlst'")


# --- What a reader never sees -------------------------------------------------------------------

def test_no_page_shows_a_file_name_a_build_id_or_a_raw_score(app, real_index_dir):
    """Every page, in the state a reader reaches it, shows documents by label and title only."""
    files = re.findall(r'file = "([^"]+)"', (ROOT / "corpus" / "metadata.toml").read_text())
    build = (real_index_dir / "CURRENT").read_text().strip()
    states = [("ask", lambda a: a.text_input(key="ask_q").input(POOLED)),
              ("lookup", lambda a: a.text_area(key="lookup_q").input("NAO para 2.7")),
              ("check", lambda a: a.button(key="check-example").click()),
              ("browse", lambda a: None), ("figures", lambda a: None), ("quality", lambda a: None)]
    for page, action in states:
        go(app, page)
        action(app)
        run_ok(app)
        text = shown(app) + "\n".join(e.label for e in app.expander)
        assert not [f for f in files if f in text], page
        assert build not in text, page
        assert not re.search(r"\bscore \d", text), page


def test_a_passage_offers_its_full_reference_to_paste_and_import(app):
    go(app, "lookup")
    app.text_area(key="lookup_q").input("NAO para 2.7")
    run_ok(app)
    codes = [c.value for c in app.code]
    assert "National Audit Office (2017) Health and social care integration. HC 1011. Available at: " \
           "https://www.nao.org.uk. para 2.7." in codes
    names = [b.proto.label for b in app.get("download_button")]
    assert "BibTeX (.bib)" in names and "RIS (.ris)" in names


def test_a_not_found_answer_downloads_with_what_was_searched(app):
    go(app, "ask")
    app.text_input(key="ask_q").input("What is the capital of France?")
    run_ok(app)
    assert app.get("download_button"), "a not-found answer exports too"


def test_session_history_reopens_a_question_and_clears(app):
    run_ok(app)
    app.text_input(key="ask_q").input(POOLED)
    run_ok(app)
    go(app, "lookup")
    app.text_area(key="lookup_q").input("[click me](https://evil.example/) NAO para 2.7")
    run_ok(app)
    shown_history = [n for n in notices(app, "caption") if n.startswith(("Ask:", "Look up:"))]
    assert shown_history == ["Look up: [click me](https://evil.example/) NAO para 2.7", f"Ask: {POOLED}"]
    assert not [m for m in app.markdown if 'href="https://evil.example' in m.value]
    app.button(key="history-1").click()  # the question asked first
    run_ok(app)
    assert app.radio(key="page").value == "ask" and app.text_input(key="ask_q").value == POOLED
    app.button(key="history-clear").click()
    run_ok(app)
    assert not [n for n in notices(app, "caption") if n.startswith(("Ask:", "Look up:"))]


def test_browse_shows_contents_down_to_a_table_and_searches_within_the_document(app):
    go(app, "browse")
    app.selectbox(key="browse_doc").set_value("nuffield2022")
    run_ok(app)
    contents = next(m.value for m in app.markdown if "ev-toc" in m.value)
    assert "Chapter 3: How has the integration of health and social care evolved in each country?" in \
        html.unescape(contents)
    assert "?passage=nuffield2022%2Ftable-5" in contents and "Table 5" in contents  # a Table under its section
    assert contents.index("Chapter 2") < contents.index("Table 1") < contents.index("Chapter 3")
    app.text_input(key="browse_find").input("Northern Ireland structural integration 1973")
    run_ok(app)
    hits = [n for n in notices(app, "caption") if n.startswith("Nuffield Trust 2022")]
    assert hits and all(h.startswith("Nuffield Trust 2022") for h in hits)
    app.button(key="browse-find-0").click()
    run_ok(app)
    assert app.selectbox(key="browse_passage").value.startswith("nuffield2022/")


def test_history_is_kept_for_the_browser_under_each_masking_of_its_cookie():
    """Streamlit's XSRF cookie is re-masked on every page load; the history's key is the token under it."""
    from care_evidence.app.history import browser_key

    token = bytes(range(16))

    def masked(mask: bytes, token: bytes = token) -> str:
        return f"2|{mask.hex()}|{bytes(b ^ mask[i % 4] for i, b in enumerate(token)).hex()}|1796179541"

    first, second = browser_key(masked(b"\x01\x02\x03\x04")), browser_key(masked(b"\xaa\xbb\xcc\xdd"))
    assert first == second and first is not None
    assert browser_key(masked(b"\x01\x02\x03\x04", bytes(range(1, 17)))) != first  # another browser's token
    assert token.hex() not in first  # the token itself is not kept
    for bad in ("", "1|abcd|00|1", "2|zz|00|1", "2|01020304|0011|1", "2|0102|" + "00" * 16 + "|1"):
        assert browser_key(bad) is None
