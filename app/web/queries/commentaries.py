"""Commentary lists and single commentaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import func
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from app.models import Commentary, Mention


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
    """Newest first, undated last, ties by id (newest ingested first)."""
    return (col(Commentary.published).desc().nulls_last(), col(Commentary.id).desc())


def list_commentaries(session: Session, page: int = 1, per_page: int = 20) -> CommentaryPage:
    total = session.exec(select(func.count()).select_from(Commentary)).one()
    rows = session.exec(
        select(Commentary).order_by(*newest_first()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return CommentaryPage(total=int(total), page=page, per_page=per_page, items=list(rows))


def get_commentary(session: Session, commentary_id: int) -> Commentary | None:
    return session.get(Commentary, commentary_id)


def by_ids(session: Session, ids: list[int]) -> dict[int, Commentary]:
    if not ids:
        return {}
    # The original file text is only needed by /c/{id}.txt.
    rows = session.exec(
        select(Commentary)
        .where(col(Commentary.id).in_(ids))
        .options(defer(cast(QueryableAttribute[Any], Commentary.raw_text)))
    )
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
