"""The archive by date: counts per day, month and year, and the commentaries of a period.

A commentary dated to a day (``day``, or ``inferred`` from its text) belongs to that day;
one dated to a month only belongs to the month and its year but to no day. Undated
commentaries have a bucket of their own.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from app.models import Commentary, DatePrecision
from app.web.queries.cache import cached
from app.web.queries.commentaries import CommentaryPage, dated_within, listed, newest_first

Month = tuple[int, int]


@dataclass(frozen=True)
class Calendar:
    """How many commentaries each day, month and year holds."""

    days: dict[dt.date, int]  # dated to the day
    month_only: dict[Month, int]  # dated to the month alone
    undated: int

    @cached_property
    def months(self) -> dict[Month, int]:
        counts: Counter[Month] = Counter(self.month_only)
        for day, count in self.days.items():
            counts[(day.year, day.month)] += count
        return dict(sorted(counts.items()))

    @cached_property
    def years(self) -> dict[int, int]:
        counts: Counter[int] = Counter()
        for (year, _), count in self.months.items():
            counts[year] += count
        return dict(sorted(counts.items()))

    @property
    def dated(self) -> int:
        return sum(self.years.values())

    def months_of(self, year: int) -> dict[int, int]:
        return {m: c for (y, m), c in self.months.items() if y == year}

    def days_of(self, year: int, month: int | None = None) -> dict[dt.date, int]:
        return {
            d: c
            for d, c in self.days.items()
            if d.year == year and (month is None or d.month == month)
        }

    def year_neighbours(self, year: int) -> tuple[int | None, int | None]:
        return _around(self.years, year)

    def month_neighbours(self, month: Month) -> tuple[Month | None, Month | None]:
        return _around(self.months, month)

    def day_neighbours(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        return _around(self.days, day)


P = TypeVar("P", int, Month, dt.date)


def _around(periods: Iterable[P], period: P) -> tuple[P | None, P | None]:
    """The nearest period before and after ``period`` among ``periods``."""
    earlier = max((p for p in periods if p < period), default=None)
    later = min((p for p in periods if p > period), default=None)
    return earlier, later


def archive_calendar(session: Session) -> Calendar:
    """How many commentaries each day, month-only month and the undated hold (shared
    between requests until the archive changes: do not modify)."""
    return cached(session, ("calendar",), lambda: _calendar(session))


def _calendar(session: Session) -> Calendar:
    rows = session.exec(
        select(col(Commentary.published), Commentary.date_precision, func.count()).group_by(
            col(Commentary.published), col(Commentary.date_precision)
        )
    )
    days: Counter[dt.date] = Counter()
    month_only: Counter[Month] = Counter()
    undated = 0
    for published, precision, count in rows:
        if published is None:
            undated += int(count)
        elif precision == DatePrecision.MONTH:
            month_only[(published.year, published.month)] += int(count)
        else:
            days[published] += int(count)
    return Calendar(dict(days), dict(month_only), undated)


def period_bounds(
    year: int, month: int | None = None, day: int | None = None
) -> tuple[dt.date, dt.date]:
    """First and last day of a year, a month or a day; ``ValueError`` if there is none."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day), dt.date(year, month, day)


def in_period(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    whole_months: bool,
    page: int = 1,
    per_page: int = 50,
) -> CommentaryPage:
    """Commentaries dated inside ``[start, end]``, newest first. With ``whole_months``
    (a month or year page: bounds on whole months) those whose period overlaps it, as a
    date filter keeps them, so the month-only ones whose month lies inside count too;
    without, only those dated to a day (a day page)."""
    inside: ColumnElement[bool]
    if whole_months:
        overlapping = dated_within(start, end)
        assert overlapping is not None
        inside = overlapping
    else:
        published = col(Commentary.published)
        inside = (published >= start) & (published <= end)
        inside = inside & (Commentary.date_precision != DatePrecision.MONTH)
    total = session.exec(select(func.count()).select_from(Commentary).where(inside)).one()
    rows = session.exec(
        listed()
        .where(inside)
        .order_by(*newest_first())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return CommentaryPage(total=int(total), page=page, per_page=per_page, items=list(rows))


def undated(session: Session, page: int = 1, per_page: int = 50) -> CommentaryPage:
    missing = col(Commentary.published).is_(None)
    total = session.exec(select(func.count()).select_from(Commentary).where(missing)).one()
    rows = session.exec(
        listed()
        .where(missing)
        .order_by(col(Commentary.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return CommentaryPage(total=int(total), page=page, per_page=per_page, items=list(rows))


@dataclass(frozen=True, slots=True)
class DayGroup:
    day: dt.date | None  # None: dated to the month only
    items: list[Commentary]


def group_by_day(items: list[Commentary]) -> list[DayGroup]:
    """A period's commentaries (newest first) by day; month-only ones form a group of
    their own, after the days."""
    days: list[DayGroup] = []
    month_only = DayGroup(None, [])
    for c in items:
        if c.date_precision == DatePrecision.MONTH or c.published is None:
            month_only.items.append(c)
        elif days and days[-1].day == c.published:
            days[-1].items.append(c)
        else:
            days.append(DayGroup(c.published, [c]))
    return [*days, month_only] if month_only.items else days


@dataclass(frozen=True, slots=True)
class Period:
    """A year, a month or a day of the timeline."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, value: int | Month | dt.date) -> Period:
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, tuple):
            return cls(*value)
        return cls(value)

    @property
    def key(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    @property
    def path(self) -> str:
        """Its page: ``/timeline/2024``, ``/timeline/2024/09``, ``/timeline/2024/09/14``."""
        return "/timeline/" + self.key.replace("-", "/")

    @property
    def label(self) -> str:
        """As readers see it: 2024年, 2024年9月, 2024年9月14日."""
        label = f"{self.year}年"
        if self.month is not None:
            label += f"{self.month}月"
        if self.day is not None:
            label += f"{self.day}日"
        return label

    def bounds(self) -> tuple[dt.date, dt.date]:
        """Its first and last day; ``ValueError`` if there is no such date."""
        if not 1 <= self.year <= 9999:
            raise ValueError(self.key)
        try:
            return period_bounds(self.year, self.month, self.day)
        except OverflowError:
            raise ValueError(self.key) from None

    def count(self, cal: Calendar) -> int:
        """Commentaries dated in it (a day holds only those dated to the day)."""
        if self.month is None:
            return cal.years.get(self.year, 0)
        if self.day is None:
            return cal.months.get((self.year, self.month), 0)
        return cal.days.get(dt.date(self.year, self.month, self.day), 0)

    def neighbours(self, cal: Calendar) -> tuple[Period | None, Period | None]:
        """The nearest earlier and later periods of its kind that hold commentaries."""
        if self.month is None:
            return _either(cal.year_neighbours(self.year))
        if self.day is None:
            return _either(cal.month_neighbours((self.year, self.month)))
        return _either(cal.day_neighbours(dt.date(self.year, self.month, self.day)))


def _either(pair: tuple[P | None, P | None]) -> tuple[Period | None, Period | None]:
    earlier, later = pair
    return (
        None if earlier is None else Period.of(earlier),
        None if later is None else Period.of(later),
    )
