"""Figures parsed out of text: one value however it is printed; periods, footnotes, references apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from care_evidence.indexer.models import Quantity
from care_evidence.indexer.quantities import extract_quantities, format_quantity, same_value


def only(text: str) -> Quantity:
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text", ["£5.3 billion", "£5.3bn", "£5,300 million"])
def test_money_forms_are_one_value(text):
    q = only(f"a total of {text} was pooled")
    assert q.kind == "money" and q.value == pytest.approx(5.3e9) and q.unit == "GBP"
    assert format_quantity(q) == "£5.3 billion"


def test_shares_counts_rates():
    assert only("increased to 82.7%, against").value == 82.7
    assert only("growth of 2.9 per cent a year").value == 2.9
    count = only("increased by 87,000 compared")
    assert count.kind == "count" and count.value == 87000
    rate = only("reduced to 628 per 100,000 population")
    assert rate.kind == "rate" and rate.value == 628 and rate.unit == "per 100,000"


@pytest.mark.parametrize("text,period", [("2015-16", "2015-16"), ("2019/20", "2019-20"), ("2017–2019", "2017-19")])
def test_periods_are_periods_not_quantities(text, period):
    q = only(f"in {text} the Fund")
    assert q.kind == "period" and q.value is None and q.period == period


def test_references_and_footnotes_are_not_figures():
    assert extract_quantities("(paragraphs 1.11 to 1.13, 2.13 and 2.19)") == ()
    assert extract_quantities("**2.7** In the Fund.<sup>20</sup>") == ()
    assert extract_quantities("see Figure 7 and Table 5; HC 950; Qq 34–35") == ()
    text = "national funding.20"
    assert extract_quantities(text, ignore=[(17, 19)]) == ()


def test_same_value_across_forms():
    assert same_value(only("£5.3bn"), only("£5,300 million"))
    assert not same_value(only("£5.3bn"), only("5.3%"))


@given(
    st.decimals(min_value=1, max_value=999, places=1).map(str),
    st.sampled_from(["£{} million", "{}%", "{} per 100,000"]),
)
def test_printed_form_round_trips(number, template):
    q = only(f"of {template.format(number)} in")
    again = only(f"of {format_quantity(q)} in")
    assert same_value(q, again) and format_quantity(again) == format_quantity(q)


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_and_spans_are_verbatim(text):
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.printed


def test_a_web_address_holds_no_figures():
    text = ("See www.ons.gov.uk/peoplepopulationandcommunity/2019 and https://example.org/a%20b/2018to2020 "
            "for £5 billion")
    assert [q.printed for q in extract_quantities(text)] == ["£5 billion"]


def test_a_web_address_broken_after_a_slash_states_no_figure():
    text = ("Source: ONS, www.ons.gov.uk/peoplepopulationandcommunity/causesofdeath/ "
            "bulletins/avoidablemortalityinenglandandwales/2019#treatable, for 2019 and 5%")
    found = [(q.printed, q.kind) for q in extract_quantities(text)]
    assert found == [("2019", "year"), ("5%", "percent")]
    assert text.index("2019#") not in [q.start for q in extract_quantities(text)]


@pytest.mark.parametrize("text,figures", [
    ("the number of people aged 85 and over rose by 28%", ["28%"]),
    ("people aged over 65 in England rose by 21%", ["21%"]),
    ("admissions of over-65s fell to 628 per 100,000 population", ["628 per 100,000"]),
    ("65,000 people and over 10 areas", ["65,000", "10"]),
])
def test_an_age_names_a_group_not_a_count(text, figures):
    assert [q.printed for q in extract_quantities(text)] == figures
