"""The same fact in several documents shown once: a duplicate group at its best rank, as its primary
passage, with the other members as "also in"."""

from __future__ import annotations

import numpy as np

from care_evidence.evidence.features import Candidate
from care_evidence.evidence.models import Citation, Filters, ScoredPassage
from care_evidence.evidence.view import IndexView
from care_evidence.indexer.models import Passage


def also_in(view: IndexView, passage: Passage) -> list[Citation]:
    """Where else the passage's fact stands (the other members of its duplicate group)."""
    group = view.groups.get(passage.group) if passage.group else None
    return [view.citation(view.passage(m)) for m in group.members if m != passage.id] if group else []


def fold_duplicates(view: IndexView, candidates: list[Candidate], k: int, filters: Filters) -> list[ScoredPassage]:
    """One entry per fact, best first, at most k; as the passage found when the filters leave its
    primary out (a question asked of the NAO's web summary is answered from the web summary)."""
    shown: set[str] = set()
    results: list[ScoredPassage] = []
    for c in candidates:
        p = view.passages[c.row]
        group = view.groups.get(p.group) if p.group else None
        key = group.id if group else p.id
        if key in shown:
            continue
        primary = view.passage(group.primary) if group and group.primary != p.id else None
        if primary is not None and not view.allows(primary, filters):
            primary = None
        if primary is not None:
            entry = ScoredPassage(primary, view.citation(primary), c.score, _closest_sentence_span(view, primary, c))
        else:
            entry = ScoredPassage(p, view.citation(p), c.score, view.span(c.sentence_row))
        if group:
            entry.also_in = [view.citation(view.passage(m)) for m in group.members if m != entry.passage.id]
        shown.add(key)
        results.append(entry)
        if len(results) >= k:
            break
    return results


def _closest_sentence_span(view: IndexView, passage: Passage, c: Candidate) -> tuple[int, int] | None:
    """The primary's sentence closest to the sentence that matched in the secondary passage."""
    if c.sentence_row is None:
        return None
    rows = view.sentence_rows(view.row(passage.id))
    if not len(rows):
        return None
    matched = view.sentence_vectors[c.sentence_row].astype(np.float32)
    sims = view.sentence_vectors[rows.start : rows.stop].astype(np.float32) @ matched
    return view.span(rows.start + int(np.argmax(sims)))
