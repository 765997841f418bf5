"""The scale benchmark's synthetic corpus (bench/synthetic.py) keeps its promises on the real passages:
no support quote restated, and "renamed" differing from "markov" by its numbers only."""

from __future__ import annotations

import re

from bench.synthetic import QUOTE_NGRAM, VariantMaker, quote_ngrams
from care_evidence.eval.data import load_facts

SAMPLE = 400


def _quotes() -> list[str]:
    return [s.quote for f in load_facts() for s in f.supports]


def _grams(text: str) -> set[tuple[str, ...]]:
    from bench.synthetic import _key, _words

    keys = [_key(w) for w in _words(text)]
    return {tuple(keys[i : i + QUOTE_NGRAM]) for i in range(len(keys) - QUOTE_NGRAM + 1)}


def test_no_synthetic_passage_restates_a_support_quote(real_index):
    forbidden = quote_ngrams(_quotes())
    for design in ("markov", "renamed", "copy"):
        maker = VariantMaker(list(real_index.passages), _quotes(), seed=3, design=design)
        for row in range(0, len(real_index.passages), max(1, len(real_index.passages) // SAMPLE)):
            assert not _grams(maker.make(row).text) & forbidden, (design, real_index.passages[row].id)


def test_renamed_draws_the_markov_text_with_its_numbers_drawn_afresh(real_index):
    passages = list(real_index.passages)
    markov = VariantMaker(passages, _quotes(), seed=5, design="markov")
    renamed = VariantMaker(passages, _quotes(), seed=5, design="renamed")
    same_shape = changed = kept_years = 0
    for row in range(len(passages)):
        before, after = markov.make(row).text, renamed.make(row).text
        # Same words, digits aside ("£5.3bn" -> "£8.1bn"), but where a new number completed a quote.
        if re.sub(r"\d", "0", before) != re.sub(r"\d", "0", after):
            continue
        same_shape += 1
        for b, a in zip(before.split(), after.split(), strict=False):
            if re.fullmatch(r"\(?(19|20)\d\d([-–/]\d\d)?[).,;:]*", b):
                assert a == b, (passages[row].id, b, a)
                kept_years += 1
            elif re.search(r"\d{2}", b):
                changed += a != b
    assert same_shape >= 0.99 * len(passages)
    assert changed > 200 and kept_years > 100, (changed, kept_years)
