"""A lookup as SQL over the search table: the page of hits, then the total and the
facets over every match, each within what is left of the search budget.

The budget is PostgreSQL's ``statement_timeout``, set for each statement's transaction
from what remains. A page that cannot be ranked in time is answered with the first
matches the database finds (partial); a total or facets that cannot be counted in time
leave a lower bound and no facets. Nothing that does not match is ever returned.

Relevance is ``ts_rank_cd`` (title words weigh twice those of the body, divided by
one plus the log of the length), or, where the words' index is RUM, RUM's own rank,
read from the index in rank order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Float, Select, and_, func, literal_column, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from app.search.backend import TOP_TICKERS, Facets, Found, Hit, Lookup
from app.search.postgres.compile import COLUMNS, condition, filter_condition, ranked_query, tsquery
from app.search.postgres.table import search_table

T = TypeVar("T")

# ts_rank_cd's weights of D, C, B, A: body words at B, title words at A, twice as much.
WEIGHTS = "{0,0,0.5,1.0}"
# 1: the rank over one plus the logarithm of the document's length.
NORMALISATION = 1
# A page the budget could not rank is answered with the first matches found, given this
# much more time (a share of the budget, at least ``LEAST_GRACE`` seconds).
GRACE = 0.25
LEAST_GRACE = 0.05


class OutOfTime(Exception):
    """A statement ran past the time it was given."""


def _timed(engine: Engine, seconds: float, work: Callable[[Connection], T]) -> T:
    """``work`` on a connection whose statements stop after ``seconds``."""
    if seconds <= 0:
        raise OutOfTime
    with engine.connect() as connection:
        if math.isfinite(seconds):
            milliseconds = max(1, int(seconds * 1000))
            connection.execute(text(f"SET LOCAL statement_timeout = {milliseconds}"))
        try:
            return work(connection)
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == "57014":  # query_canceled
                raise OutOfTime from exc
            raise


class _Clock:
    def __init__(self, budget: float) -> None:
        self.end = time.monotonic() + budget

    def left(self) -> float:
        return self.end - time.monotonic()


def _where(lookup: Lookup) -> ColumnElement[bool]:
    found = condition(lookup.criterion)
    allowed = filter_condition(lookup.filters)
    return found if allowed is None else and_(found, allowed)


def _page(lookup: Lookup, where: ColumnElement[bool], rum: bool) -> Select[Any]:
    ident = COLUMNS.commentary_id
    sought = ranked_query(lookup.criterion) if lookup.sort == "relevance" else None
    if lookup.sort == "newest":
        return select(ident, literal_column("NULL")).where(where).order_by(COLUMNS.newest.desc())
    if lookup.sort == "oldest":
        return select(ident, literal_column("NULL")).where(where).order_by(COLUMNS.oldest)
    if sought is None:
        return select(ident, literal_column("0.0")).where(where).order_by(ident)
    if rum:
        distance = COLUMNS.words.op("<=>", return_type=Float)(tsquery(sought))
        score = 1.0 / func.nullif(distance, 0)
        return select(ident, score).where(where).order_by(distance, ident)
    rank = func.ts_rank_cd(
        literal_column(f"'{WEIGHTS}'::float4[]"), COLUMNS.words, tsquery(sought), NORMALISATION
    )
    return select(ident, rank).where(where).order_by(rank.desc(), ident)


def _hits(lookup: Lookup, rows: Sequence[Any]) -> tuple[Hit, ...]:
    relevance = lookup.sort == "relevance"
    return tuple(
        Hit(int(ident), float(score or 0.0) if relevance else None)
        for ident, score in rows[lookup.offset : lookup.offset + lookup.limit]
    )


def _counted(where: ColumnElement[bool], facets: bool) -> Callable[[Connection], Any]:
    """The number of matches, and with ``facets`` the symbols' and months' counts."""

    def count(connection: Connection) -> tuple[int, Facets]:
        if not facets:
            counted = select(func.count()).select_from(search_table).where(where)
            return int(connection.execute(counted).scalar_one()), Facets((), ())
        matched = select(COLUMNS.symbols, COLUMNS.month).where(where).cte("matched")
        everything: Select[Any] = select(  # type: ignore[assignment]
            literal_column("'n'"), literal_column("NULL"), func.count()
        ).select_from(matched)
        each = select(func.unnest(matched.c.symbols).label("symbol")).subquery("each")
        tickers = select(literal_column("'t'"), each.c.symbol, func.count()).group_by(each.c.symbol)
        months = (
            select(literal_column("'m'"), matched.c.month, func.count())
            .where(matched.c.month.is_not(None))
            .group_by(matched.c.month)
        )
        rows = connection.execute(everything.union_all(tickers, months)).all()
        n = 0
        ticker_counts: list[tuple[str, int]] = []
        month_counts: list[tuple[str, int]] = []
        for kind, value, count_ in rows:
            if kind == "n":
                n = int(count_)
            elif kind == "t":
                ticker_counts.append((str(value), int(count_)))
            else:
                month_counts.append((str(value), int(count_)))
        ticker_counts.sort(key=lambda pair: (-pair[1], pair[0]))
        month_counts.sort(reverse=True)
        return n, Facets(tuple(ticker_counts[:TOP_TICKERS]), tuple(month_counts))

    return count


def find(engine: Engine, lookup: Lookup, rum: bool) -> Found:
    """What ``lookup`` finds, within ``lookup.budget`` seconds (counted from here)."""
    clock = _Clock(lookup.budget)
    where = _where(lookup)
    end = lookup.offset + lookup.limit
    partial = False
    page = _page(lookup, where, rum).limit(end)
    try:
        rows: Sequence[Any] = _timed(engine, clock.left(), lambda c: c.execute(page).all())
    except OutOfTime:
        partial = True
        grace = max(lookup.budget * GRACE, LEAST_GRACE)
        first = select(COLUMNS.commentary_id, literal_column("NULL")).where(where).limit(end)
        try:
            rows = _timed(engine, grace, lambda c: c.execute(first).all())
        except OutOfTime:
            rows = []
    hits = _hits(lookup, rows)
    at_least = lookup.offset + len(hits) if hits else min(len(rows), lookup.offset)
    if len(rows) < end and not partial and not lookup.facets:
        # Every match is on this page or before it: nothing left to count.
        return Found(hits, len(rows))
    try:
        total, facets = _timed(engine, clock.left(), _counted(where, lookup.facets))
    except OutOfTime:
        return Found(hits, max(at_least, len(rows)), total_exact=False, partial=partial)
    if partial:
        return Found(hits, max(total, len(rows)), total_exact=True, facets=facets, partial=True)
    return Found(hits, total, facets=facets)
