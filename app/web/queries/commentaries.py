"""Commentary lists and single commentaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, literal, or_
from sqlalchemy.orm import Mapped, QueryableAttribute, defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app import periods
from app.models import Commentary, DatePrecision, Mention


@dataclass(frozen=True, slots=True)
class CommentaryPage:
    total: int
    page: int
    per_page: int
    items: list[Commentary]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def newest_first() -> tuple[Any, ...]:
    """Newest first, undated last, ties by id (newest ingested first): the order
    ``app.periods`` defines, which the index's sort keys give too."""
    return (col(Commentary.published).desc().nulls_last(), col(Commentary.id).desc())


def listed() -> SelectOfScalar[Commentary]:
    """Commentaries without the original file text, which only /c/{id}.txt shows."""
    return select(Commentary).options(defer(cast(QueryableAttribute[Any], Commentary.raw_text)))


@dataclass(frozen=True, slots=True)
class PeriodEnd:
    """The last day of a commentary's period (``app.periods.period_of``) in SQL, as far
    as comparing it with a day goes: a month-only date's month ends on or after
    ``start`` when it is ``start``'s month or a later one. Stated this way the database
    compares the stored date alone, with no date arithmetic of its own."""

    published: Mapped[dt.date | None]
    month_only: ColumnElement[bool]

    def __ge__(self, start: dt.date) -> ColumnElement[bool]:
        return or_(
            self.published >= start, and_(self.month_only, self.published >= start.replace(day=1))
        )


def period_columns() -> tuple[Mapped[dt.date | None], PeriodEnd]:
    """A commentary's period (first day, last day) over its columns; an undated one
    (NULL) compares as nothing."""
    published = col(Commentary.published)
    month_only = col(Commentary.date_precision) == DatePrecision.MONTH
    return published, PeriodEnd(published, month_only)


def dated_within(start: dt.date | None, end: dt.date | None) -> ColumnElement[bool] | None:
    """Commentaries whose period overlaps ``[start, end]`` (``app.periods.overlaps``):
    a month-only date counts as its whole month; undated commentaries never match."""
    first, last = period_columns()
    kept: ColumnElement[bool] | None = periods.overlaps(first, last, start, end)
    return kept


def mentioning(symbol: str) -> ColumnElement[bool]:
    """Commentaries that mention ``symbol`` or declare it in their front matter."""
    mentioned = select(Mention.commentary_id).where(Mention.symbol == symbol)
    declared = (literal(",") + col(Commentary.declared_tickers) + literal(",")).like(
        f"%,{symbol},%"
    )
    return or_(col(Commentary.id).in_(mentioned), declared)


def list_commentaries(
    session: Session,
    page: int = 1,
    per_page: int = 20,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    symbol: str | None = None,
) -> CommentaryPage:
    """Commentaries newest first (undated last), optionally dated within a range or
    mentioning a symbol."""
    conditions: list[ColumnElement[bool]] = []
    if (dates := dated_within(start, end)) is not None:
        conditions.append(dates)
    if symbol:
        conditions.append(mentioning(symbol))
    counted = select(func.count()).select_from(Commentary)
    rows = listed().order_by(*newest_first()).offset((page - 1) * per_page).limit(per_page)
    for condition in conditions:
        counted, rows = counted.where(condition), rows.where(condition)
    total = session.exec(counted).one()
    return CommentaryPage(
        total=int(total), page=page, per_page=per_page, items=list(session.exec(rows))
    )


def neighbours(session: Session, c: Commentary) -> tuple[Commentary | None, Commentary | None]:
    """The commentaries just before and after ``c`` by date (ties by id); an undated one
    has its neighbours among the undated, in the order they were added."""
    published, ident = col(Commentary.published), col(Commentary.id)
    assert c.id is not None
    if c.published is None:
        undated = published.is_(None)
        before = listed().where(undated, ident < c.id).order_by(ident.desc())
        after = listed().where(undated, ident > c.id).order_by(ident)
    else:
        same_day = published == c.published
        before = (
            listed()
            .where(or_(published < c.published, and_(same_day, ident < c.id)))
            .order_by(published.desc(), ident.desc())
        )
        after = (
            listed()
            .where(or_(published > c.published, and_(same_day, ident > c.id)))
            .order_by(published, ident)
        )
    return session.exec(before.limit(1)).first(), session.exec(after.limit(1)).first()


# Ids are 32-bit integer columns: a larger number names nothing, and would overflow the
# database driver's parameter.
MAX_ID = 2**31 - 1


def get_commentary(session: Session, commentary_id: int) -> Commentary | None:
    if not 0 < commentary_id <= MAX_ID:
        return None
    return session.get(Commentary, commentary_id)


def by_ids(session: Session, ids: list[int]) -> dict[int, Commentary]:
    if not ids:
        return {}
    rows = session.exec(listed().where(col(Commentary.id).in_(ids)))
    return {c.id: c for c in rows if c.id is not None}


def tickers_of(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Symbols per commentary, the most mentioned first (then by symbol); symbols
    declared in front matter but never mentioned come last."""
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    if ids:
        rows = session.exec(
            select(Mention.commentary_id, Mention.symbol, func.count())
            .where(col(Mention.commentary_id).in_(ids))
            .group_by(col(Mention.commentary_id), col(Mention.symbol))
        )
        for commentary_id, symbol, count in rows:
            counts[commentary_id][symbol] = int(count)
        declared = session.exec(
            select(Commentary.id, Commentary.declared_tickers).where(col(Commentary.id).in_(ids))
        )
        for declaring_id, symbols in declared:
            for symbol in symbols.split(","):
                if symbol and declaring_id is not None:
                    counts[declaring_id].setdefault(symbol, 0)
    return {i: _most_first(found) for i, found in counts.items()}


def _most_first(counts: dict[str, int]) -> list[str]:
    return sorted(counts, key=lambda symbol: (-counts[symbol], symbol))


@dataclass(frozen=True, slots=True)
class Stats:
    commentaries: int
    dated: int
    first: dt.date | None
    last: dt.date | None


def archive_stats(session: Session) -> Stats:
    total, dated, first, last = session.exec(
        select(
            func.count(col(Commentary.id)),
            func.count(col(Commentary.published)),
            func.min(Commentary.published),
            func.max(Commentary.published),
        )
    ).one()
    return Stats(commentaries=int(total), dated=int(dated), first=first, last=last)
