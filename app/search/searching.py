"""Run a reader's search against an open searcher: filters, sort, a page of hits, and
facets over every match."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from whoosh import query as wq
from whoosh.collectors import Collector, FilterCollector, SortingCollector, TopCollector
from whoosh.searching import Results, Searcher

from app.search import facets as facet_counts
from app.search.facets import Facets
from app.search.syntax import QueryError, parse
from app.search.planner import (
    Highlight,
    Named,
    Names,
    Sought,
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
    # (word, the other words of its synonym group as the table writes them)
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # What snippets should show: the query's words, then the ticker filters' names.
    sought: tuple[Sought, ...] = ()


def query_terms(
    text: str, names: Names | None = None, literal: bool = False
) -> tuple[Highlight, ...]:
    """What to highlight for ``text``; nothing when it does not parse."""
    try:
        return tuple(translate(parse(text), names, literal=literal).highlights)
    except QueryError:
        return ()


def listings(symbol: str, names: Names | None) -> tuple[str, ...]:
    """``symbol`` and its issuer's other listings, as far as ``names`` knows them."""
    named = names.ticker(symbol) if names is not None else None
    if named is None or symbol not in named.symbols:
        return (symbol,)
    return (symbol, *(s for s in named.symbols if s != symbol))


def _filters(request: SearchRequest, names: Names | None) -> wq.Query | None:
    clauses = [ticker_query(*listings(symbol, names)) for symbol in request.tickers]
    dates = date_filter(request.start, request.end)
    if dates is not None:
        clauses.append(dates)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


def _filter_names(request: SearchRequest, names: Names | None) -> list[Sought]:
    """The names of each ticker the request filters on, for snippets to show."""
    found = []
    for symbol in request.tickers:
        named = names.ticker(symbol) if names is not None else None
        forms = named.names if named is not None else (symbol,)
        found.append(Sought(tuple((n,) for n in forms), ticker_filter=True))
    return found


def _only_negative(query: wq.Query) -> bool:
    if isinstance(query, wq.Not):
        return True
    if isinstance(query, wq.And):
        return all(_only_negative(child) for child in query.subqueries)
    return False


class _TopAndAll(TopCollector):  # type: ignore[misc]
    """The best ``limit`` hits by score, and the set of every match, in one pass.

    Whoosh's own top-N collector skips blocks that cannot reach the top, then has to
    run the query a second time when asked for every match (facets and the total
    need them); this one scores every match once instead. It never replaces its
    matcher with one pruned by the lowest score in the top: that would drop matches
    that cannot reach the top, and they still count."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit, usequality=False, replace=0)

    def _collect(self, global_docnum: int, score: float) -> float:
        self.docset.add(global_docnum)
        return float(super()._collect(global_docnum, score))

    def all_ids(self) -> set[int]:
        return set(self.docset)

    def results(self) -> Results:
        results = super().results()
        results.docset = self.docset
        return results


def run(searcher: Searcher, request: SearchRequest, names: Names | None = None) -> SearchPage:
    """Raises ``QueryError`` when the query cannot mean anything."""
    tree = parse(request.text)
    lexicon = searcher.reader()
    translation = translate(tree, names, literal=request.literal, lexicon=lexicon)
    query = translation.query
    if tree is not None and query is None and request.text.strip():
        raise QueryError("查询里没有可以搜索的文字（只有标点或符号）")
    if query is None:
        query = wq.Every()
    elif _only_negative(query):
        query = wq.And([wq.Every(), query])
    sort: Sort = (
        request.sort
        if translation.has_text
        else ("newest" if request.sort == "relevance" else request.sort)
    )
    end = request.page * request.per_page
    collector: Collector = (
        _TopAndAll(end)
        if sort == "relevance"
        else SortingCollector(sort, limit=end, reverse=sort == "newest")
    )
    filters = _filters(request, names)
    if filters is not None:
        collector = FilterCollector(collector, allow=filters)
    searcher.search_with_collector(query, collector)
    results = collector.results()
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
        synonyms=tuple(translation.synonyms),
        sought=(*translation.sought, *_filter_names(request, names)),
    )
