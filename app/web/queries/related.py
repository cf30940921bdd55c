"""Commentaries related to one: most tickers in common first, then most similar text."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Commentary, Mention
from app.search import IndexUnavailable, SearchIndex, similar
from app.web.queries.cache import cached
from app.web.queries.commentaries import by_ids

RELATED = 5
CANDIDATES = 30


def _shared_tickers(session: Session, commentary_id: int) -> dict[int, int]:
    mine = select(Mention.symbol).where(Mention.commentary_id == commentary_id).distinct()
    rows = session.exec(
        select(Mention.commentary_id, func.count(func.distinct(Mention.symbol)))
        .where(col(Mention.symbol).in_(mine), Mention.commentary_id != commentary_id)
        .group_by(col(Mention.commentary_id))
        .order_by(func.count(func.distinct(Mention.symbol)).desc())
        .limit(CANDIDATES)
    )
    return {int(other): int(count) for other, count in rows}


def related(
    session: Session, index: SearchIndex, commentary: Commentary, limit: int = RELATED
) -> list[Commentary]:
    assert commentary.id is not None
    key = ("related", commentary.id, limit)
    try:
        ranked = cached(session, key, lambda: _ranked(session, index, commentary, limit))
    except IndexUnavailable:  # tickers in common only, and not kept
        ranked = _ranked(session, None, commentary, limit)
    rows = by_ids(session, ranked)
    return [rows[i] for i in ranked if i in rows]


def _ranked(
    session: Session, index: SearchIndex | None, commentary: Commentary, limit: int
) -> list[int]:
    """Raises ``IndexUnavailable`` when ``index`` cannot be used."""
    assert commentary.id is not None
    shared = _shared_tickers(session, commentary.id)
    likeness: dict[int, float] = {}
    if index is not None:
        likeness = dict(
            index.use(lambda s: similar(s, commentary.id or 0, commentary.body, CANDIDATES))
        )
    ranked = sorted(
        set(shared) | set(likeness),
        key=lambda other: (-shared.get(other, 0), -likeness.get(other, 0.0), -other),
    )[:limit]
    return ranked
