"""Parse the figures a passage states (money, shares, counts, rates, periods, years).

Pure functions over text. Offsets are into the text given, so a figure shown in an answer can be
cut verbatim from the passage it cites.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from care_evidence.indexer.models import Quantity

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {"billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6, "k": 1e3, "thousand": 1e3}

# Alternatives in priority order: the first that matches at a position wins.
_QUANTITY = re.compile(
    rf"""
    (?P<money>£\s?(?P<mnum>{_NUM})(?:\s?(?P<mscale>billion|bn|million|m|k)\b)?
        (?:\s(?P<mper>per\s(?:day|head|person|patient|year|week)))?)
  | (?<![\w.£-])(?P<pnum>{_NUM})\s?(?P<pct>%|per\s?cent\b|percent\b)
  | (?<![\w.£-])(?P<rnum>{_NUM})\s(?P<rper>per\s(?:100,000|10,000|1,000|100|head|capita))
  | (?<![\w.£-])(?P<period>(?:19|20)\d\d\s?[-–/]\s?(?:(?:19|20)\d\d|\d\d))(?![\d%])
  | (?<![\w.£-])(?P<cnum>{_NUM})\s(?P<cscale>billion|million|thousand)\b
  | (?<![\w.£/-])(?P<year>(?:19|20)\d\d)(?![\w.,]?\d)
  | (?<![\w.£-])(?P<count>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{2,}}(?:\.\d+)?|\d\.\d+)(?![\w%]|[.,]\d)
    """,
    re.VERBOSE,
)

# Numbers that are references, not quantities: paragraph, figure and footnote numbers, HC papers,
# evidence sessions ("Qq 34–35") and the like.
_REFERENCE = re.compile(
    r"""
    \b(?:para(?:graph)?s?|Figures?|Tables?|Box(?:es)?|footnotes?|Chapters?|Appendix|Part|Qq?|HC|Cm|
        Session|Section|Sections|ISBN|Ref:?|pages?|pp?\.)
    \s*[A-Z]?\d[\d.]*(?:\s*(?:,|and|to|–|-)\s*[A-Z]?\d[\d.]*)*
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Markup whose digits are never quantities: <sup>20</sup>, a leading bold paragraph number, a list
# number at the start of a line ("1 Digital interoperability").
_MARKUP = re.compile(r"<sup>[^<]*</sup>|^\*\*\d+(?:\.\d+)?\*{0,2}|^\s*(?:-\s*)?\d{1,2}(?=\s)", re.MULTILINE)
# A web address's digits ("www.ons.gov.uk/.../2018to2020", "%20") are part of its name, not figures.
# An address broken over a line after a slash ("causesofdeath/ bulletins/...2019#...") runs on.
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s)\]>]+(?:(?<=/)\s+[^\s)\]>]*/[^\s)\]>]*)*", re.IGNORECASE)


# An age names a group of people, not a quantity of them: "aged 65 and over", "over-85s", "under 18".
_AGE = re.compile(r"\baged\s+(?:over\s+|under\s+)?\d{1,3}\b|\b\d{1,3}\s+and\s+(?:over|older|above)\b"
                  r"|\b(?:over|under)[- ]\d{1,3}s\b|\b(?:over|under)\s+\d{1,3}(?=\s+(?:in|who|and|year)\b)",
                  re.IGNORECASE)


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = "\x00"
    return "".join(chars)


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def period_key(raw: str) -> str:
    """Normalise "2019/20", "2017–2019" and "2015 - 16" to "2019-20", "2017-19", "2015-16"."""
    start, end = re.split(r"\s?[-–/]\s?", raw)
    return f"{start}-{end[-2:]}"


def extract_quantities(text: str, ignore: Iterable[tuple[int, int]] = ()) -> tuple[Quantity, ...]:
    """All quantities stated in `text`, skipping references and the spans in `ignore` (footnote digits)."""
    masked_spans = list(ignore)
    masked_spans += [m.span() for m in _MARKUP.finditer(text)]
    masked_spans += [m.span() for m in _ADDRESS.finditer(text)]
    masked_spans += [m.span() for m in _REFERENCE.finditer(text)]
    masked_spans += [m.span() for m in _AGE.finditer(text)]
    masked = _mask(text, masked_spans)
    found = []
    for m in _QUANTITY.finditer(masked):
        start, end = m.span()
        printed = text[start:end]
        if m["money"]:
            scale = _SCALES.get((m["mscale"] or "").lower(), 1.0)
            unit = "GBP" + (f" {m['mper']}" if m["mper"] else "")
            found.append(Quantity(printed, start, end, "money", _number(m["mnum"]) * scale, unit))
        elif m["pnum"]:
            found.append(Quantity(printed, start, end, "percent", _number(m["pnum"]), "%"))
        elif m["rnum"]:
            found.append(Quantity(printed, start, end, "rate", _number(m["rnum"]), m["rper"]))
        elif m["period"]:
            found.append(Quantity(printed, start, end, "period", None, "", period_key(m["period"])))
        elif m["cnum"]:
            scale = _SCALES[m["cscale"].lower()]
            found.append(Quantity(printed, start, end, "count", _number(m["cnum"]) * scale, ""))
        elif m["year"]:
            found.append(Quantity(printed, start, end, "year", float(m["year"]), "year"))
        elif m["count"]:
            found.append(Quantity(printed, start, end, "count", _number(m["count"]), ""))
    return tuple(found)


@functools.lru_cache(maxsize=16_384)
def sentence_quantities(sentence: str) -> tuple[Quantity, ...]:
    """`extract_quantities` of a sentence read at query time, remembered: the same few hundred sentences
    are read for one question after another, and parsing them took a sixth of a question's time."""
    return extract_quantities(sentence)


def _plain(value: float) -> str:
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


def format_quantity(q: Quantity) -> str:
    """A canonical printed form: £5.3bn and £5,300 million both print as "£5.3 billion"."""
    if q.kind == "period":
        return q.period
    if q.kind == "year":
        return str(int(q.value))
    assert q.value is not None
    if q.kind == "money":
        per = q.unit[len("GBP"):]
        for word, scale in (("billion", 1e9), ("million", 1e6)):
            if abs(q.value) >= scale:
                return f"£{_plain(q.value / scale)} {word}{per}"
        return f"£{_plain(q.value)}{per}"
    if q.kind == "percent":
        return f"{_plain(q.value)}%"
    if q.kind == "rate":
        return f"{_plain(q.value)} {q.unit}"
    for word, scale in (("billion", 1e9), ("million", 1e6)):
        if abs(q.value) >= scale:
            return f"{_plain(q.value / scale)} {word}"
    return _plain(q.value)


def same_value(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities state the same value in the same unit (£5.3bn == £5,300 million)."""
    if a.kind != b.kind or a.unit != b.unit:
        return False
    if a.kind == "period":
        return a.period == b.period
    assert a.value is not None and b.value is not None
    return abs(a.value - b.value) <= 1e-9 * max(abs(a.value), abs(b.value), 1.0)
