"""The query engine: load an index once, then answer questions and look citations up.

ask():    hybrid retrieval (BM25 + dense, fused by rank) of the question expanded with the reports'
          own words, re-ranked with sentence-level similarity (sentence embeddings made at build
          time), figure, document and kind cues; duplicates folded into their primary passage; the
          answer is the best sentence, with the figures the question asks for taken from the passage.
lookup(): a typed reference resolved to its passage, or a pasted quote matched to its source.
"""

from __future__ import annotations

import functools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from evidence.glossary import expand
from evidence.intent import COMPATIBLE, asked_figure_kinds
from evidence.limits import check_length
from evidence.models import (
    Answer,
    AnswerSentence,
    Citation,
    FigureMention,
    Filters,
    LookupResult,
    ScoredPassage,
    names_document,
)
from evidence.query import QueryError, clean_query
from evidence.quotes import VERBATIM, QuoteMatcher, changed_figures
from evidence.references import (
    KEY_FACTS_PREFIX,
    REFERENCE_PATTERNS,
    Reference,
    find_documents,
    parse_reference,
)
from indexer.embedding import MODEL_NAME, Embedder
from indexer.lexical import content_terms, overlap
from indexer.models import BOX, FIGURE, FOOTNOTE, KEY_FACT, TABLE, Passage
from indexer.quantities import extract_quantities
from indexer.store import LoadedIndex, load_index

RRF_K = 60
DEPTH = 50  # ranks of each list fused
# A list's top 50 is a tenth of the five reports but 0.005% of a million passages, where the passage
# that answers sits deeper in each list. Beyond DEEP_FROM passages the top DEEP_DEPTH are fused: on
# the synthetic indexes (bench/scale.py) Recall@5 1M 0.787 -> 0.823, 100k 0.872 -> 0.878, MRR@10
# up at 10k too; on the five reports, deeper ranks only reshuffle the fused scores (Recall@5 0.957 ->
# 0.945 at 100), so they keep 50.
DEEP_FROM = 20_000  # equal to indexer.dense.EXACT_MAX by chance: the two are unrelated
DEEP_DEPTH = 100
# Candidates whose remaining features are computed (passage read, word set): the best by every
# feature but those (fused rank, best-sentence cosine, named document, kind asked for), which are
# had for all candidates at once. Most of a question's time at a million passages was reading and
# stemming every fused candidate (~180 at depth 50, ~390 at 100); the five reports' top 5 is the same
# for every question (tested).
SHORTLIST = 60
POOL = 100  # passages taken from BM25 and dense (sentences: 3x), more if a deeper `depth` is asked for; the
# top `depth` of each are fused
TERMS_CACHE = 100_000  # passages' and sentences' word sets kept
CITED_MAX_DOCUMENTS = 3
NOT_FOUND_SIMILARITY = 0.40  # best sentence cosine below this: nothing in the corpus answers

# Re-ranking: a weighted sum of features of each candidate. Chosen with `python -m eval` (see
# docs/retrieval.md): rrf is the fused rank (normalised), sentence / passage the cosine of the best
# sentence / the passage, overlap the share of the question's content words in the passage, figure
# whether it states a figure of the kind asked for, document whether the question names its
# document, kind whether it names its kind ("Figure", "table", "footnote"), cited whether it names
# the passage itself ("Figure 7 of the NAO report"); footnote: a footnote not asked for (it no longer
# counts against since footnotes are scored by the claim that cites them: held-out MRR rose on both halves);
# corroborated: the fact also stands elsewhere (a duplicate group), as headline findings do.
WEIGHTS = {
    "rrf": 1.0, "sentence": 1.0, "passage": 0.0, "overlap": 1.0, "figure": 0.15, "document": 0.25,
    "kind": 0.3, "cited": 0.8, "footnote": 0.0, "corroborated": 0.0,
}
# Choosing the answer sentence among the top passages' sentences: cosine to the question, plus
W_OVERLAP = 0.3  # x the share of the question's content words the sentence contains,
FIGURE_SENTENCE_BONUS = 0.12  # + this when it states a figure of the kind the question asks for,
PASSAGE_RANK_WEIGHT = 0.5  # + this x (its passage's score - the top passage's score).
SECOND_SENTENCE_MARGIN = 0.12
TIME_MISMATCH_PENALTY = 0.15  # - this when the question names years and the sentence states only other ones
UNIT_SENTENCE_PENALTY = 0.1
FOOTNOTE_SENTENCE_PENALTY = 0.15
LIST_CHARS = 1500  # the list shown after an answer sentence that leads into it ("... found that:")
DUPLICATE_SENTENCE_PENALTY = 0.3  # a folded duplicate's sentence answers only when clearly better
_KIND_WORDS = ((FIGURE, r"\b(figure|fig\.?|chart|graph)\b"), (TABLE, r"\btable\b"), (BOX, r"\bbox\b"),
               (FOOTNOTE, r"\b(footnotes?|sources?|cited|HC \d+|evidence sessions?|oral evidence|"
                          r"back(s|ed)? (up )?(the|this|that) claims?)\b"), (KEY_FACT, r"\bkey facts?\b"))


def fused_depth(searched: int) -> int:
    """The ranks of each list fused when `searched` passages are searched."""
    return DEEP_DEPTH if searched > DEEP_FROM else DEPTH


def _time_key(q) -> str:
    """A year or period (a Quantity or a FigureMention) as a comparable key: "2010–11", "2010/11" and
    "2010-11" are the same period."""
    if q.kind != "period":
        return str(int(q.value))
    start, end = re.split(r"\s?[-–/]\s?", q.printed.strip())
    return f"{start}-{end[-2:]}"


def _value_key(f: FigureMention) -> tuple:
    return f.kind, f.unit, f.value


@dataclass
class _Candidate:
    row: int
    score: float
    sentence_row: int | None
    features: dict[str, float]


MALFORMED_REFERENCE_WORDS = 6
# Words that make a short text a citation, even one the tool cannot read ("PAC recommendation 2"):
# unless it stands verbatim in a passage, it is answered with the closest citations, never matched
# loosely as a quote.
_LOCATOR_WORD = re.compile(r"\b(para(graph)?s?|figure|fig|table|box|footnote|fn|page|appendix|summary|"
                           r"recommendations?|conclusions?|chapter|section|part|key (facts?|points?))\b|¶|§",
                           re.IGNORECASE)


@functools.cache
def _asking_for_a_passage() -> frozenset[str]:
    """Words that ask for any passage ("what does Figure 13 show"), stemmed as questions are."""
    return frozenset(content_terms("show shows say says said tell mean means contain contains describe "
                                   "describes illustrate illustrates set out give gives state states"))


def _citation_key(text: str) -> str:
    """A printed citation reduced for exact matching: case, spacing and a trailing page ignored."""
    text = re.sub(r",?\s*p\.\s*\d+\s*$", "", text.strip())
    return re.sub(r"\s+", " ", text.replace("’", "'")).lower()


class Engine:
    """Loaded once per process; every method is safe to call from several threads.

    Nothing here is proportional to the corpus per question: passages are read from disk on demand,
    vectors are memory-mapped, and word sets are computed for the candidates of a question only
    (and kept), so the same code serves five reports and a million passages.
    """

    def __init__(self, index: LoadedIndex, embedder: Embedder):
        self.index = index
        self.embedder = embedder
        self.passages = index.passages
        self.documents = index.documents
        self._lexical = index.lexical
        self._dense = index.dense
        self._sentence_dense = index.sentence_dense
        self._sentence_lexical = index.sentence_lexical
        self._quotes = QuoteMatcher(self.passages, self._lexical)
        # Sentences are stored passage by passage: passage row r owns rows starts[r]:starts[r + 1].
        # Plain-array views of the memory-mapped files (no copy): indexing an np.memmap goes through
        # Python-level __getitem__ and __array_finalize__, a few hundred times per question.
        self._sentences = np.asarray(index.sentences)
        self._vectors = np.asarray(index.vectors)
        self._sentence_vectors = np.asarray(index.sentence_vectors)
        self._sentence_starts = np.searchsorted(self._sentences[:, 0], np.arange(len(self.passages) + 1))
        self._lock = threading.Lock()  # the torch model is shared between threads
        self._embedder_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-embedding")
        # OpenBLAS threads left spinning after numpy's small matrix products steal the cores torch
        # needs for the query embedding: one BLAS thread halves ask latency here (bench/query.py).
        threadpool_limits(limits=1, user_api="blas")
        # FAISS's OpenMP threads are set by each search, per thread (indexer/dense.py).
        self._doc_by_label = {_citation_key(d.label): d.id for d in self.documents.values()}
        # Content words of passages and sentences, stemmed the first time they are candidates.
        self._passage_terms = lru_cache(maxsize=TERMS_CACHE)(
            lambda row: content_terms(self.passages[row].retrieval_text))
        self._sentence_terms = lru_cache(maxsize=TERMS_CACHE)(
            lambda srow: content_terms(self._sentence_text(srow)))

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None) -> Engine:
        return cls(load_index(index_dir, MODEL_NAME), embedder or Embedder())

    def clear_caches(self) -> None:
        """Forget what earlier questions decoded and stemmed (passages, word sets): a benchmark can then
        time a warm process on questions it has seen without reusing their candidates' work."""
        self.passages.clear_cache()
        self._quotes.clear_cache()
        self._passage_terms.cache_clear()
        self._sentence_terms.cache_clear()

    # --- helpers ---------------------------------------------------------------------------------
    def citation(self, passage: Passage) -> Citation:
        doc = self.documents[passage.doc_id]
        return Citation(passage.id, doc.id, doc.label, passage.locator, passage.page, doc.ocr)

    def passage(self, passage_id: str) -> Passage:
        return self.passages[self._row(passage_id)]

    def _row(self, passage_id: str) -> int:
        row = self.passages.row_of(passage_id)
        if row is None:
            raise KeyError(f"no passage {passage_id!r} in this index")
        return row

    def _sentence_rows(self, row: int) -> range:
        return range(int(self._sentence_starts[row]), int(self._sentence_starts[row + 1]))

    def context(self, passage_id: str, before: int = 2, after: int = 2) -> list[Passage]:
        """The passage with its neighbours in the same section, in document order."""
        return self.passages.neighbours(self.passage(passage_id), before, after)

    def _allowed_rows(self, filters: Filters) -> np.ndarray | None:
        if not filters.active:
            return None
        unknown = [name for name in filters.documents
                   if not any(names_document(name, doc) for doc in self.documents.values())]
        if unknown:  # else "not found": the user would conclude the report says nothing on it
            known = ", ".join(f"{doc.label} ({doc.id})" for doc in list(self.documents.values())[:20])
            raise QueryError(f"no document {unknown[0]!r} in this corpus to filter by; its documents include: {known}")
        docs = [d.id for d in self.documents.values() if filters.allows_document(d)]
        return np.asarray(self.passages.rows_of_documents(docs, filters.kinds) if docs else [], dtype=np.int64)

    def _embed(self, text: str) -> np.ndarray:
        with self._lock:
            return self.embedder.encode_query(text)

    def _sentence_text(self, sentence_row: int) -> str:
        passage_row, start, end = self._sentences[sentence_row]
        return self.passages[int(passage_row)].search_text[int(start) : int(end)]

    # --- retrieval ---------------------------------------------------------------------------------
    def _candidates(self, question: str, filters: Filters, depth: int | None = None, shortlist: int | None = None,
                    ) -> tuple[list[_Candidate], np.ndarray]:
        """Fused, re-ranked candidates for a question, best first, and the question's vector.

        `depth`: the ranks of each list fused (the lists are drawn at least this deep), by default
        `fused_depth` of the passages searched. `shortlist`: how many fused candidates, besides those
        the question cites, are kept and fully scored (default SHORTLIST); the rest are dropped.
        bench/scan_depth.py asks for all of them."""
        shortlist = SHORTLIST if shortlist is None else shortlist
        # A document's name in the question chooses the document (the "document" feature below); as
        # words to match it would favour footnotes that cite reports of that name.
        named_docs, without_names = find_documents(question, self.documents)
        expanded = expand(without_names if re.search(r"\w{3,}", without_names) else question)
        # The query embedding (torch, one core) runs while BM25 scores passages and sentences (numpy,
        # the other core): neither needs the other, and at a million passages each takes ~10 ms.
        embedding = self._embedder_thread.submit(self._embed, expanded)
        allowed = self._allowed_rows(filters)
        if allowed is not None and not len(allowed):
            return [], embedding.result()
        allowed_sentences = self._sentence_rows_of(allowed)
        if depth is None:
            depth = fused_depth(len(self.passages) if allowed is None else len(allowed))
        pool = max(POOL, depth)
        lexical = self._lexical.search(expanded, pool, allowed)
        sentence_words = []
        if self._sentence_lexical is not None:
            sentence_words = self._sentence_lexical.search(expanded, pool * 3, allowed_sentences)
        vector = embedding.result()
        dense = self._dense.search(vector, pool, allowed)
        cited = self._cited_in_question(question, named_docs, allowed)
        if not (lexical or dense or cited):
            return [], vector
        # Passages by their best sentence, by meaning and by rare words, over every sentence: a long
        # passage's one relevant sentence is not diluted by the rest of it.
        terms = content_terms(expanded)
        by_sentence = self._by_passage(self._sentence_dense.search(vector, pool * 3, allowed_sentences))
        by_sentence_words = self._by_passage(sentence_words)
        fused: dict[int, float] = {}
        for ranking in (lexical, dense, by_sentence, by_sentence_words):
            for rank, (row, _) in enumerate(ranking[:depth], start=1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
        for row in cited:
            fused.setdefault(row, 0.0)
        top_rrf = max(fused.values()) or 1.0
        kinds = [kind for kind, pattern in _KIND_WORDS if re.search(pattern, question, re.IGNORECASE)]
        asked = asked_figure_kinds(question)
        wanted_figures = {k for a in asked for k in COMPATIBLE[a]}
        # Features for the fused candidates only (the top `depth` of each list, about 390 at a million
        # passages, where the depth is 100), not for everything the lists returned; those that need
        # the passage itself for a shortlist of them.
        best_sentence = self._best_sentences(list(fused), vector)
        passage_sims = self._passage_similarities(list(fused), vector)
        if len(fused) > shortlist:
            boosts = {}
            if named_docs or kinds:  # else every boost is 0, and the columns of ~390 scattered rows need not be read
                boosts = {row: WEIGHTS["document"] * (doc_id in named_docs) + WEIGHTS["kind"] * (kind in kinds)
                          for row, (doc_id, kind) in self.passages.documents_and_kinds(fused).items()}
            fused = self._shortlist(fused, top_rrf, best_sentence, passage_sims, boosts, cited, shortlist)
        self.passages.prefetch(fused)
        out = []
        for row, rrf in fused.items():
            p = self.passages[row]
            sentence_row, sentence_sim = best_sentence.get(row, (None, passage_sims[row]))
            if p.context:  # a footnote's sentences ("Q 115") say less than the claim citing it
                sentence_sim = max(sentence_sim, passage_sims[row])
            features = {
                "rrf": rrf / top_rrf,
                "sentence": sentence_sim,
                "passage": passage_sims[row],
                "overlap": overlap(terms, self._passage_terms(row)),
                "figure": float(bool(wanted_figures) and any(q.kind in wanted_figures for q in p.quantities)),
                "document": float(p.doc_id in named_docs),
                "kind": float(p.kind in kinds),
                "cited": float(row in cited),
                "footnote": float(p.kind == FOOTNOTE and FOOTNOTE not in kinds),
                "corroborated": float(p.group is not None),
            }
            score = sum(WEIGHTS[name] * value for name, value in features.items())
            out.append(_Candidate(row, score, sentence_row, features))
        out.sort(key=lambda c: -c.score)
        return out, vector

    @staticmethod
    def _shortlist(fused: dict[int, float], top_rrf: float, best_sentence: dict[int, tuple[int, float]],
                   passage_sims: dict[int, float], boosts: dict[int, float], cited: set[int], size: int,
                   ) -> dict[int, float]:
        """The `size` candidates best by the features known for all of them (fused rank, the better
        of best-sentence and passage cosine, since a footnote's sentence feature may be its passage's,
        named document and kind), and every passage the question cites."""

        def first_score(row: int) -> float:
            similarity = max(best_sentence[row][1], passage_sims[row]) if row in best_sentence else passage_sims[row]
            return WEIGHTS["rrf"] * fused[row] / top_rrf + WEIGHTS["sentence"] * similarity + boosts.get(row, 0.0)

        keep = set(sorted(fused, key=first_score, reverse=True)[:size]) | cited
        return {row: score for row, score in fused.items() if row in keep}

    def _sentence_rows_of(self, allowed: np.ndarray | None) -> np.ndarray | None:
        """The sentence rows of the allowed passage rows (None: no filter)."""
        if allowed is None:
            return None
        spans = [self._sentence_rows(int(row)) for row in allowed]
        return np.concatenate([np.arange(r.start, r.stop) for r in spans] + [np.zeros(0, int)])

    def _by_passage(self, ranked_sentences: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Passages in the order of their best-ranked sentence, with that sentence's score."""
        if not ranked_sentences:
            return []
        owners = self._sentences[np.asarray([s for s, _ in ranked_sentences], dtype=np.int64), 0].tolist()
        out, seen = [], set()
        for row, (_, score) in zip(owners, ranked_sentences, strict=True):
            if row not in seen:
                seen.add(row)
                out.append((row, score))
        return out

    def _passage_similarities(self, rows: list[int], vector: np.ndarray) -> dict[int, float]:
        sims = self._vectors[np.asarray(rows, dtype=np.int64)].astype(np.float32) @ vector
        return dict(zip(rows, sims.tolist(), strict=True))

    def _best_sentences(self, rows: list[int], vector: np.ndarray) -> dict[int, tuple[int, float]]:
        """For each passage row with sentences: (sentence row, cosine) of its sentence closest to `vector`.

        Vectorised over all the candidates' sentences at once (a per-passage loop cost 8 ms a question
        at a million passages)."""
        passage_rows = np.asarray(rows, dtype=np.int64)
        starts = self._sentence_starts[passage_rows]
        lengths = self._sentence_starts[passage_rows + 1] - starts
        has = lengths > 0
        passage_rows, starts, lengths = passage_rows[has], starts[has], lengths[has]
        if not len(passage_rows):
            return {}
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        sentence_rows = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        sims = self._sentence_vectors[sentence_rows].astype(np.float32) @ vector
        best_sims = np.maximum.reduceat(sims, offsets)
        # The first sentence of each passage reaching its passage's best cosine.
        at_best = np.flatnonzero(sims == np.repeat(best_sims, lengths))
        owner = np.repeat(np.arange(len(passage_rows)), lengths)[at_best]
        first = at_best[np.unique(owner, return_index=True)[1]]
        return {int(r): (int(sentence_rows[i]), float(sims[i]))
                for r, i in zip(passage_rows.tolist(), first.tolist(), strict=True)}

    def _cited_in_question(self, question: str, named_docs: tuple[str, ...], allowed: np.ndarray | None) -> set[int]:
        """Rows of passages the question cites by locator ("Figure 7", "para 2.7"), in the named documents."""
        rows = set()
        lowered = question.lower()
        for pattern, locator in REFERENCE_PATTERNS:
            for m in pattern.finditer(lowered):
                # "Figure 7" with no document named cites the Figure 7 of a handful of reports, not
                # of every report in a large library.
                rows.update(self.passages.rows_with_locator(locator(m), named_docs) if named_docs
                            else self.passages.rows_in_few_documents(locator(m), CITED_MAX_DOCUMENTS))
        if allowed is not None:
            rows &= set(allowed.tolist())
        return rows

    def _fold_duplicates(self, candidates: list[_Candidate], k: int, filters: Filters) -> list[ScoredPassage]:
        """One entry per fact: a group is shown at its best rank as its primary passage, with the
        other members as "also in"; as the passage found when the filters leave its primary out (a
        question asked of the NAO's web summary is answered from the web summary)."""
        shown: dict[str, ScoredPassage] = {}
        results: list[ScoredPassage] = []
        for c in candidates:
            p = self.passages[c.row]
            group = self.index.groups.get(p.group) if p.group else None
            key = group.id if group else p.id
            if key in shown:
                continue
            primary = self.passage(group.primary) if group and group.primary != p.id else None
            if primary is not None and not filters.allows(primary, self.documents[primary.doc_id]):
                primary = None
            if primary is not None:
                sentence = self._best_sentence_span(primary, c)
                entry = ScoredPassage(primary, self.citation(primary), c.score, sentence)
            else:
                entry = ScoredPassage(p, self.citation(p), c.score, self._span(c.sentence_row))
            if group:
                entry.also_in = [self.citation(self.passage(m)) for m in group.members if m != entry.passage.id]
            shown[key] = entry
            results.append(entry)
            if len(results) >= k:
                break
        return results

    def _span(self, sentence_row: int | None) -> tuple[int, int] | None:
        if sentence_row is None:
            return None
        _, start, end = self._sentences[sentence_row]
        return int(start), int(end)

    def _best_sentence_span(self, passage: Passage, c: _Candidate) -> tuple[int, int] | None:
        """The primary's sentence closest to the sentence that matched in the secondary passage."""
        if c.sentence_row is None:
            return None
        rows = self._sentence_rows(self._row(passage.id))
        if not len(rows):
            return None
        matched = self._sentence_vectors[c.sentence_row].astype(np.float32)
        sims = self._sentence_vectors[rows.start : rows.stop].astype(np.float32) @ matched
        return self._span(rows.start + int(np.argmax(sims)))

    def rank(self, question: str, k: int = 10, filters: Filters | None = None) -> list[ScoredPassage]:
        """Ranked passages for a question, duplicates folded."""
        question = clean_query(question)
        filters = filters or Filters()
        candidates, _ = self._candidates(question, filters)
        return self._fold_duplicates(candidates, k, filters)

    # --- answers ---------------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        """The sentence that answers the question, its figures and citation, and the passages behind it."""
        question = clean_query(question)
        filters = filters or Filters()
        self._allowed_rows(filters)  # an unknown document in the filters is an error before anything else
        reference = parse_reference(question, self.documents)
        if reference is not None:  # "NAO para 2.7" typed as a question: show that passage
            named = self._resolve(question, reference)
            resolved = self._within_filters(named, filters)
            if named.found and not resolved.found:  # the passage exists, the filters leave it out
                return Answer(question, False, resolved.message)
            if resolved.status == "found":
                top = resolved.passages[0]
                rows = self._sentence_rows(self._row(top.passage.id))
                text = self._sentence_text(rows.start) if len(rows) else top.passage.search_text[:400]
                sentence = AnswerSentence(text, top.citation, self._figures_in(top.passage, text))
                return Answer(question, True, resolved.message, [sentence], resolved.passages[:k])
        candidates, vector = self._candidates(question, filters)
        passages = self._fold_duplicates(candidates, k, filters)
        asked = asked_figure_kinds(question)
        if not passages:
            return Answer(question, False, "Not found in the corpus: no passage matches the question"
                          + (" with these filters." if filters.active else "."), asked_for=asked)
        best_similarity = max(self._sentence_similarity(p, vector) for p in passages[:3])
        # "What does NAO Figure 13 show?": a passage the question names answers it, however little its
        # words (a figure's title) resemble the question's, if the question asks nothing else of it
        # ("How many astronauts does NAO Figure 13 show landing on Mars?" is not found).
        cited = {c.row for c in candidates if c.features["cited"]}
        named = [p for p in passages[:3] if self._row(p.passage.id) in cited]
        if best_similarity < NOT_FOUND_SIMILARITY and not (named and self._asks_only_for(question, named[0].passage)):
            return Answer(question, False, "Not found in the corpus: nothing in these reports answers this "
                          "question. The closest passages are listed below, but they do not answer it.",
                          passages=passages, asked_for=asked)
        # The answer is read from the passage the question names, not from another that says more.
        sentences = self._answer_sentences(question, named or passages[:3], vector, asked, filters)
        return Answer(question, True, "", sentences, passages, asked)

    def _asks_only_for(self, question: str, passage: Passage) -> bool:
        """Whether the question's words, but for the passage's citation and words that ask for any
        passage ("what does ... show"), are mostly in the passage."""
        _, rest = find_documents(question, self.documents)
        for pattern, _ in REFERENCE_PATTERNS:
            rest = pattern.sub(" ", rest)
        asked = frozenset(content_terms(rest)) - _asking_for_a_passage()
        return not asked or overlap(asked, self._passage_terms(self._row(passage.id))) >= 0.5

    def _sentence_similarity(self, sp: ScoredPassage, vector: np.ndarray) -> float:
        row = self._row(sp.passage.id)
        rows = self._sentence_rows(row)
        if not len(rows):
            return float(self._vectors[row].astype(np.float32) @ vector)
        return float(np.max(self._sentence_vectors[rows.start : rows.stop].astype(np.float32) @ vector))

    def _answer_sentences(
        self, question: str, top: list[ScoredPassage], vector: np.ndarray, asked: tuple[str, ...], filters: Filters,
    ) -> list[AnswerSentence]:
        """The best sentence of the top passages; with a second one from the same passage when the
        question asks for a figure and that sentence states one nearly as well."""
        wanted = {k for a in asked for k in COMPATIBLE[a]}
        terms = content_terms(question)
        # "between 2010-11 and 2016-17": a sentence about other years ("between 2009-10 and 2015-16")
        # answers another question. Compared as parsed figures: "2010–11" in the text is "2010-11" typed.
        times = {_time_key(q) for q in extract_quantities(question) if q.kind in ("year", "period")}
        asks_unit = bool(re.search(r"\b(figure|fig\.?|chart|table|graph)\b", question, re.IGNORECASE))
        asks_source = bool(re.search(dict(_KIND_WORDS)[FOOTNOTE], question, re.IGNORECASE))
        # Sentences of the top passages and of the duplicates folded into them (a Key fact often
        # states the figure most directly) that the filters allow; each keeps the citation of the
        # passage it stands in.
        sources = []
        for sp in top:
            sources.append((sp.passage, sp.citation, sp.score))
            duplicates = [self.passage(c.passage_id) for c in sp.also_in]
            sources += [(p, self.citation(p), sp.score - DUPLICATE_SENTENCE_PENALTY) for p in duplicates
                        if filters.allows(p, self.documents[p.doc_id])]
        scored = []
        for passage, citation, passage_score in sources:
            for row in self._sentence_rows(self._row(passage.id)):
                text = self._sentence_text(row)
                figures = self._figures_in(passage, text)
                has_wanted = any(f.kind in wanted for f in figures)
                # A Figure's or Table's flattened caption reads badly as an answer unless asked for.
                unit_penalty = UNIT_SENTENCE_PENALTY if passage.kind in (FIGURE, TABLE) and not asks_unit else 0.0
                # A footnote names a source ("Policy Innovation Research Unit, Early evaluation of the
                # ... Pioneers Programme"): it matches the question's words, but what the source found
                # is in the paragraph that cites it, unless the question asks for the source.
                if passage.kind == FOOTNOTE and not asks_source:
                    unit_penalty += FOOTNOTE_SENTENCE_PENALTY
                # Prefer the best-ranked passage: a sentence elsewhere must be clearly better to win.
                stated = {_time_key(f) for f in figures if f.kind in ("year", "period")}
                other_times = bool(times and stated and not times & stated)
                score = (float(self._sentence_vectors[row].astype(np.float32) @ vector)
                         + W_OVERLAP * overlap(terms, self._sentence_terms(row))
                         + (FIGURE_SENTENCE_BONUS if has_wanted else 0.0)
                         - (TIME_MISMATCH_PENALTY if other_times else 0.0)
                         + PASSAGE_RANK_WEIGHT * (passage_score - top[0].score) - unit_penalty)
                scored.append((score, row, passage, citation, text, figures, has_wanted))
        if not scored:  # passages without sentences: quote the top passage's opening
            sp = top[0]
            text = sp.passage.search_text[:400]
            return [AnswerSentence(text, sp.citation, self._figures_in(sp.passage, text))]
        scored.sort(key=lambda t: -t[0])
        best = scored[0]
        chosen = [best]
        if wanted:
            # A second sentence stating a figure of the kind asked for, when nearly as good: "the
            # minimum was £3.8 billion" and "the total was £5.3 billion" both answer "how much". One
            # whose figures are mostly those of the first (the same breakdown restated) adds nothing.
            stated = {_value_key(f) for f in best[5] if f.kind in wanted}
            for other in scored[1:]:
                if best[0] - other[0] >= SECOND_SENTENCE_MARGIN:
                    break
                its = [_value_key(f) for f in other[5] if f.kind in wanted]
                if other[6] and other[4] != best[4] and sum(k in stated for k in its) * 2 <= len(its):
                    chosen.append(other)
                    break
        chosen += self._list_after_lead_in(chosen)
        chosen.sort(key=lambda t: (t[2].doc_id, t[2].order, t[1]))  # in reading order
        sentences = []
        for _, _, _, citation, text, figures, _ in chosen:
            if wanted:  # the figures the question asks for first
                figures.sort(key=lambda f: f.kind not in wanted)
            sentences.append(AnswerSentence(text, citation, figures))
        return sentences

    def _list_after_lead_in(self, chosen: list[tuple]) -> list[tuple]:
        """What follows a chosen sentence that only leads into a list ("An early evaluation ... found
        that:"): alone, it says nothing. A list ends its paragraph in these reports, and an item may
        run to several sentences, so the rest of the passage is taken, up to LIST_CHARS."""
        taken = {row for _, row, *_ in chosen}
        items = []
        for _, row, passage, citation, text, _, _ in chosen:
            if not text.rstrip().endswith(":"):
                continue
            budget = LIST_CHARS
            for item_row in range(row + 1, self._sentence_rows(self._row(passage.id)).stop):
                item = self._sentence_text(item_row)
                budget -= len(item)
                if budget < 0:
                    break
                if item_row not in taken:
                    taken.add(item_row)
                    items.append((0.0, item_row, passage, citation, item, self._figures_in(passage, item), False))
        return items

    @staticmethod
    def _figures_in(passage: Passage, sentence: str) -> list[FigureMention]:
        """Figures of a sentence, each taken from the passage's own printed text (never composed)."""
        out, used = [], set()
        for q in extract_quantities(sentence):
            printed = " ".join(q.printed.split())
            for i, pq in enumerate(passage.quantities):
                if i not in used and " ".join(pq.printed.split()) == printed:
                    used.add(i)
                    out.append(FigureMention(pq.printed, pq.kind, pq.value, pq.unit, passage.id, pq.start, pq.end))
                    break
        return out

    # --- lookups ---------------------------------------------------------------------------------
    def lookup(self, text: str, filters: Filters | None = None) -> LookupResult:
        """A citation typed by hand, or a pasted quote, resolved to the passage it points to."""
        check_length(text, "lookup")
        query = clean_query(text, "lookup") if len(text) < 400 else text.strip()
        filters = filters or Filters()
        self._allowed_rows(filters)
        printed = self._printed_citation(query)
        if printed is not None:  # a citation exactly as this tool prints it
            return self._within_filters(LookupResult(query, "reference", "found", str(self.citation(printed)),
                                                     [ScoredPassage(printed, self.citation(printed), 1.0)]), filters)
        reference = parse_reference(query, self.documents)
        if reference is not None:
            return self._within_filters(self._resolve(query, reference), filters)
        if len(query.split()) <= MALFORMED_REFERENCE_WORDS and _LOCATOR_WORD.search(query):
            quoted = self._match_quote(text, filters or Filters())
            if quoted.status == VERBATIM:  # "In this chapter we summarise" is a quote, not a citation
                return quoted
            return self._malformed_reference(query)
        return self._match_quote(text, filters or Filters())

    def _within_filters(self, result: LookupResult, filters: Filters) -> LookupResult:
        """A reference's passages that the filters allow; when they allow none, "not found" that says
        which passage the reference names and that the filters leave it out (its passages kept, unshown)."""
        if not filters.active or not result.passages:
            return result
        kept = [sp for sp in result.passages if filters.allows(sp.passage, self.documents[sp.passage.doc_id])]
        if len(kept) == len(result.passages):
            return result
        if not kept:
            named = ", ".join(str(sp.citation) for sp in result.passages[:3])
            return LookupResult(result.query, result.kind, "not found",
                                f"Not found with these filters: {result.query!r} names {named}, which the filters "
                                f"({filters.describe()}) leave out.",
                                candidates=[sp.citation for sp in result.passages])
        status = "found" if len(kept) == 1 or result.status == "found" else result.status
        message = str(kept[0].citation) if status == "found" else result.message
        return LookupResult(result.query, result.kind, status, message, kept, [sp.citation for sp in kept])

    def _printed_citation(self, query: str) -> Passage | None:
        """The passage of a citation exactly as this tool prints it ("NAO 2017, para 2.7, p. 60")."""
        key = _citation_key(query)
        for label, doc_id in self._doc_by_label.items():
            if key.startswith(label + ", "):
                rows = self.passages.rows_with_locator(key[len(label) + 2 :], (doc_id,))
                if rows:
                    return self.passages[rows[0]]
        return None

    def _malformed_reference(self, query: str) -> LookupResult:
        """A short text with "para", "Figure", "footnote"... that reads as no citation: say so, with
        the citations closest to what was typed."""
        from rapidfuzz import fuzz, process

        choices = {row: f"{label}, {locator}" for label, doc_id in self._doc_by_label.items()
                   for row, locator in self.passages.locators((doc_id,))}
        hits = process.extract(query.lower(), choices, scorer=fuzz.WRatio, limit=5)
        nearest = [self.citation(self.passages[row]) for _, _, row in hits]
        return LookupResult(
            query, "reference", "not found",
            f"No such passage: {query!r} is not a citation this tool can read (try 'NAO para 2.7', "
            f"'PAC footnote 20', 'Nuffield Table 5', 'p. 60'); nearest: {', '.join(str(c) for c in nearest)}.",
            candidates=nearest)

    def _resolve(self, query: str, ref: Reference) -> LookupResult:
        if ref.unknown_document:
            labels = "; ".join(f"{d.label} ({', '.join(d.aliases[:2]) or d.id})" for d in self.documents.values())
            return LookupResult(query, "reference", "not found",
                                f"No such document: {ref.unknown_document!r}. Documents: {labels}.")
        docs = ref.doc_ids or tuple(self.documents)
        where = " or ".join(self.documents[d].label for d in docs) if ref.doc_ids else "any document"
        if ref.page is not None:
            rows = self.passages.rows_on_page(ref.page, docs)
            noun = f"p. {ref.page}"
        elif ref.locator == "Key facts":
            rows = self.passages.rows_of_documents(docs, (KEY_FACT,))
            noun = "Key facts"
        elif ref.locator.startswith(KEY_FACTS_PREFIX):
            rows = self._key_fact_rows(ref.locator.removeprefix(KEY_FACTS_PREFIX), docs)
            noun = ref.locator
        else:
            rows = self.passages.rows_with_locator(ref.locator, docs)
            if not rows and ref.locator.startswith("para "):  # "NAO para 13": Summary or Appendix para 13
                rows = self.passages.rows_with_locator_ending(ref.locator, docs)
            noun = ref.locator
        hits = [self.passages[row] for row in rows]
        if not hits:
            nearest = self._nearest(docs, ref)
            hint = f"; nearest: {', '.join(str(c) for c in nearest)}" if nearest else ""
            return LookupResult(query, "reference", "not found", f"No such passage: {noun} in {where}{hint}.",
                                candidates=nearest)
        doc_order = {d: i for i, d in enumerate(self.documents)}
        hits.sort(key=lambda p: (self.documents[p.doc_id].kind != "report", doc_order[p.doc_id], p.order))
        scored = [ScoredPassage(p, self.citation(p), 1.0) for p in hits]
        # A page or the Key facts are one unit even with several passages; else one passage is needed.
        one_unit = len(hits) == 1 or ref.page is not None or ref.locator == "Key facts"
        if one_unit and len({p.doc_id for p in hits}) == 1:
            return LookupResult(query, "reference", "found", f"{scored[0].citation}", scored)
        return LookupResult(query, "reference", "ambiguous",
                            f"{noun} matches {len(hits)} passages; name the document to choose one.",
                            scored, [s.citation for s in scored])

    def _key_fact_rows(self, value: str, docs: tuple[str, ...]) -> list[int]:
        """Key facts entries cited by `value` as printed ("£511m"), else by the same figure written
        another way ("£511 million")."""
        rows = self.passages.rows_with_locator(KEY_FACTS_PREFIX + value, docs)
        if rows:
            return rows
        wanted = {_value_key(q) for q in extract_quantities(value)}
        return [row for row in self.passages.rows_of_documents(docs, (KEY_FACT,))
                if wanted & {_value_key(q) for q in extract_quantities(
                    self.passages[row].locator.removeprefix(KEY_FACTS_PREFIX))}]

    def _nearest(self, docs: tuple[str, ...], ref: Reference, limit: int = 5) -> list[Citation]:
        from rapidfuzz import fuzz, process

        if ref.page is not None:
            pages = sorted(self.passages.pages(docs), key=lambda n: abs(n - ref.page))[:limit]
            return [self.citation(self.passages[self.passages.rows_on_page(n, docs)[0]]) for n in pages]
        choices = dict(self.passages.locators(docs))
        hits = process.extract(ref.locator.lower(), choices, scorer=fuzz.ratio, limit=limit)
        return [self.citation(self.passages[row]) for _, _, row in hits]

    def _match_quote(self, text: str, filters: Filters) -> LookupResult:
        match = self._quotes.match(text, self._allowed_rows(filters))
        if match is None:
            return LookupResult(text, "quote", "not found",
                                "Not found: no passage in the corpus contains this text or anything close to it.")
        p = self.passages[match.row]
        scored = ScoredPassage(p, self.citation(p), match.score / 100)
        if match.verdict == VERBATIM:
            aside = "" if match.score == 100 else ", punctuation aside,"
            message = f"Verbatim: the quote stands word for word{aside} in {scored.citation}."
        else:
            message = (f"Altered: the quote matches {scored.citation} ({match.score:.0f}% similar) with "
                       f"{len(match.differences)} difference(s).")
            figures = changed_figures(match.differences)
            if figures:  # a changed number matters more than a changed word: said first, not counted in
                message = ("Altered, with a figure changed: the quote has "
                           + "; ".join(f"{d.quoted or '(nothing)'} where {scored.citation} has "
                                       f"{d.source or '(nothing)'}" for d in figures)
                           + f". {len(match.differences)} difference(s) in all ({match.score:.0f}% similar).")
        return LookupResult(text, "quote", match.verdict, message, [scored], differences=list(match.differences),
                            matched_text=match.matched)
