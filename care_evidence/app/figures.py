"""Every figure (quantity) in the corpus as one table: value, unit, kind, period, sentence, citation."""

from __future__ import annotations

import pandas as pd

from care_evidence.evidence.engine import Engine

# "ocr": the figure was read by OCR (the Nuffield report's Table 2 prints "41%" for 4.1%).
COLUMNS = ["figure", "value", "unit", "kind", "period", "citation", "ocr", "sentence", "document", "passage"]


def _excerpt(printed: str, sentences: list[str], fallback: str, skip: int) -> str:
    """The sentence stating the figure (its `skip`-th occurrence), else the start of the passage."""
    wanted = " ".join(printed.split())
    hits = [s for s in sentences if wanted in " ".join(s.split())]
    if hits:
        return " ".join(hits[min(skip, len(hits) - 1)].split())
    text = " ".join(fallback.split())
    return text if len(text) <= 300 else text[:297] + "…"


def figures_table(engine: Engine) -> pd.DataFrame:
    """One row per figure, in document order; `text` (hidden) is the lower-cased passage for filtering."""
    rows = []
    for p in engine.passages:
        seen: dict[str, int] = {}
        citation = str(engine.citation(p))
        ocr = engine.documents[p.doc_id].ocr
        sentences = engine.sentences(p) if p.quantities else []
        for q in p.quantities:
            key = " ".join(q.printed.split())
            rows.append({
                "figure": key, "unit": q.unit, "kind": q.kind,
                # A year is a date, not an amount: it goes under period, so that sorting by value sorts amounts.
                "value": None if q.kind == "year" else q.value, "period": q.period or (key if q.kind == "year" else ""),
                "citation": citation, "ocr": ocr, "sentence": _excerpt(q.printed, sentences, p.search_text,
                                                           seen.get(key, 0)),
                "document": engine.documents[p.doc_id].label, "doc_id": p.doc_id, "passage": p.id,
                "text": " ".join(p.search_text.lower().split()),
            })
            seen[key] = seen.get(key, 0) + 1
    return pd.DataFrame(rows, columns=COLUMNS + ["doc_id", "text"])


def filter_figures(table: pd.DataFrame, text: str = "", doc_ids: tuple[str, ...] = (),
                   kinds: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows whose own sentence, citation or figure mentions `text` (case-insensitive), in the documents and
    kinds given: "delayed transfers" finds the figures stated about them, not every figure of a passage
    that mentions them once."""
    mask = pd.Series(True, index=table.index)
    needle = " ".join(text.lower().split())
    if needle:
        mask &= (table["sentence"].str.lower().str.contains(needle, regex=False)
                 | table["citation"].str.lower().str.contains(needle, regex=False)
                 | table["figure"].str.lower().str.contains(needle, regex=False))
    if doc_ids:
        mask &= table["doc_id"].isin(doc_ids)
    if kinds:
        mask &= table["kind"].isin(kinds)
    return table[mask]


SORTS = {
    "Document order": None,
    "Value, largest first": ("value", False),
    "Value, smallest first": ("value", True),
    "Kind, then value": (["kind", "value"], [True, False]),
    "Citation": ("citation", True),
}


def sort_figures(table: pd.DataFrame, how: str) -> pd.DataFrame:
    spec = SORTS.get(how)
    if spec is None:
        return table
    by, ascending = spec
    return table.sort_values(by=by, ascending=ascending, na_position="last", kind="stable")
