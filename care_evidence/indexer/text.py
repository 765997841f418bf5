"""The text primitives every normaliser in the project is made of: one table of typographic
characters to plain ones, and one way to collapse whitespace."""

from __future__ import annotations

import re

# Curly quotes, dashes and no-break spaces as a keyboard types them.
PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
PLAIN_TYPING = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def collapse_space(text: str) -> str:
    """One space between words, none at the ends."""
    return _SPACE.sub(" ", text).strip()
