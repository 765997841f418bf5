"""Clean what a user typed before it reaches retrieval: markup out, control characters out, limits."""

from __future__ import annotations

import html
import re
import unicodedata

from care_evidence.evidence.errors import QueryError
from care_evidence.evidence.limits import check_length

__all__ = ["QueryError", "clean_query"]


# Only real tags: "<b>", "</p>", "<a href=...>"; "spending <5% and >2%" keeps its text.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,200})?/?>")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MD = re.compile(r"(\*\*|__|`+|^#+\s*|^>\s*|\[([^\]]*)\]\([^)]*\))", re.MULTILINE)


def clean_query(text: str, what: str = "question") -> str:
    """Plain text of a query: HTML and markdown removed, control characters dropped, spaces collapsed.

    Raises QueryError for a query that is empty once cleaned, or longer than the limit for `what`
    (evidence.limits).
    """
    if text is None:
        raise QueryError("the query is empty")
    check_length(text, what)
    original = text
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _MD.sub(lambda m: m.group(2) or " ", text)
    text = "".join(c if unicodedata.category(c)[0] != "C" or c in "\n\t" else " " for c in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QueryError("the query is empty" if not original.strip() else
                         "the query is empty once HTML tags, markup and control characters are removed")
    return text
