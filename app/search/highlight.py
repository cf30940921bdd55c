"""Highlights cut from the original text, without re-segmenting bodies at query time.

The analysed query terms are located in the normalised text in one regex pass (longest
alternative first, so overlapping Chinese words mark the longest match), and the
offsets are mapped back to the original text, which is what gets shown and escaped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from app.text.normalize import fold, normalise
from app.text.titles import opening

Span = tuple[int, int]

SNIPPET_CONTEXT = 48
MAX_SNIPPET_CHARS = 180
LEAD_CHARS = 140
ELLIPSIS = "…"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _piece(token: str) -> str:
    """One index word as a pattern: a trailing ``*`` makes it a prefix."""
    if token.endswith("*"):
        stem = token[:-1]
        return re.escape(stem) + (r"[A-Za-z0-9]*" if _is_latin(stem[-1:]) else "")
    return r"\s+".join(re.escape(part) for part in token.split())


def term_pattern(terms: Iterable[str | Sequence[str]]) -> re.Pattern[str] | None:
    """One pattern for every term (a word, or words in a row for a phrase), folded like
    the text it runs on, longest alternative first so overlapping words mark the
    longest match."""
    unique: set[tuple[str, ...]] = set()
    for term in terms:
        tokens = (term,) if isinstance(term, str) else tuple(term)
        folded = tuple(fold(t).strip() for t in tokens)
        if all(folded):
            unique.add(folded)
    if not unique:
        return None
    parts = []
    for tokens in sorted(unique, key=lambda t: (-sum(map(len, t)), t)):
        piece = _piece(tokens[0])
        for before, token in itertools.pairwise(tokens):
            # Words of a phrase sit side by side in the index when only spaces or
            # punctuation part them; two Latin words need something between them.
            gap = r"\W+" if _is_latin(before[-1]) and _is_latin(token[0]) else r"\W*"
            piece += gap + _piece(token)
        # Latin words match whole words only: "on" must not light up "Nvidia's upon".
        if _is_latin(tokens[0][0]):
            piece = r"(?<![A-Za-z0-9])" + piece
        if _is_latin(tokens[-1].rstrip("*")[-1:]):
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
            if max(prev_hi, hi) - prev_lo <= MAX_SNIPPET_CHARS:
                windows[-1] = (prev_lo, max(prev_hi, hi), [*prev_spans, (start, end)])
                continue
            # Too long to read as one snippet: the next one starts where this one ends.
            lo = max(prev_hi, lo)
            if start < lo:
                continue
        windows.append((lo, hi, [(start, end)]))
    return windows


def snippets(text: str, spans: list[Span], limit: int = 3) -> list[Markup]:
    """Up to ``limit`` escaped snippets around the matches, the richest first in text order;
    the opening of the text when nothing matched (a hit found through its tickers)."""
    if not spans:
        lead = opening(text, LEAD_CHARS)
        return [Markup(escape(lead))] if lead else []
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
