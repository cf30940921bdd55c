"""A reader's search, engine-neutral: parse and plan the query, ask the engine for one
page of what it matches (with the filters, the order and facets over every match),
and return the page with what it should highlight and tell the reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.search.backend import (
    DEFAULT_BUDGET,
    NO_FACETS,
    SORTS,
    Facets,
    Filters,
    Hit,
    Lookup,
    SearchBackend,
    Sort,
)
from app.search.planner import Highlight, Names, Plan, Sought, plan
from app.search.syntax import QueryError, parse

if TYPE_CHECKING:  # the instruments package imports this one
    from app.instruments.named import Named

__all__ = [
    "SORTS",
    "Hit",
    "SearchPage",
    "SearchRequest",
    "Sort",
    "listings",
    "query_terms",
    "search",
]

NOTHING_TO_SEARCH = "查询里没有可以搜索的文字（只有标点或符号）"


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search as a URL states it: the query text plus filters, sort and page."""

    text: str = ""
    # Canonical symbols, each required; with ``names`` a symbol's sibling listings
    # (TSM for 2330.TW) count as it.
    tickers: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    literal: bool = False  # no alias or synonym expansion


@dataclass(frozen=True, slots=True)
class SearchPage:
    request: SearchRequest
    total: int
    sort: Sort  # the order used: relevance needs words, so a bare listing is newest first
    hits: tuple[Hit, ...]
    terms: tuple[Highlight, ...]
    expanded: tuple[tuple[str, Named], ...]
    facets: Facets = field(default=NO_FACETS)
    # (word, the other words of its synonym group as the table writes them)
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # What snippets should show: the query's words, then the ticker filters' names.
    sought: tuple[Sought, ...] = ()
    # False when ``total`` is a lower bound: the engine ran out of time counting.
    total_exact: bool = True
    # The engine ran out of time: the hits are the best of what it looked at.
    partial: bool = False


def query_terms(
    text: str, names: Names | None = None, literal: bool = False
) -> tuple[Highlight, ...]:
    """What to highlight for ``text``; nothing when it does not parse."""
    try:
        return tuple(plan(parse(text), names, literal=literal).highlights)
    except QueryError:
        return ()


def listings(symbol: str, names: Names | None) -> tuple[str, ...]:
    """``symbol`` and its issuer's other listings, as far as ``names`` knows them."""
    named = names.ticker(symbol) if names is not None else None
    if named is None or symbol not in named.symbols:
        return (symbol,)
    return (symbol, *(s for s in named.symbols if s != symbol))


def _filter_names(request: SearchRequest, names: Names | None) -> list[Sought]:
    """The names of each ticker the request filters on, for snippets to show."""
    found = []
    for symbol in request.tickers:
        named = names.ticker(symbol) if names is not None else None
        forms = named.names if named is not None else (symbol,)
        found.append(Sought(tuple((n,) for n in forms), ticker_filter=True))
    return found


def lookup(
    request: SearchRequest, names: Names | None = None, *, budget: float | None = None
) -> tuple[Plan, Lookup]:
    """What ``request`` asks an engine for, with the plan it came from. Raises
    ``QueryError`` when the query cannot mean anything."""
    tree = parse(request.text)
    planned = plan(tree, names, literal=request.literal)
    if tree is not None and planned.criterion is None and request.text.strip():
        raise QueryError(NOTHING_TO_SEARCH)
    sort: Sort = (
        request.sort
        if planned.has_text
        else ("newest" if request.sort == "relevance" else request.sort)
    )
    filters = Filters(
        tickers=tuple(listings(symbol, names) for symbol in request.tickers),
        start=request.start,
        end=request.end,
    )
    asked = Lookup(
        criterion=planned.criterion,
        filters=filters,
        sort=sort,
        offset=(request.page - 1) * request.per_page,
        limit=request.per_page,
        budget=DEFAULT_BUDGET if budget is None else budget,
    )
    return planned, asked


def search(
    backend: SearchBackend,
    request: SearchRequest,
    names: Names | None = None,
    *,
    budget: float | None = None,
) -> SearchPage:
    """One page of ``request``'s results from ``backend``. Raises ``QueryError`` when
    the query cannot mean anything, and what ``backend.find`` raises (the index cannot
    be used)."""
    planned, asked = lookup(request, names, budget=budget)
    found = backend.find(asked)
    return SearchPage(
        request=request,
        total=found.total,
        sort=asked.sort,
        hits=found.hits,
        terms=tuple(planned.highlights),
        expanded=tuple(planned.expanded),
        facets=found.facets,
        synonyms=tuple(planned.synonyms),
        sought=(*planned.sought, *_filter_names(request, names)),
        total_exact=found.total_exact,
        partial=found.partial,
    )
