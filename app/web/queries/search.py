"""Search results ready for a page, a feed or the JSON API: commentaries, tickers,
snippets, facets, and the links that change one part of a search."""

from __future__ import annotations

import calendar
import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from markupsafe import Markup
from sqlmodel import Session, col, select

from app.instruments import Dictionary
from app.instruments.named import Named
from app.models import Commentary, DatePrecision, Instrument
from app.search import (
    Highlight,
    QueryError,
    SearchBackend,
    SearchRequest,
    Sort,
    date_bound,
    quoted,
    search,
    snippet_terms,
    snippets,
)
from app.text.normalize import fold
from app.web.queries.commentaries import by_ids, tickers_of
from app.web.templating import show_date

DEFAULT_PER_PAGE = 20
# Rows a facet shows before folding the rest behind "更多".
FACET_ROWS = 10

Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class TickerFacet:
    symbol: str
    name: str | None  # as the home page names it; None for a symbol without a name
    count: int


@dataclass(frozen=True, slots=True)
class MonthFacet:
    month: str  # YYYY-MM, what the facet's link filters on
    label: str  # 2024年9月, as the site writes dates
    count: int


@dataclass(frozen=True, slots=True)
class Folded(Generic[Row]):
    """A facet's rows: the first ``FACET_ROWS`` shown, the rest behind "更多"."""

    shown: tuple[Row, ...]
    more: tuple[Row, ...]
    open: bool = False  # a row the search is filtered on is among the folded ones


def folded(rows: tuple[Row, ...], chosen: Callable[[Row], bool]) -> Folded[Row]:
    more = rows[FACET_ROWS:]
    return Folded(rows[:FACET_ROWS], more, any(chosen(row) for row in more))


@dataclass(frozen=True, slots=True)
class SearchFacets:
    tickers: tuple[TickerFacet, ...]  # most matches first, then by symbol
    months: tuple[MonthFacet, ...]  # newest first


@dataclass(frozen=True, slots=True)
class SearchHitView:
    commentary: Commentary
    score: float | None
    tickers: list[str]
    snippets: list[Markup]


@dataclass(frozen=True, slots=True)
class SearchResults:
    request: SearchRequest
    total: int
    sort: Sort
    took_ms: float
    hits: list[SearchHitView]
    terms: tuple[Highlight, ...]
    expanded: tuple[tuple[str, Named], ...]
    facets: SearchFacets
    # (word, the other words of its group as the table writes them): 降息 → (減息,)
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The names of the symbols the search is filtered on, as the facets show them.
    ticker_names: dict[str, str | None] = field(default_factory=dict)
    # False when ``total`` is a lower bound ("至少 N 篇"): counting ran out of time.
    total_exact: bool = True
    # The search ran out of time: the hits are the best of what it looked at.
    partial: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    @property
    def month_filter(self) -> str | None:
        """``YYYY-MM`` when the dates filtered on are one whole month (a month facet)."""
        return whole_month(self.request.start, self.request.end)

    @property
    def date_filter_label(self) -> str:
        """The date filter as the site writes dates: 2024年9月, or 2024年9月1日 至 ….
        Empty without a date filter."""
        request = self.request
        if request.start is None and request.end is None:
            return ""
        if self.month_filter is not None and request.start is not None:
            return show_date(request.start, DatePrecision.MONTH)
        start = show_date(request.start) if request.start is not None else "…"
        end = show_date(request.end) if request.end is not None else "…"
        return f"{start} 至 {end}"

    @property
    def ticker_rows(self) -> Folded[TickerFacet]:
        return folded(self.facets.tickers, lambda row: row.symbol in self.request.tickers)

    @property
    def month_rows(self) -> Folded[MonthFacet]:
        chosen = self.month_filter
        return folded(self.facets.months, lambda row: row.month == chosen)

    @property
    def also_matched(self) -> list[tuple[str, list[str]]]:
        """What each expanded word also matched, for the reader: the instrument's other
        names first, then the word's regional synonyms as the table writes them."""
        names = [(word, also_names(word, named)) for word, named in self.expanded]
        return names + [(word, list(others)) for word, others in self.synonyms]


def search_request(
    dictionary: Dictionary,
    q: str = "",
    tickers: list[str] | None = None,
    start: str = "",
    end: str = "",
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    literal: bool = False,
) -> SearchRequest:
    """The search a URL asks for; raises ``QueryError`` for a date or ticker that
    cannot be read. Tickers are kept as canonical symbols (what the URL and the
    filter chips show); the search itself widens each to its issuer's listings."""
    symbols: list[str] = []
    for value in tickers or []:
        named = dictionary.ticker(value) if value.strip() else None
        if named is None:
            raise QueryError(
                f"无法识别的代码：{quoted(value)}（请写代码或公司名，例如 NVDA 或 英伟达）"
            )
        if named.symbol not in symbols:
            symbols.append(named.symbol)
    return SearchRequest(
        text=q.strip(),
        tickers=tuple(symbols),
        start=date_bound(start, end=False, label="from") if start.strip() else None,
        end=date_bound(end, end=True, label="to") if end.strip() else None,
        sort=sort,
        page=page,
        per_page=per_page,
        literal=literal,
    )


def search_commentaries(
    session: Session,
    backend: SearchBackend,
    request: SearchRequest,
    dictionary: Dictionary,
    budget: float | None = None,
) -> SearchResults:
    """Run a search (within ``budget`` seconds, the engine's default when None) and load
    its page of commentaries. Raises ``QueryError`` for a query that cannot run and
    ``IndexUnavailable`` when the index cannot be used."""
    started = time.perf_counter()
    found = search(backend, request, dictionary, budget=budget)
    rows = by_ids(session, [h.id for h in found.hits])
    pairs = [(rows[h.id], h.score) for h in found.hits if h.id in rows]
    sought = snippet_terms(found.sought)
    symbols = tickers_of(session, [c.id for c, _ in pairs if c.id is not None])
    hits = [
        SearchHitView(
            commentary=c,
            score=score,
            tickers=symbols.get(c.id or 0, []),
            snippets=snippets(c.body, sought),
        )
        for c, score in pairs
    ]
    facets = found.facets
    names = instrument_names(
        session, dictionary, [s for s, _ in facets.tickers] + list(request.tickers)
    )
    took = round((time.perf_counter() - started) * 1000, 1)
    return SearchResults(
        request=request,
        total=found.total,
        sort=found.sort,
        took_ms=took,
        hits=hits,
        terms=found.terms,
        expanded=found.expanded,
        facets=SearchFacets(
            tickers=tuple(TickerFacet(s, names.get(s), n) for s, n in facets.tickers),
            months=tuple(MonthFacet(m, month_label(m), n) for m, n in facets.months),
        ),
        synonyms=found.synonyms,
        ticker_names={s: names.get(s) for s in request.tickers},
        total_exact=found.total_exact,
        partial=found.partial,
    )


def instrument_names(
    session: Session, dictionary: Dictionary, symbols: Iterable[str]
) -> dict[str, str | None]:
    """Each symbol's name as the home page shows it (the Chinese name, else the English
    one): from the dictionary, and from the instrument table for a listing learned from
    a commentary."""
    names: dict[str, str | None] = {}
    for symbol in symbols:
        entry = dictionary.by_symbol.get(symbol)
        names[symbol] = (entry.name_zh or entry.name or None) if entry is not None else None
    learned = [s for s, name in names.items() if name is None]
    if learned:
        rows = session.exec(
            select(Instrument.symbol, Instrument.name, Instrument.name_zh).where(
                col(Instrument.symbol).in_(learned)
            )
        )
        for symbol, name, name_zh in rows:
            names[symbol] = name_zh or name or None
    return names


def month_label(month: str) -> str:
    """2024年9月 for ``2024-09``."""
    return show_date(dt.date(int(month[:4]), int(month[5:7]), 1), DatePrecision.MONTH)


def whole_month(start: dt.date | None, end: dt.date | None) -> str | None:
    """``YYYY-MM`` when ``[start, end]`` is exactly one calendar month."""
    if start is None or end is None or start.day != 1:
        return None
    last = calendar.monthrange(start.year, start.month)[1]
    if end != start.replace(day=last):
        return None
    return f"{start.year:04d}-{start.month:02d}"


def also_names(word: str, named: Named) -> list[str]:
    """The other names a word was expanded to, once each whatever the script or case
    (英伟达 → NVDA, Nvidia, 輝達)."""
    seen = {fold(word).casefold()}
    names = []
    for name in named.names:
        key = fold(name).casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


def without(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return tuple(i for i in items if i != item)


def month_changes(month: str) -> dict[str, Any]:
    """The ``start``/``end`` of a ``YYYY-MM`` facet."""
    year, number = int(month[:4]), int(month[5:7])
    first = date_bound(f"{year}-{number:02d}", end=False, label="from")
    return {"start": first, "end": first.replace(day=calendar.monthrange(year, number)[1])}
