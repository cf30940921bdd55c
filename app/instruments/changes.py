"""What changes between two dictionaries for mention extraction, as the strings a text
must hold for its mentions to come out differently.

Extraction reads the dictionary only through what the text holds: a name found in it,
a code or symbol written in it, a stop-listed or word-like word written in it. For each
such entry this module takes what extraction reads of it (the symbols a name may mean,
whether it is ambiguous, everyday or among the commonest words, and of each symbol its
kind, whether we review it, its issuer and the issuer's listings) and compares the two
dictionaries entry by entry. A text that holds none of the changed entries finds the
same mentions under both: ingest re-analyses only the texts that hold one.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from app.instruments.dictionary import Dictionary, number_key

NAME, SYMBOL, CODE, WORD = "name", "symbol", "code", "word"
_HEAD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class EntryChange:
    kind: str  # NAME, SYMBOL, CODE (a number filed in ``by_number``) or WORD (stop lists)
    entry: str
    before: str | None  # described; None: absent
    after: str | None
    # What a text must hold for this change to reach it (lower case).
    holds: str

    def describe(self) -> str:
        if self.before is None:
            return f"{self.kind} {self.entry} added" + (f": {self.after}" if self.after else "")
        if self.after is None:
            return f"{self.kind} {self.entry} removed" + (
                f" (was {self.before})" if self.before else ""
            )
        return f"{self.kind} {self.entry} changed: {self.before} -> {self.after}"


def text_key(code: str) -> str:
    """What a text holds wherever it writes ``code`` in any form extraction reads: the
    number without leading zeros (700 in 00700.HK, HK.00700), the letters before a
    class or market suffix (BRK in BRK-B), lower case."""
    head = code.split(".", 1)[0]
    if head.isdigit():
        return number_key(head)
    found = _HEAD.search(code)
    return (found.group() if found else code).lower()


def _listing(dictionary: Dictionary, symbol: str) -> tuple[Hashable, ...]:
    entry = dictionary.by_symbol.get(symbol)
    issuer = dictionary.issuer(symbol)
    kind = (entry.kind, entry.reviewed) if entry is not None else None
    return (symbol, kind, issuer.id, issuer.listings)


def _listing_text(listing: tuple[Hashable, ...]) -> str:
    symbol, kind, issuer, listings = listing
    if kind is None:
        return f"{symbol} (not listed)"
    extra = [] if kind[1] else ["from the exchange lists"]  # type: ignore[index]
    if issuer != symbol:
        extra.append(f"issuer {issuer}")
    assert isinstance(listings, tuple)
    if len(listings) > 1:
        extra.append("listed as " + "/".join(listings))
    return f"{symbol} ({', '.join(extra)})" if extra else str(symbol)


@dataclass(frozen=True, slots=True)
class _Entry:
    """What extraction reads of one entry, and how to say it."""

    read: tuple[Hashable, ...]
    said: str


def _names(dictionary: Dictionary) -> dict[str, _Entry]:
    found = {}
    for alias, symbols in dictionary.aliases.items():
        flags = (
            alias in dictionary.marked_ambiguous,
            alias in dictionary.ambiguous_aliases,
            alias in dictionary.weak_aliases,
            alias in dictionary.commonest_names,
        )
        listings = tuple(_listing(dictionary, s) for s in symbols)
        labels = ("marked ambiguous", "ambiguous", "everyday: needs evidence", "commonest")
        said = ", ".join(_listing_text(listing) for listing in listings)
        notes = [label for label, on in zip(labels, flags, strict=True) if on]
        found[alias] = _Entry((symbols, flags, listings), said + "".join(f"; {n}" for n in notes))
    return found


def _symbols(dictionary: Dictionary) -> dict[str, _Entry]:
    found = {}
    for symbol in dictionary.by_symbol:
        listing = _listing(dictionary, symbol)
        found[symbol] = _Entry(listing, _listing_text(listing))
    return found


def _codes(dictionary: Dictionary) -> dict[str, _Entry]:
    found = {}
    for number, symbols in dictionary.by_number.items():
        listings = tuple(_listing(dictionary, s) for s in symbols)
        found[number] = _Entry(listings, ", ".join(str(s) for s in symbols))
    return found


def _words(dictionary: Dictionary) -> dict[str, _Entry]:
    found = {}
    for word in dictionary.stop_words | dictionary.wordlike:
        lists = (word in dictionary.stop_words, word in dictionary.wordlike)
        said = " and ".join(
            name for name, on in zip(("stop list", "word-like list"), lists, strict=True) if on
        )
        found[word] = _Entry(lists, f"on the {said}")
    return found


def _compare(
    kind: str, before: dict[str, _Entry], after: dict[str, _Entry]
) -> Iterable[EntryChange]:
    for entry in sorted(before.keys() | after.keys()):
        old, new = before.get(entry), after.get(entry)
        if old is not None and new is not None and old.read == new.read:
            continue
        held = text_key(entry) if kind in (SYMBOL, CODE) else entry.lower()
        yield EntryChange(
            kind,
            entry,
            old.said if old is not None else None,
            new.said if new is not None else None,
            held,
        )


def dictionary_changes(before: Dictionary, after: Dictionary) -> tuple[EntryChange, ...]:
    """Every entry whose reading by extraction differs between the two dictionaries."""
    if before is after:
        return ()
    return (
        *_compare(NAME, _names(before), _names(after)),
        *_compare(SYMBOL, _symbols(before), _symbols(after)),
        *_compare(CODE, _codes(before), _codes(after)),
        *_compare(WORD, _words(before), _words(after)),
    )
