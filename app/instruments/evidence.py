"""Weigh the candidate mentions of one text: overlaps, the listing a name means, and the
evidence that everyday names and word-like symbols need before they count.

- Where candidates overlap, the strongest and then the longest wins; a name written
  right before its own code (腾讯 00700.HK) is one mention.
- A name means its issuer; the listing is the one the text wrote a code for, else the
  one trading in the market the paragraph (or else the whole text) is about, else the
  issuer's primary listing.
- An everyday name from an exchange list (统一, 平安) counts when the same company is
  named plainly elsewhere in the text, when a stock word stands right next to it
  (台股统一, 统一股价, 统一涨停), or when it is written among other tickers
  (台积电、统一、大同); a word-like symbol (APP, ON) only among other tickers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property

from app.instruments.dictionary import Dictionary
from app.instruments.markets import CN, HK, US, leading_market, market_counts

EXPLICIT, ALIAS, BARE = 3, 2, 1
DOCUMENT_MARGIN = 2.0


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    symbol: str | None  # None: an ambiguous name waiting for a code
    strength: int
    options: tuple[str, ...] = ()  # every symbol a name may mean
    weak: bool = False  # an everyday name: needs evidence
    wordlike: bool = False  # a symbol that reads as a word: needs other tickers
    # Where the name ends when it was learned from the code written next to it (0: not).
    learned_end: int = 0


# Separators of a list of tickers: 台积电、联电 / NVDA, APP / 统一及大同.
_LIST_GAP = re.compile(r"[ \t、,/;；]{1,3}|[ \t]*(?:和|与|及|以及|跟)[ \t]*")
_STOCK_BEFORE = re.compile(r"(?:台股|港股|A股|美股|个股|权值股|成分股|概念股|龙头)[^\n。，,]{0,2}$")
_STOCK_AFTER = re.compile(
    r"""\s*
    (?:则|亦|也|更|再|又|续|均|皆|以|盘中|早盘|午盘|尾盘|今日|今天)*
    (?:
        股价|股份|股东会|市值|董事长|总经理|营收|财报|法说会|除息|除权
      | 大涨|大跌|收涨|收跌|收高|收低|收报|收盘|亮灯|走高|走低|走扬|上涨|下跌
      | 上扬|劲升|急跌|领涨|领跌|涨幅|跌幅|飙升|重挫|攀升|下挫|涨逾|跌逾|涨近|跌近
      | [^\s，,。；;、]{0,2}(?:涨停|跌停)
      | [涨跌升挫]\s*[\d.]+\s*%
    )""",
    re.VERBOSE,
)


class Context:
    """Where a text talks about which market, by paragraph."""

    def __init__(self, text: str, dictionary: Dictionary) -> None:
        self.text = text
        self.dictionary = dictionary

    @cached_property
    def _paragraphs(self) -> tuple[list[int], list[str | None], str | None]:
        starts: list[int] = []
        markets: list[str | None] = []
        total = market_counts("")
        pos = 0
        for line in self.text.split("\n"):
            counts = market_counts(line)
            total.update(counts)
            starts.append(pos)
            markets.append(leading_market(counts))
            pos += len(line) + 1
        # A whole text is about one market only when that market clearly dominates: a
        # long letter touring several markets routes names by paragraph alone.
        return starts, markets, leading_market(total, DOCUMENT_MARGIN)

    def market_at(self, offset: int) -> str | None:
        """The market of the paragraph around ``offset``, else of the whole text."""
        starts, markets, whole = self._paragraphs
        here = markets[max(0, bisect_right(starts, offset) - 1)]
        return here if here is not None else whole


def choose(text: str, candidates: list[Candidate], dictionary: Dictionary) -> list[Candidate]:
    """Strongest, then longest, evidence wins where candidates overlap; a name written
    right before its own code is one mention."""
    occupied = bytearray(len(text))
    taken: list[Candidate] = []
    ranked = sorted(candidates, key=lambda c: (-c.strength, -(c.end - c.start), c.start))
    for candidate in ranked:
        if candidate.symbol is None or any(occupied[candidate.start : candidate.end]):
            continue
        occupied[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        taken.append(candidate)
    merged: list[Candidate] = []
    for candidate in sorted(taken, key=lambda c: c.start):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.strength, candidate.strength) == (ALIAS, EXPLICIT)
            and last.symbol is not None
            and candidate.symbol is not None
            and dictionary.issuer(last.symbol).id == dictionary.issuer(candidate.symbol).id
            and not text[last.end : candidate.start].strip()
        ):
            merged[-1] = replace(candidate, start=last.start, strength=EXPLICIT, weak=False)
        else:
            merged.append(candidate)
    return merged


# A share class written after the name says the market: 中芯H股, 中芯国际A股, 台积电ADR,
# 台积电美国存托凭证(ADR).
_SHARE_CLASS = re.compile(r"\s*\(?(?P<kind>H股|A股|港股|ADR|美股|美国存托凭证)")
_CLASS_MARKET = {"H股": HK, "港股": HK, "A股": CN, "ADR": US, "美股": US, "美国存托凭证": US}


def _with_listing(context: Context, candidate: Candidate, coded: dict[str, str]) -> Candidate:
    """A name's listing: by the share class written after it, else the one coded in the
    text, else by the paragraph's market, else the primary. A symbol says its listing."""
    if candidate.strength != ALIAS or candidate.symbol is None:
        return candidate
    dictionary = context.dictionary
    written = _SHARE_CLASS.match(context.text, candidate.end)
    if written is not None and (
        listing := dictionary.trading_in(candidate.symbol, _CLASS_MARKET[written["kind"]])
    ):
        return replace(candidate, symbol=listing)
    issuer = dictionary.issuer(candidate.symbol).id
    symbol = coded.get(issuer) or dictionary.listing_in(
        candidate.symbol, context.market_at(candidate.start)
    )
    return replace(candidate, symbol=symbol)


def _neighbours(text: str, ordered: list[Candidate], i: int, accepted: list[bool]) -> bool:
    """Whether candidate ``i`` stands in a list next to an accepted mention."""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(ordered) or not accepted[j]:
            continue
        left, right = sorted((ordered[i], ordered[j]), key=lambda c: c.start)
        if _LIST_GAP.fullmatch(text[left.end : right.start]):
            return True
    return False


def _stock_word_next_to(text: str, candidate: Candidate) -> bool:
    before = text[max(0, candidate.start - 6) : candidate.start]
    return bool(_STOCK_BEFORE.search(before) or _STOCK_AFTER.match(text, candidate.end))


def confirm(context: Context, chosen: list[Candidate]) -> list[Candidate]:
    """The chosen candidates that have the evidence they need, each with its listing."""
    text, dictionary = context.text, context.dictionary
    coded: dict[str, str] = {}
    for c in chosen:
        if c.strength == EXPLICIT and c.symbol is not None:
            coded.setdefault(dictionary.issuer(c.symbol).id, c.symbol)
    plainly = {
        dictionary.issuer(c.symbol).id
        for c in chosen
        if c.symbol is not None and not (c.weak or c.wordlike)
    }
    needy = [c.weak or c.wordlike for c in chosen]
    accepted = [not n for n in needy]
    for i, c in enumerate(chosen):
        if (
            c.weak
            and c.symbol is not None
            and (dictionary.issuer(c.symbol).id in plainly or _stock_word_next_to(text, c))
        ):
            accepted[i] = True
    changed = True
    while changed:
        changed = False
        for i in range(len(chosen)):
            if needy[i] and not accepted[i] and _neighbours(text, chosen, i, accepted):
                accepted[i] = changed = True
    return [_with_listing(context, c, coded) for c, ok in zip(chosen, accepted, strict=True) if ok]
