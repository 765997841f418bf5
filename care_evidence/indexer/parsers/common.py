"""Helpers shared by the document parsers: blocks of lines, passage assembly, text cleaning."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from care_evidence.indexer.models import DocumentInfo, Passage
from care_evidence.indexer.quantities import extract_quantities
from care_evidence.indexer.text import collapse_space


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines; `start`/`end` are offsets in the source text (end excludes the newline)."""

    start: int
    end: int
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def first(self) -> str:
        return self.lines[0].strip()


def iter_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for every line, offsets into `text`."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def iter_blocks(text: str) -> Iterator[Block]:
    """Blocks separated by blank (or whitespace-only) lines, trailing spaces trimmed off the span."""
    start = None
    end = 0
    for line_start, _line_end, line in iter_lines(text):
        if line.strip():
            if start is None:
                start = line_start
            end = line_start + len(line.rstrip())
        elif start is not None:
            yield Block(start, end, text[start:end])
            start = None
    if start is not None:
        yield Block(start, end, text[start:end])


def merge_segments(source: str, segments: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Merge spans separated only by whitespace, so a passage has one segment unless something
    else (a footnote printed mid-paragraph) really interrupts it."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(segments):
        if merged and not source[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def segments_text(source: str, segments: Iterable[tuple[int, int]]) -> str:
    """The printed text of a passage: its segments joined by a blank line."""
    return "\n\n".join(source[a:b] for a, b in segments)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def passage_id(doc_id: str, locator: str) -> str:
    """Stable id from document and locator, so links survive rebuilds."""
    return f"{doc_id}/{slug(locator)}"


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUP = re.compile(r"<sup>([^<]*)</sup>")
_TAGS = re.compile(r"</?(?:b|i|em|strong|br)\s*/?>", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•●*]|\u2022)\s+", re.MULTILINE)


def footnote_refs_in(text: str) -> tuple[int, ...]:
    """Footnote numbers cited as <sup>20</sup> or <sup>57,58</sup>."""
    refs: list[int] = []
    for m in _SUP.finditer(text):
        refs += [int(n) for n in re.findall(r"\d+", m.group(1))]
    return tuple(refs)


def clean_markdown(text: str) -> str:
    """Search text from markdown: no footnote markers, emphasis, links, tags or heading marks."""
    text = _SUP.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAGS.sub("", text)
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = _BULLET.sub("• ", text)
    text = text.replace("\t", " | ")
    return normalise_space(text)


def normalise_space(text: str) -> str:
    """One space between words, one newline between lines kept as a space."""
    return collapse_space(text)


def make_passage(
    doc: DocumentInfo,
    source: str,
    *,
    kind: str,
    locator: str,
    section: Iterable[str],
    segments: Iterable[tuple[int, int]],
    search_text: str,
    order: int,
    page: int | None = None,
    title: str = "",
    footnote_refs: Iterable[int] = (),
    ignore_spans: Iterable[tuple[int, int]] = (),
) -> Passage:
    """Assemble a passage; figures are parsed from its printed text, skipping `ignore_spans`."""
    merged = merge_segments(source, segments)
    text = segments_text(source, merged)
    return Passage(
        id=passage_id(doc.id, locator),
        doc_id=doc.id,
        kind=kind,
        locator=locator,
        section=tuple(s for s in section if s),
        segments=merged,
        text=text,
        search_text=search_text,
        page=page,
        order=order,
        title=title,
        footnote_refs=tuple(footnote_refs),
        quantities=extract_quantities(text, ignore_spans),
    )


def dedupe_ids(passages: list[Passage]) -> list[Passage]:
    """Give repeated locators a numbered suffix so every id stays unique."""
    seen: dict[str, int] = {}
    for p in passages:
        n = seen.get(p.id, 0) + 1
        seen[p.id] = n
        if n > 1:
            p.id = f"{p.id}-{n}"
            p.locator = f"{p.locator} ({n})"
    return passages


# "- a Confirm whether ..." / "- b **Establish ...**": a lettered item of a numbered paragraph.
_LETTERED_ITEM = re.compile(r"^\s*[-•]?\s*\(?([a-z])\)?\s+(?:\*\*)?(?=[A-Z])")


def lettered_items(blocks: list[Block]) -> tuple[list[Block], list[tuple[str, Block]]] | None:
    """Split a numbered paragraph whose list items are lettered a, b, c... in order (the NAO's
    recommendations, Summary para 26 a to g) into its opening words and one Block per item, so each
    item is cited as "para 26(d)". None when the paragraph has no such list: at least three items
    from "a", each letter the next, or it is a list of sentences that happen to begin "a".
    """
    intro: list[Block] = []
    items: list[tuple[str, Block]] = []
    for block in blocks:
        offset = block.start
        for line in block.lines:
            start, end = offset, offset + len(line)
            offset = end + 1
            m = _LETTERED_ITEM.match(line)
            expected = chr(ord("a") + len(items))
            if m and m.group(1) == expected:
                items.append((expected, Block(start, end, line)))
            elif items and line.strip():  # a line that carries on the item before it
                letter, last = items[-1]
                items[-1] = (letter, Block(last.start, end, last.text + "\n" + line))
            elif not items:
                intro.append(Block(start, end, line))
    if len(items) < 3 or not intro:
        return None
    return intro, items
