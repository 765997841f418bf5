"""BM25 search: the fast top-k (scores added per posting list, a floor from one list) returns exactly
what a full sort of bm25s's own scores returns, on the real passages and sentences."""

from __future__ import annotations

import numpy as np
import pytest

from care_evidence.eval.data import load_facts
from care_evidence.evidence.glossary import expand
from care_evidence.indexer.lexical import LexicalIndex, _tokenize


def reference_top(reference, size: int, query: str, k: int) -> list[tuple[int, float]]:
    """bm25s's own scores (an index built with bm25s's public API alone) for every text, fully sorted:
    best first, ties in index order."""
    tokens = _tokenize([query])
    words = {i: w for w, i in tokens.vocab.items()}
    ids = reference.get_tokens_ids([words[i] for i in tokens.ids[0]])
    scores = reference.get_scores_from_ids(ids) if ids else np.zeros(size)
    order = sorted((row for row in range(size) if scores[row] > 0), key=lambda r: (-scores[r], r))
    return [(row, float(scores[row])) for row in order[:k]]


@pytest.fixture(scope="module")
def texts(real_index) -> dict[str, list[str]]:
    passages = [p.retrieval_text for p in real_index.passages]
    sentences = [real_index.passages[int(r)].search_text[int(s) : int(e)] for r, s, e in real_index.sentences]
    return {"passages": passages, "sentences": sentences}


@pytest.mark.parametrize("unit", ["passages", "sentences"])
@pytest.mark.parametrize("k", [1, 5, 100, 300])
def test_search_equals_a_full_sort_of_bm25s_scores(texts, unit, k):
    import bm25s

    index = LexicalIndex.build(texts[unit])
    reference = bm25s.BM25()
    reference.index(_tokenize(texts[unit]), show_progress=False)
    for fact in load_facts():
        query = expand(fact.question)
        got = index.search(query, k)
        want = reference_top(reference, len(texts[unit]), query, k)
        assert [row for row, _ in got] == [row for row, _ in want], fact.id
        assert np.allclose([s for _, s in got], [s for _, s in want], rtol=1e-5), fact.id


def test_ties_at_the_kth_score_keep_the_first_texts_in_index_order():
    index = LexicalIndex.build(["integrated care fund"] * 3 + ["integrated care"] * 6 + ["hospital beds"])
    rows = [row for row, _ in index.search("integrated care fund", 5)]
    assert rows == [0, 1, 2, 3, 4]  # the three with every word, then the first two of six tied


def test_filtered_search_keeps_only_allowed_rows(texts):
    index = LexicalIndex.build(texts["passages"])
    allowed = np.arange(0, len(texts["passages"]), 3)
    got = index.search("Better Care Fund pooled budget savings", 20, allowed)
    assert got and {row for row, _ in got} <= set(allowed.tolist())
    unfiltered = [row for row, _ in index.search("Better Care Fund pooled budget savings", 400)]
    assert [row for row, _ in got] == [row for row in unfiltered if row % 3 == 0][:20]


def test_a_query_of_unknown_or_stop_words_finds_nothing(texts):
    index = LexicalIndex.build(texts["passages"])
    assert index.search("zzqx blorf", 5) == []
    assert index.search("the of and", 5) == []


@pytest.mark.parametrize("unit", ["passages", "sentences"])
def test_query_tokens_read_a_text_as_bm25s_tokenize_does(texts, unit):
    """The query path tokenises without bm25s's progress bars; it must give the same stemmed words, in
    order and with repeats, or a question would search other words than the index holds."""
    from care_evidence.indexer.lexical import query_tokens

    odd = ["Bed-blocking isn't Wales's £2.7bn problem", "Ynys Môn, Gwynedd — NHS’s 2015-16", "", "a the of"]
    for text in texts[unit] + odd:
        tokens = _tokenize([text])
        words = {i: w for w, i in tokens.vocab.items()}
        assert query_tokens(text) == [words[i] for i in tokens.ids[0]], text
