"""Expansion learned from the corpus: a question's words the reports never use are searched with the
reports' own words closest to them in meaning, and an acronym the reports define with its name.

The glossary (`glossary.toml`) maps lay phrases by hand; this needs no hand: the vocabulary and the
acronyms are learned at build time (`indexer/vocabulary.py`), so a new report brings its own. Only
words with no passage at all are looked up, so a question in the reports' words is searched as typed.
The additions are embedded with the question, as the glossary's are; the words an answer sentence is
matched on (`QueryAnalysis.terms`) stay the question's own.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from care_evidence.evidence.analysis import QueryAnalysis
from care_evidence.evidence.settings import Settings
from care_evidence.indexer.lexical import LexicalIndex
from care_evidence.indexer.vocabulary import ACRONYM, WORD, CorpusVocabulary, is_term

# A word as the vocabulary reads it, with what follows an apostrophe: "isn't" is no word "isn", and
# "Scotland's" is "scotland".
_QUESTION_WORD = re.compile(rf"(?:{WORD.pattern})(?:['’][^\W\d_]+)?")
_ACRONYM = re.compile(rf"\b{ACRONYM}s?\b")


def _says(text: str, phrase: str) -> bool:
    """The text holds the phrase as whole words: "careful" does not say "care"; "long-running" says "long"."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


class CorpusExpansion:
    """Adds to a question's searched text (`QueryAnalysis.expanded`) what the corpus teaches about its
    words. `embed_words` embeds a few words as one batch, like a question (unit vectors). Shared by the
    threads of the app: the cache is read and written under a lock, the model runs outside it."""

    def __init__(self, vocabulary: CorpusVocabulary, lexical: LexicalIndex, settings: Settings,
                 embed_words: Callable[[list[str]], np.ndarray]):
        self.vocabulary, self.lexical, self.settings, self._embed_words = vocabulary, lexical, settings, embed_words
        self._vectors: np.ndarray | None = None  # float32 copy, made at the first word looked up
        self._lock = threading.Lock()
        self._found: OrderedDict[str, tuple[str, ...]] = OrderedDict()  # word -> neighbours, least recent first

    def expand(self, analysis: QueryAnalysis) -> QueryAnalysis:
        """The analysis with the corpus's words for the question's added to what is searched; its
        `terms` (passage overlap) and everything else stay the question's own."""
        # The question without the documents it names, as analysis.analyse reads it: "National Audit
        # Office" chooses a document, and as searched words would favour footnotes citing the NAO.
        text = analysis.without_names if re.search(r"\w{3,}", analysis.without_names) else analysis.question
        # Acronyms are read in the question as typed (`without_names` is lower case), but not one that
        # named a document and was taken out ("NAO").
        defined = self.definitions(analysis.question, kept=text.lower())
        additions = [a for a in defined + self.neighbour_additions(text) if not _says(analysis.expanded, a)]
        additions = list(dict.fromkeys(additions))
        if not additions:
            return analysis
        return dataclasses.replace(analysis, expanded=f"{analysis.expanded} ({'; '.join(additions)})")

    def additions(self, question: str) -> list[str]:
        """Defined names of the acronyms the question uses, then the corpus neighbours of each word the
        corpus never uses (the first `neighbour_max_words` of them), in the question's order."""
        return list(dict.fromkeys(self.definitions(question) + self.neighbour_additions(question)))

    def neighbour_additions(self, question: str) -> list[str]:
        out: list[str] = []
        if self.settings.neighbour_terms:
            words = (re.sub(r"['’]s$", "", w) for w in _QUESTION_WORD.findall(question.lower()))
            unused = [w for w in dict.fromkeys(words)
                      if is_term(w) and "'" not in w and "’" not in w and self.unused(w)]
            for near in self.neighbours(unused[: self.settings.neighbour_max_words]):
                out += [t for t in near if not _says(question, t)]
        return list(dict.fromkeys(out))

    def definitions(self, question: str, kept: str | None = None) -> list[str]:
        """The names the reports give the acronyms the question uses ("RPBs" -> "regional partnership
        boards"). Not the other way: "BCF" added to "Better Care Fund" outweighs the passages that
        say "the Fund" (two facts fell, nuf-031 5th -> 7th). With `kept`, only acronyms it still holds."""
        defined = self.vocabulary.definitions
        out = []
        for match in _ACRONYM.finditer(question):
            acronym = match.group()
            if kept is not None and not _says(kept, acronym):  # named a document, taken out of `kept`
                continue
            names = defined.get(acronym) or defined.get(acronym.removesuffix("s"), ()) or self.spelt_out(acronym)
            out += [n for n in names if not _says(question, n)]
        return out

    def spelt_out(self, acronym: str) -> tuple[str, ...]:
        """For an acronym the reports neither define nor print ("STF"), the names they print whose
        initials spell it ("Sustainability and Transformation Fund")."""
        letters = acronym.replace("&", "")
        if not self.lexical.never_holds(letters.lower()):
            return ()
        initialisms = self.vocabulary.initialisms
        return initialisms.get(letters, ()) or initialisms.get(letters.removesuffix("s"), ())

    def unused(self, word: str) -> bool:
        """The reports never use the word: no passage holds it, or, hyphenated, its parts are the
        reports' ("grown", "up") but the whole is not one of their words ("grown-up")."""
        if "-" in word:
            return word not in self.vocabulary.hyphenated
        return self.lexical.never_holds(word)

    def neighbours(self, words: list[str]) -> list[tuple[str, ...]]:
        """For each word, the corpus's words and phrases closest to it in meaning, best first, at least
        `neighbour_similarity` close, at most `neighbour_terms` of them. The words not met before are
        embedded as one batch (one pass of the model, not one a word)."""
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self._found]
        found = {}
        if new and len(self.vocabulary.terms):
            similarities = np.asarray(self._embed_words(new), dtype=np.float32) @ self._all_vectors().T
            found = {word: self._closest(similarity) for word, similarity in zip(new, similarities, strict=True)}
        with self._lock:
            for word, near in found.items():
                self._found[word] = near
            out = []
            for word in words:
                if word in self._found:
                    self._found.move_to_end(word)
                out.append(self._found.get(word, ()))
            while len(self._found) > self.settings.neighbour_cache:
                self._found.popitem(last=False)
        return out

    def clear(self) -> None:
        with self._lock:
            self._found.clear()

    def cached(self) -> int:
        return len(self._found)

    def _all_vectors(self) -> np.ndarray:
        with self._lock:  # float16 products are slow in numpy: converted once, when first needed
            if self._vectors is None:
                self._vectors = np.asarray(self.vocabulary.vectors, dtype=np.float32)
            return self._vectors

    def _closest(self, similarity: np.ndarray) -> tuple[str, ...]:
        count = min(self.settings.neighbour_terms, len(similarity))
        best = np.argpartition(-similarity, count - 1)[:count]
        best = best[np.argsort(-similarity[best], kind="stable")]
        return tuple(self.vocabulary.terms[i] for i in best if similarity[i] >= self.settings.neighbour_similarity)
