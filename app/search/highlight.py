"""Highlights cut from the original text, without re-segmenting bodies at query time.

The analysed query terms are located in the normalised text in one regex pass (longest
alternative first, so overlapping Chinese words mark the longest match), and the
offsets are mapped back to the original text, which is what gets shown and escaped.

Snippets are the passages that show the most of what the reader looks for: every
query word if one passage holds them all, the ticker filter's names after the words.
Their edges fall at sentence or clause punctuation when there is some near, else
between two words: only the few characters around an edge are segmented, so a
snippet never ends in the middle of 英伟达 or NVDA.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.search.analyzer import words
from app.search.planner import Sought
from app.text.normalize import fold, normalise

Span = tuple[int, int]

SNIPPET_CONTEXT = 48  # characters of context wanted on each side of the matches
MAX_SNIPPET_CHARS = 180
# Matches this close together (first start to last end) can share one snippet.
CORE_CHARS = 140
# A sentence that starts at most this much further back is shown from its start.
SENTENCE_SLACK = 16
LEAD_CHARS = 140
# How far from the wanted edge a snippet looks for a place between two words.
WORD_SEARCH = 24
# Matches looked at per text: enough for any passage worth showing, bounded for huge texts.
MAX_MATCHES = 2000
ELLIPSIS = "…"
SENTENCE_ENDS = frozenset("。！？!?；;…")
CLAUSE_ENDS = frozenset("，,、：:）)」』”—")
# Characters read with the number before them: 11.55% is one thing.
_UNITS = frozenset("%‰％")


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _piece(token: str) -> str:
    """One index word as a pattern: a trailing ``*`` makes it a prefix."""
    if token.endswith("*"):
        stem = token[:-1]
        return re.escape(stem) + (r"[A-Za-z0-9]*" if _is_latin(stem[-1:]) else "")
    return r"\s+".join(re.escape(part) for part in token.split())


def _folded(term: str | Sequence[str]) -> tuple[str, ...] | None:
    tokens = (term,) if isinstance(term, str) else tuple(term)
    folded = tuple(fold(t).strip() for t in tokens)
    return folded if folded and all(folded) else None


def _alternative(tokens: tuple[str, ...]) -> str:
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
    return piece


def _longest_first(unique: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return sorted(unique, key=lambda t: (-sum(map(len, t)), t))


def term_pattern(terms: Iterable[str | Sequence[str]]) -> re.Pattern[str] | None:
    """One pattern for every term (a word, or words in a row for a phrase), folded like
    the text it runs on, longest alternative first so overlapping words mark the
    longest match."""
    unique = {f for f in map(_folded, terms) if f is not None}
    if not unique:
        return None
    return re.compile("|".join(map(_alternative, _longest_first(unique))), re.IGNORECASE)


def find_spans(text: str, pattern: re.Pattern[str] | None) -> list[Span]:
    """Original-text spans of every match of ``pattern`` in the normalised ``text``."""
    if pattern is None:
        return []
    normalised = normalise(text)
    spans: list[Span] = []
    for match in pattern.finditer(normalised.text):
        start, end = normalised.span(match.start(), match.end())
        spans = _joined(spans, start, end)
    return spans


def _joined(spans: list[Span], start: int, end: int) -> list[Span]:
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


@dataclass(frozen=True, slots=True)
class Found:
    """A match in the original text and the sought things (indexes) it is a form of."""

    start: int
    end: int
    sought: frozenset[int]


@dataclass(frozen=True, slots=True)
class SnippetTerms:
    """Everything sought, as one pattern whose named alternatives say what they are."""

    pattern: re.Pattern[str]
    owners: tuple[frozenset[int], ...]  # per alternative, the sought things it is
    words: frozenset[int]  # the sought things that are query words or phrases
    filters: frozenset[int]  # those that are ticker filters


def snippet_terms(sought: Sequence[Sought]) -> SnippetTerms | None:
    owners: dict[tuple[str, ...], set[int]] = {}
    for number, thing in enumerate(sought):
        for term in thing.terms:
            folded = _folded(term)
            if folded is not None:
                owners.setdefault(folded, set()).add(number)
    if not owners:
        return None
    ordered = _longest_first(owners)
    pattern = "|".join(f"(?P<t{i}>{_alternative(t)})" for i, t in enumerate(ordered))
    filters = frozenset(i for i, thing in enumerate(sought) if thing.ticker_filter)
    return SnippetTerms(
        pattern=re.compile(pattern, re.IGNORECASE),
        owners=tuple(frozenset(owners[t]) for t in ordered),
        words=frozenset(range(len(sought))) - filters,
        filters=filters,
    )


def find_matches(text: str, terms: SnippetTerms) -> list[Found]:
    """Every match in ``text`` (original offsets), with what it is a form of."""
    normalised = normalise(text)
    found: list[Found] = []
    for match in terms.pattern.finditer(normalised.text):
        start, end = normalised.span(match.start(), match.end())
        found.append(Found(start, end, terms.owners[int(str(match.lastgroup)[1:])]))
        if len(found) == MAX_MATCHES:
            break
    return found


@dataclass(frozen=True, slots=True)
class _Core:
    first: int  # index of its first and last match
    last: int
    start: int
    end: int
    sought: frozenset[int]


def _cores(text: str, found: list[Found]) -> list[_Core]:
    """For each match, the run of matches from it that fits in one snippet, within its
    paragraph."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    paragraph = [bisect.bisect_left(newlines, f.start) for f in found]
    cores = []
    last = 0
    for first, head in enumerate(found):
        last = max(last, first)
        while (
            last + 1 < len(found)
            and paragraph[last + 1] == paragraph[first]
            and found[last + 1].end - head.start <= CORE_CHARS
        ):
            last += 1
        sought = frozenset().union(*(f.sought for f in found[first : last + 1]))
        cores.append(
            _Core(first, last, head.start, max(f.end for f in found[first : last + 1]), sought)
        )
    return cores


def _choose(cores: list[_Core], terms: SnippetTerms, limit: int) -> list[_Core]:
    """Up to ``limit`` passages, each the one adding the most that is not yet shown:
    query words before ticker-filter names, then the most of either, then the most
    matches, then the earliest."""
    chosen: list[_Core] = []
    shown: frozenset[int] = frozenset()
    while len(chosen) < limit:
        best: tuple[tuple[int, ...], _Core] | None = None
        for core in cores:
            if any(core.start < c.end and c.start < core.end for c in chosen):
                continue
            new = core.sought - shown
            rank = (
                len(new & terms.words),
                len(new & terms.filters),
                len(core.sought & terms.words),
                len(core.sought & terms.filters),
                core.last - core.first,
                -core.start,
            )
            if best is None or rank > best[0]:
                best = (rank, core)
        if best is None:
            break
        chosen.append(best[1])
        shown |= best[1].sought
    return sorted(chosen, key=lambda c: c.start)


def _inside(text: str, lo: int, hi: int, taken: Sequence[Span]) -> set[int]:
    """Positions in ``(lo, hi)`` that fall inside a word (as the index segments it) or
    inside one of the ``taken`` spans: a snippet must not start or end there."""
    normalised = normalise(text[lo:hi])
    inside: set[int] = set()
    for _, _, start, end in words(normalised.text):
        first, stop = normalised.span(start, end)
        inside.update(range(lo + first + 1, lo + stop))
    for start, end in taken:
        inside.update(range(max(lo, start + 1), min(hi, end)))
    for position in range(lo + 1, hi):
        if text[position] in _UNITS and text[position - 1].isdigit():
            inside.add(position)
    return inside


def _after(text: str, position: int, ends: frozenset[str]) -> bool:
    """Whether ``position`` follows one of ``ends`` (spaces between them allowed)."""
    position -= 1
    while position >= 0 and text[position] in " \t\u3000":
        position -= 1
    return position >= 0 and text[position] in ends


def _start(text: str, floor: int, target: int, core: int, taken: Sequence[Span]) -> int:
    """Where a snippet whose matches begin at ``core`` starts: at a sentence start if
    one is near ``target``, else after a clause's punctuation, else between two words;
    never before ``floor``."""
    if target <= floor:
        return floor
    for position in range(max(floor, target - SENTENCE_SLACK), core):
        if _after(text, position, SENTENCE_ENDS) or position == floor:
            return position
    for position in range(target, core):
        if _after(text, position, CLAUSE_ENDS):
            return position
    stop = min(core, target + WORD_SEARCH)
    inside = _inside(text, max(floor, target - 8), min(stop + 8, len(text)), taken)
    for position in range(target, stop):
        if position not in inside:
            return position
    return core


def _end(text: str, ceiling: int, target: int, core: int, taken: Sequence[Span]) -> int:
    """Where a snippet whose matches end at ``core`` ends: after a sentence if one ends
    before ``target``, else after a clause, else between two words; never after
    ``ceiling``."""
    if target >= ceiling:
        return ceiling
    for position in range(target, max(core, target - SNIPPET_CONTEXT), -1):
        if _after(text, position, SENTENCE_ENDS):
            return position
    for position in range(target, max(core, target - SNIPPET_CONTEXT // 2), -1):
        if _after(text, position, CLAUSE_ENDS):
            return position
    stop = max(core, target - WORD_SEARCH)
    inside = _inside(text, max(stop - 8, 0), min(target + 8, ceiling), taken)
    for position in range(target, stop, -1):
        if position not in inside:
            return position
    return core


def _paragraph(text: str, position: int) -> Span:
    end = text.find("\n", position)
    return text.rfind("\n", 0, position) + 1, len(text) if end == -1 else end


def _framed(text: str, cores: list[_Core], found: list[Found]) -> list[Span]:
    """Each chosen passage with context, cut at good places, without overlapping."""
    spans = [(f.start, f.end) for f in found]
    windows: list[Span] = []
    for number, core in enumerate(cores):
        para_start, para_end = _paragraph(text, core.start)
        floor = max(para_start, windows[-1][1] if windows else 0)
        ceiling = min(para_end, cores[number + 1].start if number + 1 < len(cores) else para_end)
        room = max(0, MAX_SNIPPET_CHARS - (core.end - core.start))
        lo = _start(text, floor, core.start - min(SNIPPET_CONTEXT, room // 2), core.start, spans)
        room -= core.start - lo
        hi = _end(text, ceiling, core.end + room, core.end, spans)
        while lo < core.start and text[lo].isspace():
            lo += 1
        while hi > core.end and text[hi - 1].isspace():
            hi -= 1
        windows.append((lo, hi))
    return windows


def _shown(text: str, lo: int, hi: int, found: list[Found]) -> Markup:
    spans: list[Span] = []
    for f in found:
        if lo <= f.start and f.end <= hi:
            spans = _joined(spans, f.start - lo, f.end - lo)
    para_start, para_end = _paragraph(text, lo)
    cut_before = lo > para_start and not _after(text, lo, SENTENCE_ENDS)
    cut_after = hi < para_end and not _after(text, hi, SENTENCE_ENDS)
    return (
        Markup(ELLIPSIS if cut_before else "")
        + mark(text[lo:hi], spans)
        + Markup(ELLIPSIS if cut_after else "")
    )


def lead(text: str, limit: int = LEAD_CHARS) -> str:
    """The opening of ``text`` on one line, cut between two words when longer than
    ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    end = _end(flat, len(flat), limit, 0, ())
    return flat[: end or limit].rstrip() + ELLIPSIS


def snippets(text: str, terms: SnippetTerms | None, limit: int = 3) -> list[Markup]:
    """Up to ``limit`` escaped snippets, in text order, together showing as much of what
    is sought as the text holds; the opening of the text when nothing matched (a hit
    found through its tickers)."""
    found = find_matches(text, terms) if terms is not None else []
    if not found:
        opening = lead(text)
        return [Markup(escape(opening))] if opening else []
    chosen = _choose(_cores(text, found), terms, limit) if terms is not None else []
    return [_shown(text, lo, hi, found) for lo, hi in _framed(text, chosen, found)]
