"""Parser for saved web pages (digest, web summary): the article kept, the site furniture dropped."""

from __future__ import annotations

import re

from care_evidence.indexer.models import PARAGRAPH, DocumentInfo, Passage
from care_evidence.indexer.parsers.common import Block, iter_blocks, make_passage, normalise_space

# Lines that are site furniture; the first of END_MARKERS ends the article.
SKIP_LINES = ("Skip to main content", "policy digest")
END_MARKERS = ("Latest Tweets", "Latest Blog Post", "Why Register?", "Register Now", "Log In", "Share this")
_BULLET = re.compile(r"^\s*[•●\-*]\s+")


def _is_heading(block: Block) -> bool:
    lines = [line.strip() for line in block.lines]
    return all(len(line) < 90 and not re.search(r"[.;:!?]$", line) for line in lines) and len(lines) <= 3


def parse_webpage(source: str, doc: DocumentInfo) -> list[Passage]:
    """Article paragraphs in order ("para 1" …); a bullet list belongs to the paragraph before it."""
    groups: list[tuple[list[Block], tuple[str, ...]]] = []
    section: tuple[str, ...] = ()
    for block in iter_blocks(source):
        first = block.first
        if first.startswith(END_MARKERS):
            break
        if first.startswith(SKIP_LINES) and len(block.lines) == 1:
            continue
        if _BULLET.match(block.text) and groups:
            groups[-1][0].append(block)
        elif _is_heading(block):
            if groups:  # the page title and dateline come before the article
                section = (normalise_space(block.text),)
        else:
            groups.append(([block], section))
    passages = []
    for number, (blocks, sec) in enumerate(groups, start=1):
        text = "\n".join(b.text for b in blocks)
        search = normalise_space(_BULLET.sub("• ", text).replace("\n", " "))
        search = re.sub(r"\s*[•●]\s+", " • ", search).strip(" •")
        passages.append(
            make_passage(
                doc, source, kind=PARAGRAPH, locator=f"para {number}", section=sec,
                segments=[(b.start, b.end) for b in blocks], search_text=search, order=len(passages),
            )
        )
    return passages
