"""A commentary's period, and the two rules every reader of the archive applies to it:
which commentaries a date filter keeps, and the order "newest first".

A commentary dated to a day stands for that day; one whose date names only a month
(precision ``month``) stands for the whole month; an undated one for no time at all.
A date filter ``[start, end]`` (either bound open) keeps the commentaries whose period
overlaps it, so September 2024 keeps a commentary dated "2024年9月", and no date filter
keeps an undated one.

The database (SQL over its columns), the index (day ordinals written per document) and
a search engine (arrays of day ordinals) each state the rule over their own values:
``overlaps`` uses nothing but ``>=``, ``<=`` and ``&``, which all of them define, so
it is written here once.

Newest first means: the latest date first, undated commentaries last, and among
commentaries of one date the most recently ingested (highest id) first; "oldest
first" reverses the dates but still puts the undated last (ties: lowest id first).
The database sorts by its columns that way (``app.web.queries.commentaries``); the
index stores ``sort_keys`` so that sorting one number gives the same order.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from app.models import DatePrecision

# The period of an undated commentary as day ordinals: it starts after every day and
# ends before every day, so it overlaps no filter with a bound.
UNDATED_FIRST = dt.date.max.toordinal() + 1
UNDATED_LAST = 0

# Sort keys: the day ordinal, then the id (ids stay below this span).
_ID_SPAN = 10**9
# For "oldest first" an undated commentary sorts after every day there is.
_AFTER_EVERY_DAY = 10**7


def period_of(published: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The first and last day ``published`` stands for: the day, or for a date that
    names only a month, the whole month."""
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(published.year, published.month)[1]
        return published, published.replace(day=last)
    return published, published


def ordinals(published: dt.date | None, precision: str) -> tuple[int, int]:
    """``period_of`` as day ordinals; for an undated commentary, a period no filter
    with a bound overlaps."""
    if published is None:
        return UNDATED_FIRST, UNDATED_LAST
    first, last = period_of(published, precision)
    return first.toordinal(), last.toordinal()


def overlaps(first: Any, last: Any, start: Any | None, end: Any | None) -> Any:
    """Whether the period ``[first, last]`` overlaps ``[start, end]``: it ends on or
    after ``start`` and begins on or before ``end``. ``None`` when both bounds are open
    (everything is kept, undated commentaries too).

    Works on anything with ``>=``, ``<=`` and ``&``: dates or day ordinals, SQL column
    expressions, numpy arrays."""
    kept = None
    if start is not None:
        kept = last >= start
    if end is not None:
        before = first <= end
        kept = before if kept is None else kept & before
    return kept


def sort_keys(published: dt.date | None, commentary_id: int) -> tuple[int, int]:
    """``(newest, oldest)``: numbers whose order is newest first (sorted descending)
    and oldest first (ascending), undated last in both, ties by id."""
    day = published.toordinal() if published is not None else None
    newest = (day or 0) * _ID_SPAN + commentary_id
    oldest = (day or _AFTER_EVERY_DAY) * _ID_SPAN + commentary_id
    return newest, oldest
