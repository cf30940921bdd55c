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
    """Symbols per commentary: declared in front matter plus those mentioned in the text."""
    found: dict[int, set[str]] = {i: set() for i in ids}
    if ids:
        rows = session.exec(
            select(Mention.commentary_id, Mention.symbol)
            .where(col(Mention.commentary_id).in_(ids))
            .distinct()
        )
        for commentary_id, symbol in rows:
            found[commentary_id].add(symbol)
        for commentary in by_ids(session, ids).values():
            assert commentary.id is not None
            found[commentary.id].update(commentary.declared_ticker_list)
    return {i: sorted(s) for i, s in found.items()}


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
