"""An in-memory search engine, written from the contract alone: proof that the web app,
ingest and ``archive stats`` need nothing of Whoosh.

``MemoryBackend`` keeps each archive's documents in a dict (one per index folder, for
the life of the test process), evaluates ``Criterion`` trees in plain Python, and
scores a match by counting: each occurrence of a sought word or phrase counts 1 (2 in
the title), each tagged symbol 1. Register it with ``register(monkeypatch)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import periods
from app.config import Settings
from app.search import (
    BACKENDS,
    Document,
    Found,
    IndexStatus,
    Lookup,
    Similar,
    Synced,
    words,
)
from app.search.backend import TOP_TICKERS, Facets, Filters, Hit, Word
from app.search.criteria import (
    AllOf,
    AnyOf,
    Criterion,
    During,
    Nothing,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from app.text.normalize import fold

NAME = "memory"
KEY_WORDS = 10
Positions = dict[str, tuple[int, ...]]  # word -> its positions in a field


@dataclass(frozen=True, slots=True)
class Analysed:
    """A document's two text fields as positions of each word."""

    title: Positions
    body: Positions


def _positions(analysed: Iterable[Word]) -> Positions:
    found: dict[str, list[int]] = {}
    for position, word, _, _ in analysed:
        found.setdefault(word, []).append(position)
    return {word: tuple(places) for word, places in found.items()}


def prepare(title: str, body: Sequence[Word]) -> Analysed:
    """The preparer: ingest's pool hands over the body's words, the title is read here."""
    return Analysed(_positions(words(fold(title), subwords=True)), _positions(body))


@dataclass(frozen=True, slots=True)
class Entry:
    document: Document
    text: Analysed


# Index folder -> id -> entry: what each archive's "index" holds.
STORES: dict[Path, dict[int, Entry]] = {}


def _occurrences(field: Positions, sought: tuple[str, ...]) -> int:
    starts = field.get(sought[0], ())
    return sum(
        all(start + i in field.get(word, ()) for i, word in enumerate(sought[1:], 1))
        for start in starts
    )


def _overlaps(document: Document, start: dt.date | None, end: dt.date | None) -> bool:
    if document.published is None:
        return False
    last = document.last_day or document.published
    return bool(periods.overlaps(document.published, last, start, end))


def score(criterion: Criterion, entry: Entry) -> float | None:
    """How well ``entry`` matches (None: it does not)."""
    text, document = entry.text, entry.document
    if isinstance(criterion, Words):
        count = 2 * _occurrences(text.title, criterion.words)
        count += _occurrences(text.body, criterion.words)
        return float(count) if count else None
    if isinstance(criterion, Prefix):
        count = sum(
            len(places) * weight
            for field, weight in ((text.title, 2), (text.body, 1))
            for word, places in field.items()
            if word.startswith(criterion.stem)
        )
        return float(count) if count else None
    if isinstance(criterion, Tagged):
        shared = set(criterion.symbols) & set(document.symbols)
        return float(len(shared)) if shared else None
    if isinstance(criterion, Source):
        folded = (document.source or "").casefold()
        return 0.0 if folded == criterion.value else None
    if isinstance(criterion, During):
        return 0.0 if _overlaps(document, criterion.start, criterion.end) else None
    if isinstance(criterion, Without):
        return None if score(criterion.part, entry) is not None else 0.0
    if isinstance(criterion, AllOf):
        total = 0.0
        for part in criterion.parts:
            found = score(part, entry)
            if found is None:
                return None
            total += found
        return total
    if isinstance(criterion, AnyOf):
        scores = [s for s in (score(part, entry) for part in criterion.parts) if s is not None]
        return sum(scores) if scores else None
    assert isinstance(criterion, Nothing), criterion
    return None


def _passes(document: Document, filters: Filters) -> bool:
    tagged = all(set(group) & set(document.symbols) for group in filters.tickers)
    dated = filters.start is None and filters.end is None
    return tagged and (dated or _overlaps(document, filters.start, filters.end))


def _order(sort: str, document: Document, points: float) -> tuple[float, ...]:
    day = document.published.toordinal() if document.published is not None else None
    if sort == "relevance":
        return (-points, document.id)
    if sort == "newest":
        return (day is None, -(day or 0), -document.id)
    return (day is None, day or 0, document.id)


def _facets(documents: list[Document]) -> Facets:
    tickers = Counter(symbol for d in documents for symbol in d.symbols)
    months = Counter(d.published.strftime("%Y-%m") for d in documents if d.published)
    return Facets(
        tuple(sorted(tickers.items(), key=lambda item: (-item[1], item[0]))[:TOP_TICKERS]),
        tuple(sorted(months.items(), reverse=True)),
    )


class MemoryWriter:
    """Changes kept aside until ``finish`` makes them visible at once."""

    def __init__(self, store: dict[int, Entry], rebuild: bool) -> None:
        self._store = store
        self._rebuild = rebuild
        self._entries = {} if rebuild else dict(store)
        self._put = self._deleted = 0

    def revisions(self) -> dict[int, int]:
        return {i: e.document.revision for i, e in self._entries.items()}

    def put(self, documents: Iterable[Document]) -> None:
        for document in documents:
            text = document.prepared
            if not isinstance(text, Analysed):
                text = prepare(document.title, list(words(fold(document.body), subwords=True)))
            self._entries[document.id] = Entry(document, text)
            self._put += 1

    def delete(self, ids: Iterable[int]) -> None:
        for doc_id in ids:
            if self._entries.pop(doc_id, None) is not None:
                self._deleted += 1

    def finish(self) -> Synced:
        self._store.clear()
        self._store.update(self._entries)
        return Synced(self._put, self._deleted, self._rebuild)

    def cancel(self) -> None:
        self._entries = {}


class MemoryBackend:
    name = NAME

    def __init__(self, settings: Settings) -> None:
        self.store = STORES.setdefault(settings.resolved_index_dir, {})
        self.preparer = prepare
        self.rows = None  # the index is kept apart from the database

    def find(self, lookup: Lookup) -> Found:
        matched: list[tuple[Document, float]] = []
        for entry in self.store.values():
            points = 0.0 if lookup.criterion is None else score(lookup.criterion, entry)
            if points is not None and _passes(entry.document, lookup.filters):
                matched.append((entry.document, points))
        matched.sort(key=lambda pair: _order(lookup.sort, *pair))
        page = matched[lookup.offset : lookup.offset + lookup.limit]
        relevance = lookup.sort == "relevance"
        return Found(
            hits=tuple(Hit(d.id, points if relevance else None) for d, points in page),
            total=len(matched),
            facets=_facets([d for d, _ in matched]) if lookup.facets else Facets((), ()),
        )

    def _key_words(self, commentary_id: int) -> set[str]:
        """Its ``KEY_WORDS`` commonest body words of two characters or more, not numbers."""
        entry = self.store.get(commentary_id)
        if entry is None:
            return set()
        counts = {w: len(p) for w, p in entry.text.body.items() if len(w) > 1 and not w.isdigit()}
        return set(sorted(counts, key=lambda w: (-counts[w], w))[:KEY_WORDS])

    def likeness(self, commentary_id: int, other_id: int) -> float:
        """The share of the commentary's key words that are the other's key words too."""
        own = self._key_words(commentary_id)
        return len(own & self._key_words(other_id)) / len(own) if own else 0.0

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]:
        found = [
            Similar(other, self.likeness(commentary_id, other))
            for other in self.store
            if other != commentary_id
        ]
        found = [s for s in found if s.likeness > 0]
        return sorted(found, key=lambda s: (-s.likeness, s.id))[:limit]

    def status(self) -> IndexStatus:
        return IndexStatus(None, len(self.store), generation=NAME)

    def revisions(self) -> dict[int, int]:
        return {i: e.document.revision for i, e in self.store.items()}

    def writer(self, *, rebuild: bool = False) -> MemoryWriter:
        return MemoryWriter(self.store, rebuild)

    def warm(self) -> None:
        pass  # everything is in memory already

    def close(self) -> None:
        pass


def register(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``ARCHIVE_SEARCH_BACKEND=memory`` choose ``MemoryBackend`` for one test."""
    monkeypatch.setitem(BACKENDS, NAME, MemoryBackend)
