"""Read the instrument data files into rows: the curated ``instruments.csv``, the
generated ``listings.csv`` (every listed stock of the Chinese-speaking markets), the
``issuers.csv`` that ties one company's listings together, and a reader's own alias file.

Alias markers, written before an alias in any file:

- ``?`` ambiguous: counts only next to an explicit code that says which instrument;
- ``~`` market slang (宁王, 大饼): counts like a name, shown as slang;
- ``^`` a former name (^Facebook): counts like a name, shown as former;
- ``!`` an everyday word (中兴 "revival"): counts only with evidence, like the
  everyday names of the exchange lists.

Rows of ``listings.csv`` are facts copied from exchange lists, not reviewed one by one,
so their short names that are everyday words need evidence (see ``weak``); a curated row
for the same symbol adds to it and wins where they differ.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from app.text.normalize import fold

KINDS = frozenset({"stock", "etf", "index", "crypto", "commodity"})
COLUMNS = ["symbol", "kind", "exchange", "name", "name_zh", "aliases"]
ISSUER_COLUMNS = ["issuer", "name_zh", "listings"]
USER_COLUMNS = ["symbol", "aliases"]
AMBIGUOUS, SLANG, FORMER, EVERYDAY = "?", "~", "^", "!"
MARKERS = AMBIGUOUS + SLANG + FORMER + EVERYDAY
USER_ALIAS_FILE = "aliases.csv"


class DictionaryError(ValueError):
    """A data file is malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Instrument:
    symbol: str
    kind: str
    exchange: str
    name: str
    name_zh: str | None
    aliases: tuple[str, ...]  # without markers, in the order written
    ambiguous: frozenset[str] = field(default_factory=frozenset)
    slang: frozenset[str] = field(default_factory=frozenset)
    former: frozenset[str] = field(default_factory=frozenset)
    everyday: frozenset[str] = field(default_factory=frozenset)
    # Names taken from an exchange list rather than reviewed here.
    listed: frozenset[str] = field(default_factory=frozenset)
    reviewed: bool = True  # a row of instruments.csv (the exchange lists are not)


@dataclass(frozen=True, slots=True)
class Issuer:
    id: str
    name_zh: str | None
    listings: tuple[str, ...]  # the primary listing first


def rows(text: str, source: str, columns: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Non-comment CSV rows with their line numbers, after checking the header."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    kept = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(line for _, line in kept)))
    header = next(reader, None)
    if header != columns:
        raise DictionaryError(f"{source}: header must be {','.join(columns)}")
    for (number, _), row in zip(kept[1:], reader, strict=False):
        if len(row) != len(columns):
            raise DictionaryError(
                f"{source}: line {number} has {len(row)} fields, not {len(columns)}"
            )
        yield number, [cell.strip() for cell in row]


def _split_aliases(cell: str) -> tuple[tuple[str, ...], dict[str, set[str]]]:
    """Aliases without markers, and which carried which marker."""
    plain: list[str] = []
    marked: dict[str, set[str]] = {m: set() for m in MARKERS}
    for written in (a.strip() for a in cell.split("|")):
        alias = written.lstrip(MARKERS)
        if not alias:
            continue
        for marker in written[: len(written) - len(alias)]:
            marked[marker].add(alias)
        if alias not in plain:
            plain.append(alias)
    return tuple(plain), marked


def parse_instruments(text: str, source: str, *, listed: bool = False) -> tuple[Instrument, ...]:
    found: list[Instrument] = []
    seen: set[str] = set()
    for number, row in rows(text, source, COLUMNS):
        symbol, kind, exchange, name, name_zh, cell = row
        if kind not in KINDS:
            raise DictionaryError(f"{source}: line {number} ({symbol}) has unknown kind {kind!r}")
        if not symbol or symbol in seen:
            raise DictionaryError(f"{source}: line {number} repeats or lacks a symbol ({symbol!r})")
        seen.add(symbol)
        aliases, marked = _split_aliases(cell)
        names = {name_zh, *aliases} - {""} if listed else set()
        found.append(
            Instrument(
                symbol=symbol,
                kind=kind,
                exchange=exchange,
                name=name,
                name_zh=name_zh or None,
                aliases=aliases,
                ambiguous=frozenset(marked[AMBIGUOUS]),
                slang=frozenset(marked[SLANG]),
                former=frozenset(marked[FORMER]),
                everyday=frozenset(marked[EVERYDAY]),
                listed=frozenset(names),
                reviewed=not listed,
            )
        )
    return tuple(found)


def merge(curated: Iterable[Instrument], listed: Iterable[Instrument]) -> tuple[Instrument, ...]:
    """One row per symbol: a curated row wins over the exchange list's and keeps the
    list's names as further aliases (only those it does not review are ``listed``)."""
    by_symbol = {i.symbol: i for i in listed}
    merged: list[Instrument] = []
    for row in curated:
        other = by_symbol.pop(row.symbol, None)
        if other is None:
            merged.append(row)
            continue
        reviewed = {row.name_zh, *row.aliases}
        names = dict.fromkeys((other.name_zh or "", *other.aliases))
        extra = [a for a in names if a and a not in reviewed]
        merged.append(
            replace(
                row,
                name_zh=row.name_zh or other.name_zh,
                aliases=(*row.aliases, *extra),
                former=row.former | (other.former - reviewed),
                listed=frozenset(extra),
            )
        )
    merged.extend(by_symbol.values())
    return tuple(merged)


def with_user_aliases(
    instruments: tuple[Instrument, ...], text: str, source: str
) -> tuple[Instrument, ...]:
    """Add a reader's aliases (``symbol,aliases`` rows) to known instruments."""
    index = {i.symbol: n for n, i in enumerate(instruments)}
    merged = list(instruments)
    for number, (symbol, cell) in rows(text, source, USER_COLUMNS):
        if symbol not in index:
            raise DictionaryError(f"{source}: line {number} names an unknown symbol {symbol!r}")
        aliases, marked = _split_aliases(cell)
        row = merged[index[symbol]]
        merged[index[symbol]] = replace(
            row,
            aliases=(*row.aliases, *(a for a in aliases if a not in row.aliases)),
            ambiguous=row.ambiguous | marked[AMBIGUOUS],
            slang=row.slang | marked[SLANG],
            former=row.former | marked[FORMER],
            everyday=row.everyday | marked[EVERYDAY],
            listed=row.listed - set(aliases),
        )
    return tuple(merged)


def parse_issuers(text: str, source: str, symbols: Iterable[str]) -> tuple[Issuer, ...]:
    known = set(symbols)
    owner: dict[str, str] = {}
    found: list[Issuer] = []
    for number, (ident, name_zh, cell) in rows(text, source, ISSUER_COLUMNS):
        listings = tuple(s.strip() for s in cell.split("|") if s.strip())
        if not ident or len(listings) < 2:
            raise DictionaryError(f"{source}: line {number} needs an id and two listings")
        for symbol in listings:
            if symbol not in known:
                raise DictionaryError(f"{source}: line {number} ({ident}) lists unknown {symbol}")
            if symbol in owner:
                raise DictionaryError(
                    f"{source}: line {number} ({ident}) repeats {symbol} of {owner[symbol]}"
                )
            owner[symbol] = ident
        found.append(Issuer(ident, name_zh or None, listings))
    return tuple(found)


# Exchange-list names this long are specific enough to say that a Shanghai or Shenzhen
# listing and a Hong Kong listing of the same name are one company's A and H shares.
MIN_PAIRED_NAME = 3
_A_SHARES, _H_SHARES = frozenset({"SSE", "SZSE"}), frozenset({"HKEX"})


def separate_pairs(text: str) -> frozenset[tuple[str, str]]:
    """The (mainland, Hong Kong) pairs ``separate_listings.txt`` keeps apart."""
    pairs = (line.split()[:2] for line in text.splitlines() if line.strip())
    return frozenset((a, h) for a, h in pairs if not a.startswith("#"))


def paired_listings(
    instruments: Iterable[Instrument],
    issuers: Iterable[Issuer],
    separate: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[Issuer, ...]:
    """Issuers for the A+H pairs ``issuers.csv`` does not name: one Shanghai or Shenzhen
    listing and one Hong Kong listing under the same name (东方证券: 600958.SS and
    3958.HK), the A share first, unless ``separate`` keeps them apart. The id is the A
    share's symbol."""
    taken = {symbol for issuer in issuers for symbol in issuer.listings}
    by_name: dict[str, dict[str, list[str]]] = {}
    for i in instruments:
        if i.symbol in taken or not i.name_zh or len(i.name_zh) < MIN_PAIRED_NAME:
            continue
        side = "A" if i.exchange in _A_SHARES else "H" if i.exchange in _H_SHARES else ""
        if side:
            by_name.setdefault(fold(i.name_zh), {"A": [], "H": []})[side].append(i.symbol)
    return tuple(
        Issuer(sides["A"][0], name, (sides["A"][0], sides["H"][0]))
        for name, sides in sorted(by_name.items())
        if len(sides["A"]) == 1
        and len(sides["H"]) == 1
        and (sides["A"][0], sides["H"][0]) not in separate
    )


def word_list(text: str) -> frozenset[str]:
    """The words of a list file: whitespace-separated, ``#`` lines are comments."""
    words: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return frozenset(words)


def packaged(name: str) -> str:
    """A packaged data file's text; an absent optional file reads as empty."""
    path = resources.files("app.instruments").joinpath(name)
    return path.read_text("utf-8") if path.is_file() else ""


def user_file(data_dir: Path | None) -> Path | None:
    if data_dir is None:
        return None
    path = data_dir / USER_ALIAS_FILE
    return path if path.is_file() else None
