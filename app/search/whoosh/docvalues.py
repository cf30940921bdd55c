"""Per-document values of one index generation, as arrays indexed by Whoosh docnum.

The finder answers a search with array arithmetic over docnums; it needs, for every
document, what the stock Whoosh search reads one document at a time: whether it is
deleted, its commentary id, month and tickers (the stored fields the facets count),
its date bounds (the ``date_from``/``date_to`` fields date ranges match), its sort keys
(the ``newest``/``oldest`` columns) and the length of each scored field as BM25F sees
it (Whoosh stores lengths as one byte, so a length is the byte's decoded value).
They are read once per searcher, which is once per index generation, and dropped
with it.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

# Date bounds of undated documents: outside every range a date filter asks for.
NO_START = np.iinfo(np.int64).max
NO_END = -1
_LENGTHS = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)])


@dataclass(frozen=True, slots=True)
class DocValues:
    size: int  # documents, deleted or not: docnums run from 0 to size - 1
    live: Bools
    ids: Ints  # commentary id; -1 for deleted documents
    date_from: Ints  # day ordinal; NO_START when undated
    date_to: Ints  # day ordinal; NO_END when undated
    newest: Ints
    oldest: Ints
    months: tuple[str, ...]  # every month a document has, sorted
    month_of: Ints  # index into ``months``; -1 when undated
    tickers: tuple[str, ...]  # every symbol a document has, sorted
    # One (document, symbol) pair per symbol a live document is tagged with.
    tagged_doc: Ints
    tagged_symbol: Ints
    lengths: dict[str, Floats]  # scored field -> BM25F's length of it in each document


def _lengths(searcher: Searcher, fieldname: str, size: int) -> Floats:
    """What ``doc_field_length(docnum, fieldname, 1)`` answers, for every docnum."""
    found = np.ones(size)
    lenfield = f"_{fieldname}_len"
    for sub, offset in searcher.leaf_searchers():
        count = sub.doc_count_all()
        if not count:
            continue  # an empty index's reader has no per-document files
        perdoc = sub.reader()._perdoc
        if perdoc.has_column(lenfield):
            column = perdoc.column_reader(lenfield, LENGTHS_COLUMN)
            codes = np.fromiter(iter(column), dtype=np.int64, count=count)
            found[offset : offset + count] = _LENGTHS[codes]
    return found


def _column(searcher: Searcher, fieldname: str, size: int) -> Ints:
    found = np.zeros(size, dtype=np.int64)
    for sub, offset in searcher.leaf_searchers():
        count = sub.doc_count_all()
        if not count:
            continue
        column = sub.reader().column_reader(fieldname)
        found[offset : offset + count] = np.fromiter(iter(column), dtype=np.int64, count=count)
    return found


def _numbers(searcher: Searcher, fieldname: str, size: int, missing: int) -> Ints:
    """Each document's value of a NUMERIC field, from its full-precision terms (the
    terms of shift 0): the values a range query on the field compares. A term of one
    document names it in its term info: only the others' postings are read."""
    field = searcher.schema[fieldname]
    found = np.full(size, missing, dtype=np.int64)
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        for term, info in reader.iter_field(fieldname, b""):
            if term[0] != 0:
                continue
            if info.doc_frequency() == 1:
                docs: Any = [info.min_id()]
            else:
                docs = reader.postings(fieldname, term).all_ids()
            value = int(field.from_bytes(term))
            found[np.fromiter(docs, dtype=np.int64) + offset] = value
    return found


def _read(searcher: Searcher) -> DocValues:
    reader = searcher.reader()
    size = reader.doc_count_all()
    live = np.zeros(size, dtype=np.bool_)
    ids = np.full(size, -1, dtype=np.int64)
    month_names: list[Any] = [None] * size
    pairs: list[tuple[int, str]] = []
    for docnum, stored in reader.iter_docs():
        live[docnum] = True
        ids[docnum] = int(stored["id"])
        month_names[docnum] = stored.get("month") or None
        symbols = stored.get("tickers") or ""
        pairs.extend((docnum, s) for s in symbols.split(",") if s)
    months = tuple(sorted({m for m in month_names if m is not None}))
    month_index = {m: i for i, m in enumerate(months)}
    tickers = tuple(sorted({s for _, s in pairs}))
    ticker_index = {s: i for i, s in enumerate(tickers)}
    return DocValues(
        size=size,
        live=live,
        ids=ids,
        date_from=_numbers(searcher, "date_from", size, NO_START),
        date_to=_numbers(searcher, "date_to", size, NO_END),
        newest=_column(searcher, "newest", size),
        oldest=_column(searcher, "oldest", size),
        months=months,
        month_of=np.array(
            [-1 if m is None else month_index[m] for m in month_names], dtype=np.int64
        ),
        tickers=tickers,
        tagged_doc=np.array([d for d, _ in pairs], dtype=np.int64),
        tagged_symbol=np.array([ticker_index[s] for _, s in pairs], dtype=np.int64),
        lengths={name: _lengths(searcher, name, size) for name in searcher.schema.scorable_names()},
    )


_cache: weakref.WeakKeyDictionary[Searcher, DocValues] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def doc_values(searcher: Searcher) -> DocValues:
    """The values of ``searcher``'s documents, read on first use."""
    with _lock:
        values = _cache.get(searcher)
        if values is None:
            values = _cache[searcher] = _read(searcher)
        return values
