"""The corpus's vocabulary learned at build time, and the question words it expands (issue 22)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from care_evidence.indexer.build import build_index
from care_evidence.indexer.embedding import MODEL_NAME
from care_evidence.indexer.store import load_index
from care_evidence.indexer.vocabulary import CorpusVocabulary, corpus_terms, mine_definitions, mine_initialisms


def test_definitions_are_the_words_whose_initials_spell_the_acronym():
    text = ("Local areas drew up Sustainability and Transformation Plans (STPs). Patients attending "
            "Accident & Emergency (A&E) rose. The report (HC 1011) was published. "
            "Each of the seven regional partnership boards (RPBs) met.")
    found = mine_definitions([text])
    assert found == {"A&E": ["Accident & Emergency"], "RPB": ["regional partnership boards"],
                     "STP": ["Sustainability and Transformation Plans"]}


def test_names_in_title_case_are_kept_by_their_initials_three_letters_or_more():
    texts = ["NHS England set up the Sustainability and Transformation Fund in 2016.",
             "The Sustainability and Transformation Fund paid deficits; the Scottish Trust met.",
             "Since the Health Act 1999 councils have pooled budgets with the Northern Ireland board."]
    found = mine_initialisms(texts)
    assert found["STF"] == ["Sustainability and Transformation Fund"]  # "The" opening a sentence is no part of it
    assert "NI" not in found and "ST" not in found  # two capitals spell too many names to guess from
    assert "SHA" not in found and "HA" not in found  # a sentence's capitalised first word is no part of a name


def test_corpus_terms_are_words_and_phrases_of_two_texts_or_more_most_widespread_first():
    texts = ["pooled budgets were rare", "pooled budgets grew", "budgets shrank", "a lone misprint"]
    terms = corpus_terms(texts, limit=10)
    assert terms[0] == "budgets" and "pooled budgets" in terms and "pooled" in terms
    assert "misprint" not in terms and "were" not in terms  # in one text only; a stop word
    assert corpus_terms(texts, limit=1) == ["budgets"]


def test_the_real_index_holds_its_vocabulary_and_the_acronyms_its_reports_define(real_index):
    vocabulary = real_index.vocabulary
    assert len(vocabulary.terms) == vocabulary.vectors.shape[0] > 1000
    assert {"social care", "delayed transfers", "rehabilitation"} <= set(vocabulary.terms)
    assert vocabulary.definitions["BCF"] == ("Better Care Fund",)
    assert vocabulary.definitions["STP"] == ("Sustainability and Transformation Plans",)
    norms = np.linalg.norm(np.asarray(vocabulary.vectors, dtype=np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=0.01)


def test_a_word_the_reports_never_use_is_searched_with_their_closest_words(engine):
    expansion = engine.searches.expansion
    assert expansion.unused("rehab") and expansion.unused("grown-up")
    assert not expansion.unused("rehabilitation") and not expansion.unused("joined-up")
    rehab, grown_up, cardiff = expansion.neighbours(["rehab", "grown-up", "cardiff"])
    assert "rehabilitation" in rehab and "adult" in grown_up and "wales" in cardiff
    assert expansion.neighbours(["cardiff"]) == [cardiff]  # one word alone as in a batch
    added = expansion.additions("How much did councils spend on grown-up care in 2015-16?")
    assert "adult" in added
    # A question in the reports' own words is searched as typed; "isn't" and "Scotland's" are no words to look up.
    assert expansion.additions("How much was pooled in the Better Care Fund in 2015-16?") == []
    assert expansion.additions("Why isn't Scotland's pooled budget larger?") == []


def test_an_acronym_is_searched_with_the_name_the_reports_give_it(engine):
    from care_evidence.evidence.analysis import analyse

    assert engine.searches.expansion.additions("How many RPBs are there?") == ["regional partnership boards"]
    # As the engine searches: the acronym read as typed, though the searched text is lower case; the
    # NAO named as a document is no acronym to spell out.
    searched = engine.searches.expansion.expand(analyse("How many RPBs did the NAO count?", engine.documents))
    assert "regional partnership boards" in searched.expanded and "National Audit Office" not in searched.expanded


def test_an_acronym_no_report_prints_is_searched_with_the_name_whose_initials_spell_it(engine):
    expansion = engine.searches.expansion
    assert expansion.vocabulary.initialisms["STF"] == ("Sustainability and Transformation Fund",)
    assert expansion.additions("How much was the STF in 2016-17?") == ["Sustainability and Transformation Fund"]
    # One a report prints is not spelt out ("NHS"); one it defines has the name it defines.
    assert expansion.spelt_out("NHS") == ()
    assert expansion.definitions("Which STPs?") == ["Sustainability and Transformation Plans"]


def test_the_expansion_reaches_the_search_but_not_the_question_s_own_words(engine):
    from care_evidence.evidence.analysis import analyse
    from care_evidence.evidence.query import clean_query

    analysis = analyse(clean_query("How much did councils spend on grown-up care in 2015-16?"), engine.documents)
    expanded = engine.searches.expansion.expand(analysis)
    assert "adult" in expanded.expanded and "adult" not in analysis.expanded
    assert expanded.terms == analysis.terms and expanded.question == analysis.question


def test_a_build_without_acronyms_or_repeated_words_has_an_empty_vocabulary_that_loads(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("# A note\n\nOne short paragraph about nothing in particular.\n",
                                     encoding="utf-8")
    build_index(corpus, tmp_path / "index", embedder=embedder, progress=False)
    vocabulary = load_index(tmp_path / "index", MODEL_NAME).vocabulary
    assert isinstance(vocabulary, CorpusVocabulary) and vocabulary.definitions == {}
    assert len(vocabulary.terms) == vocabulary.vectors.shape[0]


def _damaged_copy(real_index_dir, tmp_path, damage) -> Path:
    """A copy of the real index with its vocabulary damaged and its checksums written again, as a
    tool that rewrote the files consistently would leave it: the loader's own checks must catch it."""
    import shutil

    from care_evidence.indexer import store
    from care_evidence.indexer.integrity import checksums

    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    build = store.current_build(index)
    damage(build)
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    manifest["checksums"] = checksums(build)
    (build / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return index


VOCABULARY_DAMAGE = {
    "vectors of the wrong width": lambda b: np.save(b / "vocabulary_vectors.npy", np.zeros(
        (len(json.loads((b / "vocabulary.json").read_text())["terms"]), 10), dtype=np.float16)),
    "vectors as text": lambda b: np.save(b / "vocabulary_vectors.npy", np.array(
        ["x"] * len(json.loads((b / "vocabulary.json").read_text())["terms"]))),
    "a definition that is a string": lambda b: (b / "vocabulary.json").write_text(json.dumps(
        {**json.loads((b / "vocabulary.json").read_text()), "definitions": {"BCF": "Better Care Fund"}})),
    "terms that are not words": lambda b: (b / "vocabulary.json").write_text(json.dumps(
        {**json.loads((b / "vocabulary.json").read_text()), "terms": [{"a": 1}]})),
    "initialisms that are not names": lambda b: (b / "vocabulary.json").write_text(json.dumps(
        {**json.loads((b / "vocabulary.json").read_text()), "initialisms": {"STF": [1]}})),
    "no hyphenated words": lambda b: (b / "vocabulary.json").write_text(json.dumps(
        {k: v for k, v in json.loads((b / "vocabulary.json").read_text()).items() if k != "hyphenated"})),
}


@pytest.mark.parametrize("damage", list(VOCABULARY_DAMAGE))
def test_a_damaged_vocabulary_is_a_clear_error_not_a_crash_at_the_first_question(real_index_dir, tmp_path, damage):
    from care_evidence.indexer.store import IndexCorrupt

    index = _damaged_copy(real_index_dir, tmp_path, VOCABULARY_DAMAGE[damage])
    with pytest.raises(IndexCorrupt, match=r"vocabulary.*python -m care_evidence.indexer build"):
        load_index(index, MODEL_NAME)


def test_a_long_question_of_made_up_words_looks_up_only_the_first_few(engine):
    expansion = engine.searches.expansion
    looked_up = []
    original = expansion._embed_words
    expansion._embed_words = lambda words: (looked_up.extend(words), original(words))[1]
    try:
        made_up = " ".join(f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}x" for i in range(300))
        expansion.additions(made_up)
    finally:
        expansion._embed_words = original
    assert 0 < len(looked_up) <= engine.settings.neighbour_max_words


def test_words_are_read_in_any_alphabet_and_as_whole_words(engine):
    from care_evidence.evidence.expansion import _says
    from care_evidence.indexer.vocabulary import WORD

    assert WORD.findall("ynys môn café covid-19 well-being") == ["ynys", "môn", "café", "covid", "well-being"]
    assert not _says("a careful plan", "care") and _says("long-running obstacles", "long")
    assert engine.searches.expansion.unused("patient-centred") is False  # a hyphenated word the reports use once


def test_a_text_checked_against_the_reports_is_searched_in_its_own_words(engine):
    """'three-quarters' is no word of the reports; its neighbours ('quarter', 'split') once pushed the
    sentence this misremembered quote paraphrases out of the look-up's reach."""
    quote = ("Nearly three-quarters (73%) of local areas \"failed to cut emergency admissions as far as they had "
             "planned\" in the Better Care Fund's first year.")
    assert engine.searches.expansion.additions(quote)  # a question in these words would be expanded
    found = engine.lookup(quote)
    assert found.passages and found.passages[0].citation.locator == "para 2.7"
    assert "73% of local areas did not reduce emergency admissions" in found.message
