"""Titles: a 《…》 line at the end, a heading line at the start, or one derived from the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.models import TitleSource
from app.text.boilerplate import strip_trailing_counter

MAX_HEADING_CHARS = 60
DERIVED_CHARS = 30
MIN_CLAUSE_CHARS = 8
ELLIPSIS = "…"

_BOOK_TITLE_LINE = re.compile(r"^\s*《(?P<title>.+)》\s*$")
_LABELLED = re.compile(
    r"^\s*(?:(?:标题|標題|题目|title)\s*[:：]|#{1,3}(?=\s))\s*(?P<title>\S.*)$", re.I
)
_QUOTES = "“”\"「」『』'‘’ "
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = "，,；;：:、"
_HEADING_END = tuple("。，,；;：:！!？?…")


@dataclass(frozen=True, slots=True)
class Titled:
    title: str
    source: TitleSource
    lines: list[str]  # the body lines with the title line removed


def _clean(title: str) -> str:
    return re.sub(r"\s+", " ", title.strip().strip(_QUOTES).strip())


def find_title(lines: list[str]) -> Titled | None:
    """The title written in the text, and the lines without it; None when there is none."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return None
    last, first = filled[-1], filled[0]
    book = _BOOK_TITLE_LINE.match(strip_trailing_counter(lines[last]))
    if book and _clean(book["title"]):
        return Titled(_clean(book["title"]), TitleSource.IN_TEXT, lines[:last])
    head = lines[first].strip()
    labelled = _LABELLED.match(head)
    if labelled:
        return Titled(_clean(labelled["title"]), TitleSource.IN_TEXT, lines[first + 1 :])
    book = _BOOK_TITLE_LINE.match(head)
    if book and _clean(book["title"]):
        return Titled(_clean(book["title"]), TitleSource.IN_TEXT, lines[first + 1 :])
    if _looks_like_heading(head):
        return Titled(_clean(head), TitleSource.IN_TEXT, lines[first + 1 :])
    return None


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
