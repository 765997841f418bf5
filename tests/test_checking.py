"""Checking a text against the reports (issue 19): references as people write them, honest "not held
here", paraphrased quotes, character damage that is not a changed figure, and the claim check, on the
real corpus, model and index."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from care_evidence.evidence.claims import Verdict, differences
from care_evidence.evidence.errors import QueryError
from care_evidence.evidence.messages import Status
from care_evidence.evidence.quotes import changed_figures, word_differences
from care_evidence.indexer.parsers.common import iter_blocks, lettered_items

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("reference", "citation"), [
    ("HC 1011 ¶ 1.6", "NAO 2017, para 1.6"),
    ("Comptroller and Auditor General, Health and social care integration, Session 2016–17, HC 1011, "
     "8 February 2017, paragraph 3.4", "NAO 2017, para 3.4"),
    ("NAO recommendation d (the three barriers)", "NAO 2017, Summary para 26(d)"),
    ("HC 1011, 2016–17, Summary ¶26f", "NAO 2017, Summary para 26(f)"),
    ("NAO report, summary, paragraph 8", "NAO 2017, Summary para 8"),
    ("the PAC's second paragraph, on the over-85s", "PAC 2018, para 2"),
    ("NAO, 'Health and social care integration' (web page summary), para 4", "NAO summary page, para 4"),
])
def test_references_written_as_people_write_them(engine, reference, citation):
    result = engine.lookup(reference)
    assert result.status == Status.FOUND, result.message
    assert str(result.passages[0].citation) == citation


def test_a_lettered_recommendation_is_its_own_citable_passage(engine):
    item = engine.lookup("NAO Summary para 26(d)").passages[0].passage
    assert item.text.lstrip("- ").startswith("d Bring greater structure")
    assert "We recommend" not in item.text and "Confirm whether" not in item.text


@pytest.mark.parametrize(("reference", "said"), [
    ("Committee of Public Accounts, Interface between health and social care, Session 2017–19, recommendation 3",
     "PAC 2018 in this corpus holds paragraphs 1 to 13 of chapter 1 only"),
    ("the NAO report's Figure 16", "its Figures run from 1 to 15"),
    ("NHS Confed, para 9", "its paragraphs run from 1 to 6"),
    ("Nuffield Trust (2022) Integrating health and social care, p. 40",
     "pages are known only where the original's page numbers survived"),
])
def test_a_place_the_corpus_does_not_hold_is_said_with_what_it_holds(engine, reference, said):
    result = engine.lookup(reference)
    assert result.status == Status.NOT_FOUND and not result.passages
    assert said.lower() in result.message.lower()


def test_a_report_the_corpus_does_not_hold_is_named_with_where_it_is_cited(engine):
    result = engine.lookup("Comptroller and Auditor General, The health and social care interface, "
                           "Session 2017–19, HC 950, 4 July 2018, para 2.8")
    assert result.status == Status.NOT_FOUND
    assert result.message.startswith("Not in this corpus: HC 950")
    assert "PAC 2018, footnote" in result.message  # the PAC's footnotes cite it


def test_a_page_reference_gives_every_passage_on_the_page(engine):
    result = engine.lookup("Nuffield Trust 2022, pg 8")
    assert result.status == Status.FOUND
    assert {p.passage.page for p in result.passages} == {8} and len(result.passages) >= 2


def test_a_section_of_a_chapter_by_its_name(engine):
    result = engine.lookup("the Northern Ireland section of chapter 3 in the Nuffield report")
    assert result.status == Status.FOUND
    assert all(p.passage.locator.startswith("Chapter 3, Northern Ireland") for p in result.passages)


def test_a_misremembered_quote_is_a_paraphrase_of_its_source(engine):
    result = engine.lookup("The PAC said that better joint working between health and social care had been an "
                           "objective since 1999 but progress was patchy.")
    assert result.status == Status.PARAPHRASE
    assert str(result.passages[0].citation) == "PAC 2018, para 3"
    assert result.message.startswith("Not a quotation: this paraphrases PAC 2018, para 3")
    assert result.matched_text and result.matched_text in result.passages[0].passage.search_text


def test_a_verbatim_quote_is_still_verbatim(engine):
    result = engine.lookup("Between August 2010 and November 2016 delayed transfers of care increased by 76%.")
    assert result.status == Status.VERBATIM


@pytest.mark.parametrize(("quoted", "source"), [
    ("£5.3 bi1lion", "£5.3 billion"), ("£511 mi1lion", "£511 million"), ("2O15-16", "2015-16"),
    ("5l%", "51%"), ("governrnent spent £2.7 billion", "government spent £2.7 billion"),
])
def test_character_damage_is_not_a_changed_figure(quoted, source):
    assert not changed_figures(word_differences(quoted, source))


def test_a_changed_value_is_a_changed_figure():
    assert changed_figures(word_differences("savings of £611 million", "savings of £511 million"))


def test_generated_damage_in_real_sentences_is_never_a_changed_figure(engine):
    """Every l and o inside words of real passages turned into 1 and 0, as OCR does."""
    rng = random.Random(19)
    passages = [engine.passages[i] for i in range(len(engine.passages))]
    for passage in rng.sample(passages, 60):
        text = passage.search_text[:400]
        damaged = re.sub(r"(?<=[a-z])[lo](?=[a-z])", lambda m: {"l": "1", "o": "0"}[m.group(0)], text)
        assert not changed_figures(word_differences(damaged, text)), passage.id


def test_the_claim_check_gives_each_sentence_its_verdict_and_evidence(engine):
    result = engine.check("Between August 2010 and November 2016 delayed transfers of care increased by 76%. "
                          "In February 2015 the Fund was expected to save £611 million in 2015-16.")
    first, second = result.claims
    assert first.verdict == Verdict.SUPPORTED and str(first.evidence[0].citation) == "NAO 2017, para 1.6"
    assert second.verdict == Verdict.DIFFERS
    assert ("£611 million", "£511 million") in second.differences
    assert "£611 million" in second.message and "£511 million" in second.message


def test_a_claim_the_reports_do_not_make_is_not_supported(engine):
    claim = engine.check("The Better Care Fund was abolished in 2016.").claims[0]
    assert claim.verdict != Verdict.SUPPORTED
    assert "abolished" in claim.message


@pytest.mark.parametrize(("claim", "unsaid"), [
    ("The Nuffield Trust ranked Wales as the best-performing UK country on health and social care integration.",
     "'best'"),
    ("The Better Care Fund delivered the biggest savings of any integration programme.", "'biggest'"),
])
def test_a_ranking_or_all_of_it_the_passage_never_says_is_not_in_the_reports(engine, claim, unsaid):
    """A claim made of a judgement ("the best-performing", "fully") is not made by a passage close in meaning
    that never uses the word: Nuffield's "Wales has since developed a Single Integrated Outcomes Framework
    for health and social care to support integration" ranks nothing."""
    checked = engine.check(claim).claims[0]
    assert checked.verdict == Verdict.NOT_IN_REPORTS and unsaid in checked.message, checked.message


def test_words_of_one_rank_say_the_same_and_full_counts_only_when_quoted():
    from care_evidence.evidence.claim_text import emphatic_unsaid

    passage = "Northern Ireland has had full structural integration since 1973. England spends least per head."
    assert emphatic_unsaid("It was ranked the best in the UK.", passage) == ["ranked", "best"]
    assert emphatic_unsaid("England spends the lowest amount per head.", passage) == []  # "least"
    assert emphatic_unsaid("Hospitals are the largest cost.", "Hospitals are the biggest cost.") == []
    assert emphatic_unsaid("the full £197 million", "£197 million") == []  # said in passing
    assert emphatic_unsaid("achieved full integration", "developed a framework", all_of_it=True) == ["full"]
    assert emphatic_unsaid("fully integrated", passage, all_of_it=True) == []


@pytest.mark.parametrize("claim", [
    "England spends the lowest amount per head on social care of the four nations.",
    "Hospital services are the largest cost for local health economies, according to the NAO.",
    "The government committed to full integration of health and social care across England by 2020.",
])
def test_a_ranking_said_in_other_words_or_full_in_passing_is_still_supported(engine, claim):
    """The reports' "least", "the biggest cost", and "full" in passing, found by a reviewer rejected."""
    assert engine.check(claim).claims[0].verdict != Verdict.NOT_IN_REPORTS


def test_an_excluded_document_is_never_evidence(engine):
    digest = "The report shows that the BCF failed to deliver on its targets for savings."
    result = engine.check(digest, exclude_docs=("NHS Confederation",))
    assert result.excluded == ("nhsconfed2017",)
    assert all(e.passage.doc_id != "nhsconfed2017" for c in result.claims for e in c.evidence)
    with pytest.raises(QueryError, match="no document 'Hansard'"):
        engine.check(digest, exclude_docs=("Hansard",))


def test_differences_pair_a_figure_with_the_one_in_its_place():
    assert differences("NHS England gave £392 million to the vanguards.",
                       "NHS England gave £329 million to the vanguards.",
                       "NHS England gave £329 million to the vanguards.") == [("£392 million", "£329 million")]


def test_check_on_the_command_line_reads_standard_input_and_prints_json(real_index_dir):
    done = subprocess.run([sys.executable, "-m", "care_evidence.evidence", "--index", str(real_index_dir), "check",
                           "--json", "--exclude-doc", "nhsconfed2017"], input="Delayed transfers of care increased "
                          "by 76% between August 2010 and November 2016.\n", capture_output=True, text=True,
                          cwd=ROOT, timeout=300, env={"HF_HUB_OFFLINE": "1", "PATH": ""})
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["excluded_documents"] == ["nhsconfed2017"]
    assert payload["claims"][0]["verdict"] == "supported"
    assert payload["claims"][0]["evidence"][0]["citation"] == "NAO 2017, para 1.6"


def test_check_names_a_file_it_cannot_read(real_index_dir, tmp_path):
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(b"%PDF-1.4 \xff\xfe\x00")
    done = subprocess.run([sys.executable, "-m", "care_evidence.evidence", "--index", str(real_index_dir), "check",
                           str(pdf)], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={"HF_HUB_OFFLINE": "1", "PATH": ""})
    assert done.returncode == 2
    assert f"{pdf}: not UTF-8 text" in done.stderr


def test_lettered_items_split_only_a_lettered_list():
    source = "**26** We recommend that they:\n\n- a Confirm one thing.\n- b Establish another.\n- c Review a third.\n"
    intro, items = lettered_items(list(iter_blocks(source)))
    assert [letter for letter, _ in items] == ["a", "b", "c"]
    assert intro[0].text.startswith("**26**")
    sentences = "**3** Sites were chosen for:\n\n- a diverse range;\n- a broad spread;\n- a range of leaders.\n"
    assert lettered_items(list(iter_blocks(sentences))) is None


def test_a_claim_that_goes_the_other_way_differs(engine):
    """'decreased' where the report says 'increased': close in meaning, the opposite in fact."""
    claim = engine.check("Delayed transfers of care decreased by 76% between August 2010 and November 2016.").claims[0]
    assert claim.verdict == Verdict.DIFFERS and ("decreased", "increased") in claim.differences
    quote = engine.lookup("Delayed transfers of care fell by 76% between August 2010 and November 2016")
    assert quote.status == Status.NOT_FOUND and "'fell' where the report has 'increased'" in quote.message


@pytest.mark.parametrize("reference", ["NAO Brexit", "PAC football"])
def test_a_topic_the_document_never_mentions_is_not_found(engine, reference):
    result = engine.lookup(reference)
    assert result.status == Status.NOT_FOUND and not result.passages


@pytest.mark.parametrize(("reference", "found"), [("Table 5 Scotland", "Nuffield Trust 2022, Table 5"),
                                                  ("chapter 3, Wales", "Nuffield Trust 2022, Chapter 3, Wales")])
def test_words_after_the_place_say_what_it_is_about_not_which_document(engine, reference, found):
    result = engine.lookup(reference)
    assert result.status == Status.FOUND and str(result.passages[0].citation).startswith(found)
    assert engine.lookup("XYZ para 2").message.startswith("No such document: 'xyz'")


def test_the_check_report_shows_pasted_markup_as_text(engine):
    report = engine.check("[click](javascript:alert(1)) The Better Care Fund pooled £5.3 billion in 2015-16.")
    markdown = report.to_markdown()
    assert "[click](javascript" not in markdown and "\\[click\\]" in markdown


def test_a_sentence_longer_than_a_question_is_still_checked(engine):
    long_sentence = "The Better Care Fund pooled £5.3 billion " + "and more words " * 400
    assert engine.check(long_sentence).claims, "checked by its opening, not refused"


@pytest.mark.parametrize(("quote", "unsaid"), [
    ('The National Audit Office called the Better Care Fund "a complete failure".', "a complete failure"),
    ('The Public Accounts Committee said integration "must be abandoned in favour of merging councils into '
     'the NHS".', "must be abandoned in favour of merging councils into the NHS"),
    ('The Nuffield Trust concluded that "Wales has achieved full integration of health and social care".',
     "full"),
])
def test_words_put_in_a_reports_mouth_are_not_a_paraphrase(engine, quote, unsaid):
    """A quote whose words in quotation marks the closest passage never uses is not found, and the
    message shows the closest sentence and the words it lacks (never "nothing close")."""
    result = engine.lookup(quote)
    assert result.status == Status.NOT_FOUND
    assert not result.passages and result.candidates
    assert f"\u201c{unsaid}\u201d" in result.message and "The closest sentence" in result.message


def test_a_quote_in_quotation_marks_is_not_read_as_a_reference(engine):
    """"The NHS Confederation described the NAO's report as ..." names a report, but it is a quote:
    before, it resolved to a passage of the NAO report as if it were a reference."""
    result = engine.lookup('The NHS Confederation described the NAO\'s report as "deeply flawed".')
    assert result.kind == "quote" and result.status == Status.NOT_FOUND


def test_a_quoted_title_or_section_keeps_a_reference_a_reference(engine):
    assert str(engine.lookup('National Audit Office, "Health and social care integration", HC 1011, para 2.12')
               .passages[0].citation) == "NAO 2017, para 2.12"
    section = engine.lookup('Nuffield Trust 2022, chapter 3, "Northern Ireland"')
    assert section.status == Status.FOUND
    assert all(p.passage.locator.startswith("Chapter 3, Northern Ireland") for p in section.passages)


def test_a_misremembered_quote_in_quotation_marks_finds_the_sentence_using_those_words(engine):
    """The closest passage in meaning is a Key fact about the Fund; the words in quotation marks are
    para 2.11's, misremembered ("huge" for "significant", "out of proportion" for "disproportionate")."""
    result = engine.lookup('The NAO found the Better Care Fund had "created a huge bureaucracy that some areas '
                           'thought was out of proportion".')
    assert result.status == Status.PARAPHRASE
    assert str(result.passages[0].citation) == "NAO 2017, para 2.11"


def test_a_shortened_name_and_a_hyphenated_word_are_said():
    """"the Fund" says the Better Care Fund, which the reports shorten so; "over-optimistic" says
    "optimistic"."""
    from care_evidence.evidence.claim_text import shortened_names, stands_in, unsaid_words

    shortened = shortened_names(["The Better Care Fund (the Fund) will continue until 2019-20."])
    assert shortened == {"Better Care Fund": frozenset({"Fund"})}
    assert stands_in("Better Care Fund", "we found that the Fund had created a significant bureaucracy", shortened)
    assert not stands_in("Better Care Fund", "the fund had", shortened)  # a shortened name is capitalised
    # only the names the reports shorten so: "the Fund" is not the Sustainability and Transformation Fund
    assert not stands_in("Sustainability and Transformation Fund", "the Fund would achieve savings", shortened)
    assert unsaid_words("ministers were too optimistic", "expectations are over-optimistic", frozenset())[0] == \
        ["minist", "too"]


def test_a_pasted_page_is_read_as_paragraphs_with_headings_and_bylines_apart():
    """The digest's opening as pasted: its title, date and byline lines are not the start of its first
    sentence, and a sentence pointing back ("This programme ...") is read with the one before it."""
    from care_evidence.evidence.claim_text import claims_in_context
    from care_evidence.evidence.settings import Settings

    text = ("Health and social care integration\nNational Audit Office, February 2017\n\n"
            "This report from the National Audit Office assesses progress towards integration. It finds little "
            "evidence of savings.\n\nThe report assesses the progress of the BCF. This programme seeks to reduce "
            "demand for hospital services.")
    claims = claims_in_context(text, Settings())
    assert [c for c, _ in claims] == [
        "This report from the National Audit Office assesses progress towards integration.",
        "It finds little evidence of savings.", "The report assesses the progress of the BCF.",
        "This programme seeks to reduce demand for hospital services."]
    assert claims[3][1] == "BCF"  # what the sentence before it is about
    assert claims[2][1] == ""  # it points back to nothing
    assert claims[0][1] == ""  # the first of its paragraph: nothing before it


def test_a_changed_nation_or_a_long_body_name_is_a_difference_with_both_values(engine):
    """A nation opening a claim is checked like any name ("Scotland has had ..." where the report says
    Northern Ireland), and a body's full name is the name checked, not its first word ("Department"
    alone stood in the report's sentence)."""
    scotland = engine.check("Scotland has had full structural integration of health and social care since 1973 as a "
                            "result of local government reorganisation.").claims[0]
    assert scotland.verdict == "differs" and ("Scotland", "Northern Ireland") in scotland.differences
    body = engine.check("The Department for Communities and Local Government has not assessed how pressures on "
                        "adult social care may impact on the NHS.").claims[0]
    assert body.verdict in ("differs", "partly supported")
    assert "Department for Communities and Local Government" in body.message and "NHS England" in body.message


def test_a_short_sentence_with_a_figure_is_checked_on_its_own_about_what_it_points_back_to(engine):
    """"It saved £511 million." was merged into the sentence before it and checked as part of it; now
    it is a claim of its own, searched with what the sentence before names (the Better Care Fund), and
    a figure's unit is never reported as a missing word."""
    claims = engine.check("The Better Care Fund pooled £5.3 billion in its first year. It saved £511 million.").claims
    assert [c.claim for c in claims] == ["The Better Care Fund pooled £5.3 billion in its first year.",
                                         "It saved £511 million."]
    assert str(claims[1].evidence[0].citation) == "NAO 2017, Key facts, £511m"
    assert "'million'" not in claims[1].message


def test_quoted_words_that_deny_what_the_closest_sentence_says_are_not_a_paraphrase(engine):
    """"can't see the benefits" against "primarily benefits local government": the closest sentence in
    meaning, but the quote denies what it says."""
    result = engine.lookup('The NAO said councils "can\'t see the benefits" of the Better Care Fund.')
    assert result.status == Status.NOT_FOUND and not result.passages
    assert "where the report denies nothing" in result.message
    # a denial the report makes too stays a paraphrase ("cannot be legislated for")
    kept = engine.lookup('Nuffield: partnership working comes down to relationships, and relationships "can\'t be '
                         'legislated for".')
    assert kept.status == Status.PARAPHRASE


@pytest.mark.parametrize(("reference", "citation"), [
    ('NAO 2017 "Health & social care integration", para 3.4', "NAO 2017, para 3.4"),
    ('NAO 2017, para 2.18, citing NHS England "Five Year Forward View"', "NAO 2017, para 2.18"),
    ('NAO 2017 "Health and social care integration" para 2.11 "Local areas that were more advanced"',
     "NAO 2017, para 2.11"),
])
def test_a_reference_with_a_quoted_title_stays_a_reference(engine, reference, citation):
    """Words in quotation marks make a quote only where no place is named, or where they stand in a
    sentence that names one in passing."""
    result = engine.lookup(reference)
    assert result.kind == "reference" and str(result.passages[0].citation) == citation


def test_a_quote_in_single_quotation_marks_or_with_an_apostrophe_is_read_as_one(engine):
    scrapped = engine.lookup("MPs said the Better Care Fund 'should be scrapped immediately'")
    assert scrapped.kind == "quote" and scrapped.status == Status.NOT_FOUND
    curly = engine.lookup("The NAO said councils \u201ccan\u2019t see the benefits\u201d of the Better Care Fund.")
    assert curly.status == Status.NOT_FOUND and "where the report denies nothing" in curly.message


def test_a_report_that_says_lack_of_is_not_contradicted_by_no(engine):
    result = engine.lookup('The NAO said evaluations were hampered because there was "no comparable cost data" '
                           "across care settings")
    assert result.status == Status.PARAPHRASE


def test_a_single_line_without_a_full_stop_is_a_claim_and_a_wrapped_paragraph_is_whole():
    from care_evidence.evidence.claim_text import claim_sentences
    from care_evidence.evidence.settings import Settings

    assert claim_sentences("Emergency admissions fell by 87,000 in 2015-16\n", Settings()) == [
        "Emergency admissions fell by 87,000 in 2015-16"]
    wrapped = ("Local areas planned to reduce emergency admissions by 106,000, saving\n"
               "£171 million, but admissions rose by 87,000 in the first year of the\nFund.")
    assert claim_sentences(wrapped, Settings()) == [" ".join(wrapped.split())]
    assert claim_sentences("Published 7 February 2017. See Figure 3. It saved £511 million.", Settings()) == [
        "It saved £511 million."]
