"""The corpus's own vocabulary, learned at build time and kept with the index: its words and two-word
phrases with their embeddings, and the acronyms its reports define.

A question in a user's words ("grown-up care", "rehab", "a poll of trust bosses") uses words the
reports never print. The engine looks such a word up among the reports' own words by meaning
(`evidence/expansion.py`), so the nearest of them ("adult", "rehabilitation", "survey") are searched
too. Nothing here is written by hand for the eval set: a new report brings its own words and acronyms.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from care_evidence.indexer.lexical import STOPWORDS

TERMS_FILE = "vocabulary.json"
VECTORS_FILE = "vocabulary_vectors.npy"

_WORD = re.compile(r"[a-z][a-z-]+")
# "Sustainability and Transformation Plans (STPs)", "the Care Quality Commission (CQC)": a name and the
# capitals it is shortened to, defined where first used.
_DEFINED = re.compile(r"([A-Za-z][A-Za-z’' &-]{3,90}?)\s\(([A-Z][A-Z&]{1,7})(s?)\)")
_MINOR = frozenset({"and", "of", "the", "for", "in", "on", "to", "&"})


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # bm25s's longer English list (179 words: "been", "just", "them"): a phrase or a question word
    # made of them says nothing to look up.
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return STOPWORDS | frozenset(STOPWORDS_EN_PLUS)


def is_term(word: str) -> bool:
    """A word that says something: three letters or more, not a stop word."""
    return len(word) > 2 and word not in _stop_words()


def corpus_terms(texts: Iterable[str], limit: int, min_texts: int = 2) -> list[str]:
    """Words and two-word phrases used in at least `min_texts` texts (a word in one text only is as
    likely a misprint as vocabulary), the `limit` most widespread, in that order."""
    spread: Counter[str] = Counter()
    for text in texts:
        words = _WORD.findall(text.lower())
        terms = {w for w in words if is_term(w)}
        terms |= {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if is_term(a) and is_term(b)}
        spread.update(terms)
    ranked = sorted((t for t, n in spread.items() if n >= min_texts), key=lambda t: (-spread[t], t))
    return ranked[:limit]


def mine_definitions(texts: Iterable[str]) -> dict[str, list[str]]:
    """Each acronym a text defines ("... Plans (STPs)") with the names it stands for: the shortest run
    of words before the brackets whose initials, minor words aside, spell it."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            acronym = match.group(2)
            letters = acronym.replace("&", "").upper()
            words = re.findall(r"[A-Za-z][\w’'-]*|&", match.group(1))
            for start in range(len(words) - 1, -1, -1):
                tail = words[start:]
                initials = "".join(w[0] for w in tail if w.lower() not in _MINOR).upper()
                if initials == letters:
                    found.setdefault(acronym, set()).add(" ".join(tail))
                    break
                if len(initials) > len(letters):
                    break
    return {acronym: sorted(names) for acronym, names in sorted(found.items())}


@dataclass
class CorpusVocabulary:
    """The index's words and phrases (`terms`, most widespread first), their unit vectors, and the
    acronyms its reports define."""

    terms: tuple[str, ...] = ()
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float16))
    definitions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def learn(cls, texts: list[str], embed: Callable[[list[str]], np.ndarray], limit: int) -> CorpusVocabulary:
        terms = corpus_terms(texts, limit)
        definitions = {a: tuple(n) for a, n in mine_definitions(texts).items()}
        return cls(tuple(terms), np.asarray(embed(terms), dtype=np.float16), definitions)

    def save(self, folder: Path) -> None:
        data = {"terms": list(self.terms), "definitions": {a: list(n) for a, n in self.definitions.items()}}
        (folder / TERMS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        np.save(folder / VECTORS_FILE, self.vectors.astype(np.float16))

    @classmethod
    def load(cls, folder: Path) -> CorpusVocabulary:
        data = json.loads((folder / TERMS_FILE).read_text(encoding="utf-8"))
        terms = tuple(str(t) for t in data["terms"])
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
        if vectors.shape[0] != len(terms):
            raise ValueError(f"{len(terms)} vocabulary terms but {vectors.shape[0]} vectors")
        definitions = {str(a): tuple(str(n) for n in names) for a, names in data["definitions"].items()}
        return cls(terms, vectors, definitions)
