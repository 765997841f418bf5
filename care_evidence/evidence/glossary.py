"""Expand a question with the reports' own words for what people call things ("bed-blocking")."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[tuple[re.Pattern, str], ...]:
    entries = tomllib.loads(path.read_text(encoding="utf-8"))
    # Longest phrases first, so "bed-blocking" wins over a shorter entry inside it.
    return tuple(
        (re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE), expansion)
        for term, expansion in sorted(entries.items(), key=lambda kv: -len(kv[0]))
    )


def expand(question: str) -> str:
    """The question followed by the report terms for any lay phrase it uses."""
    additions = []
    for pattern, expansion in load_glossary():
        if pattern.search(question) and expansion.lower() not in question.lower():
            additions.append(expansion)
    return question if not additions else f"{question} ({'; '.join(additions)})"


def has_entry_for(word: str) -> bool:
    """Whether a glossary phrase matches within `word` ("STP", "A&E")."""
    return any(pattern.search(word) for pattern, _ in load_glossary())
