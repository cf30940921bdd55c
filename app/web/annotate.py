"""Commentary text as HTML: mentions become links, search terms are marked, and
sentences are cut out around a mention for ticker pages."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
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


@dataclass(frozen=True, slots=True)
class Run:
    """The characters ``text[start:end]``, shown as they are with the links and marks
    that fall on them. In a link of the text's own (``in_link``) a mention cannot be a
    link too: it is only the jump target."""

    start: int
    end: int
    in_link: bool = False


# A run of the text, or markup placed between runs as it is.
Piece = Run | Markup


class _Ids:
    """Element ids still to give: each link anchor once, the first mark's id once."""

    def __init__(self, first_mark_id: str | None) -> None:
        self.first_mark = first_mark_id
        self.given: set[str] = set()

    def anchor(self, link: Link) -> str | None:
        if link.anchor is None or link.anchor in self.given:
            return None
        self.given.add(link.anchor)
        return link.anchor

    def mark(self) -> str | None:
        found, self.first_mark = self.first_mark, None
        return found


def _open_link(link: Link, ids: _Ids, in_link: bool) -> str:
    anchor = ids.anchor(link)
    at = f' id="{escape(anchor)}"' if anchor else ""
    if in_link:
        return f'<span class="mention"{at} title="{escape(link.label)}">'
    return f'<a class="mention"{at} href="{escape(link.href)}" title="{escape(link.label)}">'


def _annotate_run(text: str, run: Run, links: list[Link], marks: list[Span], ids: _Ids) -> str:
    """One run escaped, with the links and marks (sorted, clipped to the run) on it."""
    cuts = {run.start, run.end}
    for link in links:
        cuts.update((link.start, link.end))
    for start, end in marks:
        cuts.update((start, end))
    points = sorted(cuts)
    close = "</span>" if run.in_link else "</a>"
    out: list[str] = []
    open_link: Link | None = None
    li = mi = 0
    for lo, hi in pairwise(points):
        while li < len(links) and links[li].end <= lo:
            li += 1
        while mi < len(marks) and marks[mi][1] <= lo:
            mi += 1
        current = links[li] if li < len(links) and links[li].start <= lo else None
        marked = mi < len(marks) and marks[mi][0] <= lo
        if current is not open_link:
            if open_link is not None:
                out.append(close)
            if current is not None:
                out.append(_open_link(current, ids, run.in_link))
            open_link = current
        piece = str(escape(text[lo:hi]))
        if marked:
            mark_id = ids.mark()
            at = f' id="{escape(mark_id)}"' if mark_id else ""
            piece = f"<mark{at}>{piece}</mark>"
        out.append(piece)
    if open_link is not None:
        out.append(close)
    return "".join(out)


def _meeting(starts: list[int], ends: list[int], lo: int, hi: int) -> range:
    """Indexes of the sorted, non-overlapping spans with these starts and ends that
    meet ``[lo, hi)``."""
    first = bisect_right(ends, lo)
    last = first
    while last < len(starts) and starts[last] < hi:
        last += 1
    return range(first, last)


def annotate_pieces(
    text: str,
    pieces: list[Piece],
    links: list[Link],
    marks: list[Span],
    first_mark_id: str | None = None,
) -> Markup:
    """The pieces in order: markup as it is, each run of ``text`` escaped with its part
    of the link and mark spans (see ``annotate``). A link or mark reaching over markup
    is cut there; its id goes on its first part only. Text outside every run is not
    shown, nor are the links and marks on it."""
    links = sorted(links, key=lambda k: k.start)
    link_starts, link_ends = [k.start for k in links], [k.end for k in links]
    marks = sorted(s for s in marks if s[0] < s[1])
    mark_starts, mark_ends = [s for s, _ in marks], [e for _, e in marks]
    ids = _Ids(first_mark_id)
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, Markup):
            out.append(str(piece))
            continue
        lo, hi = piece.start, piece.end
        if lo >= hi:
            continue
        on_links = [
            replace(links[i], start=max(links[i].start, lo), end=min(links[i].end, hi))
            for i in _meeting(link_starts, link_ends, lo, hi)
        ]
        on_marks = [
            (max(marks[i][0], lo), min(marks[i][1], hi))
            for i in _meeting(mark_starts, mark_ends, lo, hi)
        ]
        out.append(_annotate_run(text, piece, on_links, on_marks, ids))
    return Markup("".join(out))


def annotate(
    text: str, links: list[Link], marks: list[Span], first_mark_id: str | None = None
) -> Markup:
    """Escape ``text``; wrap each link span in ``<a href=…>`` and each mark span in
    ``<mark>`` (the first one with the id ``first_mark_id``, a target to scroll to).
    Links do not overlap each other, nor marks each other; a mark that crosses a link
    edge is split at it."""
    return annotate_pieces(text, [Run(0, len(text))], links, marks, first_mark_id)


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
