"""The query engine on the real index: answers, figures, citations, filters, lookups."""

from __future__ import annotations

import json

import pytest

from care_evidence.eval.data import load_facts, load_lookups
from care_evidence.evidence.doc_names import find_documents
from care_evidence.evidence.models import Filters
from care_evidence.evidence.query import QueryError


def test_pooled_fund_question_answers_5_3_billion_from_nao(engine):
    answer = engine.ask("How much was pooled in the Better Care Fund in 2015-16?")
    assert answer.found
    assert "£5.3bn" in [f.printed for f in answer.figures] or "£5.3 billion" in [f.printed for f in answer.figures]
    assert answer.sentences[0].citation.label == "NAO 2017"
    assert any(c.label == "NAO summary page" for c in answer.citations)  # "also in"


def test_every_shown_figure_and_citation_is_true_over_the_eval_set(engine):
    """Each figure in an answer stands verbatim in the passage cited for it; each citation resolves."""
    for fact in load_facts():
        answer = engine.ask(fact.question)
        for sentence in answer.sentences:
            passage = engine.passage(sentence.citation.passage_id)
            # The passage's own locator, or one of its lettered items ("Summary para 26(c)") holding the sentence.
            cited = engine.lookup(str(sentence.citation)).passages[0].passage
            assert sentence.citation.locator in (passage.locator, cited.locator), (fact.id, str(sentence.citation))
            assert cited.id == passage.id
            if answer.table is not None and sentence.text == answer.table.statement():
                assert_cells_stand_in(answer.table, passage)  # a table's cells, by row and column
            else:
                assert sentence.text.lstrip("•- ")[:40] in passage.search_text
            for figure in sentence.figures:
                assert figure.passage_id == passage.id
                assert passage.text[figure.start : figure.end] == figure.printed, (fact.id, figure)
        for citation in answer.citations + [p.citation for p in answer.passages]:
            resolved = engine.lookup(str(citation))  # exactly as shown, page included
            assert resolved.status == "found", (fact.id, str(citation), resolved.message)
            assert resolved.passages[0].passage.id == citation.passage_id, (fact.id, str(citation))


def assert_cells_stand_in(table, passage) -> None:
    """Each cell picked, its row's label (word by word, in order: an OCR row's label is the words around
    its values) and its column's heading stand in the passage."""
    from test_tables import _flat, words_in_order

    text = _flat(passage.text)
    for cells, picked in table.body():
        if any(picked):
            assert words_in_order(cells[0], text), cells[0]
        assert all(_flat(c) in text for c, on in zip(cells[1:], picked[1:], strict=True) if on and c), cells
    assert all(_flat(table.grid.columns[c]) in text for c in table.columns)


OVER_TIME = ["How has adult social care spending changed over time?",
             "How did the Better Care Fund's pooled budget change between 2015-16 and 2016-17?",
             "How have delayed transfers of care changed over the years?"]


def test_every_part_of_a_comparison_and_every_value_of_a_series_is_true(engine):
    """Issue 18: each part's sentence and each yearly value of a series stands in the passage cited for
    it, and that citation resolves to it; over the user-written comparisons and questions over time."""
    from care_evidence.eval.data import DATA_DIR

    rows = (DATA_DIR / "wild" / "comparisons.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in rows if line.strip()] + OVER_TIME
    parts = values = 0
    for question in questions:
        answer = engine.ask(question)
        for sentence in answer.sentences:
            if sentence.part:
                passage = engine.passage(sentence.citation.passage_id)
                if sentence.from_cells:  # a table's cells, by row and column
                    assert_cells_stand_in(answer.table, passage)
                else:
                    assert sentence.text.lstrip("•- ")[:40] in passage.search_text, (question, str(sentence.citation))
                assert engine.lookup(str(sentence.citation)).passages[0].passage.id == passage.id
                parts += 1
        for point in answer.series:
            passage = engine.passage(point.citation.passage_id)
            assert point.sentence.lstrip("•- ")[:40] in passage.search_text, (question, point)
            assert point.printed in point.sentence and point.printed in passage.text, (question, point)
            assert engine.lookup(str(point.citation)).passages[0].passage.id == passage.id
            values += 1
    assert parts >= 30 and values >= 2  # the check ran on real parts and a real series


@pytest.mark.parametrize("question", ["What is the capital of France?", "Who won the 1966 World Cup final?",
                                      "How do I bake sourdough bread?"])
def test_questions_about_nothing_in_the_corpus_are_not_found(engine, question):
    answer = engine.ask(question)
    assert not answer.found and answer.message.startswith("Not found in the corpus")
    assert answer.sentences == [] and answer.figures == []


@pytest.mark.parametrize("question,passage_id", [
    ("What does NAO Figure 13 show?", "nao2017/figure-13"),
    ("What does Nuffield Figure 17 show?", "nuffield2022/figure-17"),
])
def test_a_question_naming_a_passage_is_answered_by_it(engine, question, passage_id):
    """A figure's title may be too unlike "what does it show?" for the meaning threshold; named, it answers."""
    answer = engine.ask(question)
    assert answer.found, answer.message
    assert answer.passages[0].passage.id == passage_id
    assert answer.sentences[0].citation.passage_id == passage_id


@pytest.mark.parametrize("question", ["How many astronauts does NAO Figure 13 show landing on Mars?",
                                      "What does table 2 say about football transfer fees?"])
def test_naming_a_passage_does_not_make_any_question_answerable(engine, question):
    answer = engine.ask(question)
    assert not answer.found and answer.message.startswith("Not found in the corpus")


def test_passages_read_by_ocr_say_so(engine, real_index_dir, capsys):
    """The Nuffield report's text is OCR (corpus/metadata.toml): its figures may be misread."""
    assert engine.ask("How many integration joint boards are there in Scotland?").sentences[0].citation.ocr
    assert not engine.ask("How much was pooled in the Better Care Fund in 2015-16?").sentences[0].citation.ocr
    from care_evidence.evidence.cli import main

    question = "How many integration joint boards are there in Scotland?"
    assert main(["--index", str(real_index_dir), "ask", question]) == 0
    assert "(OCR text: check figures and table cells against the original PDF)" in capsys.readouterr().out
    assert main(["--index", str(real_index_dir), "ask", question, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["sentences"][0]["ocr"] is True and answer["passages"][0]["ocr"] is True


def test_an_answer_that_leads_into_a_list_brings_the_list_and_not_the_footnote(engine):
    """Footnote 24 names the pioneers' early evaluation, in the question's words; what it found is in
    para 2.13, as a list after "found that:"."""
    answer = engine.ask("What did the early evaluation of the pioneers programme find?")
    assert {str(s.citation) for s in answer.sentences} == {"NAO 2017, para 2.13"}
    assert answer.sentences[0].text.endswith("found that:")
    items = [s.text for s in answer.sentences[1:]]
    assert len(items) == 5 and all(item.startswith("• ") for item in items), items
    assert items[-1].startswith("• areas expected that it would take five years or more")
    assert answer.citation_shown_after() == [False] * 5 + [True]  # the list is cited once, after it
    # An item of two sentences keeps both; an item chosen as a sentence already is not shown twice.
    bcf = [s.text for s in engine.ask("How did the BCF perform against its performance metrics in its first "
                                      "year?").sentences]
    assert "In fact delayed days increased by 185,000 at a cost of £146 million more than planned." in bcf
    delays = [s.text for s in engine.ask("What percentage of delays did the data show over this two-year "
                                         "period?").sentences]
    assert len(delays) == len(set(delays)) and delays[0] == "Over this two-year period the data show:"
    # Asked for the source, the footnote may answer.
    source = engine.ask("Which footnote is the source for the early evaluation of the pioneers programme?")
    assert source.sentences[0].citation.locator == "footnote 24"


def test_lay_words_reach_report_words(engine):
    top = engine.rank("How much did bed-blocking increase in the Better Care Fund's first year?", 5)
    texts = " ".join(p.passage.search_text for p in top)
    assert "delayed transfers of care" in texts and "185,000" in texts
    top = engine.rank("What did the Public Accounts Committee say about money for the vanguards?", 3)
    assert top[0].citation.label == "PAC 2018"
    # A body's name written out reaches the report that writes it as an abbreviation ("RPBs").
    top = engine.rank("In Wales, can regional partnership boards employ staff?", 3)
    assert any("still lack the ability to employ staff" in " ".join(p.passage.search_text.split()) for p in top)


def test_filters_by_document_kind_and_date(engine):
    only_pac = engine.rank("vanguards", 10, Filters(documents=("PAC 2018",)))
    assert only_pac and {p.passage.doc_id for p in only_pac} == {"pac2018"}
    footnotes = engine.rank("Comptroller and Auditor General report", 10, Filters(kinds=("footnote",)))
    assert footnotes and {p.passage.kind for p in footnotes} == {"footnote"}
    # The short names a user types, as in questions ("PAC", "Nuffield"), choose documents too.
    for name, doc_id in (("PAC", "pac2018"), ("nuffield", "nuffield2022"), ("NAO web summary", "naosummary2017")):
        top = engine.rank("vanguards", 5, Filters(documents=(name,)))
        assert top and {p.passage.doc_id for p in top} == {doc_id}, name
    # The answer, too, is read from the documents the filter allows (not from a duplicate elsewhere).
    web = engine.ask("How much was pooled in total in the Better Care Fund in 2015-16?",
                     filters=Filters(documents=("NAO web summary",)))
    assert web.sentences and {s.citation.doc_id for s in web.sentences} == {"naosummary2017"}
    with pytest.raises(QueryError, match="no document 'Kings Fund' in this corpus"):
        engine.ask("vanguards", filters=Filters(documents=("Kings Fund",)))
    recent = engine.rank("integration", 10, Filters(date_from="2018"))
    assert recent and {p.passage.doc_id for p in recent} <= {"pac2018", "nuffield2022"}


@pytest.mark.parametrize("reference,label,locator", [
    ("NAO para 2.7", "NAO 2017", "para 2.7"),
    ("paragraph 2.7 of the NAO report", "NAO 2017", "para 2.7"),
    ("PAC 12", "PAC 2018", "para 12"),
    ("Summary para 13", "NAO 2017", "Summary para 13"),
    ("Nuffield Table 5", "Nuffield Trust 2022", "Table 5"),
    ("NAO Figure 7", "NAO 2017", "Figure 7"),
])
def test_reference_lookup(engine, reference, label, locator):
    result = engine.lookup(reference)
    assert result.status == "found"
    assert (result.passages[0].citation.label, result.passages[0].passage.locator) == (label, locator)


def test_ambiguous_and_unknown_references(engine):
    ambiguous = engine.lookup("footnote 20")
    assert ambiguous.status == "ambiguous"
    assert {c.label for c in ambiguous.candidates} == {"NAO 2017", "PAC 2018"}
    assert engine.lookup("Figure 7").status == "ambiguous"
    unknown = engine.lookup("NAO para 9.9")
    assert unknown.status == "not found" and unknown.message.startswith("No such passage: para 9.9 in NAO 2017")
    assert unknown.candidates
    page = engine.lookup("p. 60")
    assert page.status == "found" and all(p.passage.page == 60 for p in page.passages)


def test_quote_lookups_verbatim_altered_not_found(engine):
    verbatim = engine.lookup("the Fund would achieve savings of £511 million in 2015-16")
    assert verbatim.status == "verbatim" and verbatim.passages[0].passage.id == "nao2017/para-2-7"
    damaged = engine.lookup("the Fund would achieve sav-\nings of £511 milion in 2015–16, based on local plans")
    assert damaged.status == "altered" and damaged.passages[0].passage.id == "nao2017/para-2-7"
    assert any(d.quoted == "milion" and d.source == "million" for d in damaged.differences)
    missing = engine.lookup("The moon is made of green cheese according to the Department of Health and Social Care")
    assert missing.status == "not found"


def test_a_changed_figure_in_a_quote_is_called_out(engine):
    result = engine.lookup("NHS England has used £1.8 billion (68%) of the £2.1 billion available in the "
                           "Sustainability and Transformation Fund for 2016-17 to meet provider deficits")
    assert result.status == "altered" and result.passages[0].passage.id == "nao2017/summary-para-23"
    assert result.message.startswith("Altered, with a figure changed: the quote has (68%) where NAO 2017, "
                                     "Summary para 23 has (86%).")
    # The missing full stop is no difference; the matched text is the source's own, capitals and all.
    assert [(d.quoted, d.source) for d in result.differences] == [("(68%)", "(86%)")]
    assert result.matched_text.startswith("NHS England has used £1.8 billion (86%)")
    # A footnote marker glued to the last word ("budget).26") is no difference either.
    marker = engine.lookup("in 2021/22, the total pooled budgets equalled £6.9 billion, which is less then 5% of "
                           "the overall health and social care budget")
    assert [(d.quoted, d.source) for d in marker.differences] == [("then", "than")], marker.differences


@pytest.mark.parametrize("query,locator", [
    ("NAO key facts 628", "Key facts, 628"),
    ("NAO key fact £511 million", "Key facts, £511m"),
    ("Key facts, £5.3bn", "Key facts, £5.3bn"),
    ("NAO key facts 82.7%", "Key facts, 82.7%"),
])
def test_a_key_facts_entry_is_looked_up_by_its_figure(engine, query, locator):
    result = engine.lookup(query)
    assert result.status == "found", result.message
    assert [p.passage.locator for p in result.passages] == [locator]


@pytest.mark.parametrize("query", ["PAC paragraph two point seven", "NAO para 2.7.9.1"])
def test_a_citation_the_tool_cannot_read_is_not_matched_as_a_quote(engine, query):
    result = engine.lookup(query)
    assert result.status == "not found" and "is not a citation this tool can read" in result.message


def test_recommendations_by_letter_or_said_not_held(engine):
    """The NAO letters its recommendations (Summary para 26 a-g); the PAC's are not in the corpus."""
    assert str(engine.lookup("NAO recommendation b").passages[0].citation) == "NAO 2017, Summary para 26(b)"
    result = engine.lookup("PAC recommendation 2")
    assert result.status == "not found" and not result.candidates
    assert "not the report's conclusions and recommendations" in result.message


def test_a_few_words_are_found_verbatim_or_not_at_all(engine):
    assert engine.lookup("pooled budget savings").status == "not found"
    assert engine.lookup("Better Care Fund").status == "verbatim"
    # Short quotes with a word that can start a citation ("chapter", "part") are still quotes.
    for quote in ("In this chapter we summarise", "Monitor (now part of NHS Improvement),"):
        assert engine.lookup(quote).status == "verbatim", quote


def test_a_quote_that_differs_only_in_punctuation_is_verbatim(engine):
    curly = engine.lookup("“the Fund would achieve savings of £511 million in 2015-16”")
    assert curly.status == "verbatim" and "punctuation aside" in curly.message
    assert curly.passages[0].passage.id == "nao2017/para-2-7"


def test_eval_lookups_all_resolve(engine):
    for lookup in load_lookups():
        result = engine.lookup(lookup.query)
        assert result.found, lookup.id
        assert lookup.support.quote.split()[0] in result.passages[0].passage.text, lookup.id


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_queries_are_refused_clearly(engine, query):
    with pytest.raises(QueryError, match="the query is empty"):
        engine.ask(query)


def test_html_and_huge_queries(engine):
    answer = engine.ask("<script>alert(1)</script> How much was pooled in the Better Care Fund?")
    assert "script" not in answer.question and answer.found
    with pytest.raises(QueryError, match="100,000 characters long; the limit is 5,000"):
        engine.ask("x" * 100_000)


def test_cli_json_and_batch(real_index_dir, capsys, monkeypatch):
    import io

    from care_evidence.evidence.cli import main

    assert main(["--index", str(real_index_dir), "ask", "How much was pooled in the Better Care Fund?",
                 "--json", "-k", "3"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["found"] and len(payload["passages"]) == 3
    assert {"id", "document", "locator", "page", "text", "score"} <= set(payload["passages"][0])
    monkeypatch.setattr("sys.stdin", io.StringIO("NAO para 2.7\n\nPAC footnote 20\n"))
    assert main(["--index", str(real_index_dir), "lookup", "--batch"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["passages"][0]["id"] for line in lines] == ["nao2017/para-2-7", "pac2018/footnote-20"]


def test_clearing_caches_forgets_what_questions_read(real_index, embedder, monkeypatch):
    """bench/scale.py times a second pass after clear_caches(): it must start from no cached work and
    give the first pass's answers. Passages are read on demand here, as in a large index."""
    import dataclasses

    from care_evidence.evidence.engine import Engine
    from care_evidence.indexer import passage_table

    monkeypatch.setattr(passage_table, "DECODE_ALL_BELOW", 0)
    table = passage_table.PassageTable(real_index.root / passage_table.FILE_NAME)
    engine = Engine(dataclasses.replace(real_index, passages=table), embedder)
    questions = [f.question for f in load_facts()[:8]] + ["How much did councils spend on grown-up care?"]
    damaged = "the Fund would achieve sav- ings of £511 milion"

    before = [engine.ask(q) for q in questions], engine.lookup(damaged)
    assert all(engine.cache_sizes().values()) and len(engine.cache_sizes()) == 5
    engine.clear_caches()
    assert set(engine.cache_sizes().values()) == {0}
    assert ([engine.ask(q) for q in questions], engine.lookup(damaged)) == before


def test_shortlist_changes_no_top_five_on_the_real_corpus(engine, monkeypatch):
    """Only a shortlist of the fused candidates gets its passage read and its word set computed
    (the shortlist setting): on the five reports the top 5 of every evaluation question must be what
    scoring every candidate gives."""
    from care_evidence.evidence.engine import Engine

    unlimited = Engine(engine.index, engine.embedder, engine.settings.replace(shortlist=10**9))
    questions = [f.question for f in load_facts()]
    shortlisted = [[p.passage.id for p in engine.rank(q, 5)] for q in questions]
    assert [[p.passage.id for p in unlimited.rank(q, 5)] for q in questions] == shortlisted


def test_the_question_is_embedded_alike_on_its_thread_and_in_turn(engine):
    """Below parallel_embedding_from passages the question is embedded in turn, above it on a thread
    while BM25 runs: the ranking of every evaluation question must not depend on which."""
    from care_evidence.evidence.engine import Engine

    assert len(engine.passages) < engine.settings.parallel_embedding_from  # the five reports: in turn
    threaded = Engine(engine.index, engine.embedder, engine.settings.replace(parallel_embedding_from=0))
    questions = [f.question for f in load_facts()][:60]
    assert ([[p.passage.id for p in threaded.rank(q, 5)] for q in questions]
            == [[p.passage.id for p in engine.rank(q, 5)] for q in questions])


@pytest.mark.parametrize("question,named", [
    ("Which kinds of services does the NAO's integration report focus on?", ("nao2017",)),
    ("What did the NAO's 2017 report say about pooled budgets?", ("nao2017",)),
    ("What was the interim figure in the NAO's November 2014 report?", ("nao2017",)),
    ("What did the NAO find in its report?", ("nao2017",)),
    ("What does Figure 7 of the Nuffield Trust report on integration show?", ("nuffield2022",)),
    ("What does the PAC report say about the NAO study?", ("pac2018", "nao2017")),
    # Part of the name of another report of the same publisher, which the corpus may only cite:
    # "digest", a name given in lower case, is also a common noun: "a digest of" names no document
    ("Can you give me a digest of what the PAC said about vanguards?", ("pac2018",)),
    ("BCF care home admissions per 100k improvement digest", ("nhsconfed2017",)),
    ("What does the digest of the NAO report say about pioneers?", ("nhsconfed2017", "nao2017")),
    ("Which paragraphs of the NAO vanguards report are cited for the £329 million?", ()),
    ("When was the NAO's health and social care interface report published?", ()),
])
def test_a_publisher_named_with_another_subject_is_not_the_document(engine, question, named):
    found, without_names = find_documents(question, engine.documents)
    assert found == named
    assert "nao" not in without_names.split() and "nuffield" not in without_names.split()


@pytest.mark.parametrize("reference", [
    "NAO's report on integration para 2.7", "National Audit Office report on integration paragraph 2.7",
])
def test_a_report_described_after_its_name_is_still_the_document(engine, reference):
    result = engine.lookup(reference)
    assert result.status == "found" and result.passages[0].passage.id == "nao2017/para-2-7"


def test_feedback_words_come_from_the_top_passages_not_the_question(engine):
    """Pseudo-relevance feedback (off by default, measured in docs/retrieval.md): the words it adds are
    the top passages' distinctive words, never the question's own or a word common to most passages."""
    from care_evidence.evidence.engine import Engine
    from care_evidence.evidence.feedback import feedback_terms
    from care_evidence.evidence.settings import Settings
    from care_evidence.indexer.lexical import content_terms

    question = "bed-blocking older people stuck in hospital"
    rows = [row for row, _ in engine.index.lexical.search(question, 5)]
    words = feedback_terms(engine.view, rows, content_terms(question), Settings({"feedback_terms": 8}))
    assert 0 < len(words) <= 8
    assert not set().union(*(content_terms(w) for w in words)) & content_terms(question)
    top_text = " ".join(engine.passages[row].retrieval_text.lower() for row in rows)
    assert all(w in top_text for w in words)
    searched = engine.candidates(question)[0]
    with_feedback = Engine(engine.index, engine.embedder, Settings({"feedback_terms": 8})).candidates(question)[0]
    assert searched and with_feedback  # the fifth list is fused without error


def test_the_cli_marks_a_figure_stated_twice_once_at_each_place(engine):
    """'July 2018 ... November 2018': each 2018 marked **2018**, never ****2018****."""
    from care_evidence.evidence.cli import format_answer

    shown = format_answer(engine.ask("What did MPs say about the green paper on social care?"))
    assert "***" not in shown
    assert "July **2018**" in shown and "November **2018**" in shown
