"""Group passages that state the same fact in several places; the report's passage is the primary.

Three kinds of link, each from a secondary passage to its best primary:
- near-identical text (a web summary repeating a Summary paragraph), by rapidfuzz partial ratio;
- a quotation ("...") lifted from a report paragraph, as a digest does;
- the same distinctive figures (a Key fact and the paragraph that states it; a digest restating).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from care_evidence.indexer.models import FOOTNOTE, KEY_FACT, DocumentInfo, DuplicateGroup, Passage
from care_evidence.indexer.quantities import same_value
from care_evidence.indexer.text import PLAIN_QUOTES, collapse_space

TEXT_CUTOFF = 90.0
QUOTE_CUTOFF = 95.0
MIN_SHARED_FIGURES = 2
_PRIMARY_KINDS = ("paragraph", "summary paragraph", "appendix paragraph")


def _norm(text: str) -> str:
    return collapse_space(re.sub(r"[•*#]", " ", text.translate(PLAIN_QUOTES))).lower()


def _distinctive(p: Passage):
    return [q for q in p.quantities if q.kind in ("money", "percent", "rate", "count") and (q.value or 0) >= 10]


def _shared_figures(a: Passage, b: Passage) -> int:
    return sum(any(same_value(x, y) for y in _distinctive(b)) for x in _distinctive(a))


def find_groups(passages: list[Passage], docs: dict[str, DocumentInfo]) -> list[DuplicateGroup]:
    """Duplicate groups over all passages; also sets `group` on each member."""
    primaries = [p for p in passages if docs[p.doc_id].kind == "report" and p.kind in _PRIMARY_KINDS]
    primary_texts = [_norm(p.search_text) for p in primaries]
    links: dict[str, str] = {}  # secondary id -> primary id
    for p in passages:
        if p.kind == FOOTNOTE:
            continue
        is_secondary = docs[p.doc_id].kind != "report" or p.kind == KEY_FACT
        if not is_secondary:
            continue
        text = _norm(p.search_text)
        # Key facts restate their own report; other secondaries restate another document.
        candidates = [i for i, q in enumerate(primaries) if (q.doc_id == p.doc_id) == (p.kind == KEY_FACT)]
        best = None
        if len(text) >= 60:
            # partial_ratio finds the shorter text inside the longer: the primary must hold the secondary.
            choices = {i: primary_texts[i] for i in candidates if len(primary_texts[i]) >= 0.8 * len(text)}
            hit = process.extractOne(text, choices, scorer=fuzz.partial_ratio, score_cutoff=TEXT_CUTOFF)
            if hit:
                best = hit[2]
        if best is None:
            for quote in re.findall(r"[“\"]([^”\"]{30,})[”\"]", p.search_text):
                choices = {i: primary_texts[i] for i in candidates}
                hit = process.extractOne(_norm(quote), choices, scorer=fuzz.partial_ratio, score_cutoff=QUOTE_CUTOFF)
                if hit:
                    best = hit[2]
                    break
        if best is None:
            need = 1 if p.kind == KEY_FACT else MIN_SHARED_FIGURES
            scored = [(_shared_figures(p, primaries[i]), -primaries[i].order, i) for i in candidates]
            scored = [s for s in scored if s[0] >= need]
            if scored:
                best = max(scored)[2]
        if best is not None:
            links[p.id] = primaries[best].id
    members: dict[str, list[str]] = {}
    for secondary, primary in links.items():
        members.setdefault(primary, [primary]).append(secondary)
    by_id = {p.id: p for p in passages}
    groups = []
    for primary, ids in members.items():
        group = DuplicateGroup(id=f"group:{primary}", primary=primary, members=ids)
        for pid in ids:
            by_id[pid].group = group.id
        groups.append(group)
    return groups
