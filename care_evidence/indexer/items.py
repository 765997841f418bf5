"""A lettered item of a numbered paragraph as a citable passage of its own: "Summary para 26(d)",
the NAO's fourth recommendation. Cut from its paragraph when asked for, so the index (and every
ranking) keeps the paragraph whole, while the citation, text and span are the item's alone."""

from __future__ import annotations

import dataclasses
import re

from care_evidence.indexer.models import PARAGRAPH, SUMMARY_PARAGRAPH, Passage
from care_evidence.indexer.parsers.common import Block, clean_markdown, iter_blocks, lettered_items
from care_evidence.indexer.quantities import extract_quantities


def lettered_item(passage: Passage, letter: str) -> Passage | None:
    """The item `letter` of the passage's lettered list, or None when it has no such list or item."""
    split = lettered_items(_blocks(passage))
    if split is None:
        return None
    block = dict(split[1]).get(letter)
    if block is None:
        return None
    search = re.sub(r"^[-•]?\s*\(?[a-z]\)?\s+", "", clean_markdown(block.text))
    return dataclasses.replace(passage, locator=f"{passage.locator}({letter})", segments=((block.start, block.end),),
                               text=block.text, search_text=search, quantities=extract_quantities(search),
                               footnote_refs=())


def _blocks(passage: Passage) -> list[Block]:
    """The passage's blocks with their offsets in the document's source: its text is its segments'
    source text joined by a blank line."""
    blocks, pos = [], 0
    for start, end in passage.segments:
        piece = passage.text[pos : pos + end - start]
        blocks += [Block(start + b.start, start + b.end, b.text) for b in iter_blocks(piece)]
        pos += end - start + 2
    return blocks


def item_holding(passage: Passage, sentence: str) -> Passage:
    """The lettered item of the passage that holds the sentence ("Summary para 26(d)"), else the
    passage: a sentence from one recommendation is cited as that recommendation."""
    if passage.kind not in (PARAGRAPH, SUMMARY_PARAGRAPH) or "\n- b " not in passage.text:
        return passage
    core = item_sentence_core(sentence)
    for letter in "abcdefghij":
        item = lettered_item(passage, letter)
        if item is None:
            break
        if core and core in item.search_text:
            return item
    return passage


def item_sentence_core(sentence: str) -> str:
    """The start of a sentence without an item's bullet and letter ("• g Complete ..."), to find it
    in the item's text."""
    return re.sub(r"^[•-]?\s*[a-z]\s+(?=[A-Z*])", "", sentence.strip())[:60]
