"""A lookup as SQL over the search table: the page of hits, then the total and the
facets over every match, each within what is left of the search budget.

The budget is PostgreSQL's ``statement_timeout``, set before each statement from what
remains (each statement is a transaction of its own). A page that cannot be ranked in
time is answered with the first matches the database finds (partial); a total or
facets that cannot be counted in time leave a lower bound and no facets. Nothing that
does not match is ever returned.

Relevance is ``ts_rank_cd`` (title words weigh twice those of the body, divided by
one plus the log of the length), or, where the words' index is RUM, RUM's own rank,
read from the index in rank order.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    func,
    literal_column,
    not_,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from app.search.backend import NO_FACETS, TOP_TICKERS, Facets, Found, Hit, Lookup
from app.search.postgres.compile import (
    COLUMNS,
    condition,
    filter_condition,
    matches,
    needs_words,
    ranked_query,
    tsquery,
)
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


# What every connection searches are made on is set to (``PostgresBackend``).
SEARCH_SETTINGS = {
    # PostgreSQL costs a sequential scan without the price of opening each row's words
    # (stored apart, compressed), so for a common word it would rather read every row
    # than the words' index, ten times slower: only a query that has no index to use
    # scans the table.
    "enable_seqscan": "off",
    # The driver prepares a statement run often; a plan made once for any words could
    # not know whether they are rare or common. Each search is planned for its own.
    "plan_cache_mode": "force_custom_plan",
    # Compiling a query to machine code costs more than any search should take.
    "jit": "off",
}
_PREPARE = text(
    "SELECT set_config('statement_timeout', :limit, false),"
    " set_config('enable_bitmapscan', :bitmaps, false)"
)


def _timed(
    connection: Connection,
    seconds: float,
    work: Callable[[Connection], T],
    *,
    ranked_by_index: bool = False,
) -> T:
    """``work``, its statements stopped after ``seconds``, on ``connection`` (each
    statement a transaction of its own, so a stopped one leaves it usable). With
    ``ranked_by_index`` the rows come from RUM's index in rank order: a bitmap of the
    matches would have PostgreSQL rank each one from its stored words."""
    if seconds <= 0:
        raise OutOfTime
    milliseconds = max(1, int(seconds * 1000)) if math.isfinite(seconds) else 0
    bitmaps = "off" if ranked_by_index else "on"
    connection.execute(_PREPARE, {"limit": f"{milliseconds}ms", "bitmaps": bitmaps})
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
    """The matches in ``lookup``'s order: id, score, symbols and month of each (the
    last two count the facets when every match fits on the page)."""
    ident, symbols, month = COLUMNS.commentary_id, COLUMNS.symbols, COLUMNS.month
    sought = ranked_query(lookup.criterion) if lookup.sort == "relevance" else None
    if lookup.sort != "relevance":
        key = COLUMNS.newest.desc() if lookup.sort == "newest" else COLUMNS.oldest
        return select(ident, literal_column("NULL"), symbols, month).where(where).order_by(key)
    if sought is None:
        return select(ident, literal_column("0.0"), symbols, month).where(where).order_by(ident)
    if rum:
        # The matches that hold a sought word, from RUM's index in rank order: ordered
        # by the distance alone (a second key would make PostgreSQL rank every match;
        # ties are put in id order among the rows read, ``_hits``), and found through
        # the words' index even when the criteria join words with other conditions.
        # The matches without one rank after them all (``_unranked``).
        distance = COLUMNS.words.op("<=>", return_type=Float)(tsquery(sought))
        score = 1.0 / func.nullif(distance, 0)
        found = select(ident, score, symbols, month).where(where)
        if not needs_words(lookup.criterion):
            # Only where the criteria do not already require words: RUM's ordered scan
            # loses matches of a phrase given two conditions on the words.
            found = found.where(matches(sought))
        return found.order_by(distance)
    rank = func.ts_rank_cd(
        literal_column(f"'{WEIGHTS}'::float4[]"), COLUMNS.words, tsquery(sought), NORMALISATION
    )
    return select(ident, rank, symbols, month).where(where).order_by(rank.desc(), ident)


def _unranked(lookup: Lookup, where: ColumnElement[bool]) -> Select[Any] | None:
    """With RUM, the matches that hold none of the words relevance ranks by (a ticker
    or source the criteria accept instead), in id order: they rank last."""
    sought = ranked_query(lookup.criterion)
    if lookup.sort != "relevance" or sought is None or needs_words(lookup.criterion):
        # Criteria that require words were read whole by the ranked page's scan.
        return None
    found = select(COLUMNS.commentary_id, literal_column("0.0"), COLUMNS.symbols, COLUMNS.month)
    return found.where(where, not_(matches(sought))).order_by(COLUMNS.commentary_id)


def _hits(lookup: Lookup, rows: Sequence[Any]) -> tuple[Hit, ...]:
    relevance = lookup.sort == "relevance"
    if relevance:
        rows = sorted(rows, key=lambda row: (-(row[1] or 0.0), row[0]))
    return tuple(
        Hit(int(ident), float(score or 0.0) if relevance else None)
        for ident, score, _, _ in rows[lookup.offset : lookup.offset + lookup.limit]
    )


def _facets(rows: Sequence[Any]) -> Facets:
    """The facets of ``rows`` (id, score, symbols, month), when they are every match."""
    tickers = Counter(symbol for row in rows for symbol in row[2])
    months = Counter(row[3] for row in rows if row[3] is not None)
    return _ordered(tickers.items(), months.items())


def _ordered(tickers: Iterable[tuple[str, int]], months: Iterable[tuple[str, int]]) -> Facets:
    """Tickers by most matches then symbol (the first ``TOP_TICKERS``), months newest
    first."""
    top = sorted(tickers, key=lambda pair: (-pair[1], pair[0]))[:TOP_TICKERS]
    return Facets(tuple(top), tuple(sorted(months, reverse=True)))


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
        return n, _ordered(ticker_counts, month_counts)

    return count


def find(engine: Engine, lookup: Lookup, rum: bool) -> Found:
    """What ``lookup`` finds, within ``lookup.budget`` seconds (counted from here), on
    a connection of ``engine`` (made with ``SEARCH_SETTINGS``, in autocommit)."""
    clock = _Clock(lookup.budget)
    with engine.connect() as connection:
        return _find(connection, lookup, rum, clock)


def _find(connection: Connection, lookup: Lookup, rum: bool, clock: _Clock) -> Found:
    where = _where(lookup)
    end = lookup.offset + lookup.limit
    partial = False
    page = _page(lookup, where, rum).limit(end)
    by_index = rum and lookup.sort == "relevance" and ranked_query(lookup.criterion) is not None
    try:
        rows: Sequence[Any] = _timed(
            connection, clock.left(), lambda c: c.execute(page).all(), ranked_by_index=by_index
        )
        rest = _unranked(lookup, where) if by_index else None
        if rest is not None and len(rows) < end:
            more = rest.limit(end - len(rows))
            rows = [*rows, *_timed(connection, clock.left(), lambda c: c.execute(more).all())]
    except OutOfTime:
        partial = True
        grace = max(lookup.budget * GRACE, LEAST_GRACE)
        first = select(
            COLUMNS.commentary_id, literal_column("NULL"), COLUMNS.symbols, COLUMNS.month
        )
        first = first.where(where).limit(end)
        try:
            rows = _timed(connection, grace, lambda c: c.execute(first).all())
        except OutOfTime:
            rows = []
    hits = _hits(lookup, rows)
    if len(rows) < end and not partial:
        # Every match was read: the total and the facets are theirs.
        facets = _facets(rows) if lookup.facets else NO_FACETS
        return Found(hits, len(rows), facets=facets)
    at_least = max(lookup.offset + len(hits) if hits else 0, len(rows))
    try:
        total, facets = _timed(connection, clock.left(), _counted(where, lookup.facets))
    except OutOfTime:
        return Found(hits, at_least, total_exact=False, partial=partial)
    return Found(hits, max(total, len(rows)), facets=facets, partial=partial)
