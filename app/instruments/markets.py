"""Which market a stretch of text is about, and which market a listing trades on.

A company with several listings (Alibaba: BABA and 9988.HK) is named the same way in
every market's news; the words around the name say which listing the writer means:
a Hong Kong wrap talks of 港股 and 恒指, a Taiwan wrap of 台股 and 加权指数.
"""

from __future__ import annotations

import re
from collections import Counter

US, HK, CN, TW, JP, KR, IN, AU = "US", "HK", "CN", "TW", "JP", "KR", "IN", "AU"

# Folded (simplified) words that place a paragraph in one market; none may stand inside
# a company's name (恒生 is in 恒生电子, an A-share), and none is said of every market
# (盘前, 证交所).
_MARKET_WORDS: dict[str, tuple[str, ...]] = {
    HK: (
        "港股",
        "恒指",
        "恒生指数",
        "港交所",
        "南向",
        "港元",
        "港币",
        "联交所",
        "香港交易所",
        "国企指数",
    ),
    TW: ("台股", "加权指数", "柜买", "台湾证交所", "集中市场", "新台币", "台北股市"),
    CN: (
        "A股",
        "沪指",
        "深成指",
        "上证",
        "深证",
        "沪深",
        "创业板",
        "科创板",
        "北向",
        "两市",
        "沪市",
        "深市",
        "北交所",
        "上交所",
        "深交所",
    ),
    US: (
        "美股",
        "纳指",
        "标普",
        "道指",
        "纳斯达克",
        "纽交所",
        "华尔街",
        "美元计价",
        "ADR",
    ),
    JP: ("日股", "日经", "东证", "东京股市"),
    KR: ("韩股", "KOSPI", "韩国综合指数", "首尔股市"),
}
_PATTERN = re.compile(
    "|".join(sorted((w for ws in _MARKET_WORDS.values() for w in ws), key=len, reverse=True))
)
_MARKET_OF_WORD = {w: m for m, ws in _MARKET_WORDS.items() for w in ws}

_SUFFIX_MARKET = {
    "HK": HK,
    "SS": CN,
    "SZ": CN,
    "BJ": CN,
    "TW": TW,
    "TWO": TW,
    "T": JP,
    "KS": KR,
    "KQ": KR,
    "NS": IN,
    "BO": IN,
    "AX": AU,
}
# The suffix a four-digit code takes in the markets that use four digits.
SUFFIX_OF_MARKET = {HK: "HK", TW: "TW", JP: "T"}


def market_of_symbol(symbol: str) -> str:
    """The market a listing trades on: from its suffix, else US (plain tickers)."""
    head, dot, suffix = symbol.rpartition(".")
    if dot and head and suffix in _SUFFIX_MARKET:
        return _SUFFIX_MARKET[suffix]
    return US


def market_counts(text: str) -> Counter[str]:
    """How often each market's words occur in folded ``text``."""
    return Counter(_MARKET_OF_WORD[m.group()] for m in _PATTERN.finditer(text))


def leading_market(counts: Counter[str], margin: float = 1.0) -> str | None:
    """The market ``counts`` favours: more often than any other, and at least ``margin``
    times as often as the next; None without such a lead."""
    ranked = counts.most_common(2)
    if not ranked:
        return None
    if len(ranked) == 2:
        (_, first), (_, second) = ranked
        if first == second or first < margin * second:
            return None
    return ranked[0][0]
