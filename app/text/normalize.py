"""Normalised copy of a text for indexing and matching, with a map back to the original.

NFKC folds full-width forms to half-width, OpenCC t2s folds traditional to simplified
script, and runs of spaces collapse to one. ``Normalised.span`` maps a range of the
normalised text back to the original so highlights and mention offsets point at what
the reader sees.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import opencc

_SPACE = re.compile(r"[^\S\n]+")
_SPACE_CHARS = frozenset(
    " \t\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u202f\u205f\u3000"
)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_converter().convert(text))


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    # origin[i] is the offset in the original text of normalised character i;
    # origin[len(text)] is the length of the original text.
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text range covering normalised range ``[start, end)``."""
        if end <= start:
            return self.origin[start], self.origin[start]
        last = self.origin[end - 1]
        # A normalised character may come from several original ones (none here widen
        # the text, but NFKC can shrink it); extend to the next mapped position.
        stop = self.origin[end] if self.origin[end] > last else last + 1
        return self.origin[start], stop

    def position(self, original_offset: int) -> int:
        """Normalised offset of the character at ``original_offset`` in the original."""
        return max(0, bisect_right(self.origin, original_offset) - 1)


def fold(text: str) -> str:
    """The normalised form of ``text`` without an offset map (analysis, queries, keys)."""
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    return _SPACE.sub(" ", folded)


def normalise(text: str) -> Normalised:
    chars: list[str] = []
    origin: list[int] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        _normalise_line(line, pos, chars, origin)
        pos += len(line)
    origin.append(len(text))
    return Normalised(text="".join(chars), origin=tuple(origin))


def _normalise_line(line: str, base: int, chars: list[str], origin: list[int]) -> None:
    if unicodedata.is_normalized("NFKC", line):
        pieces = list(line)
        starts = list(range(base, base + len(line)))
    else:
        pieces, starts = [], []
        for i, ch in enumerate(line):
            folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
            for out in folded:
                pieces.append(out)
                starts.append(base + i)
    joined = "".join(pieces)
    simplified = to_simplified(joined)
    if len(simplified) == len(joined):
        pieces = list(simplified)
    else:
        # OpenCC changed the length (a phrase rule); fall back to one character at a time.
        pieces = [to_simplified(p) if len(to_simplified(p)) == 1 else p for p in pieces]
    previous_space = bool(chars) and chars[-1] == " "
    for out, start in zip(pieces, starts, strict=True):
        if out in _SPACE_CHARS:
            if previous_space:
                continue
            out = " "
            previous_space = True
        else:
            previous_space = False
        chars.append(out)
        origin.append(start)
