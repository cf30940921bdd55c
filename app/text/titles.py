"""Titles: a 《…》 line at the end, a heading line at the start, or one derived from the text.

The heading is the first line that is not page metadata (a byline, dateline, photo
caption or paywall marker, see ``bylines``): a news page copied with its byline above
the headline still gets the headline. The skipped lines stay in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.models import TitleSource
from app.text.boilerplate import strip_trailing_counter
from app.text.bylines import is_page_metadata, split_glued_headline

MAX_HEADING_CHARS = 60
DERIVED_CHARS = 30
MIN_CLAUSE_CHARS = 8
# How many metadata lines may stand above a headline; past that the text has none.
MAX_LEADING_METADATA = 6
ELLIPSIS = "…"

_BOOK_TITLE_LINE = re.compile(r"^\s*《(?P<title>.+)》\s*$")
_LABELLED = re.compile(
    r"^\s*(?:(?:标题|標題|题目|title)\s*[:：]|#{1,3}(?=\s))\s*(?P<title>\S.*)$", re.I
)
_QUOTE_PAIRS = {"“": "”", '"': '"', "「": "」", "『": "』", "'": "'", "‘": "’"}
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = "，,；;：:、"
_HEADING_END = tuple("。，,；;：:…")  # a headline may end in ？ or ！, a sentence in 。
# A news lead opening with its dateline, 《經濟通通訊社4日專訊》天立國際…: prose.
# A section name: a few Chinese characters, nothing else.
MAX_SECTION_CHARS = 4
_SECTION_NAME = re.compile(r"[\u3400-\u9fff]+")
_LEAD_DATELINE = re.compile(r"^[《【(（][^》】)）]{2,20}(?:專訊|专讯|訊|讯|電|电)[》】)）]\s*\S")


@dataclass(frozen=True, slots=True)
class Titled:
    title: str
    source: TitleSource
    lines: list[str]  # the body lines with the title line removed


def _clean(title: str) -> str:
    """The title without quotes around all of it; a quote that opens or closes only a
    part (``『纳斯达克』美股…``, ``…新「股王」``) belongs to the title."""
    title = title.strip()
    while len(title) >= 2 and _QUOTE_PAIRS.get(title[0]) == title[-1]:
        title = title[1:-1].strip()
    return re.sub(r"\s+", " ", title)


def find_title(lines: list[str]) -> Titled | None:
    """The title written in the text, and the lines without it; None when there is none."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return None
    last = filled[-1]
    book = _BOOK_TITLE_LINE.match(strip_trailing_counter(lines[last]))
    if book and _clean(book["title"]):
        return Titled(_clean(book["title"]), TitleSource.IN_TEXT, lines[:last])
    for at in filled[: MAX_LEADING_METADATA + 1]:
        head = lines[at].strip()
        glued = split_glued_headline(head)
        if glued and _heading(glued[1]):
            prefix, title = glued
            return Titled(
                _heading(title), TitleSource.IN_TEXT, [*lines[:at], prefix, *lines[at + 1 :]]
            )
        if _section_above_heading(lines, filled, at):
            continue
        if not is_page_metadata(head):
            title = _heading(head)
            if not title or (at != filled[0] and not _prose_after(lines, at)):
                return None
            return Titled(title, TitleSource.IN_TEXT, [*lines[:at], *lines[at + 1 :]])
    return None


def _heading(head: str) -> str:
    """The title a first line states: a labelled or 《…》 one, or the line itself when
    it looks like a heading; "" when it is prose."""
    labelled = _LABELLED.match(head)
    if labelled:
        return _clean(labelled["title"])
    book = _BOOK_TITLE_LINE.match(head)
    if book and _clean(book["title"]):
        return _clean(book["title"])
    if _looks_like_heading(head) and not _LEAD_DATELINE.match(head):
        return _clean(head)
    return ""


def _section_above_heading(lines: list[str], filled: list[int], at: int) -> bool:
    """Whether line ``at`` is a section name (经济, 小潘杂谈) standing over the real
    headline: a few letters, no digits, and a heading on the next line."""
    head = lines[at].strip()
    if not (0 < len(head) <= MAX_SECTION_CHARS and _SECTION_NAME.fullmatch(head)):
        return False
    later = [i for i in filled if i > at]
    if not later:
        return False
    below = lines[later[0]].strip()
    return not is_page_metadata(below) and len(below) > len(head) and bool(_heading(below))


def _prose_after(lines: list[str], at: int) -> bool:
    """Whether text other than metadata follows line ``at``: a short line after a byline
    is a headline only if the article is below it, not when it is the whole text."""
    return any(line.strip() and not is_page_metadata(line) for line in lines[at + 1 :])


def skip_leading_metadata(text: str) -> str:
    """``text`` from its first line that is not page metadata (all of it if none is)."""
    lines = text.split("\n")
    for at, line in enumerate(lines[: MAX_LEADING_METADATA * 2]):
        if line.strip() and not is_page_metadata(line):
            return "\n".join(lines[at:])
    return text


def _looks_like_heading(line: str) -> bool:
    return 0 < len(line) <= MAX_HEADING_CHARS and not line.endswith(_HEADING_END)


def derive_title(text: str) -> str:
    """A short title from the opening sentence: whole if short, else cut at a clause
    boundary (or at the limit) with an ellipsis."""
    text = text.strip()
    end = _SENTENCE_END.search(text)
    sentence = (text[: end.start()] if end else text).strip()
    if len(sentence) <= DERIVED_CHARS:
        return sentence.rstrip(_CLAUSE_END) or text[:DERIVED_CHARS]
    window = sentence[:DERIVED_CHARS]
    cut = max(window.rfind(ch) for ch in _CLAUSE_END)
    if cut >= MIN_CLAUSE_CHARS:
        return window[:cut] + ELLIPSIS
    return window[: DERIVED_CHARS - 1] + ELLIPSIS


def opening(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text`` on one line, with an ellipsis if cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + ELLIPSIS
