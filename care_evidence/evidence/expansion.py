"""Expansion learned from the corpus: a question's words the reports never use are searched with the
reports' own words closest to them in meaning, and an acronym the reports define with its name.

The glossary (`glossary.toml`) maps lay phrases by hand; this needs no hand: the vocabulary and the
acronyms are learned at build time (`indexer/vocabulary.py`), so a new report brings its own. Only
words with no passage at all are looked up, so a question in the reports' words is searched as typed.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable

import numpy as np

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.settings import Settings
from care_evidence.indexer.lexical import LexicalIndex
from care_evidence.indexer.vocabulary import CorpusVocabulary, is_term

# A word with its apostrophe: "isn't" is no word "isn", "Scotland's" is "scotland".
_WORD = re.compile(r"[a-z][a-z-]*(?:['’][a-z]+)?")
_MEMORY = 4096  # words whose neighbours are kept
_CAPITALS = re.compile(r"\b[A-Z][A-Z&]{1,7}s?\b")


class CorpusExpansion:
    """Adds to a question's searched text (`QueryAnalysis.expanded`) what the corpus teaches about its
    words. `embed_words` embeds a few words as one batch, like a question (unit vectors)."""

    def __init__(self, vocabulary: CorpusVocabulary, lexical: LexicalIndex, settings: Settings,
                 embed_words: Callable[[list[str]], np.ndarray]):
        self.vocabulary, self.lexical, self.settings, self._embed_words = vocabulary, lexical, settings, embed_words
        self._vectors: np.ndarray | None = None  # float32 copy, made at the first word looked up
        self._lock = threading.Lock()
        self._found: dict[str, tuple[str, ...]] = {}  # word -> its neighbours, for words met before
        self._terms = frozenset(vocabulary.terms)

    def expand(self, analysis: QueryAnalysis) -> QueryAnalysis:
        """The analysis with the corpus's words for the question's added to what is searched; its
        `terms` (passage overlap) and everything else stay the question's own."""
        # The question without the documents it names: "National Audit Office" chooses a document, and
        # its acronym as a searched word would favour footnotes citing the NAO (see analysis.analyse).
        additions = [a for a in self.additions(analysis.without_names) if a.lower() not in analysis.expanded.lower()]
        if not additions:
            return analysis
        return dataclasses.replace(analysis, expanded=f"{analysis.expanded} ({'; '.join(additions)})")

    def additions(self, question: str) -> list[str]:
        """Defined names of the acronyms the question uses and acronyms of the names it spells out, then
        the corpus neighbours of each word the corpus never uses, in the question's order."""
        out = list(self.definitions(question))
        if self.settings.neighbour_terms:
            words = (re.sub(r"['’]s$", "", w) for w in _WORD.findall(question.lower()))
            unused = [w for w in dict.fromkeys(words)
                      if is_term(w) and "'" not in w and "’" not in w and self.unused(w)]
            for near in self.neighbours(unused):
                out += [t for t in near if t not in question.lower()]
        return list(dict.fromkeys(out))

    def definitions(self, question: str) -> list[str]:
        """The names the reports give the acronyms the question uses ("RPBs" -> "regional partnership
        boards"). Not the other way: "BCF" added to "Better Care Fund" outweighs the passages that
        say "the Fund" (two facts fell, nuf-031 5th -> 7th)."""
        defined = self.vocabulary.definitions
        out = []
        for match in _CAPITALS.finditer(question):
            acronym = match.group()
            names = defined.get(acronym) or defined.get(acronym.removesuffix("s"), ())
            out += [n for n in names if n.lower() not in question.lower()]
        return out

    def unused(self, word: str) -> bool:
        """The reports never use the word: no passage holds it, or, hyphenated, its parts are the
        reports' ("grown", "up") but the whole is not among their words ("grown-up")."""
        if "-" in word.strip("-") and word not in self._terms:
            return True
        return self.lexical.never_holds(word)

    def neighbours(self, words: list[str]) -> list[tuple[str, ...]]:
        """For each word, the corpus's words and phrases closest to it in meaning, best first, at least
        `neighbour_similarity` close, at most `neighbour_terms` of them. The words not met before are
        embedded as one batch (one pass of the model, not one a word)."""
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self._found]
            if new and len(self.vocabulary.terms):
                if self._vectors is None:  # float16 products are slow in numpy: converted once, when needed
                    self._vectors = np.asarray(self.vocabulary.vectors, dtype=np.float32).reshape(
                        len(self.vocabulary.terms), -1)
                if len(self._found) > _MEMORY:
                    self._found.clear()
                similarities = np.asarray(self._embed_words(new), dtype=np.float32) @ self._vectors.T
                for word, similarity in zip(new, similarities, strict=True):
                    self._found[word] = self._closest(similarity)
            return [self._found.get(w, ()) for w in words]

    def clear(self) -> None:
        with self._lock:
            self._found.clear()

    def cached(self) -> int:
        return len(self._found)

    def _closest(self, similarity: np.ndarray) -> tuple[str, ...]:
        count = min(self.settings.neighbour_terms, len(similarity))
        best = np.argpartition(-similarity, count - 1)[:count]
        best = best[np.argsort(-similarity[best], kind="stable")]
        return tuple(self.vocabulary.terms[i] for i in best if similarity[i] >= self.settings.neighbour_similarity)
