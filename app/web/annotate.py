"""Commentary text as HTML: mentions become links, search terms are marked, and
sentences are cut out around a mention for ticker pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from app.models import Mention
from app.web.urls import urls

Span = tuple[int, int]

SENTENCE_REACH = 60
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    href: str
    anchor: str | None  # the element id, for links that are also jump targets
    label: str


def annotate(
    text: str, links: list[Link], marks: list[Span], first_mark_id: str | None = None
) -> Markup:
    """Escape ``text``; wrap each link span in ``<a href=…>`` and each mark span in
    ``<mark>`` (the first one with the id ``first_mark_id``, a target to scroll to).
    Links do not overlap each other, nor marks each other; a mark that crosses a link
    edge is split at it."""
    cuts = {0, len(text)}
    for link in links:
        cuts.update((link.start, link.end))
    for start, end in marks:
        cuts.update((start, end))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    link_at = sorted(links, key=lambda k: k.start)
    mark_spans = sorted(marks)
    out: list[str] = []
    open_link: Link | None = None
    li = mi = 0
    for lo, hi in pairwise(points):
        while li < len(link_at) and link_at[li].end <= lo:
            li += 1
        while mi < len(mark_spans) and mark_spans[mi][1] <= lo:
            mi += 1
        current = link_at[li] if li < len(link_at) and link_at[li].start <= lo else None
        marked = mi < len(mark_spans) and mark_spans[mi][0] <= lo
        if current is not open_link:
            if open_link is not None:
                out.append("</a>")
            if current is not None:
                anchor = f' id="{escape(current.anchor)}"' if current.anchor else ""
                out.append(
                    f'<a class="mention"{anchor}'
                    f' href="{escape(current.href)}" title="{escape(current.label)}">'
                )
            open_link = current
        piece = str(escape(text[lo:hi]))
        if marked and first_mark_id:
            out.append(f'<mark id="{escape(first_mark_id)}">{piece}</mark>')
            first_mark_id = None
        else:
            out.append(f"<mark>{piece}</mark>" if marked else piece)
    if open_link is not None:
        out.append("</a>")
    return Markup("".join(out))


def mention_links(mentions: list[Mention]) -> list[Link]:
    """Links from each mention in a commentary to its ticker page, anchored ``m{id}``."""
    return [Link(m.start, m.end, urls.ticker(m.symbol), f"m{m.id}", m.symbol) for m in mentions]


def sentence_around(text: str, start: int, end: int) -> Span:
    """The sentence holding ``[start, end)``, reaching at most ``SENTENCE_REACH``
    characters to either side when the sentence is longer."""
    lo = max(0, start - SENTENCE_REACH)
    for found in _SENTENCE_END.finditer(text, lo, start):
        lo = found.end()
    hi = min(len(text), end + SENTENCE_REACH)
    stop = _SENTENCE_END.search(text, end, hi)
    return lo, stop.end() if stop else hi


def excerpt(text: str, span: Span, links: list[Link], marks: list[Span]) -> Markup:
    """``text[span]`` trimmed and annotated, with an ellipsis where it cuts a sentence."""
    lo, hi = span
    cut_before = lo > 0 and not _SENTENCE_END.match(text, lo - 1)
    cut_after = hi < len(text) and not _SENTENCE_END.match(text, hi - 1)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    inner = [
        Link(k.start - lo, k.end - lo, k.href, k.anchor, k.label)
        for k in links
        if lo <= k.start and k.end <= hi
    ]
    spans = [(s - lo, e - lo) for s, e in marks if lo <= s and e <= hi]
    body = annotate(text[lo:hi], inner, spans)
    return Markup(ELLIPSIS if cut_before else "") + body + Markup(ELLIPSIS if cut_after else "")
