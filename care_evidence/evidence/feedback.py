"""Pseudo-relevance feedback on the lexical side: the words the best-matching passages share, added
to the question's, so a question in a user's words also finds the passages in the reports' words
(RM3 in spirit: term weights from the top passages, interpolated with the question's own)."""

from __future__ import annotations

import math
import re
from collections import Counter

from care_evidence.evidence.settings import Settings
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.lexical import content_terms

_WORD = re.compile(r"[a-z][a-z-]{2,}")


def feedback_terms(view: IndexView, rows: list[int], question_terms: frozenset[str], settings: Settings) -> list[str]:
    """Up to `feedback_terms` words of the top `feedback_passages` passages, best first: frequent in
    them, rare in the corpus, and not the question's own. Returned as written (one surface form per
    stem), so that the lexical index stems them as it stems the question."""
    lexical = view.index.lexical
    weights: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for row in rows[: settings.feedback_passages]:
        words = _WORD.findall(view.passages[row].retrieval_text.lower())
        stems = [next(iter(content_terms(w)), "") for w in words]
        counts = Counter(s for s in stems if s and s not in question_terms)
        total = sum(counts.values()) or 1
        for stem, count in counts.items():
            weights[stem] += count / total
        for word, stem in zip(words, stems, strict=True):
            surface.setdefault(stem, word)
    scored = []
    for stem, weight in weights.items():
        df = lexical.document_frequency(stem)
        if 0 < df <= settings.feedback_max_share * lexical.size:
            scored.append((weight * math.log(lexical.size / df), stem))
    scored.sort(reverse=True)
    return [surface[stem] for _, stem in scored[: settings.feedback_terms]]
