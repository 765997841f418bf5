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

# A word: letters of any alphabet ("Môn", "café"), joined by inner hyphens ("joined-up"; "COVID-19" is
# "covid"). Shared with the question side (evidence/expansion.py), so both read words alike.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|-(?=[^\W\d_]))*")
# An acronym as written: "STP", "STPs", "A&E", "C&AG".
ACRONYM = r"[A-Z][A-Z&]{1,7}"
# "Sustainability and Transformation Plans (STPs)", "the Care Quality Commission (CQC)": a name and the
# capitals it is shortened to, defined where first used.
_DEFINED = re.compile(rf"([A-Za-z][A-Za-z’' &-]{{3,90}}?)\s\(({ACRONYM})(s?)\)")
# Distinct words and phrases counted at once while learning; beyond it, those met once so far are
# dropped (lossy counting: a term in two passages or more can then be missed, never one invented).
_COUNTING_LIMIT = 2_000_000
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
        words = WORD.findall(text.lower())
        terms = {w for w in words if is_term(w)}
        terms |= {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if is_term(a) and is_term(b)}
        spread.update(terms)
        if len(spread) > _COUNTING_LIMIT:
            spread = Counter({t: n for t, n in spread.items() if n > 1})
    ranked = sorted((t for t, n in spread.items() if n >= min_texts), key=lambda t: (-spread[t], t))
    return ranked[:limit]


def hyphenated_words(texts: Iterable[str]) -> frozenset[str]:
    """Every hyphenated word the texts use, however rarely: "patient-centred" in one passage is the
    reports' word, though its parts alone are what the lexical index holds."""
    return frozenset(w for text in texts for w in WORD.findall(text.lower()) if "-" in w)


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


# A name in title case: capitalised words, with minor words between them ("Sustainability and
# Transformation Fund", "Integration Joint Boards").
_TITLE_CASE_NAME = re.compile(r"[A-Z][\w’'-]+(?:\s+(?:(?:and|of|for|the|on|&)\s+)*[A-Z][\w’'-]+)+")
MIN_INITIALS = 3  # "NI" or "PC" spelt out from any two capitalised words would be a guess
_NAMES_PER_INITIALS = 3


def mine_initialisms(texts: Iterable[str]) -> dict[str, list[str]]:
    """The names the texts print in title case, by their initials ("STF": "Sustainability and
    Transformation Fund"), the most widespread first: what a reader's acronym most likely abbreviates,
    when the reports never print the acronym itself. Lossy counting bounds memory, as for terms."""
    spread: Counter[str] = Counter()
    for text in texts:
        spread.update({name for m in _TITLE_CASE_NAME.finditer(text) if (name := _as_name(text, m))})
        if len(spread) > _COUNTING_LIMIT:
            spread = Counter({t: n for t, n in spread.items() if n > 1})
    by_initials: dict[str, list[str]] = {}
    for name in sorted(spread, key=lambda n: (-spread[n], n)):
        initials = "".join(w[0] for w in name.split() if w.lower() not in _MINOR)
        if len(initials) >= MIN_INITIALS and len(by_initials.setdefault(initials, [])) < _NAMES_PER_INITIALS:
            by_initials[initials].append(name)
    return dict(sorted(by_initials.items()))


def _as_name(text: str, match: re.Match) -> str:
    """A run of capitalised words as a name: at a sentence's start its first word is capitalised as any
    sentence's is ("Since the Health Act", "As England and Wales"), so it is left out, with the minor
    words after it; what is left is a name if two words or more remain."""
    words = match.group(0).split()
    before = text[: match.start()].rstrip()
    if not before or before[-1] in ".!?:;•\n" or before.endswith(("\u2022", "-")):
        words = words[1:]
    while words and words[0].lower() in _MINOR:
        words = words[1:]
    return " ".join(words) if len(words) >= 2 else ""


@dataclass
class CorpusVocabulary:
    """The index's words and phrases (`terms`, most widespread first), their unit vectors, the
    acronyms its reports define, and every hyphenated word they use."""

    terms: tuple[str, ...] = ()
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float16))
    definitions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hyphenated: frozenset[str] = frozenset()
    initialisms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "STF": names spelling it

    @classmethod
    def learn(cls, texts: list[str], embed: Callable[[list[str]], np.ndarray], limit: int) -> CorpusVocabulary:
        terms = corpus_terms(texts, limit)
        definitions = {a: tuple(n) for a, n in mine_definitions(texts).items()}
        initialisms = {i: tuple(n) for i, n in mine_initialisms(texts).items()}
        return cls(tuple(terms), np.asarray(embed(terms), dtype=np.float16), definitions, hyphenated_words(texts),
                   initialisms)

    def save(self, folder: Path) -> None:
        data = {"terms": list(self.terms), "definitions": {a: list(n) for a, n in self.definitions.items()},
                "hyphenated": sorted(self.hyphenated),
                "initialisms": {i: list(n) for i, n in self.initialisms.items()}}
        (folder / TERMS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        np.save(folder / VECTORS_FILE, self.vectors.astype(np.float16))

    @classmethod
    def load(cls, folder: Path, dimension: int) -> CorpusVocabulary:
        """The vocabulary of an index build whose vectors have `dimension` columns; ValueError says
        what is wrong with a damaged one (the index loader reports it as damage)."""
        data = json.loads((folder / TERMS_FILE).read_text(encoding="utf-8"))
        terms, definitions, hyphenated = data.get("terms"), data.get("definitions"), data.get("hyphenated")
        initialisms = data.get("initialisms")
        if not (_strings(terms) and _strings(hyphenated) and _table_of_names(definitions)
                and _table_of_names(initialisms)):
            raise ValueError(f"{TERMS_FILE} must hold lists of words (terms, hyphenated) and tables of "
                             "acronyms to lists of names (definitions, initialisms)")
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
        if terms and (vectors.ndim != 2 or vectors.dtype.kind != "f" or vectors.shape != (len(terms), dimension)):
            raise ValueError(f"{VECTORS_FILE} holds {vectors.dtype} vectors of shape {vectors.shape}, not "
                             f"{len(terms)} of {dimension} numbers, one for each vocabulary term")
        return cls(tuple(terms), vectors, {a: tuple(n) for a, n in definitions.items()}, frozenset(hyphenated),
                   {i: tuple(n) for i, n in initialisms.items()})


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _table_of_names(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and _strings(n) for k, n in value.items())
