"""The contract between the archive and a full-text engine.

The archive plans a search (``planner``: words, names, synonyms, highlights) and an
engine finds what it matches (``SearchBackend.find``); the archive then builds the
page. An engine is chosen by ``ARCHIVE_SEARCH_BACKEND`` and made by ``open_backend``.
Nothing here names an engine's own types: an engine's package stays behind this file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from app.search.criteria import Criterion

Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")

# A search stops looking past this many seconds and answers with what it has.
DEFAULT_BUDGET = 1.0
TOP_TICKERS = 12


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


@dataclass(frozen=True, slots=True)
class Synced:
    indexed: int
    deleted: int
    rebuilt: bool
    reason: str | None = None


class IndexWriter(Protocol):
    """The index as the one writer sees it: put and delete, then ``finish`` commits
    and makes the result visible to readers at once; ``cancel`` drops it."""

    def put(self, documents: Iterable[Document]) -> None: ...
    def delete(self, ids: Iterable[int]) -> None: ...
    def revisions(self) -> dict[int, int]: ...
    def finish(self) -> Synced: ...
    def cancel(self) -> None: ...


class SearchBackend(Protocol):
    name: str

    def find(self, lookup: Lookup) -> Found:
        """Raises ``IndexUnavailable`` when the index cannot be used."""

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]: ...
    def status(self) -> IndexStatus: ...
    def writer(self, *, rebuild: bool = False) -> IndexWriter: ...
    def close(self) -> None: ...
