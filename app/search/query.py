"""Run a reader's search against an open searcher: filters, sort, a page of hits, and
facets over every match."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from whoosh import query as wq
from whoosh.searching import Searcher

from app.search import facets as facet_counts
from app.search.facets import Facets
from app.search.syntax import QueryError, parse
from app.search.translate import (
    Highlight,
    Named,
    Names,
    date_filter,
    ticker_query,
    translate,
)

Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search as a URL states it: the query text plus filters, sort and page."""

    text: str = ""
    tickers: tuple[str, ...] = ()  # canonical symbols, each required
    start: dt.date | None = None
    end: dt.date | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    literal: bool = False  # no alias expansion


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    score: float | None


@dataclass(frozen=True, slots=True)
class SearchPage:
    request: SearchRequest
    total: int
    sort: Sort  # the order used: relevance needs words, so a bare listing is newest first
    hits: tuple[Hit, ...]
    terms: tuple[Highlight, ...]
    expanded: tuple[tuple[str, Named], ...]
    facets: Facets = field(default=facet_counts.EMPTY)


def query_terms(
    text: str, names: Names | None = None, literal: bool = False
) -> tuple[Highlight, ...]:
    """What to highlight for ``text``; nothing when it does not parse."""
    try:
        return tuple(translate(parse(text), names, literal=literal).highlights)
    except QueryError:
        return ()


def _filters(request: SearchRequest) -> wq.Query | None:
    clauses = [ticker_query(symbol) for symbol in request.tickers]
    dates = date_filter(request.start, request.end)
    if dates is not None:
        clauses.append(dates)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


def _only_negative(query: wq.Query) -> bool:
    if isinstance(query, wq.Not):
        return True
    if isinstance(query, wq.And):
        return all(_only_negative(child) for child in query.subqueries)
    return False


def run(searcher: Searcher, request: SearchRequest, names: Names | None = None) -> SearchPage:
    """Raises ``QueryError`` when the query cannot mean anything."""
    tree = parse(request.text)
    lexicon = searcher.reader()
    translation = translate(tree, names, literal=request.literal, lexicon=lexicon)
    query = translation.query
    if tree is not None and query is None and request.text.strip():
        raise QueryError("the query has no searchable words")
    if query is None:
        query = wq.Every()
    elif _only_negative(query):
        query = wq.And([wq.Every(), query])
    sort: Sort = (
        request.sort
        if translation.has_text
        else ("newest" if request.sort == "relevance" else request.sort)
    )
    options: dict[str, object] = {}
    if sort != "relevance":
        options = {"sortedby": sort, "reverse": sort == "newest"}
    end = request.page * request.per_page
    results = searcher.search(query, limit=end, filter=_filters(request), **options)
    matched = results.docs()
    first = (request.page - 1) * request.per_page
    hits = tuple(
        Hit(int(hit["id"]), float(hit.score) if sort == "relevance" else None)
        for hit in results[first:end]
    )
    return SearchPage(
        request=request,
        total=len(matched),
        sort=sort,
        hits=hits,
        terms=tuple(translation.highlights),
        expanded=tuple(translation.expanded),
        facets=facet_counts.count(searcher, matched),
    )
