"""How much text each way in may carry, checked before any work is done (one table for every path).

A limit protects the other users of a shared app as much as the machine: a 2 MB paste once made
another user's answer take 15.9 s instead of 1.3 s.
"""

from __future__ import annotations

from care_evidence.evidence.errors import QueryError

# Characters, by where the text comes in.
INPUT_LIMITS: dict[str, int] = {
    "question": 5_000,  # ask, and each line of `ask --batch`
    "lookup": 10_000,  # a reference or a pasted quote of a few paragraphs, and each line of `lookup --batch`
    "check": 50_000,  # a pasted briefing, article or essay to check claim by claim
    "url value": 5_000,  # each value in the app's address (?q=, ?lookup=, ?passage=, ...)
}
MAX_PASSAGES_SHOWN = 50  # -k / the app's "passages" slider


def check_length(text: str, what: str) -> str:
    """`text` unchanged, or QueryError saying how long it is and what the limit for `what` is."""
    limit = INPUT_LIMITS[what]
    if text is not None and len(text) > limit:
        raise QueryError(f"the {what} is {len(text):,} characters long; the limit is {limit:,}")
    return text


def check_count(k: int) -> int:
    """A number of passages to show: 1 to MAX_PASSAGES_SHOWN."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_PASSAGES_SHOWN:
        raise QueryError(f"the number of passages must be a whole number from 1 to {MAX_PASSAGES_SHOWN}, not {k!r}")
    return k
