"""The contract between the archive and a full-text engine.

The archive plans a search (``planner``: words, names, synonyms, highlights) and an
engine finds what it matches (``SearchBackend.find``); the archive then builds the
page. An engine is chosen by ``ARCHIVE_SEARCH_BACKEND`` and made by ``open_backend``.
Nothing here names an engine's own types: an engine's package stays behind this file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy.engine import Connection

from app.config import DEFAULT_SEARCH_BUDGET
from app.search.criteria import Criterion

Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")

# A search stops looking past this many seconds and answers with what it has.
DEFAULT_BUDGET = DEFAULT_SEARCH_BUDGET
TOP_TICKERS = 12

# An analysed word, as ``analyzer.words`` yields it: position, word, start, end.
Word = tuple[int, str, int, int]
# What an engine wants ready of a document's text, made from its title and its body's
# analysed words where the text is analysed anyway (ingest's pool of processes): a
# module-level function, so that a pool can pickle it; its result is opaque to callers.
Preparer = Callable[[str, Sequence[Word]], object]


class IndexUnavailable(RuntimeError):
    """The index cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What every hit must also be, without adding to its score: tagged with one of
    each group of symbols (one group per ticker filter: an issuer's listings), and
    dated within ``[start, end]``."""

    tickers: tuple[tuple[str, ...], ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Lookup:
    """One search as an engine sees it."""

    criterion: Criterion | None  # None: every commentary
    filters: Filters = Filters()
    # relevance needs a scored criterion; newest/oldest put undated commentaries last
    sort: Sort = "relevance"
    offset: int = 0
    limit: int = 20
    facets: bool = True
    budget: float = DEFAULT_BUDGET  # seconds


@dataclass(frozen=True, slots=True)
class Facets:
    tickers: tuple[tuple[str, int], ...]  # most matches first, then by symbol
    months: tuple[tuple[str, int], ...]  # YYYY-MM, newest first


NO_FACETS = Facets((), ())


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    score: float | None  # None unless sorted by relevance


@dataclass(frozen=True, slots=True)
class Found:
    hits: tuple[Hit, ...]
    total: int
    # False when ``total`` is a lower bound (the budget ran out while counting).
    total_exact: bool = True
    facets: Facets = NO_FACETS
    # The budget ran out: the hits are the best of what was looked at, not of all.
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Similar:
    id: int
    likeness: float  # the share of the commentary's own score the other one reaches


@dataclass(frozen=True, slots=True)
class IndexStatus:
    problem: str | None  # why the index cannot be used (a message to act on); None if it can
    documents: int
    generation: str | None = None
    created: str | None = None  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class Document:
    """A commentary as the index holds it: text to analyse, the symbols it mentions, and
    what filters and sorts need."""

    id: int
    revision: int
    title: str
    body: str
    symbols: tuple[str, ...]
    published: dt.date | None
    last_day: dt.date | None  # the end of the period ``published`` stands for
    source: str | None
    # The engine's ``preparer`` applied to title and body, when it was done ahead.
    prepared: object | None = None


@dataclass(frozen=True, slots=True)
class Synced:
    indexed: int
    deleted: int
    rebuilt: bool
    reason: str | None = None


class IndexWriter(Protocol):
    """The index as the one writer sees it: put and delete, then ``finish`` commits
    and makes the result visible to readers at once; ``cancel`` drops it. Only one
    writer exists at a time (the ingest lock)."""

    def revisions(self) -> dict[int, int]:
        """``id -> revision`` of every document the index holds, counting what this
        writer put and deleted."""

    def put(self, documents: Iterable[Document]) -> None:
        """Add each document, or replace the one with its id."""

    def delete(self, ids: Iterable[int]) -> None: ...

    def finish(self) -> Synced:
        """Commit and publish; what it says counts every put and delete of this writer."""

    def cancel(self) -> None: ...


class RowWriter(Protocol):
    """For an engine whose index is rows of the archive's own database: writes each
    document's rows through ``connection``, inside the transaction (savepoint) that
    stores the commentary, so the index commits with it or not at all."""

    def write(self, connection: Connection, documents: Sequence[Document]) -> None: ...


class SearchBackend(Protocol):
    """A full-text engine, as the archive uses it. One per process, shared by threads."""

    name: str
    # Applied ahead to each document written (None: the engine wants only the text).
    preparer: Preparer | None
    # Set when the index is rows of the archive's database (ingest writes them with each
    # commentary); None when it is kept apart, and brought level after each commit.
    rows: RowWriter | None

    def find(self, lookup: Lookup) -> Found:
        """Raises ``IndexUnavailable`` when the index cannot be used."""

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]:
        """The commentaries whose words are most like ``commentary_id``'s, best first,
        itself left out; none when it is not indexed. Raises ``IndexUnavailable``."""

    def likeness(self, commentary_id: int, other_id: int) -> float:
        """The share of ``commentary_id``'s own score ``other_id`` reaches under its key
        words (as ``Similar.likeness``); 0 when either is not indexed. Raises
        ``IndexUnavailable``."""

    def status(self) -> IndexStatus: ...

    def revisions(self) -> dict[int, int]:
        """``id -> revision`` of every indexed commentary; empty when the index cannot
        be used (``status`` says why)."""

    def writer(self, *, rebuild: bool = False) -> IndexWriter:
        """The one writer: on the live index, or on a new one when it is missing or
        stale or ``rebuild``. Call under the ingest lock."""

    def warm(self) -> None:
        """Read ahead what the first search of the index would (seconds on a large
        archive): called once when a server starts, off the request path."""

    def close(self) -> None: ...
