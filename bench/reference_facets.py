"""Facet counts over every match, from per-document values read once per searcher.

The month and the tickers of each document are stored (small) in the index; they are
read into two arrays the first time a searcher is asked for facets and reused until
the searcher is replaced, so counting a result set never loads documents.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.searching import Searcher

TOP_TICKERS = 12


@dataclass(frozen=True, slots=True)
class Facets:
    tickers: tuple[tuple[str, int], ...]  # most matches first, then by symbol
    months: tuple[tuple[str, int], ...]  # newest first


EMPTY = Facets((), ())


class _DocValues:
    def __init__(self, searcher: Searcher) -> None:
        size = searcher.doc_count_all()
        self.months: list[str | None] = [None] * size
        self.tickers: list[tuple[str, ...]] = [()] * size
        for docnum, stored in searcher.reader().iter_docs():
            self.months[docnum] = stored.get("month") or None
            symbols = stored.get("tickers") or ""
            self.tickers[docnum] = tuple(s for s in symbols.split(",") if s)


_cache: weakref.WeakKeyDictionary[Searcher, _DocValues] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _values(searcher: Searcher) -> _DocValues:
    with _lock:
        values = _cache.get(searcher)
        if values is None:
            values = _cache[searcher] = _DocValues(searcher)
        return values


def count(searcher: Searcher, docnums: Iterable[int], top_tickers: int = TOP_TICKERS) -> Facets:
    values = _values(searcher)
    tickers: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for docnum in docnums:
        tickers.update(values.tickers[docnum])
        month = values.months[docnum]
        if month is not None:
            months[month] += 1
    top = sorted(tickers.items(), key=lambda item: (-item[1], item[0]))[:top_tickers]
    return Facets(tuple(top), tuple(sorted(months.items(), reverse=True)))
