"""What the home page shows besides the newest commentaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Instrument, Mention
from app.web.queries.commentaries import (
    CommentaryPage,
    Stats,
    archive_stats,
    list_commentaries,
    tickers_of,
)

HOME_ITEMS = 10
RECENT_DAYS = 30
TOP_TICKERS = 12


@dataclass(frozen=True, slots=True)
class RecentTicker:
    symbol: str
    name: str
    mentions: int


@dataclass(frozen=True, slots=True)
class Overview:
    stats: Stats
    tickers: int  # instruments mentioned at least once
    recent_from: dt.date | None  # the window of "recent": the archive's last 30 days
    recent: list[RecentTicker]


def overview(session: Session) -> Overview:
    stats = archive_stats(session)
    tickers = session.exec(select(func.count(func.distinct(Mention.symbol)))).one()
    if stats.last is None:
        return Overview(stats, int(tickers), None, [])
    since = stats.last - dt.timedelta(days=RECENT_DAYS - 1)
    counted = func.count(col(Mention.id))
    rows = session.exec(
        select(Mention.symbol, Instrument.name, Instrument.name_zh, counted)
        .join(Instrument, col(Instrument.symbol) == col(Mention.symbol))
        .where(col(Mention.published) >= since, col(Mention.published) <= stats.last)
        .group_by(col(Mention.symbol), col(Instrument.name), col(Instrument.name_zh))
        .order_by(counted.desc(), col(Mention.symbol))
        .limit(TOP_TICKERS)
    )
    recent = [RecentTicker(s, zh or name, int(n)) for s, name, zh, n in rows]
    return Overview(stats, int(tickers), since, recent)


@dataclass(frozen=True, slots=True)
class HomePage:
    latest: CommentaryPage
    tickers: dict[int, list[str]]  # symbols of each of the latest
    overview: Overview


def home_page(session: Session) -> HomePage:
    """The newest commentaries with their symbols, and the overview."""
    latest = list_commentaries(session, 1, HOME_ITEMS)
    tickers = tickers_of(session, [c.id for c in latest.items if c.id is not None])
    return HomePage(latest, tickers, overview(session))
