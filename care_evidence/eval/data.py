"""The evaluation set: known facts and citation lookups, each with verbatim support quotes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Support:
    doc: str
    quote: str


@dataclass(frozen=True)
class Fact:
    id: str
    question: str
    doc: str
    locator: str
    answer: str
    qtype: str  # figure, fact, report_figure
    paraphrased: bool
    supports: tuple[Support, ...]  # the primary place first, then the others that state it

    @property
    def multi_document(self) -> bool:
        return len({s.doc for s in self.supports}) > 1


@dataclass(frozen=True)
class Lookup:
    id: str
    query: str
    lookup: str  # reference or quote
    doc: str
    locator: str
    support: Support


def _rows(pattern: str) -> list[dict]:
    rows = []
    for path in sorted(DATA_DIR.glob(pattern)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


FACTS = "facts_*.jsonl"


def load_facts(pattern: str = FACTS) -> list[Fact]:
    """The known facts (`pattern`, relative to data/: "wild/paraphrases_heldout.jsonl" is the set of
    paraphrases written by helpers that saw neither the engine nor these facts)."""
    facts = []
    for row in _rows(pattern):
        supports = [Support(row["doc"], row["support"])]
        supports += [Support(a["doc"], a["support"]) for a in row.get("also", [])]
        facts.append(Fact(row["id"], row["question"], row["doc"], row["locator"], row["answer"],
                          row["qtype"], bool(row.get("paraphrased", True)), tuple(supports)))
    return facts


def load_lookups() -> list[Lookup]:
    return [Lookup(r["id"], r["query"], r["lookup"], r["doc"], r["locator"], Support(r["doc"], r["support"]))
            for r in _rows("lookups_*.jsonl")]


_MARKUP = re.compile(r"<sup>[^<]*</sup>|</?b>|\*\*|(?<!\w)\*|\*(?!\w)|^#+\s*", re.MULTILINE)


def normalise(text: str) -> str:
    """Light normalisation for grading: markup dropped, whitespace collapsed. Not OCR repair."""
    return re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()


def contains(passage_text: str, quote: str) -> bool:
    return normalise(quote) in normalise(passage_text)
