"""The instrument dictionary: ``instruments.csv`` (reviewed like code) and the stop list.

Each row names one instrument with its aliases in every script and region. An alias
written with a leading ``?`` is ambiguous (超微 is AMD in Taiwan, Supermicro elsewhere):
it counts only when an explicit code next to it says which instrument is meant.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from app.search.translate import Named
from app.text.normalize import fold

KINDS = frozenset({"stock", "etf", "index", "crypto", "commodity"})
COLUMNS = ["symbol", "kind", "exchange", "name", "name_zh", "aliases"]
AMBIGUOUS = "?"


class DictionaryError(ValueError):
    """The data file is malformed; the message names the line."""


@dataclass(frozen=True, slots=True)
class Instrument:
    symbol: str
    kind: str
    exchange: str
    name: str
    name_zh: str | None
    aliases: tuple[str, ...]  # as written in the data file, "?" marks kept
    ambiguous: frozenset[str] = field(default_factory=frozenset)

    @property
    def plain_aliases(self) -> tuple[str, ...]:
        return tuple(a.lstrip(AMBIGUOUS) for a in self.aliases)


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per data file
class Dictionary:
    instruments: tuple[Instrument, ...]
    stop_words: frozenset[str]
    fingerprint: str

    @cached_property
    def by_symbol(self) -> dict[str, Instrument]:
        return {i.symbol: i for i in self.instruments}

    @cached_property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Folded alias (name, not symbol) to the symbols it may mean."""
        found: dict[str, list[str]] = defaultdict(list)
        for instrument in self.instruments:
            names = {instrument.name_zh or "", *instrument.plain_aliases}
            for alias in names:
                if alias:
                    found[fold(alias)].append(instrument.symbol)
        return {alias: tuple(sorted(set(symbols))) for alias, symbols in found.items()}

    @cached_property
    def ambiguous_aliases(self) -> frozenset[str]:
        marked = {fold(a) for i in self.instruments for a in i.ambiguous}
        shared = {alias for alias, symbols in self.aliases.items() if len(symbols) > 1}
        return frozenset(marked | shared)

    @cached_property
    def _latin_aliases(self) -> dict[str, tuple[str, ...]]:
        """Latin aliases case-folded (nvidia, NVIDIA, Nvidia alike)."""
        found: dict[str, set[str]] = defaultdict(set)
        for alias, symbols in self.aliases.items():
            if alias.isascii():
                key = alias.casefold()
                found[key].update(symbols)
                if alias in self.ambiguous_aliases:
                    found[key].add(AMBIGUOUS)
        return {key: tuple(sorted(symbols)) for key, symbols in found.items()}

    def _named(self, symbol: str) -> Named:
        instrument = self.by_symbol[symbol]
        names = [symbol, instrument.name_zh or "", *instrument.plain_aliases]
        return Named(symbol, tuple(dict.fromkeys(n for n in names if n)))

    def named(self, word: str) -> Named | None:
        """The instrument a search word names without doubt: an alias in any script or
        case (英伟达, 輝達, nvidia), or a symbol written in capitals that is not on the
        stop list (NVDA, BRK.B, 0700.HK)."""
        folded = fold(word).strip()
        symbols = self.aliases.get(folded)
        if symbols is not None and folded in self.ambiguous_aliases:
            return None
        if symbols is None and folded.isascii():
            symbols = self._latin_aliases.get(folded.casefold())
        if symbols is not None:
            return self._named(symbols[0]) if len(symbols) == 1 else None
        written_as_symbol = folded == folded.upper() and any(c.isalpha() for c in folded)
        if written_as_symbol and folded not in self.stop_words:
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
    def by_number(self) -> dict[int, tuple[str, ...]]:
        """Listings with a numeric code (0700.HK, 2330.TW, 9984.T) by that number."""
        found: dict[int, list[str]] = defaultdict(list)
        for symbol in self.by_symbol:
            head = symbol.split(".", 1)[0]
            if head.isdigit() and "." in symbol:
                found[int(head)].append(symbol)
        return {number: tuple(sorted(symbols)) for number, symbols in found.items()}

    def resolve(self, code: str, hints: tuple[str, ...] = ()) -> str | None:
        """The canonical symbol for a code as commentaries write it, or None.

        A bare number (腾讯(700), 台积电(2330)) names the one listing with that number;
        where several markets share it, ``hints`` (the symbols the name next to the code
        may mean) pick the listing, and without a single match nothing is resolved.
        """
        code = code.strip().upper()
        if code in self.by_symbol:
            return code
        for variant in _code_variants(code):
            if variant in self.by_symbol:
                return variant
        if code.isdigit() and len(code) <= 6:
            listings = self.by_number.get(int(code), ())
            if len(listings) > 1:
                listings = tuple(s for s in listings if s in hints)
            if len(listings) == 1:
                return listings[0]
        return None


_MARKET_FIRST = re.compile(r"(?P<market>SH|SZ|HK)\.?(?P<digits>\d{3,6})")
_MAINLAND = {"SH": "SS", "SZ": "SZ", "HK": "HK"}


def _code_variants(code: str) -> list[str]:
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
        digits = code[:-3].lstrip("0")
        variants.append(f"{digits.zfill(4)}.HK")
    if code.endswith(".SH"):
        variants.append(code[:-3] + ".SS")
    if code.isdigit() and len(code) == 6:
        variants.append(f"{code}.{'SS' if code[0] in '69' else 'SZ'}")
    return variants


def _parse(text: str, source: str) -> tuple[Instrument, ...]:
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(rows)))
    header = next(reader, None)
    if header != COLUMNS:
        raise DictionaryError(f"{source}: header must be {','.join(COLUMNS)}")
    found: list[Instrument] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        if len(row) != len(COLUMNS):
            raise DictionaryError(f"{source}: row {number} has {len(row)} fields, not 6")
        symbol, kind, exchange, name, name_zh, aliases = (cell.strip() for cell in row)
        if kind not in KINDS:
            raise DictionaryError(f"{source}: row {number} ({symbol}) has unknown kind {kind!r}")
        if not symbol or symbol in seen:
            raise DictionaryError(f"{source}: row {number} repeats or lacks a symbol ({symbol!r})")
        seen.add(symbol)
        written = tuple(a.strip() for a in aliases.split("|") if a.strip())
        found.append(
            Instrument(
                symbol=symbol,
                kind=kind,
                exchange=exchange,
                name=name,
                name_zh=name_zh or None,
                aliases=written,
                ambiguous=frozenset(a[1:] for a in written if a.startswith(AMBIGUOUS)),
            )
        )
    return tuple(found)


def _stop_words(text: str) -> frozenset[str]:
    words = []
    for line in text.splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return frozenset(words)


def _resource(name: str) -> str:
    return resources.files("app.instruments").joinpath(name).read_text("utf-8")


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Dictionary:
    """The dictionary from ``path`` (default: the packaged ``instruments.csv``)."""
    text = path.read_text("utf-8") if path else _resource("instruments.csv")
    stop = _resource("stoplist.txt")
    digest = hashlib.sha256((text + "\0" + stop).encode("utf-8")).hexdigest()[:16]
    return Dictionary(
        instruments=_parse(text, str(path or "instruments.csv")),
        stop_words=_stop_words(stop),
        fingerprint=digest,
    )
