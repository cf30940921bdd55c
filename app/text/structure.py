"""The structure a plain-text commentary shows by its lines: section headings, bulleted
and numbered lists, paragraphs.

Every block holds offsets into the text (the stored body), never a copy of it, so that
highlights and mentions, which are offsets too, land where they belong.

The reading is conservative, because a sentence shown as a heading is worse than a
heading shown as a sentence:

- A heading is a short line (4 to 30 characters, at least two of them Chinese) that
  does not end like a sentence or a clause, has no sentence break inside, is not a
  byline, dateline or caption, and introduces something: the next line is a list item
  or prose longer than the heading, or a heading of a lower kind that is followed by
  prose (``美国市场`` over ``一、纳指如期突破年内高点``). A short line right after
  another short line that is no heading (lines of a poem, an address) is none either.
- A bulleted list is a run of lines opening with the same bullet (``- ``, ``* ``, ``•``,
  ``●``, ``⚫``…); blank lines between its items do not end it.
- A numbered list is a run of at least two lines numbered in one style (``1.``,
  ``1、``, ``1)``, ``(1)``, ``一、``, ``（一）``) counting up by one. A numbered line on
  its own is a heading when it reads as one (``一、A股市场处于节前交易平淡期``), else
  a paragraph that keeps its number.
- Heading levels follow the usual order of Chinese reports: unnumbered headings, then
  ``一、``, ``（一）``, ``1.``, ``(1)``; the highest kind present is level 2 (the page
  title is level 1), the next 3, and so on down to 4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.text.bylines import is_page_metadata

Span = tuple[int, int]

MIN_HEADING_CHARS = 4
MAX_HEADING_CHARS = 30
MIN_HEADING_HAN = 2
TOP_LEVEL = 2
LOWEST_LEVEL = 4

_BULLET = re.compile(r"(?:[-*](?=\s)|[•·●⚫▪◆■◦○►▶])\s*(?=\S)")
_CJK_NUMERALS = "一二三四五六七八九十"
_NUMBERED = re.compile(
    rf"""(?:(?P<cjk_comma>[{_CJK_NUMERALS}]{{1,3}})\s*[、.．]
    |[(（](?P<cjk_paren>[{_CJK_NUMERALS}]{{1,3}})[)）]
    |[(（](?P<num_paren>\d{{1,2}})[)）]
    |(?P<num_dot>\d{{1,2}})[.．](?!\d)
    |(?P<num_comma>\d{{1,2}})、
    |(?P<num_close>\d{{1,2}})[)）]
    )\s*(?=\S)""",
    re.X,
)
# The order of heading kinds, highest first; "plain" is an unnumbered heading.
HEADING_RANKS = (
    "plain",
    "cjk_comma",
    "cjk_paren",
    "num_dot",
    "num_comma",
    "num_close",
    "num_paren",
)
_RANK_OF = {kind: at for at, kind in enumerate(HEADING_RANKS)}
_HAN = re.compile(r"[\u3400-\u9fff]")
_ENDS_LIKE_PROSE = tuple("。，,；;：:、…!！?？")
_SENTENCE_BREAK = re.compile(r"[。！？!?；;]")
_CAPTION = re.compile(r"^(?:附?图表?|表|资料来源|数据来源|来源|注)\s*\d*\s*[:：]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    span: Span


@dataclass(frozen=True, slots=True)
class Heading:
    span: Span
    level: int


@dataclass(frozen=True, slots=True)
class Item:
    span: Span  # the item's text, without its bullet or number
    number: int | None  # the number it was written with, in a numbered list


@dataclass(frozen=True, slots=True)
class ItemList:
    items: tuple[Item, ...]
    style: str  # "bullet", or the numbering: one of the numbered kinds above


Block = Paragraph | Heading | ItemList


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # the offset of its first character that is not a space
    end: int  # past its last character that is not a space
    text: str
    bullet: str | None  # the bullet it opens with
    numbered: str | None  # the kind of number it opens with
    number: int | None
    content: int  # where its text after a bullet or number starts


def cjk_number(numeral: str) -> int | None:
    """一 to 九十九 as a number; None for anything else (一一, 十十, 一百)."""
    if not numeral or any(c not in _CJK_NUMERALS for c in numeral):
        return None
    digits = [_CJK_NUMERALS.index(c) + 1 for c in numeral]
    if 10 not in digits:
        return digits[0] if len(digits) == 1 else None
    if digits.count(10) > 1 or len(digits) > 3:
        return None
    at = digits.index(10)
    tens = digits[0] if at == 1 else 1
    ones = digits[at + 1] if at + 1 < len(digits) else 0
    if at > 1 or tens == 10 or ones == 10:
        return None
    return tens * 10 + ones


def _line(text: str, start: int, end: int) -> _Line | None:
    """A line's marks; None for a blank line."""
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return None
    lo = start + len(raw) - len(raw.lstrip())
    hi = lo + len(stripped)
    bullet = _BULLET.match(stripped)
    if bullet:
        return _Line(lo, hi, stripped, stripped[0], None, None, lo + bullet.end())
    numbered = _NUMBERED.match(stripped)
    if numbered and numbered.lastgroup:
        kind = numbered.lastgroup
        value = numbered[kind]
        number = cjk_number(value) if kind.startswith("cjk") else int(value)
        if number is not None:
            return _Line(lo, hi, stripped, None, kind, number, lo + numbered.end())
    return _Line(lo, hi, stripped, None, None, None, lo)


def _heading_like(line: _Line, text: str) -> bool:
    """Whether a line reads as a heading on its own (the context is judged apart)."""
    if line.bullet:
        return False
    words = text[line.content : line.end]
    return (
        MIN_HEADING_CHARS <= len(line.text) <= MAX_HEADING_CHARS
        and len(_HAN.findall(words)) >= MIN_HEADING_HAN
        and not words.endswith(_ENDS_LIKE_PROSE)
        and not _SENTENCE_BREAK.search(words)
        and not _CAPTION.match(words)
        and not is_page_metadata(line.text)
    )


def _lines(text: str) -> list[_Line | None]:
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    ends = [s - 1 for s in starts[1:]] + [len(text)]
    return [_line(text, s, e) for s, e in zip(starts, ends, strict=True)]


def _continues(first: _Line, prev: _Line, line: _Line) -> bool:
    """Whether ``line`` is the next item of the list ``first`` opens."""
    if first.bullet:
        return line.bullet == first.bullet
    return (
        bool(first.numbered)
        and line.numbered == first.numbered
        and (line.number == (prev.number or 0) + 1)
    )


def _list_runs(lines: list[_Line]) -> dict[int, int]:
    """Where each list starts (index into ``lines``) and how many lines it takes."""
    runs: dict[int, int] = {}
    at = 0
    while at < len(lines):
        first = lines[at]
        follow = at + 1
        while follow < len(lines) and _continues(first, lines[follow - 1], lines[follow]):
            follow += 1
        if first.bullet or (first.numbered and follow - at >= 2):
            runs[at] = follow - at
        at = follow
    return runs


def _headings(lines: list[_Line], text: str, in_list: set[int]) -> set[int]:
    """Indexes of the lines that are headings."""
    like = [i not in in_list and _heading_like(line, text) for i, line in enumerate(lines)]

    def prose(at: int, after: _Line) -> bool:
        return at < len(lines) and (
            at in in_list or (not like[at] and len(lines[at].text) > len(after.text))
        )

    qualifies = [False] * len(lines)
    for at in reversed(range(len(lines))):
        if like[at]:
            follow = at + 1
            qualifies[at] = prose(follow, lines[at]) or (
                follow < len(lines)
                and qualifies[follow]
                and prose(follow + 1, lines[follow])
                and _rank(lines[at]) < _rank(lines[follow])
            )
    found: set[int] = set()
    for at, ok in enumerate(qualifies):
        if ok and (at == 0 or not like[at - 1] or at - 1 in found):
            found.add(at)
    return found


def _rank(line: _Line) -> int:
    return _RANK_OF[line.numbered or "plain"]


def _levels(lines: list[_Line], headings: set[int]) -> dict[str, int]:
    kinds = sorted({lines[at].numbered or "plain" for at in headings}, key=_RANK_OF.__getitem__)
    return {kind: min(TOP_LEVEL + at, LOWEST_LEVEL) for at, kind in enumerate(kinds)}


def blocks(text: str) -> list[Block]:
    """The blocks of ``text`` in order; blank lines only separate them."""
    lines = [line for line in _lines(text) if line is not None]
    runs = _list_runs(lines)
    in_list = {at + k for at, length in runs.items() for k in range(length)}
    headings = _headings(lines, text, in_list)
    levels = _levels(lines, headings)
    out: list[Block] = []
    at = 0
    while at < len(lines):
        line = lines[at]
        if at in runs:
            group = lines[at : at + runs[at]]
            items = tuple(Item((one.content, one.end), one.number) for one in group)
            out.append(ItemList(items, line.numbered or "bullet"))
            at += runs[at]
            continue
        if at in headings:
            out.append(Heading((line.start, line.end), levels[line.numbered or "plain"]))
        else:
            out.append(Paragraph((line.start, line.end)))
        at += 1
    return out
