"""The reader's alias file, ``aliases.csv`` in the data folder: its entries, and adding or
removing one with the checks that keep the dictionary sound.

A row is ``symbol,aliases`` with the aliases joined by ``|``, each perhaps marked as
the instrument lists mark theirs (``?`` ambiguous, ``~`` slang, ``^`` former, ``!``
everyday; see ``catalog``). An alias must name a known instrument, must not be a
stop-listed word, and must not already name another company unless it is marked ``?``
(then it counts only next to a code).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.instruments import catalog
from app.instruments.catalog import AMBIGUOUS, MARKERS, USER_COLUMNS
from app.instruments.dictionary import USER_ALIASES, Dictionary, Sources, build
from app.text.normalize import fold

MAX_ALIAS = 50
_FORBIDDEN = set(',|"\n\r\t')


class AliasError(ValueError):
    """An alias cannot be added or removed; the message says why."""


@dataclass(frozen=True, slots=True)
class UserAlias:
    symbol: str
    written: str  # with its marker, if any

    @property
    def alias(self) -> str:
        return self.written.lstrip(MARKERS)

    @property
    def marker(self) -> str:
        return self.written[: len(self.written) - len(self.alias)]


def entries(text: str, source: str = catalog.USER_ALIAS_FILE) -> list[UserAlias]:
    """The entries of an alias file's ``text``, in file order."""
    found: list[UserAlias] = []
    for _, (symbol, cell) in catalog.rows(text, source, USER_COLUMNS):
        found.extend(UserAlias(symbol, a.strip()) for a in cell.split("|") if a.strip())
    return found


def render(found: list[UserAlias]) -> str:
    """The file text of ``found``: one row per symbol, in the order first seen."""
    by_symbol: dict[str, list[str]] = {}
    for entry in found:
        by_symbol.setdefault(entry.symbol, []).append(entry.written)
    lines = [",".join(USER_COLUMNS)]
    lines += [f"{symbol},{'|'.join(written)}" for symbol, written in by_symbol.items()]
    return "\n".join(lines) + "\n"


def read(path: Path) -> list[UserAlias]:
    return entries(path.read_text("utf-8"), str(path)) if path.is_file() else []


def write(path: Path, found: list[UserAlias], dictionary: Dictionary) -> None:
    """Replace the file at once (a reader sees the old file or the new one), after
    checking that ``dictionary``'s files with it load (``DictionaryError`` if not)."""
    sources = dictionary.sources
    text = render(found)
    build(Sources({**sources.texts, USER_ALIASES: text}, sources.curated_path, str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".aliases-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def _symbol(dictionary: Dictionary, symbol: str) -> str:
    found = dictionary.resolve(symbol)
    if found is None:
        raise AliasError(f"unknown symbol {symbol!r}: it is in none of the instrument lists")
    return found


def _described(dictionary: Dictionary, symbol: str) -> str:
    entry = dictionary.by_symbol[symbol]
    name = entry.name_zh or entry.name
    return f"{symbol} ({name})" if name else symbol


def _names_of(dictionary: Dictionary, alias: str) -> tuple[str, ...]:
    """The symbols ``alias`` names already, Latin names in any case."""
    folded = fold(alias)
    found = set(dictionary.aliases.get(folded, ()))
    if folded.isascii():
        key = folded.casefold()
        for other, symbols in dictionary.aliases.items():
            if other.isascii() and other.casefold() == key:
                found.update(symbols)
        if folded.upper() in dictionary.by_symbol:
            found.add(folded.upper())
    return tuple(sorted(found))


def add(
    dictionary: Dictionary, found: list[UserAlias], symbol: str, written: str
) -> tuple[list[UserAlias], UserAlias]:
    """``found`` with ``written`` added as an alias of ``symbol``, and the new entry."""
    written = written.strip()
    alias = written.lstrip(MARKERS)
    if not alias:
        raise AliasError("an alias needs a character besides its marker")
    if _FORBIDDEN & set(written):
        raise AliasError(f"{written!r}: an alias cannot hold a comma, '|', a quote or a tab")
    if len(alias) > MAX_ALIAS:
        raise AliasError(f"{written!r} is longer than {MAX_ALIAS} characters")
    canonical = _symbol(dictionary, symbol)
    folded = fold(alias)
    if folded in dictionary.stop_words or folded.upper() in dictionary.stop_words:
        raise AliasError(f"{alias!r} is on the stop list: it never counts as a mention")
    issuer = dictionary.issuer(canonical).id
    named = _names_of(dictionary, alias)
    if any(dictionary.issuer(s).id == issuer for s in named):
        raise AliasError(f"{alias!r} already names {_described(dictionary, canonical)}")
    others = [s for s in named if dictionary.issuer(s).id != issuer]
    if others and AMBIGUOUS not in written[: len(written) - len(alias)]:
        listed = ", ".join(_described(dictionary, s) for s in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        raise AliasError(
            f"{alias!r} already names {listed}{more}: a name means one company; write "
            f"'?{alias}' to count it only next to a code"
        )
    entry = UserAlias(canonical, written)
    return [*found, entry], entry


def remove(
    dictionary: Dictionary, found: list[UserAlias], symbol: str, alias: str
) -> tuple[list[UserAlias], UserAlias]:
    """``found`` without ``alias`` (marked or not) of ``symbol``, and the entry removed."""
    canonical = _symbol(dictionary, symbol)
    plain = alias.strip().lstrip(MARKERS)
    for entry in found:
        if entry.symbol == canonical and entry.alias == plain:
            return [e for e in found if e is not entry], entry
    if canonical in _names_of(dictionary, plain):
        raise AliasError(
            f"{plain!r} comes with the instrument lists, not from aliases.csv: it cannot be "
            "removed here"
        )
    raise AliasError(f"{plain!r} is not an alias of {canonical} in aliases.csv")
