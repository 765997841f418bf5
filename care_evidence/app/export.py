"""An answer, with its citations and supporting passages, as a Markdown document to download."""

from __future__ import annotations

import re

from care_evidence.app.render import app_url
from care_evidence.evidence.messages import PART_NOT_IN_REPORTS, READ_FROM_CELLS
from care_evidence.evidence.models import Answer, Filters
from care_evidence.evidence.reference_styles import full_reference
from care_evidence.indexer.models import DocumentInfo


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.strip().splitlines())


def _plain(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, links or HTML coming from the text)."""
    # "|" only means something in a table, which this document has none of: left as written.
    return re.sub(r"([\\`*_\[\]<>#~$])", r"\\\1", " ".join(text.split()))


def searched(documents: dict[str, DocumentInfo] | None, filters: Filters | None = None) -> str:
    """What a not-found answer searched, in words: the documents and kinds the filters left in."""
    if not documents:
        return "Searched: the corpus" + (f" ({filters.describe()})" if filters and filters.describe() else "") + "."
    docs = [d.label for d in documents.values() if filters is None or filters.allows_document(d)]
    kinds = filters.kinds if filters else ()
    scope = "the " + " and ".join(kinds) + " passages of " if kinds else "every passage of "
    return "Searched: " + (scope + ", ".join(docs) if docs else "no document (the filters leave none)") + "."


def _cell(text) -> str:
    """Text for a Markdown table's cell: plain, and a "|" would end the cell."""
    return _plain(str(text)).replace("|", "\\|")


def _table_lines(shown) -> list[str]:
    """The table an answer reads, as a Markdown table, the cells asked for in bold."""
    header = shown.header()
    lines = [f"{_cell(shown.citation)}: {_cell(shown.title)} (the cells asked for in bold)", "",
             "| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    for cells, picked in shown.body():
        marked = [f"**{_cell(c)}**" if on and c else _cell(c) for c, on in zip(cells, picked, strict=True)]
        lines.append("| " + " | ".join(marked) + " |")
    return [*lines, ""]


def answer_markdown(answer: Answer, base_url: str = "", documents: dict[str, DocumentInfo] | None = None,
                    filters: Filters | None = None) -> str:
    lines = [f"# {_plain(answer.question)}", ""]
    if answer.found:
        lines += ["## Answer", ""] + [line for said in (answer.caveat, answer.reading) if said
                                      for line in (_plain(said), "")]
        for s, cited in zip(answer.sentences, answer.citation_shown_after(), strict=True):
            said = f"{READ_FROM_CELLS} {_plain(s.text)}" if s.from_cells else _quote(_plain(s.text))
            lines += ([f"**{_plain(s.part)}:**", ""] if s.part else []) + [said, ""]
            lines += [f"— {s.citation}", ""] if cited else []
        lines += [line for label, said in answer.part_rows() if not said
                  for line in (f"**{_plain(label)}:**", "", _plain(PART_NOT_IN_REPORTS), "")]
        if answer.series:
            lines += ["By year, as the reports state it:", "", "| Year | Value | Citation |", "|---|---|---|"]
            lines += [f"| {_cell(p.period)} | {_cell(p.printed)} | {_cell(p.citation)} |" for p in answer.series] + [""]
        if answer.table is not None:
            lines += _table_lines(answer.table)
        figures = {" ".join(f.printed.split()): f.kind for f in answer.figures}  # each figure once
        if figures:
            lines += ["Figures: " + "; ".join(f"{printed} ({kind})" for printed, kind in figures.items()), ""]
        cited = dict.fromkeys(str(s.citation) for s in answer.sentences)
        lines += ["Cite as: " + "; ".join(cited), ""]
        also = answer.also_in()
        if also:
            lines += ["Also stated in: " + "; ".join(str(c) for c in also), ""]
    else:
        lines += [_plain(answer.message), ""]
    if answer.passages:
        lines += ["## Supporting passages" if answer.found else "## Closest passages", ""]
        for rank, sp in enumerate(answer.passages, start=1):
            url = app_url(base_url, passage=sp.passage.id)
            lines += [f"{rank}. **{sp.citation}** ({sp.passage.kind}) — [open]({url})", ""]
            if sp.sentence_text:
                lines += [_quote(_plain(sp.sentence_text)), ""]
            if sp.also_in:
                lines += ["   Also in: " + "; ".join(str(c) for c in sp.also_in), ""]
    if not answer.found:
        lines += [searched(documents, filters), ""]
    shown = [sp.citation for sp in answer.passages] + [s.citation for s in answer.sentences]
    if documents and shown:
        cited = dict.fromkeys(c.doc_id for c in shown)
        lines += ["## References", ""] + [f"- {_plain(full_reference(documents[d]).harvard)}" for d in cited] + [""]
    lines += [f"Link to this question: {app_url(base_url, q=answer.question)}", ""]
    return "\n".join(lines)
