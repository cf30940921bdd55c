"""One term's postings as arrays: docnums, weights and (for phrases) positions.

Whoosh hands postings out one at a time through matchers; the finder wants a term's
whole list at once. Its blocks are decoded here, segment by segment, into arrays of
global docnums (deleted documents included: the caller masks them) and weights (the
field boost already in them, as Whoosh indexed them). Positions are kept encoded and
decoded only for the postings a phrase asks about (the documents holding all its
words), each once. A searcher keeps the lists it read in a size-bounded cache, so a
term that many searches ask for is decoded once per index generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from app.search.whoosh.deadline import Deadline
from app.search.whoosh.docvalues import Floats, Ints
from app.search.whoosh.kept import PerSearcher

CACHE_BYTES = 64 * 2**20
# Postings decoded between two looks at the clock.
DECODE_CHUNK = 512
_EMPTY_INTS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Postings:
    docs: Ints  # global docnums, ascending
    weights: Floats
    # With positions: each posting's positions as the index encodes them.
    values: tuple[bytes, ...] | None = None
    fmt: Any = None
    decoded: dict[int, list[int]] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """About what the entry holds once its positions are decoded."""
        encoded = sum(len(v) for v in self.values) if self.values is not None else 0
        return self.docs.nbytes + self.weights.nbytes + 5 * encoded

    def positions(self, chosen: Ints, deadline: Deadline) -> tuple[Ints, Ints] | None:
        """The docnum and position of every position of postings ``chosen``, in two
        arrays; ``None`` when the deadline passed before they were all decoded."""
        assert self.values is not None
        found: list[list[int]] = []
        for n, i in enumerate(chosen.tolist()):
            if n % DECODE_CHUNK == 0 and n and deadline.passed():
                return None
            known = self.decoded.get(i)
            if known is None:
                known = self.decoded[i] = self.fmt.decode_positions(self.values[i])
            found.append(known)
        counts = np.fromiter((len(p) for p in found), dtype=np.int64, count=len(found))
        flat = np.fromiter((x for p in found for x in p), dtype=np.int64, count=int(counts.sum()))
        return np.repeat(self.docs[chosen], counts), flat


NO_POSTINGS = Postings(_EMPTY_INTS, np.zeros(0), ())


def _blocks(reader: Any, fieldname: str, btext: bytes, values: bool) -> Iterator[tuple[Any, ...]]:
    """(ids, weights, values) of each block of the term's postings in one segment."""
    info = reader.term_info(fieldname, btext)
    if info.is_inlined():
        yield info.inlined_postings()
        return
    fmt = reader.schema[fieldname].format
    matcher = reader._terms.matcher(fieldname, btext, fmt)
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        if values:
            matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values if values else None
        matcher._next_block()


def _weights(weights: Any, count: int) -> Floats:
    if weights is None:
        return np.ones(count)
    if isinstance(weights, float):
        return np.full(count, weights)
    return np.asarray(weights).astype(np.float64)


def _read(
    searcher: Searcher, fieldname: str, btext: bytes, positions: bool, deadline: Deadline
) -> Postings | None:
    docs: list[Ints] = []
    weights: list[Floats] = []
    values: list[bytes] = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (fieldname, btext) not in reader:
            continue
        for ids, block_weights, block_values in _blocks(reader, fieldname, btext, positions):
            if deadline.passed():
                return None
            block = np.asarray(ids, dtype=np.int64) + offset
            docs.append(block)
            weights.append(_weights(block_weights, len(block)))
            if positions:
                values.extend(block_values)
    if not docs:
        return NO_POSTINGS
    fmt = searcher.schema[fieldname].format
    return Postings(
        np.concatenate(docs),
        np.concatenate(weights),
        tuple(values) if positions else None,
        fmt,
    )


class _Cache:
    def __init__(self) -> None:
        self.items: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[str, bytes], positions: bool) -> Postings | None:
        with self.lock:
            found = self.items.get(key)
            if found is None or (positions and found.values is None):
                return None
            self.items.move_to_end(key)
            return found

    def put(self, key: tuple[str, bytes], postings: Postings) -> None:
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= old.nbytes
            self.items[key] = postings
            self.size += postings.nbytes
            while self.size > CACHE_BYTES and len(self.items) > 1:
                _, dropped = self.items.popitem(last=False)
                self.size -= dropped.nbytes


# Each searcher's posting arrays, least recently used dropped first.
_cache: PerSearcher[_Cache] = PerSearcher(lambda searcher: _Cache())


def postings(
    searcher: Searcher, fieldname: str, btext: bytes, deadline: Deadline, *, positions: bool
) -> Postings | None:
    """The postings of ``fieldname:btext`` over every segment (``NO_POSTINGS`` if no
    segment has the term); ``None`` when the deadline passed while reading them."""
    cache = _cache(searcher)
    key = (fieldname, btext)
    found = cache.get(key, positions)
    if found is None:
        found = _read(searcher, fieldname, btext, positions, deadline)
        if found is not None:
            cache.put(key, found)
    return found
