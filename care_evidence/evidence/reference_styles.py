"""A passage's full reference in the styles people paste: plain, Harvard, BibTeX and RIS, built from
the document's metadata (title, publisher, date, paper number, web address) and the citation's place.
Nothing is invented: a field the metadata lacks is left out, not guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from care_evidence.evidence.models import Citation
from care_evidence.indexer.models import DocumentInfo

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class FullReference:
    plain: str
    harvard: str
    bibtex: str
    ris: str


def _publisher(doc: DocumentInfo) -> str:
    """"National Audit Office (Comptroller and Auditor General)" is cited as "National Audit Office"."""
    return re.sub(r"\s*\(.*?\)", "", doc.publisher).strip() or doc.label


def _date_words(date: str) -> str:
    parts = [int(p) for p in date.split("-") if p.isdigit()]
    if len(parts) == 3:
        return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else ""


def _place(citation: Citation) -> str:
    """The place in the document, as the citation prints it without the document's label."""
    return str(citation).removeprefix(f"{citation.label}, ")


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}\\%&$#_^~])", r"\\\1", text)


def full_reference(doc: DocumentInfo, citation: Citation | None = None) -> FullReference:
    publisher, year = _publisher(doc), doc.date[:4]
    place = _place(citation) if citation else ""
    when = _date_words(doc.date)
    plain = ", ".join(x for x in (publisher, doc.title, doc.paper, when, place) if x) + "."
    harvard = f"{publisher} ({year or 'n.d.'}) {doc.title}."
    harvard += f" {doc.paper}." if doc.paper else ""
    harvard += f" Available at: {doc.url}." if doc.url else ""
    harvard += f" {place}." if place else ""
    fields = {"title": doc.title, "author": "{" + publisher + "}", "institution": publisher, "year": year,
              "number": doc.paper, "url": doc.url, "note": place}
    body = ",\n".join(f"  {k} = {{{_bibtex_escape(v) if k != 'author' else v}}}" for k, v in fields.items() if v)
    bibtex = f"@techreport{{{doc.id},\n{body}\n}}"
    ris_lines = [("TY", "RPRT"), ("TI", doc.title), ("AU", publisher), ("PB", publisher), ("PY", year),
                 ("DA", doc.date.replace("-", "/")), ("M1", doc.paper), ("UR", doc.url), ("N1", place)]
    ris = "\n".join(f"{tag}  - {value}" for tag, value in ris_lines if value) + "\nER  - "
    return FullReference(plain, harvard, bibtex, ris)
