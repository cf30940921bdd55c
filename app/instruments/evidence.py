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
from app.instruments.trace import IN_A_LIST, NAMED_PLAINLY, STOCK_WORD, MentionTrace, Reason

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


# Separators of a list of tickers: 台积电、联电 / NVDA, APP. A space alone does not make a
# list (腾讯 APP), and 和 joins only names that are not among the commonest words
# (中国电信和中国联通, not 小米和中华老字号).
_LIST_GAP = re.compile(r"[ \t]*[、,/;；][ \t]*")
_LIST_JOIN = re.compile(r"[ \t]*(?:和|与|及|以及|跟)[ \t]*")
_STOCK_BEFORE = re.compile(r"(?:台股|港股|A股|美股|个股|权值股|成分股|概念股|龙头)$")
# Words that speak of a stock, and moves with their size (统一涨3%); a bare 上涨 is said
# of prices and seasons too (全国油价统一上涨). The names commonest in ordinary Chinese
# (统一, 全国, 开发) need more than a move: 全国房价上涨0.3% is not about a company.
_STOCK_WORD = re.compile(
    r"""\s*
    (?:则|亦|也|更|再|又|续|均|皆|以|盘中|早盘|午盘|尾盘|今日|今天)*
    (?:
        股价|股份|股东会|市值|董事长|总经理|营收|财报|法说会|除息|除权|收报|收盘价|亮灯
      | [^\s，,。；;、]{0,2}(?:涨停|跌停)
    )""",
    re.VERBOSE,
)
_STOCK_MOVE = re.compile(
    r"""\s*(?:则|亦|也|更|再|又|续|均|皆)*
    (?:大涨|大跌|收涨|收跌|收高|收低|走高|走低|走扬|上涨|下跌|上扬|劲升|急跌|领涨|领跌
      |涨幅|跌幅|飙升|重挫|攀升|下挫|[涨跌升挫])
    \s*(?:逾|近|约|超过|达)?\s*[\d.]+\s*(?:%|成|元|点|倍)""",
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

    def paragraph_market(self, offset: int) -> str | None:
        """The market of the paragraph around ``offset``, if it is about one."""
        starts, markets, _ = self._paragraphs
        return markets[max(0, bisect_right(starts, offset) - 1)]

    def market_at(self, offset: int) -> str | None:
        """The market of the paragraph around ``offset``, else of the whole text."""
        return self.paragraph_market(offset) or self._paragraphs[2]


def choose(
    text: str,
    candidates: list[Candidate],
    dictionary: Dictionary,
    trace: MentionTrace | None = None,
) -> list[Candidate]:
    """Strongest, then longest, evidence wins where candidates overlap; a name written
    right before its own code is one mention."""
    occupied = bytearray(len(text))
    taken: list[Candidate] = []
    ranked = sorted(candidates, key=lambda c: (-c.strength, -(c.end - c.start), c.start))
    for candidate in ranked:
        if candidate.symbol is None:
            if trace is not None:
                trace.refused(candidate, Reason.AMBIGUOUS)
            continue
        if any(occupied[candidate.start : candidate.end]):
            if trace is not None:
                trace.overlapped(candidate, taken, text)
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
            if trace is not None:
                trace.joined(last, candidate, merged[-1], text)
        else:
            merged.append(candidate)
    return merged


# A share class written after the name says the market: 中芯H股, 中芯国际A股, 台积电ADR,
# 台积电美国存托凭证(ADR).
_SHARE_CLASS = re.compile(r"\s*\(?(?P<kind>H股|A股|港股|ADR|美股|美国存托凭证)")
_CLASS_MARKET = {"H股": HK, "港股": HK, "A股": CN, "ADR": US, "美股": US, "美国存托凭证": US}


def _with_listing(
    context: Context, candidate: Candidate, coded: dict[str, str]
) -> tuple[Candidate, Reason]:
    """A name's listing: by the share class written after it, else the one trading in
    the market its paragraph is about, else the one coded elsewhere in the text, else
    the one of the text's market, else the primary. A symbol says its own listing.
    With it, the rule that gave it."""
    if candidate.strength != ALIAS or candidate.symbol is None:
        return candidate, Reason.WRITTEN
    dictionary = context.dictionary
    written = _SHARE_CLASS.match(context.text, candidate.end)
    if written is not None and (
        listing := dictionary.trading_in(candidate.symbol, _CLASS_MARKET[written["kind"]])
    ):
        return replace(candidate, symbol=listing), Reason.SHARE_CLASS
    here = dictionary.trading_in(candidate.symbol, context.paragraph_market(candidate.start))
    if here:
        return replace(candidate, symbol=here), Reason.PARAGRAPH_MARKET
    issuer = dictionary.issuer(candidate.symbol).id
    if elsewhere := coded.get(issuer):
        return replace(candidate, symbol=elsewhere), Reason.CODED_ELSEWHERE
    there = dictionary.trading_in(candidate.symbol, context.market_at(candidate.start))
    if there:
        return replace(candidate, symbol=there), Reason.TEXT_MARKET
    return replace(candidate, symbol=dictionary.listings(candidate.symbol)[0]), Reason.PRIMARY


def _neighbours(
    text: str, ordered: list[Candidate], i: int, accepted: list[bool], commonest: bool
) -> bool:
    """Whether candidate ``i`` stands in a list next to an accepted mention; a word-like
    symbol needs a symbol beside it (NVDA、APP), not a name."""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(ordered) or not accepted[j]:
            continue
        if ordered[i].wordlike and not _is_symbol(text, ordered[j]):
            continue
        left, right = sorted((ordered[i], ordered[j]), key=lambda c: c.start)
        gap = text[left.end : right.start]
        if _LIST_GAP.fullmatch(gap) or (
            ordered[i].weak and not commonest and _LIST_JOIN.fullmatch(gap)
        ):
            return True
    return False


def _is_symbol(text: str, candidate: Candidate) -> bool:
    return candidate.strength != ALIAS and text[candidate.start].isascii()


def _stock_word_next_to(text: str, candidate: Candidate, commonest: bool) -> bool:
    before = text[max(0, candidate.start - 6) : candidate.start]
    if _STOCK_BEFORE.search(before) or _STOCK_WORD.match(text, candidate.end):
        return True
    return not commonest and _STOCK_MOVE.match(text, candidate.end) is not None


def confirm(
    context: Context, chosen: list[Candidate], trace: MentionTrace | None = None
) -> list[Candidate]:
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
    commonest = [text[c.start : c.end] in dictionary.commonest_names for c in chosen]
    for i, c in enumerate(chosen):
        if not c.weak or c.symbol is None:
            continue
        named_plainly = dictionary.issuer(c.symbol).id in plainly
        if named_plainly or _stock_word_next_to(text, c, commonest[i]):
            accepted[i] = True
            if trace is not None:
                trace.supported(c, NAMED_PLAINLY if named_plainly else STOCK_WORD)
    changed = True
    while changed:
        changed = False
        for i in range(len(chosen)):
            if (
                needy[i]
                and not accepted[i]
                and _neighbours(text, chosen, i, accepted, commonest[i])
            ):
                accepted[i] = changed = True
                if trace is not None:
                    trace.supported(chosen[i], IN_A_LIST)
    if trace is not None:
        return _traced(context, chosen, accepted, coded, trace)
    return [
        _with_listing(context, c, coded)[0] for c, ok in zip(chosen, accepted, strict=True) if ok
    ]


def _traced(
    context: Context,
    chosen: list[Candidate],
    accepted: list[bool],
    coded: dict[str, str],
    trace: MentionTrace,
) -> list[Candidate]:
    """``confirm``'s result, telling ``trace`` the verdict on each chosen candidate."""
    confirmed = []
    for candidate, ok in zip(chosen, accepted, strict=True):
        if not ok:
            needs = Reason.WORDLIKE if candidate.wordlike else Reason.EVERYDAY_NAME
            trace.refused(candidate, needs)
            continue
        listed, rule = _with_listing(context, candidate, coded)
        trace.counted(candidate, listed, rule)
        confirmed.append(listed)
    return confirmed
