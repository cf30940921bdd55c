"""The Whoosh engine at its plainest: the compiled query run by Whoosh's own collectors
on the shared searcher, facets counted from the searcher's cached per-document values.

This is how searches ran before the engine contract, kept as the reference the faster
finder is compared with; it is easy to read and obviously right, not fast.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.collectors import Collector, FilterCollector, SortingCollector, TopCollector
from whoosh.searching import Results, Searcher

from app.search.backend import (
    NO_FACETS,
    Facets,
    Found,
    Hit,
    IndexStatus,
    IndexWriter,
    Lookup,
    Similar,
)
from app.search.whoosh.compile import whoosh_filter, whoosh_query
from app.search.whoosh.reader import SearchIndex
from bench import reference_facets as facet_counts


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


def find(searcher: Searcher, lookup: Lookup) -> Found:
    """``lookup`` run on ``searcher``, every match scored and counted (no budget)."""
    query = whoosh_query(lookup.criterion, searcher.reader())
    end = lookup.offset + lookup.limit
    relevance = lookup.sort == "relevance"
    collector: Collector = (
        _TopAndAll(end)
        if relevance
        else SortingCollector(lookup.sort, limit=end, reverse=lookup.sort == "newest")
    )
    allow = whoosh_filter(lookup.filters)
    if allow is not None:
        collector = FilterCollector(collector, allow=allow)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    matched = results.docs()
    hits = tuple(
        Hit(int(hit["id"]), float(hit.score) if relevance else None)
        for hit in results[lookup.offset : end]
    )
    facets = NO_FACETS
    if lookup.facets:
        counted = facet_counts.count(searcher, matched)
        facets = Facets(counted.tickers, counted.months)
    return Found(hits=hits, total=len(matched), facets=facets)


class ReferenceBackend:
    """``find`` on a ``SearchIndex``'s shared searcher; nothing else of the contract."""

    name = "whoosh-reference"

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def find(self, lookup: Lookup) -> Found:
        return self.index.use(lambda searcher: find(searcher, lookup))

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]:
        raise NotImplementedError

    def status(self) -> IndexStatus:
        problem, documents = self.index.status()
        return IndexStatus(problem, documents)

    def writer(self, *, rebuild: bool = False) -> IndexWriter:
        raise NotImplementedError

    def close(self) -> None:
        self.index.close()
