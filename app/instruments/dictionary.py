"""The instrument dictionary: every instrument, its names, its issuer's other listings.

Built from the data files read by ``catalog`` (the curated ``instruments.csv``, the
generated ``listings.csv``, ``issuers.csv``, the stop lists, and a reader's
``aliases.csv`` in the data folder). Names are looked up folded (full-width to
half-width, traditional to simplified), Latin names in any case.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from app.instruments import catalog
from app.instruments.catalog import DictionaryError, Instrument, Issuer
from app.instruments.common_names import weak_names
from app.instruments.markets import market_of_symbol
from app.instruments.named import Named
from app.text.normalize import fold

__all__ = [
    "Dictionary",
    "DictionaryError",
    "Instrument",
    "Issuer",
    "Sources",
    "active",
    "build",
    "load",
    "read_sources",
]

# A query word of digits alone is a code when it is this long (700, 0700, 00700, 600519).
_BARE_CODE = re.compile(r"\d{3,6}")


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per data set
class Dictionary:
    instruments: tuple[Instrument, ...]
    issuers: tuple[Issuer, ...]
    stop_words: frozenset[str]
    wordlike: frozenset[str]  # symbols that count bare only among other tickers
    # Listed names reviewed as ordinary phrases, places or famous names (海量数据).
    everyday_listed: frozenset[str]
    sources: Sources  # the texts it was built from

    @cached_property
    def by_symbol(self) -> dict[str, Instrument]:
        return {i.symbol: i for i in self.instruments}

    @cached_property
    def _issuer_of(self) -> dict[str, Issuer]:
        found = {symbol: issuer for issuer in self.issuers for symbol in issuer.listings}
        for instrument in self.instruments:
            if instrument.symbol not in found:
                found[instrument.symbol] = Issuer(
                    instrument.symbol, instrument.name_zh, (instrument.symbol,)
                )
        return found

    @property
    def fingerprint(self) -> str:
        return self.sources.fingerprint

    def issuer(self, symbol: str) -> Issuer:
        """The issuer of a listing; an instrument listed once is its own issuer."""
        found = self._issuer_of.get(symbol)
        return found if found is not None else Issuer(symbol, None, (symbol,))

    def listings(self, symbol: str) -> tuple[str, ...]:
        return self.issuer(symbol).listings

    def trading_in(self, symbol: str, market: str | None) -> str | None:
        """The listing of ``symbol``'s issuer that trades in ``market``, if any."""
        for listing in self.listings(symbol) if market is not None else ():
            if market_of_symbol(listing) == market:
                return listing
        return None

    def listing_in(self, symbol: str, market: str | None) -> str:
        """The listing of ``symbol``'s issuer that trades in ``market``, else the primary."""
        return self.trading_in(symbol, market) or self.listings(symbol)[0]

    @cached_property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Folded alias (name, not symbol) to the symbols it may mean. A name we review
        for some instruments means only those: 三星 is Samsung Electronics, although a
        Taiwan company is listed under that short name too (its code still finds it)."""
        reviewed: dict[str, set[str]] = defaultdict(set)
        listed: dict[str, set[str]] = defaultdict(set)
        for instrument in self.instruments:
            for alias in {instrument.name_zh or "", *instrument.aliases}:
                if alias:
                    kept = listed if alias in instrument.listed else reviewed
                    kept[fold(alias)].add(instrument.symbol)
        return {
            alias: tuple(sorted(reviewed.get(alias) or listed[alias]))
            for alias in reviewed.keys() | listed.keys()
        }

    def issuers_of(self, alias: str) -> set[str]:
        return {self.issuer(s).id for s in self.aliases.get(alias, ())}

    @cached_property
    def marked_ambiguous(self) -> frozenset[str]:
        """Folded names marked ``?``: they count only next to a code."""
        return frozenset(fold(a) for i in self.instruments for a in i.ambiguous)

    @cached_property
    def ambiguous_aliases(self) -> frozenset[str]:
        """Folded names that may mean more than one company, or are marked so."""
        shared = {alias for alias in self.aliases if len(self.issuers_of(alias)) > 1}
        return self.marked_ambiguous | shared

    def only_in(self, symbols: tuple[str, ...], market: str | None) -> str | None:
        """The one listing among ``symbols`` that trades in ``market``, if exactly one
        company's does (特力 in a Taiwan paragraph is 2908.TW, not 000025.SZ)."""
        here = [s for s in symbols if market is not None and market_of_symbol(s) == market]
        return here[0] if len({self.issuer(s).id for s in here}) == 1 else None

    @cached_property
    def _everyday(self) -> tuple[frozenset[str], frozenset[str]]:
        listed = {fold(a) for i in self.instruments for a in i.listed}
        reviewed = {
            fold(a) for i in self.instruments for a in {i.name_zh or "", *i.aliases} - i.listed
        }
        return weak_names(listed - reviewed, self.aliases, self.issuers_of, self.everyday_listed)

    @cached_property
    def weak_aliases(self) -> frozenset[str]:
        """Folded names that are everyday words or parts of many names (平安, 统一,
        大同 from the exchange lists; those we mark, such as 中兴): they count only with
        evidence."""
        marked = {fold(a) for i in self.instruments for a in i.everyday}
        return self._everyday[0] | marked

    @property
    def commonest_names(self) -> frozenset[str]:
        """The everyday names that are among the commonest words of the language."""
        return self._everyday[1]

    @cached_property
    def _latin_aliases(self) -> dict[str, tuple[str, ...]]:
        """Latin aliases case-folded (nvidia, NVIDIA, Nvidia alike)."""
        found: dict[str, set[str]] = defaultdict(set)
        for alias, symbols in self.aliases.items():
            if alias.isascii():
                key = alias.casefold()
                found[key].update(symbols)
                if alias in self.ambiguous_aliases:
                    found[key].add(catalog.AMBIGUOUS)
        return {key: tuple(sorted(symbols)) for key, symbols in found.items()}

    def _named(self, symbol: str) -> Named:
        issuer = self.issuer(symbol)
        names = [symbol]
        for listing in issuer.listings:
            entry = self.by_symbol.get(listing)
            if entry is not None:
                names.extend([listing, entry.name_zh or "", *entry.aliases])
        return Named(symbol, tuple(dict.fromkeys(n for n in names if n)), issuer.listings)

    def _one_issuer(self, symbols: tuple[str, ...]) -> str | None:
        """The primary listing when ``symbols`` all belong to one issuer."""
        issuers = {self.issuer(s).id for s in symbols}
        return self.listings(symbols[0])[0] if len(issuers) == 1 else None

    def named(self, word: str) -> Named | None:
        """The instrument a search word names without doubt: an alias in any script or
        case (英伟达, 輝達, nvidia), a symbol written in capitals that is not on the stop
        list (NVDA, BRK.B, 0700.HK), or an exchange code in digits (0700, 2330, 600519)."""
        folded = fold(word).strip()
        symbols = self.aliases.get(folded)
        if symbols is not None and folded in self.ambiguous_aliases:
            return None
        if symbols is None and folded.isascii():
            symbols = self._latin_aliases.get(folded.casefold())
        if symbols is not None:
            if catalog.AMBIGUOUS in symbols:
                return None
            primary = self._one_issuer(symbols)
            return self._named(primary) if primary is not None else None
        if _BARE_CODE.fullmatch(folded):
            symbol = self.resolve(folded)
            if symbol is None or not (self.by_symbol[symbol].reviewed or _code_like(folded)):
                return None
            return self._named(symbol)
        written_as_symbol = folded == folded.upper() and any(c.isalpha() for c in folded)
        if written_as_symbol and folded not in self.stop_words | self.wordlike:
            symbol = self.resolve(folded)
            return self._named(symbol) if symbol is not None else None
        return None

    def ticker(self, code: str) -> Named | None:
        """The instrument a ``ticker:`` value means: a symbol in any case or form, or a
        name."""
        symbol = self.resolve(code)
        return self._named(symbol) if symbol is not None else self.named(code)

    def cjk_words(self) -> list[str]:
        """Chinese aliases, folded, for jieba's user dictionary."""
        return sorted(alias for alias in self.aliases if _is_cjk(alias))

    @cached_property
    def by_number(self) -> dict[str, tuple[str, ...]]:
        """Listings with a numeric code by that number: up to five digits without their
        leading zeros (700 for 0700.HK, 2330 for 2330.TW), six digits as written
        (005930 for 005930.KS, 600519 for 600519.SS)."""
        found: dict[str, list[str]] = defaultdict(list)
        for symbol in self.by_symbol:
            head = symbol.split(".", 1)[0]
            if head.isdigit() and "." in symbol:
                found[number_key(head)].append(symbol)
        return {number: tuple(sorted(symbols)) for number, symbols in found.items()}

    def resolve(self, code: str, hints: tuple[str, ...] = ()) -> str | None:
        """The canonical symbol for a code as commentaries write it, or None.

        A bare number (腾讯(700), 台积电(2330)) names the one listing with that number;
        where several markets share it, ``hints`` (the symbols the name next to the code
        may mean, or the listings of the market the text is about) pick the listing,
        and without a single match nothing is resolved, unless one of them is a
        listing we review (2330 is TSMC's 2330.TW, not the small 2330.HK).
        """
        code = code.strip().upper()
        if code in self.by_symbol:
            return code
        if code.isdigit() and hints:
            # The name says which: 上证指数(000001) is the index, not 000001.SZ.
            key = number_key(code)
            named = [h for h in hints if number_key(h.split(".", 1)[0]) == key]
            if len(named) == 1:
                return named[0]
        for variant in code_variants(code):
            if variant in self.by_symbol:
                return variant
        if code.isdigit() and len(code) <= 6:
            listings = self.by_number.get(number_key(code), ())
            if len(listings) > 1:
                hinted = tuple(s for s in listings if s in hints)
                listings = hinted or tuple(s for s in listings if self.by_symbol[s].reviewed)
            if len(listings) == 1:
                return listings[0]
        return None


_MARKET_FIRST = re.compile(r"(?P<market>SH|SZ|HK|BJ)\.?(?P<digits>\d{3,6})")
_MAINLAND = {"SH": "SS", "SZ": "SZ", "HK": "HK", "BJ": "BJ"}


def a_share_suffix(code: str) -> str:
    """The exchange of a six-digit A-share code: Shanghai 6xx/9xx, Beijing 4xx/8xx/92x."""
    if code.startswith("92") or code[0] in "48":
        return "BJ"
    return "SS" if code[0] in "569" else "SZ"


def code_variants(code: str) -> list[str]:
    variants = [code.replace("-", "."), code.replace("/", ".")]
    # US listings written with a market marker: NVDA.US, NVDA-US, US.NVDA.
    if code[-3:] in {".US", "-US"}:
        variants.append(code[:-3].replace("-", "."))
    if code.startswith("US."):
        variants.append(code[3:])
    # The market first, as brokers write it: SH600519, SZ300750, HK.00700.
    if found := _MARKET_FIRST.fullmatch(code):
        code = f"{found['digits']}.{_MAINLAND[found['market']]}"
        variants.append(code)
    if code.endswith(".HK"):
        variants.append(hk_symbol(code[:-3]))
    if code.endswith(".SH"):
        variants.append(code[:-3] + ".SS")
    if code.isdigit() and len(code) == 6:
        variants.append(f"{code}.{a_share_suffix(code)}")
    return variants


_YEARS = range(1900, 2100)


def _code_like(digits: str) -> bool:
    """Whether a number typed alone reads as a code rather than a quantity or a year:
    zero-padded (0700, 00700) or six digits, or four digits that are neither a year nor
    a round number (6770, not 2024 or 1000). Three digits name only reviewed listings."""
    if digits.startswith("0") or len(digits) >= 5:
        return True
    return len(digits) == 4 and int(digits) not in _YEARS and int(digits) % 100 != 0


def number_key(digits: str) -> str:
    """How ``by_number`` files a code: six digits as written, shorter ones without
    their leading zeros (700, 0700 and 00700 are one code)."""
    return digits if len(digits) == 6 else digits.lstrip("0") or "0"


def hk_symbol(digits: str) -> str:
    """The Hong Kong symbol of a code written with any number of leading zeros."""
    return f"{digits.lstrip('0').zfill(4)}.HK"


# The files a dictionary is built from, by the name the archive records them under.
CURATED, LISTED, ISSUERS = "instruments.csv", "listings.csv", "issuers.csv"
STOP_LIST, WORDLIKE, SEPARATE = "stoplist.txt", "wordlike.txt", "separate_listings.txt"
EVERYDAY, USER_ALIASES = "everyday_names.txt", catalog.USER_ALIAS_FILE
SOURCE_NAMES = (CURATED, LISTED, ISSUERS, STOP_LIST, WORDLIKE, SEPARATE, EVERYDAY, USER_ALIASES)


@dataclass(frozen=True)
class Sources:
    """The texts of every file a dictionary is built from (an absent one is empty), and
    where the curated and reader's files were read, for error messages."""

    texts: dict[str, str]
    curated_path: str = CURATED
    user_path: str = USER_ALIASES

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    @property
    def fingerprint(self) -> str:
        joined = "\0".join(self.text(name) for name in SOURCE_NAMES)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def read_sources(path: Path | None = None, user_aliases: Path | None = None) -> Sources:
    """The packaged files, ``path`` for the curated list if given, and a reader's alias
    file if given."""
    texts = {name: catalog.packaged(name) for name in SOURCE_NAMES if name != USER_ALIASES}
    if path is not None:
        texts[CURATED] = path.read_text("utf-8")
    texts[USER_ALIASES] = user_aliases.read_text("utf-8") if user_aliases else ""
    return Sources(
        texts,
        curated_path=str(path or CURATED),
        user_path=str(user_aliases or USER_ALIASES),
    )


def build(sources: Sources) -> Dictionary:
    """The dictionary ``sources`` describe; ``DictionaryError`` names a bad line."""
    separate = catalog.separate_pairs(sources.text(SEPARATE))
    curated = catalog.parse_instruments(sources.text(CURATED), sources.curated_path)
    listed = catalog.parse_instruments(sources.text(LISTED), LISTED, listed=True)
    instruments = catalog.merge(curated, listed)
    if sources.text(USER_ALIASES):
        instruments = catalog.with_user_aliases(
            instruments, sources.text(USER_ALIASES), sources.user_path
        )
    symbols = [i.symbol for i in instruments]
    issuers_text = sources.text(ISSUERS)
    issuers = catalog.parse_issuers(issuers_text, ISSUERS, symbols) if issuers_text else ()
    return Dictionary(
        instruments=instruments,
        issuers=issuers + catalog.paired_listings(instruments, issuers, separate),
        stop_words=catalog.word_list(sources.text(STOP_LIST)),
        wordlike=catalog.word_list(sources.text(WORDLIKE)),
        everyday_listed=catalog.word_list(sources.text(EVERYDAY)),
        sources=sources,
    )


_built: dict[str, Dictionary] = {}  # by fingerprint, the last few built
_KEEP = 4


def load(path: Path | None = None, user_aliases: Path | None = None) -> Dictionary:
    """The dictionary from ``path`` (default: the packaged ``instruments.csv``) with the
    packaged exchange lists and issuers, and a reader's alias file if given; built once
    for each content of those files."""
    sources = read_sources(path, user_aliases)
    found = _built.get(sources.fingerprint)
    if found is None:
        found = build(sources)
        while len(_built) >= _KEEP:
            del _built[next(iter(_built))]
        _built[sources.fingerprint] = found
    return found


_active: Dictionary | None = None


def activate(dictionary: Dictionary) -> None:
    """Make ``dictionary`` the one this process analyses with (set at start-up)."""
    global _active
    _active = dictionary


def active() -> Dictionary:
    """The dictionary set at start-up, else the packaged one."""
    return _active if _active is not None else load()
