"""Safe HTML for st.markdown(unsafe_allow_html=True): escaping, highlighting, links.

Every piece of text from a document or a query goes through `esc`: HTML special characters become
entities, and so do the characters that Markdown or LaTeX would act on, so no tag, link, emphasis or
formula can come out of the text itself. Every fragment is wrapped in one `<div>` on one line, which
Markdown passes through as a raw HTML block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlencode

_MARKDOWN_CHARS = {c: f"&#{ord(c)};" for c in "\\`*_[]~$|{}"}
_MARK_CLASSES = {"hit", "fig", "quote", "diff-old", "diff-new"}

CSS = """
<style>
.ev { line-height: 1.55; margin-bottom: 0.35rem; }
.ev mark.hit { background: #fff1a8; padding: 0 1px; }
.ev mark.fig { background: #ffd666; font-weight: 600; padding: 0 2px; border-radius: 3px; }
.ev mark.quote { background: #c9f2d0; }
.ev mark.diff-old { background: #ffd4d4; text-decoration: line-through; }
.ev mark.diff-new { background: #c9f2d0; font-weight: 600; }
.ev .meta { color: #6b7280; font-size: 0.85em; }
.ev-answer { font-size: 1.15rem; }
.ev-context { padding: 0.25rem 0.6rem; border-left: 3px solid transparent; }
.ev-current { border-left-color: #f59e0b; background: #fffbeb; }
.ev-notice { padding: 0.75rem 1rem; border-radius: 0.5rem; margin: 0.25rem 0 0.75rem 0; }
.ev-info { background: #e8f1fd; color: #0b3d91; }
.ev-success { background: #e6f4ea; color: #135e2b; }
.ev-warning { background: #fff6d6; color: #6b4e00; }
.ev-error { background: #fdecea; color: #8a1c13; }
.ev-caption { color: #6b7280; font-size: 0.875rem; }
table.ev-parts { border-collapse: collapse; width: 100%; margin: 0.25rem 0 0.75rem 0; }
table.ev-parts th, table.ev-parts td { border: 1px solid #e5e7eb; padding: 0.4rem 0.6rem; vertical-align: top;
  text-align: left; }
table.ev-parts td.ev-missing { color: #6b4e00; background: #fff6d6; }
</style>
"""


def esc(text: str) -> str:
    """Text as inert HTML: tags, entities, Markdown and LaTeX characters escaped, line breaks kept."""
    out = html.escape(str(text), quote=True)
    out = "".join(_MARKDOWN_CHARS.get(c, c) for c in out)
    return re.sub(r"\r\n|\r|\n", "<br>", out)


NOTICE_TONES = ("info", "success", "warning", "error", "caption")


def notice(text: str, tone: str = "info") -> str:
    """A message as inert HTML: the one way the app shows text that holds a value from a URL, the
    metadata, the corpus or an error. Streamlit's st.error/st.caption render Markdown, links and
    images included, and turn a bare https:// address into a link; raw HTML in one block does not."""
    if tone not in NOTICE_TONES:
        raise ValueError(f"unknown notice tone {tone!r}; tones are {', '.join(NOTICE_TONES)}")
    cls = "ev-caption" if tone == "caption" else f"ev-notice ev-{tone}"
    return block(esc(text), cls)


def block(inner_html: str, cls: str = "") -> str:
    """One raw-HTML block; `inner_html` must already be escaped."""
    classes = f"ev {cls}".strip()
    return f'<div class="{classes}">{inner_html.replace(chr(10), " ")}</div>'


def table(header: list[str], rows: list[list[str]], cls: str = "ev-parts",
          cell_classes: list[list[str]] | None = None) -> str:
    """An HTML table; header is plain text (escaped here), each cell already-escaped HTML."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        classes = cell_classes[i] if cell_classes else [""] * len(row)
        body.append("<tr>" + "".join(f'<td class="{c}">{cell}</td>' if c else f"<td>{cell}</td>"
                                     for cell, c in zip(row, classes, strict=True)) + "</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int]] = (), cls: str = "hit") -> str:
    """Escaped `text` with the character spans wrapped in <mark>."""
    if cls not in _MARK_CLASSES:
        raise ValueError(f"unknown highlight class {cls!r}")
    out, pos = [], 0
    for start, end in merge_spans(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out += [esc(text[pos:start]), f'<mark class="{cls}">', esc(text[start:end]), "</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def bullets(fragment: str) -> str:
    """Start each "•" item (how list items read in the clean passage text) on a new line."""
    return re.sub(r"\s+•\s+", "<br>• ", fragment)


def _flexible(phrase: str) -> str:
    """A regex matching `phrase` with any run of whitespace where it has whitespace."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def phrase_spans(text: str, phrases: Iterable[str], ignore_case: bool = False) -> list[tuple[int, int]]:
    """Spans of every occurrence of each phrase (longest first, not overlapping)."""
    phrases = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not phrases:
        return []
    pattern = re.compile("|".join(_flexible(p) for p in phrases), re.IGNORECASE if ignore_case else 0)
    return [m.span() for m in pattern.finditer(text)]


def first_span(text: str, phrase: str, ignore_case: bool = True) -> tuple[int, int] | None:
    if not phrase.strip():
        return None
    m = re.search(_flexible(phrase), text, re.IGNORECASE if ignore_case else 0)
    return m.span() if m else None


def link(url: str, label: str) -> str:
    """An escaped link that opens in the same tab (the URL reopens the app in that state)."""
    return f'<a href="{html.escape(url, quote=True)}" target="_self">{esc(label)}</a>'


def app_url(base: str = "", **params: str | list[str]) -> str:
    """`base?key=value...`: a URL that reopens the app in a given state."""
    pairs = [(k, v) for k, values in params.items() for v in ([values] if isinstance(values, str) else values) if v]
    return f"{base}?{urlencode(pairs)}" if pairs else (base or "?")
