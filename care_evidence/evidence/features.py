"""Named features of a candidate passage, each a small function, and the similarities they read.

A feature is a number about one candidate given the question and what the searches found; the
re-ranking score is their sum weighted by the `weight_<name>` settings. Every feature here has a
weight: one that earns none on held-out questions is deleted, not computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import overlap
from care_evidence.indexer.models import Passage


@dataclass
class Candidate:
    """A passage row proposed for a question, its score, best sentence and features."""

    row: int
    score: float
    sentence_row: int | None
    features: dict[str, float]


@dataclass
class FeatureContext:
    """What the features of one question's candidates read (computed once for all of them)."""

    view: IndexView
    analysis: QueryAnalysis
    fused: dict[int, float]  # row -> fused reciprocal-rank score
    top_rrf: float
    best_sentence: dict[int, tuple[int, float]]  # row -> (sentence row, cosine)
    passage_similarity: dict[int, float]  # row -> cosine of the passage
    cited: set[int]

    def sentence_similarity(self, row: int, passage: Passage) -> tuple[int | None, float]:
        """The row's best sentence and its cosine; a footnote's sentences ("Q 115") say less than the
        claim citing it, which is in its retrieval text: it gets the better of the two."""
        sentence_row, similarity = self.best_sentence.get(row, (None, self.passage_similarity[row]))
        if passage.context:
            similarity = max(similarity, self.passage_similarity[row])
        return sentence_row, similarity


Feature = Callable[[FeatureContext, int, Passage], float]


def rrf(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """The fused rank, normalised to the best candidate's."""
    return ctx.fused[row] / ctx.top_rrf


def sentence(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """Cosine of the passage's sentence closest to the question."""
    return ctx.sentence_similarity(row, passage)[1]


def word_overlap(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """Share of the question's content words (expanded) that the passage holds."""
    return overlap(ctx.analysis.terms, ctx.view.passage_terms(row))


def figure(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """The passage states a figure of a kind the question asks for."""
    wanted = ctx.analysis.wanted_figures
    return float(bool(wanted) and any(q.kind in wanted for q in passage.quantities))


def document(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """The question names the passage's document."""
    return float(passage.doc_id in ctx.analysis.named_documents)


def kind(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """The question names the passage's kind ("Figure", "table", "footnote")."""
    return float(passage.kind in ctx.analysis.kinds)


def cited(ctx: FeatureContext, row: int, passage: Passage) -> float:
    """The question cites the passage itself ("Figure 7 of the NAO report")."""
    return float(row in ctx.cited)


# In the order the score adds them (the order fixes the float sum, and so every ranking).
FEATURES: dict[str, Feature] = {
    "rrf": rrf, "sentence": sentence, "overlap": word_overlap, "figure": figure, "document": document,
    "kind": kind, "cited": cited,
}


def passage_similarities(view: IndexView, rows: list[int], vector: np.ndarray) -> dict[int, float]:
    sims = view.vectors[np.asarray(rows, dtype=np.int64)].astype(np.float32) @ vector
    return dict(zip(rows, sims.tolist(), strict=True))


def best_sentences(view: IndexView, rows: list[int], vector: np.ndarray) -> dict[int, tuple[int, float]]:
    """For each passage row with sentences: (sentence row, cosine) of its sentence closest to `vector`.

    Vectorised over all the candidates' sentences at once (a per-passage loop cost 8 ms a question
    at a million passages)."""
    passage_rows = np.asarray(rows, dtype=np.int64)
    starts = view.sentence_starts[passage_rows]
    lengths = view.sentence_starts[passage_rows + 1] - starts
    has = lengths > 0
    passage_rows, starts, lengths = passage_rows[has], starts[has], lengths[has]
    if not len(passage_rows):
        return {}
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    sentence_rows = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
    sims = view.sentence_vectors[sentence_rows].astype(np.float32) @ vector
    best_sims = np.maximum.reduceat(sims, offsets)
    # The first sentence of each passage reaching its passage's best cosine.
    at_best = np.flatnonzero(sims == np.repeat(best_sims, lengths))
    owner = np.repeat(np.arange(len(passage_rows)), lengths)[at_best]
    first = at_best[np.unique(owner, return_index=True)[1]]
    return {int(r): (int(sentence_rows[i]), float(sims[i]))
            for r, i in zip(passage_rows.tolist(), first.tolist(), strict=True)}
