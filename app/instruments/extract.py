"""Find the instruments a commentary mentions, with offsets into its original text.

Matching runs on the normalised text (full-width folded, traditional to simplified) and
maps back through the offset map. Three kinds of evidence, strongest first:

1. explicit forms: ``$NVDA$``, ``$英伟达(NVDA)$``, ``NVDA.US``, ``US.NVDA``, ``NVDA-US``,
   ``00700.HK``, ``SH600519``, and a name followed by its code, ``博通(AVGO)``, where the
   code also settles an ambiguous name (超微(AMD));
2. names and aliases from the dictionary: Chinese ones only on jieba word boundaries
   (so 阿里 inside 阿里山 does not count), Latin ones case-sensitively as whole words
   (Meta counts, meta-analysis does not); ambiguous names never count on their own;
3. bare upper-case symbols that the dictionary knows and the stop list does not hold.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from app.instruments.dictionary import Dictionary, load
from app.search.analyzer import words
from app.text.normalize import Normalised, normalise

EXPLICIT, ALIAS, BARE = 3, 2, 1

_SYMBOLISH = r"[A-Z][A-Z0-9]{0,5}(?:[.\-][A-Z])?"
_EXPLICIT = [
    re.compile(r"\$(?P<name>[^\s$()]{1,30}?)\((?P<code>[A-Za-z0-9.\-]{1,12})\)\$"),
    re.compile(rf"(?<![A-Za-z0-9])\$(?P<code>{_SYMBOLISH})\$?(?![A-Za-z0-9])"),
    re.compile(rf"(?<![A-Za-z0-9.\-])(?P<code>{_SYMBOLISH})[.\-]US(?![A-Za-z0-9])"),
    re.compile(rf"(?<![A-Za-z0-9.\-])US\.(?P<code>{_SYMBOLISH})(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>\d{3,5}\.HK)(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>(?:SH|SZ)\.?\d{6}|HK\.\d{4,5})(?![0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>\d{6}\.(?:SH|SS|SZ|KS))(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>\d{4}\.(?:T|TW))(?![A-Za-z0-9])"),
]
_CODE_IN_PARENS = re.compile(r"\s*\(\s*(?P<code>[A-Za-z0-9.\-]{1,12})\s*\)")
_BARE = re.compile(rf"(?<![A-Za-z0-9.$\-])(?P<code>{_SYMBOLISH})(?![A-Za-z0-9]|-[A-Za-z0-9])")


@dataclass(frozen=True, slots=True)
class Found:
    symbol: str
    alias: str  # as written in the original text
    start: int  # offsets into the original text
    end: int
    paragraph: int  # index among the non-empty lines, from 0


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    symbol: str | None  # None: an ambiguous name waiting for a code
    strength: int
    options: tuple[str, ...] = ()  # every symbol a name may mean


@lru_cache(maxsize=4)
def _automaton(dictionary: Dictionary) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for alias in dictionary.aliases:
        automaton.add_word(alias, alias)
    automaton.make_automaton()
    return automaton


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _word_bounds(tokens: Iterable[tuple[int, str, int, int]]) -> set[int]:
    """Where the index's words start and end (sub-words, which share their parent's
    position, add none)."""
    bounds: set[int] = set()
    last = -1
    for pos, _, start, end in tokens:
        if pos != last:
            bounds.add(start)
            bounds.add(end)
            last = pos
    return bounds


def _continues_latin(text: str, i: int, step: int) -> bool:
    """Whether position ``i`` carries on a Latin word: a letter or digit, or a joiner
    (``-`` or ``.``) with one right behind it (Meta-analysis, Meta.ai)."""
    if not 0 <= i < len(text):
        return False
    if _is_latin(text[i]):
        return True
    j = i + step
    return text[i] in "-." and 0 <= j < len(text) and _is_latin(text[j])


def _alias_fits(text: str, start: int, end: int, bounds: set[int]) -> bool:
    """A Latin edge must not run into a longer word; a Chinese edge must fall on a
    jieba word boundary, so a name inside a longer different word does not count."""
    if _is_latin(text[start]):
        if _continues_latin(text, start - 1, -1):
            return False
    elif start not in bounds:
        return False
    if _is_latin(text[end - 1]):
        return not _continues_latin(text, end, 1)
    return end in bounds


def _aliases(text: str, dictionary: Dictionary, bounds: set[int]) -> Iterator[_Candidate]:
    for last, alias in _automaton(dictionary).iter(text):
        start, end = last - len(alias) + 1, last + 1
        if not _alias_fits(text, start, end, bounds):
            continue
        symbols = dictionary.aliases[alias]
        ambiguous = alias in dictionary.ambiguous_aliases or len(symbols) != 1
        yield _Candidate(start, end, None if ambiguous else symbols[0], ALIAS, symbols)


def _explicit(text: str, dictionary: Dictionary, names: list[_Candidate]) -> Iterator[_Candidate]:
    for pattern in _EXPLICIT:
        for match in pattern.finditer(text):
            symbol = dictionary.resolve(match["code"])
            if symbol is not None:
                yield _Candidate(match.start(), match.end(), symbol, EXPLICIT)
    ends = {c.end: c for c in names}
    for match in _CODE_IN_PARENS.finditer(text):
        name = ends.get(match.start())
        if name is None:
            continue
        symbol = dictionary.resolve(match["code"], name.options)
        if symbol is not None:
            yield _Candidate(name.start, match.end(), symbol, EXPLICIT)


def _bare(text: str, dictionary: Dictionary) -> Iterator[_Candidate]:
    for match in _BARE.finditer(text):
        # BRK-B is how some sites write BRK.B.
        code = match["code"].replace("-", ".")
        if code in dictionary.by_symbol and code not in dictionary.stop_words:
            yield _Candidate(match.start(), match.end(), code, BARE)


def _choose(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Strongest, then longest, evidence wins where candidates overlap; a name written
    right before its own code (腾讯 00700.HK) is one mention."""
    occupied = bytearray(len(text))
    taken: list[_Candidate] = []
    ranked = sorted(candidates, key=lambda c: (-c.strength, -(c.end - c.start), c.start))
    for candidate in ranked:
        if candidate.symbol is None or any(occupied[candidate.start : candidate.end]):
            continue
        occupied[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        taken.append(candidate)
    merged: list[_Candidate] = []
    for candidate in sorted(taken, key=lambda c: c.start):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.strength, candidate.strength) == (ALIAS, EXPLICIT)
            and last.symbol == candidate.symbol
            and not text[last.end : candidate.start].strip()
        ):
            merged[-1] = _Candidate(last.start, candidate.end, last.symbol, EXPLICIT)
        else:
            merged.append(candidate)
    return merged


def _paragraph_starts(text: str) -> list[int]:
    starts, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(pos)
        pos += len(line) + 1
    return starts


def extract(
    text: str,
    dictionary: Dictionary | None = None,
    *,
    normalised: Normalised | None = None,
    tokens: Iterable[tuple[int, str, int, int]] | None = None,
) -> list[Found]:
    """Mentions in ``text``. Ingest passes the ``normalised`` text and its index
    ``tokens`` (``analyzer.words`` over it) so the text is segmented only once."""
    dictionary = dictionary or load()
    normalised = normalised or normalise(text)
    folded = normalised.text
    bounds = _word_bounds(tokens if tokens is not None else words(folded))
    names = list(_aliases(folded, dictionary, bounds))
    candidates = [*names, *_explicit(folded, dictionary, names), *_bare(folded, dictionary)]
    paragraphs = _paragraph_starts(text)
    found = []
    for candidate in _choose(folded, candidates):
        assert candidate.symbol is not None
        start, end = normalised.span(candidate.start, candidate.end)
        paragraph = max(0, bisect_right(paragraphs, start) - 1)
        found.append(Found(candidate.symbol, text[start:end], start, end, paragraph))
    return found
