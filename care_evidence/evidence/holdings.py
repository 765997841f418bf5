"""What the corpus holds of a document, said when a reference asks for what it does not hold:
"NAO 2017 has no Figure 16: its Figures run from 1 to 15", "PAC 2018 in this corpus holds
paragraphs 1 to 13 of chapter 1 only", "HC 950 is not in this corpus; PAC 2018, footnote 14 cites it".
Read from the index's own locators, so a new report brings its own answers."""

from __future__ import annotations

import re

from care_evidence.evidence.view import IndexView

_NUMBER = re.compile(r"[A-Z]?\d+(?:\.\d+)?(?:\([a-z]\))?")
_NOUNS = {"para": "paragraphs", "footnote": "footnotes", "Figure": "Figures", "Table": "Tables", "Box": "Boxes",
          "Summary para": "Summary paragraphs", "Key points, point": "key points"}


def shape(locator: str) -> str:
    """The locator with its number taken out: "para 2.7" -> "para #", "Appendix One para 2" ->
    "Appendix One para #"; two places of the same shape are the same kind of place."""
    return _NUMBER.sub("#", locator).strip()


def _sort_key(number: str) -> tuple:
    """"A2" after "A1", "2.10" after "2.9", "26(a)" after "26"."""
    return tuple((0, int(n), "") if n.isdigit() else (1, 0, n) for n in re.findall(r"\d+|[A-Za-z]+", number))


def held_range(view: IndexView, doc_id: str, locator: str) -> str:
    """"its Figures run from 1 to 15", or "" when the document has no place of that kind, or one."""
    wanted = shape(locator)
    # the table keeps locators in lower case; the passage has them as printed
    locators = [view.passages[row].locator for row, _ in view.passages.locators((doc_id,))]
    numbers = sorted({m.group(0) for loc in locators if shape(loc) == wanted
                      for m in [_NUMBER.search(loc)] if m}, key=_sort_key)
    if len(numbers) < 2:
        return ""
    base = wanted.replace("#", "").strip(" ,")
    noun = _NOUNS.get(base, f"{base} numbers" if base else "numbers")
    return f"its {noun} run from {numbers[0]} to {numbers[-1]}"


def known_pages(view: IndexView, doc_id: str) -> list[int]:
    return list(view.passages.pages((doc_id,)))


def cited_by(view: IndexView, text: str, limit: int = 3) -> list[str]:
    """Citations of the passages that mention `text` as written ("HC 950", "Q 175"), as a reader
    would follow a report's own footnotes to it."""
    needle = re.compile(r"(?<!\w)" + re.escape(text).replace(r"\ ", r"\s*") + r"(?!\d)", re.IGNORECASE)
    rows = [row for row, _ in view.index.lexical.search(text, 50)]
    hits = [row for row in rows if needle.search(view.passages[row].search_text)]
    if text.startswith("Q ") and not hits:  # evidence sessions are cited "Qq 34–35" as well as "Q 34"
        number = int(text.split()[1])
        for row in [row for row, _ in view.index.lexical.search("Qq " + text, 50)]:
            for lo, hi in re.findall(r"\bQq?\s*(\d+)(?:\s*[–-]\s*(\d+))?", view.passages[row].search_text):
                if int(lo) <= number <= int(hi or lo):
                    hits.append(row)
    return [str(view.citation(view.passages[row])) for row in dict.fromkeys(hits)][:limit]


def not_held(view: IndexView, doc_id: str, place: str, nearest: str = "") -> str:
    """Why `place` is not found in the document: what the corpus holds of it."""
    doc = view.documents[doc_id]
    said = [f"No such passage: {place} in {doc.label}" + (f"; nearest: {nearest}" if nearest else "")]
    if doc.coverage:
        said.append(f"{doc.label} in this corpus holds {doc.coverage}")
    if place.startswith("p. "):
        pages = known_pages(view, doc_id)
        said.append(f"pages are known only where the original's page numbers survived in the text "
                    f"({', '.join(map(str, pages)) if pages else 'none'})")
    else:
        span = held_range(view, doc_id, place)
        if span:
            said.append(span)
    return said[0] + "." + "".join(f" {s[0].upper()}{s[1:]}." for s in said[1:])


def paper_not_held(view: IndexView, paper: str) -> str:
    held = ", ".join(f"{d.paper} ({d.label})" for d in view.documents.values() if d.paper)
    cites = cited_by(view, paper)
    return (f"Not in this corpus: {paper} is not one of the reports held here"
            + (f" (held: {held})" if held else "") + "."
            + (f" {'; '.join(cites)} cite{'s' if len(cites) == 1 else ''} it." if cites else ""))


def oral_evidence_not_held(view: IndexView, question: str) -> str:
    cites = cited_by(view, question)
    return (f"Not in this corpus: oral evidence ({question}) is not among the documents held here."
            + (f" {'; '.join(cites)} cite{'s' if len(cites) == 1 else ''} it." if cites else ""))
