"""The criteria tree as a Whoosh query: the reference meaning of the Whoosh engine.

These functions build the very queries the archive searched with before its search
package was engine-neutral, so stock Whoosh scoring of the result is the ranking the
archive has always had. The fast finder (``finder``) must give the same hits, totals
and scores as Whoosh running these queries; its tests compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import islice
from typing import Protocol

from whoosh import query as wq

from app import periods
from app.search.backend import Filters
from app.search.criteria import (
    MAX_PREFIX_WORDS,
    AllOf,
    Criterion,
    During,
    Nothing,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from app.search.whoosh.schema import TEXT_FIELDS


class Lexicon(Protocol):
    """The index words a prefix expands to (a Whoosh reader is one)."""

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[bytes | str]: ...


class _Clause:
    """A Whoosh query that ``&`` joins as ``periods.overlaps`` joins its two tests."""

    def __init__(self, query: wq.Query) -> None:
        self.query = query

    def __and__(self, other: _Clause) -> _Clause:
        return _Clause(wq.And([self.query, other.query]))


class _Day:
    """A day-ordinal field of the index (``date_from``, ``date_to``), compared to a day
    as ``periods.overlaps`` compares."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __ge__(self, day: dt.date) -> _Clause:
        return _Clause(wq.NumericRange(self.name, day.toordinal(), None))

    def __le__(self, day: dt.date) -> _Clause:
        return _Clause(wq.NumericRange(self.name, None, day.toordinal()))


def date_query(start: dt.date | None, end: dt.date | None) -> wq.Query | None:
    """Commentaries whose period (``date_from``..``date_to``, day ordinals) overlaps
    ``[start, end]`` by the one rule, ``periods.overlaps``; undated ones have neither
    field, so no date query keeps them."""
    kept = periods.overlaps(_Day("date_from"), _Day("date_to"), start, end)
    return kept.query if isinstance(kept, _Clause) else None


def ticker_query(symbols: tuple[str, ...]) -> wq.Query:
    """Commentaries tagged with any of ``symbols`` (each once, in order)."""
    unique = list(dict.fromkeys(symbols))
    if len(unique) == 1:
        return wq.Term("tickers", unique[0])
    return wq.Or([wq.Term("tickers", s) for s in unique])


def prefix_words(stem: str, lexicon: Lexicon | None) -> list[str]:
    """The index words a ``Prefix`` stands for: up to ``MAX_PREFIX_WORDS`` from each
    text field, together, sorted."""
    found: set[str] = set()
    if lexicon is not None:
        for name in TEXT_FIELDS:
            for term in islice(lexicon.expand_prefix(name, stem), MAX_PREFIX_WORDS):
                found.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return sorted(found)


def _text(words: tuple[str, ...]) -> wq.Query:
    if len(words) == 1:
        return wq.Or([wq.Term(name, words[0]) for name in TEXT_FIELDS])
    return wq.Or([wq.Phrase(name, list(words)) for name in TEXT_FIELDS])


def _distinct(queries: list[wq.Query]) -> list[wq.Query]:
    """``queries`` without repeats, in order: A AND A is A, and A OR A is A."""
    found: list[wq.Query] = []
    for query in queries:
        if query not in found:
            found.append(query)
    return found


def _node(criterion: Criterion, lexicon: Lexicon | None) -> wq.Query:
    if isinstance(criterion, Words):
        return _text(criterion.words)
    if isinstance(criterion, Prefix):
        words = prefix_words(criterion.stem, lexicon)
        if not words:
            return wq.NullQuery
        return wq.Or([wq.Term(name, w) for w in words for name in TEXT_FIELDS])
    if isinstance(criterion, Tagged):
        return ticker_query(criterion.symbols)
    if isinstance(criterion, Source):
        return wq.Term("source", criterion.value)
    if isinstance(criterion, During):
        dates = date_query(criterion.start, criterion.end)
        return dates if dates is not None else wq.Every()
    if isinstance(criterion, Without):
        return wq.Not(_node(criterion.part, lexicon))
    if isinstance(criterion, Nothing):
        return wq.NullQuery
    parts = _distinct([_node(part, lexicon) for part in criterion.parts])
    if not parts:
        return wq.NullQuery
    if len(parts) == 1:
        return parts[0]
    return wq.And(parts) if isinstance(criterion, AllOf) else wq.Or(parts)


def only_negative(query: wq.Query) -> bool:
    """A query that only excludes: Whoosh needs something positive to exclude from."""
    if isinstance(query, wq.Not):
        return True
    if isinstance(query, wq.And):
        return all(only_negative(child) for child in query.subqueries)
    return False


def whoosh_query(criterion: Criterion | None, lexicon: Lexicon | None) -> wq.Query:
    """The Whoosh query ``criterion`` means (every document for ``None``)."""
    if criterion is None:
        return wq.Every()
    query = _node(criterion, lexicon)
    if only_negative(query):
        return wq.And([wq.Every(), query])
    return query


def whoosh_filter(filters: Filters) -> wq.Query | None:
    """What every hit must also match, unscored: each ticker group, then the dates."""
    clauses = [ticker_query(group) for group in filters.tickers]
    dates = date_query(filters.start, filters.end)
    if dates is not None:
        clauses.append(dates)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)
