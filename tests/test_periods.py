"""The date-overlap rule means the same in SQL over the commentary table, over day
ordinals as the index stores them, and over arrays of them as an engine holds them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from app import periods
from app.models import Commentary, DatePrecision
from app.web.queries.commentaries import dated_within

D = dt.date
# (published, precision) for each commentary: days, month-only dates, undated.
DATES = [
    (D(2024, 8, 31), DatePrecision.DAY),
    (D(2024, 9, 1), DatePrecision.DAY),
    (D(2024, 9, 14), DatePrecision.DAY),
    (D(2024, 9, 30), DatePrecision.INFERRED),
    (D(2024, 10, 1), DatePrecision.DAY),
    (D(2024, 8, 1), DatePrecision.MONTH),
    (D(2024, 9, 1), DatePrecision.MONTH),
    (D(2024, 10, 1), DatePrecision.MONTH),
    (D(2024, 2, 1), DatePrecision.MONTH),  # a leap year's February
    (None, DatePrecision.NONE),
]
BOUNDS = [
    (None, None),
    (D(2024, 9, 14), None),
    (D(2024, 9, 15), None),
    (None, D(2024, 8, 31)),
    (None, D(2024, 9, 13)),
    (D(2024, 9, 1), D(2024, 9, 30)),
    (D(2024, 9, 14), D(2024, 9, 14)),
    (D(2024, 9, 30), D(2024, 10, 1)),
    (D(2024, 2, 29), D(2024, 2, 29)),
    (D(2024, 3, 1), D(2024, 8, 30)),
]
# What each bound keeps, by index into DATES (written out, not derived).
KEPT = {
    (None, None): set(range(10)),
    (D(2024, 9, 14), None): {2, 3, 4, 6, 7},
    (D(2024, 9, 15), None): {3, 4, 6, 7},
    (None, D(2024, 8, 31)): {0, 5, 8},
    (None, D(2024, 9, 13)): {0, 1, 5, 6, 8},
    (D(2024, 9, 1), D(2024, 9, 30)): {1, 2, 3, 6},
    (D(2024, 9, 14), D(2024, 9, 14)): {2, 6},
    (D(2024, 9, 30), D(2024, 10, 1)): {3, 4, 6, 7},
    (D(2024, 2, 29), D(2024, 2, 29)): {8},
    (D(2024, 3, 1), D(2024, 8, 30)): {5},
}


def test_period_of_a_day_and_of_a_month() -> None:
    assert periods.period_of(D(2024, 9, 14), DatePrecision.DAY) == (D(2024, 9, 14),) * 2
    assert periods.period_of(D(2024, 9, 14), DatePrecision.INFERRED) == (D(2024, 9, 14),) * 2
    assert periods.period_of(D(2024, 2, 1), DatePrecision.MONTH) == (D(2024, 2, 1), D(2024, 2, 29))
    assert periods.ordinals(None, DatePrecision.NONE) == (
        periods.UNDATED_FIRST,
        periods.UNDATED_LAST,
    )


def _ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _kept_by_ints(start: dt.date | None, end: dt.date | None) -> set[int]:
    kept = set()
    for i, (published, precision) in enumerate(DATES):
        first, last = periods.ordinals(published, precision)
        verdict = periods.overlaps(first, last, _ordinal(start), _ordinal(end))
        if verdict is None or verdict:
            kept.add(i)
    return kept


def _kept_by_sql(start: dt.date | None, end: dt.date | None) -> set[int]:
    engine = create_engine("sqlite://")
    Commentary.__table__.create(engine)  # type: ignore[attr-defined]
    with Session(engine) as session:
        for i, (published, precision) in enumerate(DATES):
            key = str(i)
            session.add(
                Commentary(
                    id=i + 1,
                    title=key,
                    title_source="text",
                    published=published,
                    date_precision=precision,
                    body=key,
                    raw_text=key,
                    encoding="utf-8",
                    content_hash=key,
                    raw_hash=key,
                    origin_key=key,
                    origin_path=key,
                )
            )
        session.commit()
        query = select(col(Commentary.id))
        if (where := dated_within(start, end)) is not None:
            query = query.where(where)
        kept = {int(i) - 1 for i in session.exec(query) if i is not None}
    engine.dispose()
    return kept


@pytest.mark.parametrize(("start", "end"), BOUNDS)
def test_sql_and_ordinals_keep_the_same(start: dt.date | None, end: dt.date | None) -> None:
    assert _kept_by_ints(start, end) == KEPT[(start, end)]
    assert _kept_by_sql(start, end) == KEPT[(start, end)]


def test_arrays_keep_the_same() -> None:
    np = pytest.importorskip("numpy")
    pairs = [periods.ordinals(published, precision) for published, precision in DATES]
    first = np.array([f for f, _ in pairs])
    last = np.array([last for _, last in pairs])
    for (start, end), expected in KEPT.items():
        verdict = periods.overlaps(first, last, _ordinal(start), _ordinal(end))
        kept = set(range(len(DATES))) if verdict is None else set(np.flatnonzero(verdict).tolist())
        assert kept == expected, (start, end)


def test_sort_keys_order_newest_and_oldest_with_the_undated_last() -> None:
    rows = [(D(2024, 9, 1), 3), (D(2024, 9, 1), 5), (D(2023, 1, 2), 9), (None, 1), (None, 7)]
    keys = {i: periods.sort_keys(published, i) for published, i in rows}
    newest = sorted(keys, key=lambda i: keys[i][0], reverse=True)
    oldest = sorted(keys, key=lambda i: keys[i][1])
    assert newest == [5, 3, 9, 7, 1]
    assert oldest == [9, 3, 5, 1, 7]
