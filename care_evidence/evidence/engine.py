"""The query engine, a thin front over one module per job: analysis -> candidates -> rerank ->
folding -> answer; lookup (references, quotes); claims (checking a text); messages; settings; view.
"""

from __future__ import annotations

import dataclasses
import threading
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from care_evidence.evidence.analysis import analyse, speaks_of_what_was_asked
from care_evidence.evidence.answer import (
    answer,
    answer_from_citation,
    with_asked_figure_of_its_paragraph,
    with_runner_up,
)
from care_evidence.evidence.candidates import CandidateSearch
from care_evidence.evidence.claims import CheckResult, ClaimChecker
from care_evidence.evidence.comparison import compare
from care_evidence.evidence.features import Candidate
from care_evidence.evidence.folding import also_in, fold_duplicates
from care_evidence.evidence.lookup import Lookup
from care_evidence.evidence.messages import Status
from care_evidence.evidence.models import Answer, AnswerSentence, Citation, Filters, LookupResult, ScoredPassage
from care_evidence.evidence.query import clean_query
from care_evidence.evidence.quotes import normalise_for_match
from care_evidence.evidence.references import parse_reference
from care_evidence.evidence.requirements import (
    caveat,
    figure_of_another_period,
    later_years_not_stated,
    misleads,
    states_no_date_asked,
    unmet,
)
from care_evidence.evidence.rerank import rerank
from care_evidence.evidence.series import asks_over_time, gather_series
from care_evidence.evidence.settings import Settings, load_settings
from care_evidence.evidence.table_answer import cell_asked, table_answer, unread_table, with_table
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.embedding import Embedder
from care_evidence.indexer.models import Passage
from care_evidence.indexer.store import LoadedIndex, load_index


class Engine:
    """Loaded once per process; every method is safe to call from several threads. Nothing here is
    proportional to the corpus per question: passages are read on demand, vectors memory-mapped."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: Settings | None = None):
        self.index = index
        self.embedder = embedder
        self.settings = settings or load_settings(index.root.parent.parent)
        self.view = IndexView(index, self.settings)
        self.passages = index.passages
        self.documents = index.documents
        self._lock = threading.Lock()  # the torch model is shared between threads
        self.searches = CandidateSearch(self.view, self.settings, self._embed, self._embed_words)
        # A text checked against the reports is matched on its own words: expanding them with the corpus's
        # neighbours ("three-quarters" -> "quarter") moved a misremembered quote's source out of reach.
        self._claims = ClaimChecker(self.view, self.settings, partial(self.candidates, expand=False))
        self._lookup = Lookup(self.view, self.settings, self._claims)
        # OpenBLAS threads left spinning after numpy's small matrix products steal the cores torch
        # needs for the query embedding: one BLAS thread halves ask latency here (bench/query.py).
        threadpool_limits(limits=1, user_api="blas")
        self.outline = lru_cache(maxsize=self.settings.outline_cache)(self._outline)

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None, settings: Settings | None = None) -> Engine:
        """The engine of an index built with the `dense_model` of the settings (an index built with another
        is stale); `embedder`, if it runs another model, gives way to one that runs that model."""
        settings = settings or load_settings(index_dir)
        if embedder is None or embedder.dense_model.key != settings.dense_model:
            embedder = Embedder(model=settings.dense_model)
        embedder.check_installed()  # before the index: "install it with ..." rather than a failed question
        return cls(load_index(index_dir, embedder.name), embedder, settings)

    def clear_caches(self) -> None:
        """Forget what earlier questions decoded and stemmed: a benchmark can then time a warm process
        on questions it has seen without reusing their candidates' work."""
        self.view.clear_caches()
        self._lookup.clear_caches()
        self.searches.expansion.clear()

    def cache_sizes(self) -> dict[str, int]:  # what clear_caches empties
        return {**self.view.cache_sizes(), "quote texts": self._lookup.quotes.cached(),
                "word neighbours": self.searches.expansion.cached()}

    def _embed(self, text: str) -> np.ndarray:
        return self._embed_words([text])[0]

    def _embed_words(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self.embedder.encode_queries(texts)

    # --- passages ---------------------------------------------------------------------------------
    def citation(self, passage: Passage) -> Citation:
        return self.view.citation(passage)

    def check(self, text: str, exclude_docs: tuple[str, ...] = ()) -> CheckResult:
        """Each claim of a pasted text with its verdict and evidence; `exclude_docs` are not evidence."""
        return self._claims.check(text, exclude_docs)

    def passage(self, passage_id: str) -> Passage:
        return self.view.passage(passage_id)

    def context(self, passage_id: str, before: int = 2, after: int = 2) -> list[Passage]:
        """The passage with its neighbours in the same section, in document order."""
        return self.passages.neighbours(self.passage(passage_id), before, after)

    def also_in(self, passage: Passage) -> list[Citation]:
        """Other places stating the passage's fact."""
        return also_in(self.view, passage)

    def sentences(self, passage: Passage) -> list[str]:
        """The passage's sentences as split at build time."""
        return [self.view.sentence_text(r) for r in self.view.sentence_rows(self.view.row(passage.id))]

    def _outline(self, doc_id: str) -> dict[tuple[str, ...], list[Passage]]:
        """A document's sections (heading paths) in reading order, each with its passages."""
        out: dict[tuple[str, ...], list[Passage]] = {}
        for row in self.passages.rows_of_documents((doc_id,)):
            p = self.passages[row]
            out.setdefault(p.section, []).append(p)
        return out

    # --- questions --------------------------------------------------------------------------------
    def candidates(self, question: str, filters: Filters | None = None, depth: int | None = None,
                   shortlist: int | None = None, expand: bool = True) -> tuple[list[Candidate], np.ndarray | None]:
        """Every scored candidate of a question, best first, and its vector (for tuning, benchmarks and
        the claim check, which searches a text's own words: `expand` False)."""
        analysis = analyse(clean_query(question), self.documents)
        lists = self.searches.search(analysis, filters or Filters(), depth, expand=expand)
        if lists is None:
            return [], None
        return rerank(self.view, analysis, lists, self.settings, shortlist), lists.vector

    def rank(self, question: str, k: int = 10, filters: Filters | None = None) -> list[ScoredPassage]:
        """Ranked passages for a question, duplicates folded."""
        filters = filters or Filters()
        candidates, _ = self.candidates(question, filters)
        return fold_duplicates(self.view, candidates, k, filters)

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        """The sentences that answer the question, their figures and citations, and the passages behind them."""
        question = clean_query(question)
        filters = filters or Filters()
        self.view.allowed_rows(filters)  # an unknown document in the filters is an error before anything else
        reference = parse_reference(question, self.documents, self.settings.max_reference_words)
        if reference is not None:  # "NAO para 2.7" typed as a question: show that passage
            named = self._lookup.resolve(question, reference)
            resolved = self._lookup.within_filters(named, filters)
            if named.found and not resolved.found:  # the passage exists, the filters leave it out
                return Answer(question, False, resolved.message)
            if resolved.status == Status.FOUND:
                shown = answer_from_citation(self.view, question, resolved.passages[0], resolved.passages[:k],
                                             resolved.message, self.settings)
                if not shown.found:
                    return shown
                table = table_answer(self.view, analyse(question, self.documents), shown, self.settings, question)
                return with_table(shown, table) if table is not None else shown
        analysis = analyse(question, self.documents)
        lists = self.searches.search(analysis, filters)
        candidates = rerank(self.view, analysis, lists, self.settings) if lists else []
        # The answer reads the same top passages however many are shown (k).
        passages = fold_duplicates(self.view, candidates, max(k, self.settings.answer_passages), filters)
        result = answer(self.view, analysis, passages, lists.cited if lists else set(),
                        lists.vector if lists else None, filters, self.settings)
        result, passages = self._from_the_report_named(analysis, filters, result, passages, k)
        result = self._only_the_reports_named(analysis, result)
        result = self._read_tables(analysis, result, passages, lists.searched if lists else "")
        reason = unmet(self.view, analysis, result, filters, self.settings) if result.found else None
        # "When was X introduced?": the date may be a few sentences on in the paragraph naming X. (Tried for
        # any figure asked for, it answered five questions the reports cannot: a paragraph of figures holds
        # one of every kind.)
        if reason and result.found and states_no_date_asked(analysis, result):
            completed = with_asked_figure_of_its_paragraph(self.view, analysis, result, lists.vector, self.settings)
            if completed is not result and not unmet(self.view, analysis, completed, filters, self.settings):
                result, reason = completed, None
        if result.found and not reason:
            # The runner-up is added to an answer the requirements passed (it must not make a question the
            # reports cannot answer look answered), then what it shows is checked too.
            shown = with_runner_up(self.view, analysis, result, lists.vector, self.settings)
            reason = misleads(self.view, analysis, shown)
            result = result if reason else shown
        if reason:  # a confident answer the question did not ask for is worse than none
            result = Answer(question, False, reason, passages=passages, asked_for=result.asked_for)
        elif result.found:  # a comparison's parts, each answered on its own; never in place of "not found"
            read = result
            result = self._only_the_reports_named(
                analysis, compare(self.view, self.searches, analysis, filters, self.settings, result))
            result.table, result.reading = read.table, read.reading  # how far a table quoted can be read
        if result.found and asks_over_time(question):  # each year's value, from every report
            deeper = fold_duplicates(self.view, candidates, self.settings.series_passages, filters)
            result.series = gather_series(self.view, analysis, deeper, lists.vector, filters, self.settings)
        if result.found:
            # the year of a figure stated without one is looked up as deep as a series is, however few
            # passages the caller asked to see
            around = fold_duplicates(self.view, candidates, self.settings.series_passages, filters)
            said = (figure_of_another_period(self.view, analysis, result, around, self.settings),
                    later_years_not_stated(self.view, analysis, result),
                    caveat(self.view, analysis),
                    result.caveat)
            result.caveat = " ".join(c for c in said if c)
        result.passages = result.passages[:k]
        return result

    def _read_tables(self, analysis, result: Answer, passages: list[ScoredPassage], searched: str) -> Answer:
        """A table's cells in place of its run-on text: a cell the question names by its row and column
        among the top passages answers first ("STF transformation funding 2017-18"), however unlike the
        question the words around it are; else the table the answer quotes, read into rows and columns,
        or said to be unreadable (an OCR table whose cells are out of order)."""
        cell = cell_asked(self.view, analysis, passages, self.settings, searched)
        if cell is not None:
            if not result.found:
                result = Answer(analysis.question, True, "", [], passages, result.asked_for)
            return with_table(result, cell, first=True)
        if not result.found:
            return result
        table = table_answer(self.view, analysis, result, self.settings, searched)
        if table is not None:
            return with_table(result, table)
        result.reading = unread_table(self.view, result)
        return result

    def _from_the_report_named(self, analysis, filters: Filters, result: Answer, passages: list[ScoredPassage],
                               k: int) -> tuple[Answer, list[ScoredPassage]]:
        """A question naming one report whose answer came from another is asked again of that report
        alone: its own passage may rank below another report's restating the fact ("NHS Confed digest
        BCF delayed days cost"). Its answer is kept if it is one; else the other report's stands,
        to be said as not from the report named (requirements.unmet)."""
        named = analysis.named_documents
        if len(named) != 1 or filters.documents or (result.found and (
                not result.sentences or result.sentences[0].citation.doc_id in named)):
            return result, passages
        own_filters = dataclasses.replace(filters, documents=named)
        lists = self.searches.search(analysis, own_filters)
        if lists is None:
            return result, passages
        own = fold_duplicates(self.view, rerank(self.view, analysis, lists, self.settings),
                              max(k, self.settings.answer_passages), own_filters)
        again = answer(self.view, analysis, own, lists.cited, lists.vector, own_filters, self.settings)
        # The report named must say it nearly as closely as the other report's first sentence does: a
        # sentence of it on another subject is not its answer ("What did the PAC say about the BCF
        # missing its targets?" is not answered by the PAC on vanguards). Also tried: letting a passage
        # holding as many of the question's words through; it answered that question with the vanguards.
        # A question asking what the report says about something is answered by its sentence naming it,
        # however generic another report's short sentence scores ("Notable schemes include the Better Care
        # Fund." for "What does the NHS Confederation digest say about the Better Care Fund?").
        # The report named printing a sentence of the other's answer word for word (the NAO summary page
        # reprints the report's summary) says what that answer says.
        reprinted = ({normalise_for_match(s.text) for s in again.sentences}
                     & {normalise_for_match(s.text) for s in result.sentences})
        if not result.found:  # the report named answers though other reports' passages ranked above it
            return (again, own + [p for p in passages if p.passage.doc_id not in named]) if again.found else (
                result, passages)
        if not again.found or not again.sentences or (
                self._closeness(again.sentences, lists.vector)
                < self._closeness(result.sentences[:1], lists.vector) - self.settings.named_report_margin
                and not speaks_of_what_was_asked(analysis.question, [s.text for s in again.sentences])
                and not reprinted):
            return result, passages
        return again, own + [p for p in passages if p.passage.doc_id not in named]

    @staticmethod
    def _only_the_reports_named(analysis, result: Answer) -> Answer:
        """An answer from the report named says only what that report says: another report's sentence
        after it would be quoted as the named one's ("What figures did the NAO give for vanguard areas?"
        is not answered by the PAC's 1.6% against 6.3%). That report's passages still show below."""
        named = analysis.named_documents
        if not named or not result.sentences or result.sentences[0].citation.doc_id not in named:
            return result
        kept = [s for s in result.sentences if s.citation.doc_id in named]
        return dataclasses.replace(result, sentences=kept) if len(kept) < len(result.sentences) else result

    def _closeness(self, sentences: list[AnswerSentence], vector: np.ndarray) -> float:
        """The cosine to the question of the closest of an answer's sentences."""
        rows = [r for s in sentences for r in self.view.sentence_rows(self.view.row(s.citation.passage_id))
                if self.view.sentence_text(r) == s.text]
        return max((self.view.sentence_similarity(r, vector) for r in rows), default=0.0)

    def lookup(self, text: str, filters: Filters | None = None) -> LookupResult:
        """A citation typed by hand, or a pasted quote, resolved to the passage it points to."""
        return self._lookup.lookup(text, filters or Filters())
