"""What every part of the engine reads from a loaded index: passages, sentences, vectors, citations.

One object per engine, made once: plain-array views of the memory-mapped files (indexing an
np.memmap goes through Python-level __getitem__, a few hundred times per question), the sentence
rows of each passage, and the content words of passages and sentences, stemmed the first time
they are candidates and kept.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

import numpy as np

from care_evidence.evidence.errors import QueryError
from care_evidence.evidence.models import Citation, Filters, names_document
from care_evidence.evidence.settings import Settings
from care_evidence.indexer.lexical import content_terms
from care_evidence.indexer.models import PARAGRAPH, SUMMARY_PARAGRAPH, Passage
from care_evidence.indexer.store import LoadedIndex
from care_evidence.indexer.text import collapse_space


def citation_key(text: str) -> str:
    """A printed citation reduced for exact matching: case, spacing and a trailing page ignored."""
    text = re.sub(r",?\s*p\.\s*\d+\s*$", "", text.strip())
    return collapse_space(text.replace("’", "'")).lower()


class IndexView:
    def __init__(self, index: LoadedIndex, settings: Settings):
        self.index = index
        self.passages = index.passages
        self.documents = index.documents
        self.groups = index.groups
        self.sentences = np.asarray(index.sentences)
        self.vectors = np.asarray(index.vectors)
        self.sentence_vectors = np.asarray(index.sentence_vectors)
        # Sentences are stored passage by passage: passage row r owns rows starts[r]:starts[r + 1].
        self.sentence_starts = np.searchsorted(self.sentences[:, 0], np.arange(len(self.passages) + 1))
        self.doc_by_label = {citation_key(d.label): d.id for d in self.documents.values()}
        self.passage_terms = lru_cache(maxsize=settings.terms_cache)(
            lambda row: content_terms(self.passages[row].retrieval_text))
        self.sentence_terms = lru_cache(maxsize=settings.terms_cache)(
            lambda srow: content_terms(self.sentence_text(srow)))
        self._document_terms: dict[str, frozenset[str]] = {}  # by document id, read when first asked

    def document_terms(self, doc_id: str) -> frozenset[str]:
        """Every content word (stemmed) any passage of the document uses; read once per document."""
        if doc_id not in self._document_terms:
            rows = self.passages.rows_of_documents([doc_id])
            self._document_terms[doc_id] = frozenset().union(*(self.passage_terms(r) for r in rows))
        return self._document_terms[doc_id]

    def clear_caches(self) -> None:
        self.passages.clear_cache()
        self._document_terms.clear()
        self.passage_terms.cache_clear()
        self.sentence_terms.cache_clear()

    def cache_sizes(self) -> dict[str, int]:
        return {"passages": self.passages.cached(), "passage words": self.passage_terms.cache_info().currsize,
                "sentence words": self.sentence_terms.cache_info().currsize}

    def citation(self, passage: Passage) -> Citation:
        doc = self.documents[passage.doc_id]
        return Citation(passage.id, doc.id, doc.label, passage.locator, passage.page, doc.ocr, passage.page_end)

    def passage(self, passage_id: str) -> Passage:
        return self.passages[self.row(passage_id)]

    def row(self, passage_id: str) -> int:
        row = self.passages.row_of(passage_id)
        if row is None:
            raise KeyError(f"no passage {passage_id!r} in this index")
        return row

    def sentence_rows(self, row: int) -> range:
        return range(int(self.sentence_starts[row]), int(self.sentence_starts[row + 1]))

    def sentence_text(self, sentence_row: int) -> str:
        passage_row, start, end = self.sentences[sentence_row]
        return self.passages[int(passage_row)].search_text[int(start) : int(end)]

    def span(self, sentence_row: int | None) -> tuple[int, int] | None:
        if sentence_row is None:
            return None
        _, start, end = self.sentences[sentence_row]
        return int(start), int(end)

    @cached_property
    def lettered_passages(self) -> tuple[Passage, ...]:
        """Paragraphs holding a lettered list ("a ... b ..."): the NAO's recommendations."""
        return tuple(p for p in self.passages if p.kind in (PARAGRAPH, SUMMARY_PARAGRAPH) and "\n- b " in p.text)

    @cached_property
    def document_names(self) -> frozenset[str]:
        """Every name of a document or its publisher, lower case: who said it, not what was said."""
        names = set()
        for doc in self.documents.values():
            names.update(n.lower() for n in (doc.label, *doc.aliases, *re.split(r"[()]", doc.publisher)) if n.strip())
        return frozenset(n.strip() for n in names)

    def document_id(self, name: str) -> str:
        """The id of the document `name` names (id, label or alias); a QueryError naming the documents if none."""
        for doc in self.documents.values():
            if names_document(name, doc):
                return doc.id
        known = ", ".join(f"{doc.label} ({doc.id})" for doc in list(self.documents.values())[:20])
        raise QueryError(f"no document {name!r} in this corpus; its documents include: {known}")

    def allows(self, passage: Passage, filters: Filters) -> bool:
        return filters.allows(passage, self.documents[passage.doc_id])

    def allowed_rows(self, filters: Filters) -> np.ndarray | None:
        """Passage rows the filters allow (None: no filter); an unknown document is a QueryError, since
        "not found" would make the user conclude the report says nothing on it."""
        if not filters.active:
            return None
        unknown = [name for name in filters.documents
                   if not any(names_document(name, doc) for doc in self.documents.values())]
        if unknown:
            known = ", ".join(f"{doc.label} ({doc.id})" for doc in list(self.documents.values())[:20])
            raise QueryError(f"no document {unknown[0]!r} in this corpus to filter by; its documents include: {known}")
        docs = [d.id for d in self.documents.values() if filters.allows_document(d)]
        return np.asarray(self.passages.rows_of_documents(docs, filters.kinds) if docs else [], dtype=np.int64)

    def sentence_rows_of(self, allowed: np.ndarray | None) -> np.ndarray | None:
        """The sentence rows of the allowed passage rows (None: no filter)."""
        if allowed is None:
            return None
        spans = [self.sentence_rows(int(row)) for row in allowed]
        return np.concatenate([np.arange(r.start, r.stop) for r in spans] + [np.zeros(0, int)])

    def sentence_similarity(self, sentence_row: int, vector: np.ndarray) -> float:
        """Cosine of one sentence to `vector`."""
        return float(self.sentence_vectors[sentence_row].astype(np.float32) @ vector)

    def best_sentence_similarity(self, row: int, vector: np.ndarray) -> float:
        """Cosine of the passage's sentence closest to `vector` (the passage's own, without sentences)."""
        rows = self.sentence_rows(row)
        if not len(rows):
            return float(self.vectors[row].astype(np.float32) @ vector)
        return float(np.max(self.sentence_vectors[rows.start : rows.stop].astype(np.float32) @ vector))
