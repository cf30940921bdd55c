"""Per-document values of one index generation, as arrays indexed by Whoosh docnum.

The finder answers a search with array arithmetic over docnums; it needs, for every
document, what the stock Whoosh search reads one document at a time: whether it is
deleted, its commentary id, month and tickers (the stored fields the facets count),
its sort keys (the ``newest``/``oldest`` columns), the length of each scored field as
BM25F sees it (Whoosh stores lengths as one byte, so a length is the byte's decoded
value), and its date bounds (the ``date_from``/``date_to`` fields date ranges match).
They are read once per searcher, which is once per index generation, and dropped
with it; the date bounds, the slowest to read (a posting list per day), only when a
search first asks for them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from app.search.whoosh.kept import PerSearcher

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

# Date bounds of undated documents: outside every range a date filter asks for.
MISSING_DAY = {"date_from": int(np.iinfo(np.int64).max), "date_to": -1}
_LENGTHS = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)])


@dataclass(frozen=True, slots=True)
class DocValues:
    size: int  # documents, deleted or not: docnums run from 0 to size - 1
    live: Bools
    ids: Ints  # commentary id; -1 for deleted documents
    newest: Ints
    oldest: Ints
    months: tuple[str, ...]  # every month a document has, sorted
    month_of: Ints  # index into ``months``; -1 when undated
    tickers: tuple[str, ...]  # every symbol a document has, sorted
    # One (document, symbol) pair per symbol a live document is tagged with.
    tagged_doc: Ints
    tagged_symbol: Ints
    lengths: dict[str, Floats]  # scored field -> BM25F's length of it in each document
    # date field -> each document's day ordinal (MISSING_DAY when undated), once read
    read_days: dict[str, Ints] = field(default_factory=dict)
    read_lock: threading.Lock = field(default_factory=threading.Lock)

    def days(self, searcher: Searcher, fieldname: str) -> Ints:
        with self.read_lock:
            found = self.read_days.get(fieldname)
            if found is None:
                found = self.read_days[fieldname] = _numbers(
                    searcher, fieldname, self.size, MISSING_DAY[fieldname]
                )
            return found


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
    numeric = searcher.schema[fieldname]
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
            value = int(numeric.from_bytes(term))
            found[np.fromiter(docs, dtype=np.int64) + offset] = value
    return found


def _codes(values: list[str]) -> tuple[tuple[str, ...], Ints]:
    """The distinct non-empty ``values``, sorted, and the index of each value among
    them (-1 for an empty one)."""
    names, inverse = np.unique(np.array(values, dtype=str), return_inverse=True)
    codes = inverse.astype(np.int64).reshape(-1)
    found: list[str] = names.tolist()
    if found and found[0] == "":
        return tuple(found[1:]), codes - 1
    return tuple(found), codes


def _read(searcher: Searcher) -> DocValues:
    reader = searcher.reader()
    size = reader.doc_count_all()
    docnums: list[int] = []
    ids: list[int] = []
    months: list[str] = []
    tagged_doc: list[int] = []
    tagged: list[str] = []
    for docnum, stored in reader.iter_docs():
        docnums.append(docnum)
        ids.append(int(stored["id"]))
        months.append(stored.get("month") or "")
        for symbol in (stored.get("tickers") or "").split(","):
            if symbol:
                tagged_doc.append(docnum)
                tagged.append(symbol)
    live = np.zeros(size, dtype=np.bool_)
    live[docnums] = True
    doc_ids = np.full(size, -1, dtype=np.int64)
    doc_ids[docnums] = ids
    month_names, month_codes = _codes(months)
    month_of = np.full(size, -1, dtype=np.int64)
    month_of[docnums] = month_codes
    symbols, symbol_codes = _codes(tagged)
    return DocValues(
        size=size,
        live=live,
        ids=doc_ids,
        newest=_column(searcher, "newest", size),
        oldest=_column(searcher, "oldest", size),
        months=month_names,
        month_of=month_of,
        tickers=symbols,
        tagged_doc=np.array(tagged_doc, dtype=np.int64),
        tagged_symbol=symbol_codes,
        lengths={name: _lengths(searcher, name, size) for name in searcher.schema.scorable_names()},
    )


# The values of each searcher's documents, read on first use.
doc_values: PerSearcher[DocValues] = PerSearcher(_read)
