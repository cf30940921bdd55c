"""Search results ready for a page or the JSON API: commentaries, tickers and snippets."""

from __future__ import annotations

import time
from dataclasses import dataclass

from markupsafe import Markup
from sqlmodel import Session

from app.models import Commentary
from app.search import SearchIndex, Sort, find_spans, run, snippets, term_pattern
from app.web.queries.commentaries import by_ids, list_commentaries, tickers_of


@dataclass(frozen=True, slots=True)
class SearchHitView:
    commentary: Commentary
    score: float | None
    tickers: list[str]
    snippets: list[Markup]


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    sort: Sort
    took_ms: float
    hits: list[SearchHitView]
    terms: tuple[str, ...]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_commentaries(
    session: Session,
    index: SearchIndex,
    q: str,
    *,
    page: int = 1,
    per_page: int = 20,
    sort: Sort = "relevance",
) -> SearchResults:
    """Run ``q``; an empty query lists the newest commentaries. Raises ``QueryError`` for
    a query that cannot run and ``IndexUnavailable`` when the index cannot be used."""
    started = time.perf_counter()
    q = q.strip()
    if not q:
        listing = list_commentaries(session, page, per_page)
        pairs: list[tuple[Commentary, float | None]] = [(c, None) for c in listing.items]
        total, terms = listing.total, tuple[str, ...]()
    else:
        found = index.use(lambda s: run(s, q, page=page, per_page=per_page, sort=sort))
        rows = by_ids(session, [h.id for h in found.hits])
        pairs = [(rows[h.id], h.score) for h in found.hits if h.id in rows]
        total, terms = found.total, found.terms
    pattern = term_pattern(terms)
    symbols = tickers_of(session, [c.id for c, _ in pairs if c.id is not None])
    hits = [
        SearchHitView(
            commentary=c,
            score=score,
            tickers=symbols.get(c.id or 0, []),
            snippets=snippets(c.body, find_spans(c.body, pattern)),
        )
        for c, score in pairs
    ]
    took = (time.perf_counter() - started) * 1000
    return SearchResults(q, total, page, per_page, sort, round(took, 1), hits, terms)
