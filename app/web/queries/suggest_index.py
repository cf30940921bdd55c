"""What a reader may type to find an instrument, as one sorted in-memory index.

Every listing is filed under its symbol, the code readers type without the market
(600519, 2330, 700 / 0700 / 00700), each of its names and aliases folded (full-width to
half-width, traditional to simplified, Latin in lower case, without spaces), and, for
names in Chinese, their full pinyin and pinyin initials (英伟达: yingweida, ywd). Pinyin
is read phrase by phrase, so polyphonic characters take the reading of the word they
are in (银行 is yinhang, 重庆 chongqing, 长城 changcheng).

A lookup finds the keys equal to the query, the keys it begins, and the names and
symbols it occurs in, for the caller to rank; building the index for the ~11,000
listings of the dictionary takes about a second, so it is built once per process.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

from app.text.normalize import fold
from app.text.pinyin import Reading, read_aloud, search_key

_SPACES = re.compile(r"\s+")
_CODE = re.compile(r"(\d{3,6})\.([A-Z]{1,3})")
# Separates keys in the text searched for names containing the query; never in a key.
_GAP = "\n"


class Field(IntEnum):
    """What a key is, in the order a match on it ranks among equal matches."""

    SYMBOL = 0
    CODE = 1
    NAME = 2
    PINYIN = 3
    INITIALS = 4


class Tier(IntEnum):
    EXACT = 0
    PREFIX = 1
    CONTAINS = 2


@dataclass(frozen=True, slots=True)
class Listing:
    """One instrument as the suggestions show it."""

    symbol: str
    label: str  # the Chinese name when it has one
    name: str  # the English name
    kind: str  # stock, etf, index, crypto, commodity
    issuer: str
    primary: bool  # the issuer's primary listing
    reviewed: bool  # from our reviewed list rather than an exchange list
    names: tuple[str, ...]  # every name and alias, as written


# How well a listing matched: tier, field, length of the key, the name as written.
# Smaller is better, in that order.
Quality = tuple[Tier, Field, int, str]


def codes(symbol: str) -> list[str]:
    """The codes a reader types for a listing: the digits of 600519.SS or 2330.TW, and
    a Hong Kong code with and without its leading zeros (700, 0700, 00700)."""
    found = _CODE.fullmatch(symbol)
    if found is None:
        return []
    digits, market = found.groups()
    if market != "HK":
        return [digits]
    bare = digits.lstrip("0")
    return list(dict.fromkeys([digits, bare, bare.zfill(5)]))


def _keys(listing: Listing, spoken: dict[str, Reading | None]) -> Iterator[tuple[str, Field, str]]:
    """Every key of a listing; ``spoken`` holds the readings of its folded names."""
    yield search_key(listing.symbol), Field.SYMBOL, listing.symbol
    for code in codes(listing.symbol):
        yield code, Field.CODE, code
    for name in listing.names:
        folded = fold(name)
        yield _SPACES.sub("", folded).casefold(), Field.NAME, name
        said = spoken[folded]
        if said is not None:
            yield said[0], Field.PINYIN, name
            yield said[1], Field.INITIALS, name


# Past this many keys beginning with a query (6, 00, Z), only the listings that can rank
# first are looked at: the mentioned ones and the reviewed ones.
_WIDE = 1500


class Keys:
    """Keys in order, each with its listing number, field and name as written."""

    def __init__(self, rows: Iterable[tuple[str, int, Field, str]]) -> None:
        ordered = sorted(rows)
        self.keys = [row[0] for row in ordered]
        self.rows = [(row[1], row[2], row[3]) for row in ordered]

    def span(self, query: str) -> tuple[int, int]:
        """Positions of the keys that begin with ``query``."""
        first = bisect_left(self.keys, query)
        return first, bisect_left(self.keys, query + "\U0010ffff", first)

    def collect(self, query: str, first: int, end: int, best: dict[int, Quality]) -> None:
        keys, rows = self.keys, self.rows
        for position in range(first, end):
            key = keys[position]
            number, field, written = rows[position]
            quality = (Tier.EXACT if key == query else Tier.PREFIX, field, len(key), written)
            known = best.get(number)
            if known is None or quality < known:
                best[number] = quality


class InstrumentIndex:
    """Listings by every key a reader may type. Read-only once built: safe to share
    between threads."""

    def __init__(self, listings: Iterable[Listing]) -> None:
        self.listings = tuple(listings)
        self.number = {listing.symbol: n for n, listing in enumerate(self.listings)}
        rows: set[tuple[str, int, Field, str]] = set()
        spoken = read_aloud(fold(name) for listing in self.listings for name in listing.names)
        for number, listing in enumerate(self.listings):
            for key, field, written in _keys(listing, spoken):
                if key and _GAP not in key:
                    rows.add((key, number, field, written))
        self._all = Keys(rows)
        self._reviewed = self.subset(n for n, i in enumerate(self.listings) if i.reviewed)
        # Names and symbols, each once with its rows, for queries that occur inside one.
        named: dict[str, list[tuple[int, Field, str]]] = {}
        for key, (number, field, written) in zip(self._all.keys, self._all.rows, strict=True):
            if field in (Field.NAME, Field.SYMBOL):
                named.setdefault(key, []).append((number, field, written))
        inner = list(named)
        self._inner_keys = inner
        self._inner_rows = list(named.values())
        self._inner_text = _GAP.join(inner)
        self._inner_starts: list[int] = []
        offset = 0
        for key in inner:
            self._inner_starts.append(offset)
            offset += len(key) + 1

    def __len__(self) -> int:
        return len(self._all.keys)

    def subset(self, numbers: Iterable[int]) -> Keys:
        """The keys of some listings only (those mentioned in the archive, say)."""
        wanted = set(numbers)
        every = self._all
        return Keys(
            (key, *row) for key, row in zip(every.keys, every.rows, strict=True) if row[0] in wanted
        )

    def best_matches(
        self, query: str, inside: bool, enough: int, favoured: Sequence[Keys] = ()
    ) -> dict[int, Quality]:
        """The best match of each listing that may be among the first ``enough`` for an
        already ``search_key``-ed query, by listing number: keys equal to it, keys it
        begins, and, when ``inside`` and those are too few, names and symbols it occurs
        in.

        Where very many keys begin with the query (6, Z), the listings looked at beyond
        the exact matches are those of ``favoured``, a sequence of ever larger subsets
        each of which ranks before every listing outside it among beginnings (the most
        mentioned; every mentioned one), then the reviewed ones, then all: the first
        that gives ``enough`` is enough."""
        best: dict[int, Quality] = {}
        if not query:
            return best
        first, end = self._all.span(query)
        if end - first <= _WIDE or not favoured:
            self._all.collect(query, first, end, best)
        else:
            self._all.collect(query, first, bisect_right(self._all.keys, query, first), best)
            for some in (*favoured, self._reviewed):
                some.collect(query, *some.span(query), best)
                if len(best) >= enough:
                    break
            else:  # too few of those: every listing after all
                self._all.collect(query, first, end, best)
        if not inside or len(best) >= enough:
            return best
        text, starts, inner = self._inner_text, self._inner_starts, self._inner_keys
        found = text.find(query)
        while found != -1:
            which = bisect_right(starts, found) - 1
            key = inner[which]
            if found > starts[which]:  # at the start of a key it was a prefix match
                for number, field, written in self._inner_rows[which]:
                    if number not in best:
                        best[number] = (Tier.CONTAINS, field, len(key), written)
            # One match per key is enough: on to the next one.
            found = text.find(query, starts[which] + len(key) + 1)
        return best
