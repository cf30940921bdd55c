"""Highlights cut from the original text, without re-segmenting bodies at query time.

The analysed query terms are located in the normalised text in one regex pass (longest
alternative first, so overlapping Chinese words mark the longest match), and the
offsets are mapped back to the original text, which is what gets shown and escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from app.text.normalize import normalise

Span = tuple[int, int]

SNIPPET_CONTEXT = 48
LEAD_CHARS = 140
ELLIPSIS = "…"


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({t for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    parts = []
    for term in unique:
        piece = r"\s+".join(re.escape(part) for part in term.split())
        # Latin terms match whole words only: "on" must not light up "Nvidia's upon".
        if term[0].isascii() and term[0].isalnum():
            piece = r"(?<![A-Za-z0-9])" + piece
        if term[-1].isascii() and term[-1].isalnum():
            piece += r"(?![A-Za-z0-9])"
        parts.append(piece)
    return re.compile("|".join(parts), re.IGNORECASE)


def find_spans(text: str, pattern: re.Pattern[str] | None) -> list[Span]:
    """Original-text spans of every match of ``pattern`` in the normalised ``text``."""
    if pattern is None:
        return []
    normalised = normalise(text)
    spans: list[Span] = []
    for match in pattern.finditer(normalised.text):
        start, end = normalised.span(match.start(), match.end())
        if spans and spans[-1][1] == start:
            # Two query words side by side read as one highlight.
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def mark(text: str, spans: list[Span]) -> Markup:
    """``text`` escaped, with each span wrapped in ``<mark>``."""
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        if start < cursor:
            continue
        out.append(str(escape(text[cursor:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


def _windows(text: str, spans: list[Span]) -> list[tuple[int, int, list[Span]]]:
    windows: list[tuple[int, int, list[Span]]] = []
    for start, end in spans:
        lo = max(0, start - SNIPPET_CONTEXT)
        hi = min(len(text), end + SNIPPET_CONTEXT)
        # Stay inside the paragraph of the match.
        lo = max(lo, text.rfind("\n", 0, start) + 1)
        newline = text.find("\n", end)
        if newline != -1:
            hi = min(hi, newline)
        if windows and lo <= windows[-1][1]:
            prev_lo, prev_hi, prev_spans = windows[-1]
            windows[-1] = (prev_lo, max(prev_hi, hi), [*prev_spans, (start, end)])
        else:
            windows.append((lo, hi, [(start, end)]))
    return windows


def snippets(text: str, spans: list[Span], limit: int = 3) -> list[Markup]:
    """Up to ``limit`` escaped snippets around the matches, the richest first in text order;
    the opening of the text when nothing matched (a hit found through its tickers)."""
    if not spans:
        lead = text.strip()[:LEAD_CHARS]
        suffix = ELLIPSIS if len(text.strip()) > LEAD_CHARS else ""
        return [Markup(escape(lead.replace("\n", " ")) + suffix)] if lead else []
    windows = _windows(text, spans)
    best = sorted(windows, key=lambda w: (-len({text[s:e].lower() for s, e in w[2]}), w[0]))
    chosen = sorted(best[:limit], key=lambda w: w[0])
    result = []
    for lo, hi, inner in chosen:
        shifted = [(s - lo, e - lo) for s, e in inner]
        body = mark(text[lo:hi], shifted)
        prefix = ELLIPSIS if lo > 0 and text[lo - 1] != "\n" else ""
        suffix = ELLIPSIS if hi < len(text) and text[hi] != "\n" else ""
        result.append(Markup(prefix) + body + Markup(suffix))
    return result
