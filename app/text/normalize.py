"""Normalised copy of a text for indexing and matching, with a map back to the original.

NFKC folds full-width forms to half-width, OpenCC t2s folds traditional to simplified
script, and runs of whitespace other than line breaks collapse to one space.
``Normalised.span`` maps a range of the normalised text back to the original so
highlights and mention offsets point at what the reader sees. ``fold`` is the same
normalisation without the map; the two always agree.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Whitespace that folding changes: any but a space or a line break, or two spaces.
_ODD_SPACE = re.compile(r"[^\S\n ]| {2}")
# NFKC of single characters, memoised: commentary uses a few thousand distinct ones.
_NFKC: dict[str, str] = {}


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
    origin: Sequence[int]

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


def _nfkc(text: str) -> tuple[list[str], list[int]]:
    """NFKC character by character: the pieces and the original offset of each."""
    if text.isascii():
        return list(text), list(range(len(text)))
    pieces: list[str] = []
    starts: list[int] = []
    memo = _NFKC
    for i, ch in enumerate(text):
        folded = memo.get(ch)
        if folded is None:
            folded = memo[ch] = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        if len(folded) == 1:
            pieces.append(folded)
            starts.append(i)
        else:
            for out in folded:
                pieces.append(out)
                starts.append(i)
    return pieces, starts


def _simplified(pieces: list[str]) -> list[str]:
    """t2s over the whole text when it keeps the length (nearly always), else line by
    line, and character by character where a phrase rule changes a line's length."""
    joined = "".join(pieces)
    converted = to_simplified(joined)
    if len(converted) == len(joined):
        return list(converted)
    result: list[str] = []
    for line in joined.splitlines(keepends=True):
        simple = to_simplified(line)
        if len(simple) == len(line):
            result.extend(simple)
        else:
            for ch in line:
                one = to_simplified(ch)
                result.append(one if len(one) == 1 else ch)
    return result


def _fold(text: str) -> tuple[list[str], list[int]]:
    pieces, starts = _nfkc(text)
    pieces = _simplified(pieces)
    chars: list[str] = []
    origin: list[int] = []
    previous_space = False
    for out, start in zip(pieces, starts, strict=True):
        if out != "\n" and out.isspace():
            if previous_space:
                continue
            out = " "
            previous_space = True
        else:
            previous_space = False
        chars.append(out)
        origin.append(start)
    return chars, origin


def _folded_in_place(text: str) -> str | None:
    """The folded text when folding maps each character to exactly one (nearly all
    commentary: full-width punctuation, traditional characters, single spaces), done at
    C speed; None when a character widens or vanishes, or spaces collapse.

    What NFKC makes of each character is learnt once per process (``_learn``): a text
    costs set operations and one ``translate``, not a loop over its characters."""
    chars = set(text)
    unseen = chars - _SEEN
    if unseen:
        _learn(unseen)
    if not _WIDENING.isdisjoint(chars):
        return None
    narrow = text.translate(_NARROWED)
    simple = to_simplified(narrow)
    if len(simple) != len(narrow) or _ODD_SPACE.search(simple) is not None:
        return None
    return simple


# Characters whose NFKC form is known; of those, the ones it maps to another single
# character (``str.translate``'s table) and the ones it widens or drops.
_SEEN: set[str] = set()
_NARROWED: dict[int, str] = {}
_WIDENING: set[str] = set()
_LEARNING = threading.Lock()


def _learn(chars: set[str]) -> None:
    with _LEARNING:
        for ch in chars:
            if ord(ch) > 0x7F:
                folded = _NFKC.get(ch)
                if folded is None:
                    folded = _NFKC[ch] = unicodedata.normalize("NFKC", ch)
                if len(folded) != 1:
                    _WIDENING.add(ch)
                elif folded != ch:
                    _NARROWED[ord(ch)] = folded
            _SEEN.add(ch)


def fold(text: str) -> str:
    """The normalised form of ``text`` without an offset map (analysis, queries, keys)."""
    quick = _folded_in_place(text)
    return quick if quick is not None else "".join(_fold(text)[0])


def normalise(text: str) -> Normalised:
    quick = _folded_in_place(text)
    if quick is not None:
        return Normalised(text=quick, origin=range(len(text) + 1))
    chars, origin = _fold(text)
    origin.append(len(text))
    return Normalised(text="".join(chars), origin=origin)
