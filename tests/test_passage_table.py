"""Passages read on demand from SQLite (the path of an index too large to decode at load) give the
same passages, and the same answers, as the decoded-at-load path of a small index."""

from __future__ import annotations

import pytest

from care_evidence.evidence.engine import Engine
from care_evidence.indexer import passage_table
from care_evidence.indexer.embedding import MODEL_NAME
from care_evidence.indexer.passage_table import FILE_NAME, PassageTable
from care_evidence.indexer.store import current_build, load_index


@pytest.fixture
def on_demand(monkeypatch):
    """Every PassageTable opened in the test reads passages on demand, as one of a million would."""
    monkeypatch.setattr(passage_table, "DECODE_ALL_BELOW", 0)


def test_rows_read_on_demand_equal_the_decoded_passages(real_index_dir, real_index, on_demand):
    table = PassageTable(current_build(real_index_dir) / FILE_NAME)
    assert len(table) == len(real_index.passages)
    rows = list(range(0, len(table), 7))
    table.prefetch(rows[: len(rows) // 2])  # half of them read in one query, the rest one by one
    for row in rows:
        assert table[row] == real_index.passages[row]
    assert table[-1] == real_index.passages[len(table) - 1]
    with pytest.raises(IndexError):
        table[len(table)]


def test_engine_on_demand_answers_as_the_decoded_engine(real_index_dir, engine, embedder, on_demand):
    on_demand_engine = Engine(load_index(real_index_dir, MODEL_NAME), embedder)
    assert on_demand_engine.passages.reads_on_demand and not engine.passages.reads_on_demand
    for question in ("How much was pooled in the Better Care Fund in 2015-16?",
                     "Which evidence session question backs the claim that diverting transformation money "
                     "slowed integration?",
                     "How long has Northern Ireland had structural integration?"):
        want, got = engine.ask(question), on_demand_engine.ask(question)
        assert [p.passage.id for p in got.passages] == [p.passage.id for p in want.passages]
        assert got.text == want.text
        assert [str(c) for c in got.citations] == [str(c) for c in want.citations]
