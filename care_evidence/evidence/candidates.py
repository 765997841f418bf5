"""The four searches that propose candidates for a question, and the passages it cites by locator.

BM25 and dense over passages, and both over sentences (a long passage's one relevant sentence is not
diluted by the rest of it), each restricted to the rows the filters allow.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.expansion import CorpusExpansion
from care_evidence.evidence.feedback import feedback_terms
from care_evidence.evidence.models import Filters
from care_evidence.evidence.references import REFERENCE_PATTERNS
from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.dense import DenseSearcher
from care_evidence.indexer.lexical import LexicalIndex, content_terms

Ranking = list[tuple[int, float]]


@dataclass
class SearchLists:
    """What the searches returned for one question: passage rankings, cited rows, the query vector."""

    lexical: Ranking
    dense: Ranking
    by_sentence: Ranking  # passages in the order of their best sentence by meaning
    by_sentence_words: Ranking  # ... and by BM25 over sentences
    cited: set[int]
    vector: np.ndarray
    depth: int
    feedback: Ranking | None = None  # BM25 with the top passages' words added (settings feedback_*)
    searched: str = ""  # the question's text as searched, with the corpus's words for its own (expansion.py)

    def rankings(self) -> tuple[Ranking, ...]:
        lists = (self.lexical, self.dense, self.by_sentence, self.by_sentence_words)
        return lists + (self.feedback,) if self.feedback is not None else lists


class CandidateSearch:
    def __init__(self, view: IndexView, settings: Settings, embed: Callable[[str], np.ndarray],
                 embed_words: Callable[[list[str]], np.ndarray]):
        index = view.index
        self.view, self.settings = view, settings
        self.lexical: LexicalIndex = index.lexical
        self.sentence_lexical: LexicalIndex | None = index.sentence_lexical
        self.dense: DenseSearcher = index.dense
        self.sentence_dense: DenseSearcher = index.sentence_dense
        self._embed = embed
        self.expansion = CorpusExpansion(index.vocabulary, index.lexical, settings, embed_words)
        # On a large index the query embedding (torch, one core) runs while BM25 scores passages and
        # sentences (numpy, the other core): neither needs the other, and at a million passages each
        # takes ~10 ms.
        self._embedder_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-embedding")

    def fused_depth(self, searched: int) -> int:
        """The ranks of each list fused when `searched` passages are searched."""
        s = self.settings
        return s.deep_depth if searched > s.deep_from else s.fused_depth

    def search(self, analysis: QueryAnalysis, filters: Filters, depth: int | None = None,
               expand: bool = True) -> SearchLists | None:
        """Every list for a question; None when the filters allow nothing or nothing matches. `expand`:
        with the corpus's words for the question's unused words and acronyms (expansion.py)."""
        if expand:
            analysis = self.expansion.expand(analysis)
        embedding = self._embedding(analysis.expanded)
        allowed = self.view.allowed_rows(filters)
        if allowed is not None and not len(allowed):
            embedding.result()
            return None
        allowed_sentences = self.view.sentence_rows_of(allowed)
        if depth is None:
            depth = self.fused_depth(len(self.view.passages) if allowed is None else len(allowed))
        pool = max(self.settings.pool, depth)
        sentence_pool = pool * self.settings.sentence_pool_factor
        lexical = self.lexical.search(analysis.expanded, pool, allowed)
        sentence_words = []
        if self.sentence_lexical is not None:
            sentence_words = self.sentence_lexical.search(analysis.expanded, sentence_pool, allowed_sentences)
        vector = embedding.result()
        dense = self.dense.search(vector, pool, allowed)
        cited = self.cited_in_question(analysis, allowed)
        if not (lexical or dense or cited):
            return None
        by_sentence = self.by_passage(self.sentence_dense.search(vector, sentence_pool, allowed_sentences))
        feedback = None
        if self.settings.feedback_terms and lexical:  # 0: the list is not made (a weight of 0 is no feature)
            words = feedback_terms(self.view, [row for row, _ in lexical], content_terms(analysis.expanded),
                                   self.settings)
            feedback = self.lexical.search(f"{analysis.expanded} {' '.join(words)}", pool, allowed)
        return SearchLists(lexical, dense, by_sentence, self.by_passage(sentence_words), cited, vector, depth,
                           feedback, analysis.expanded)

    def _embedding(self, text: str) -> Future:
        """The question's vector: computed on the embedding thread while BM25 runs on a large index, in
        turn on a small one (settings parallel_embedding_from)."""
        if len(self.view.passages) >= self.settings.parallel_embedding_from:
            return self._embedder_thread.submit(self._embed, text)
        done: Future = Future()
        done.set_result(self._embed(text))
        return done

    def by_passage(self, ranked_sentences: Ranking) -> Ranking:
        """Passages in the order of their best-ranked sentence, with that sentence's score."""
        if not ranked_sentences:
            return []
        owners = self.view.sentences[np.asarray([s for s, _ in ranked_sentences], dtype=np.int64), 0].tolist()
        out, seen = [], set()
        for row, (_, score) in zip(owners, ranked_sentences, strict=True):
            if row not in seen:
                seen.add(row)
                out.append((row, score))
        return out

    def cited_in_question(self, analysis: QueryAnalysis, allowed: np.ndarray | None) -> set[int]:
        """Rows of passages the question cites by locator ("Figure 7", "para 2.7"), in the named documents."""
        rows: set[int] = set()
        lowered = analysis.question.lower()
        passages = self.view.passages
        for pattern, locator in REFERENCE_PATTERNS:
            for m in pattern.finditer(lowered):
                # "Figure 7" with no document named cites the Figure 7 of a handful of reports, not
                # of every report in a large library.
                rows.update(passages.rows_with_locator(locator(m), analysis.named_documents)
                            if analysis.named_documents
                            else passages.rows_in_few_documents(locator(m), self.settings.cited_max_documents))
        if allowed is not None:
            rows &= set(allowed.tolist())
        return rows
