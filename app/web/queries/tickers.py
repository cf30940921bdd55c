"""Ticker lists, ticker pages and their numbers, all from the mention table."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from markupsafe import Markup
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.instruments import Dictionary
from app.models import Commentary, Instrument, Mention
from app.text.normalize import fold
from app.web.annotate import Link, excerpt, sentence_around
from app.web.queries.cache import cached
from app.web.queries.commentaries import by_ids
from app.web.urls import urls

TickerSort = Literal["mentions", "documents", "symbol", "last"]
TICKER_SORTS: tuple[TickerSort, ...] = ("mentions", "documents", "symbol", "last")


@dataclass(frozen=True, slots=True)
class TickerRow:
    symbol: str
    issuer: str
    name: str
    name_zh: str | None
    kind: str
    documents: int
    mentions: int
    last_date: dt.date | None


def ticker_rows(
    session: Session, sort: TickerSort = "mentions", contains: str = ""
) -> list[TickerRow]:
    """Every instrument with at least one mention, optionally filtered by symbol or name."""
    stmt = (
        select(
            Instrument,
            func.count(func.distinct(Mention.commentary_id)),
            func.count(col(Mention.id)),
            func.max(Mention.published),
        )
        .join(Mention, col(Mention.symbol) == col(Instrument.symbol))
        .group_by(col(Instrument.id))
    )

    def every_row() -> list[tuple[TickerRow, str]]:
        return [
            (
                TickerRow(
                    i.symbol,
                    i.issuer or i.symbol,
                    i.name,
                    i.name_zh,
                    i.kind,
                    int(docs),
                    int(count),
                    last,
                ),
                _names(i),
            )
            for i, docs, count, last in session.exec(stmt)
        ]

    needle = fold(contains).strip().casefold()
    rows = [row for row, names in cached(session, ("ticker-rows",), every_row) if needle in names]
    keys = {
        "mentions": lambda r: (-r.mentions, r.symbol),
        "documents": lambda r: (-r.documents, -r.mentions, r.symbol),
        "symbol": lambda r: (r.symbol,),
        "last": lambda r: (-(r.last_date or dt.date.min).toordinal(), r.symbol),
    }
    return sorted(rows, key=keys[sort])


def _names(instrument: Instrument) -> str:
    """Symbol and every name of an instrument, folded, for the filter box."""
    names = [instrument.symbol, instrument.name, instrument.name_zh or ""]
    names.extend(json.loads(instrument.aliases))
    return fold(" | ".join(names)).casefold()


# How a listing learned from a commentary is spelled: a code and its market (2999.HK).
_LEARNED_SYMBOL = re.compile(r"\d{4,6}\.[A-Z]{1,3}")


def resolve_symbol(session: Session, dictionary: Dictionary, text: str) -> str | None:
    """The canonical symbol for a symbol or code in any case or form, an unambiguous
    name, or a listing learned from a commentary."""
    symbol = dictionary.resolve(text)
    if symbol is not None:
        return symbol
    named = dictionary.named(text)
    if named is not None:
        return named.symbol
    learned = text.strip().upper()
    if not _LEARNED_SYMBOL.fullmatch(learned):
        return None
    found = session.exec(select(Instrument.symbol).where(Instrument.symbol == learned)).first()
    return learned if found else None


def close_matches(dictionary: Dictionary, text: str, limit: int = 5) -> list[str]:
    """Symbols whose symbol or names look like ``text``, best first."""
    folded = fold(text).strip()
    names: dict[str, str] = {i.symbol: i.symbol for i in dictionary.instruments}
    for alias, symbols in dictionary.aliases.items():
        names.setdefault(alias, symbols[0])
    keys = difflib.get_close_matches(folded.upper(), list(names), n=limit * 3, cutoff=0.6)
    keys += difflib.get_close_matches(folded, list(names), n=limit * 3, cutoff=0.5)
    ordered: list[str] = []
    for key in keys:
        if names[key] not in ordered:
            ordered.append(names[key])
    return ordered[:limit]


@dataclass(frozen=True, slots=True)
class MentionView:
    """One mention with the sentence around it, the alias marked (the JSON shape)."""

    id: int
    commentary_id: int
    title: str
    date: dt.date | None
    date_precision: str
    alias: str
    symbol: str  # the listing the mention was resolved to
    snippet: Markup


@dataclass(frozen=True, slots=True)
class MentionLine:
    """A sentence on a ticker page: each mention in it marked and linked to its place."""

    first_id: int
    html: Markup
    symbols: tuple[str, ...]  # the listings its mentions were resolved to


@dataclass(frozen=True, slots=True)
class MentionGroup:
    commentary_id: int
    title: str
    date: dt.date | None
    date_precision: str
    lines: list[MentionLine]


@dataclass(frozen=True)
class TickerDetail:
    instrument: Instrument
    listings: list[Instrument]  # every listing of the issuer, this one included
    aliases: list[str]
    documents: int
    mentions_total: int
    first_date: dt.date | None
    last_date: dt.date | None
    monthly: list[tuple[str, int]]
    co_mentions: list[tuple[str, int]]
    co_names: dict[str, str]  # each co-mentioned symbol's name, Chinese when it has one
    page_mentions: list[Mention]  # the page's mentions, in the page's order
    commentaries: dict[int, Commentary]  # the commentaries they are in
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.mentions_total // self.per_page))

    @property
    def undated_mentions(self) -> int:
        """Mentions in undated commentaries, which the monthly chart cannot place."""
        return self.mentions_total - sum(count for _, count in self.monthly)

    # The JSON twin lists mentions one by one and the page groups them by sentence:
    # each is built only when asked for, so a request pays for the one it shows.
    @cached_property
    def mentions(self) -> list[MentionView]:
        return _views(self.page_mentions, self.commentaries)

    @cached_property
    def groups(self) -> list[MentionGroup]:
        """The page's mentions by commentary, then by sentence."""
        return _groups(self.page_mentions, self.commentaries)


def _mention_link(mention: Mention) -> Link:
    href = urls.mention(mention.commentary_id, mention.id)
    return Link(mention.start, mention.end, href, None, mention.alias)


def _views(mentions: list[Mention], commentaries: dict[int, Commentary]) -> list[MentionView]:
    views = []
    for m in mentions:
        c = commentaries[m.commentary_id]
        span = sentence_around(c.body, m.start, m.end)
        views.append(
            MentionView(
                id=m.id or 0,
                commentary_id=m.commentary_id,
                title=c.title,
                date=c.published,
                date_precision=c.date_precision,
                alias=m.alias,
                symbol=m.symbol,
                snippet=excerpt(c.body, span, [], [(m.start, m.end)]),
            )
        )
    return views


def _groups(mentions: list[Mention], commentaries: dict[int, Commentary]) -> list[MentionGroup]:
    groups: list[MentionGroup] = []
    # Mentions of one sentence, in order: (sentence span, mentions).
    sentences: list[tuple[tuple[int, int], list[Mention]]] = []

    def close_sentences() -> None:
        c = commentaries[groups[-1].commentary_id]
        for span, inside in sentences:
            links = [_mention_link(m) for m in inside]
            html = excerpt(c.body, span, links, [(m.start, m.end) for m in inside])
            listed = tuple(dict.fromkeys(m.symbol for m in inside))
            groups[-1].lines.append(MentionLine(inside[0].id or 0, html, listed))
        sentences.clear()

    for m in mentions:
        c = commentaries[m.commentary_id]
        span = sentence_around(c.body, m.start, m.end)
        if not groups or groups[-1].commentary_id != m.commentary_id:
            if groups:
                close_sentences()
            groups.append(MentionGroup(m.commentary_id, c.title, c.published, c.date_precision, []))
        if sentences and sentences[-1][0] == span:
            sentences[-1][1].append(m)
        else:
            sentences.append((span, [m]))
    if groups:
        close_sentences()
    return groups


def _monthly(session: Session, issuer: str) -> list[tuple[str, int]]:
    rows = session.exec(
        select(col(Mention.published), func.count())
        .where(Mention.issuer == issuer, col(Mention.published).is_not(None))
        .group_by(col(Mention.published))
    )
    counts: Counter[str] = Counter()
    for published, count in rows:
        if published is not None:
            counts[published.strftime("%Y-%m")] += int(count)
    return sorted(counts.items())


def _co_mentions(session: Session, issuer: str, limit: int = 12) -> list[tuple[str, int]]:
    """Other companies named in the same commentaries, each once whatever its listing
    (BABA and 9988.HK are Alibaba), shown by the listing named most."""
    mine = select(Mention.commentary_id).where(Mention.issuer == issuer).distinct()
    rows = session.exec(
        select(func.min(Mention.symbol), func.count(func.distinct(Mention.commentary_id)))
        .where(col(Mention.commentary_id).in_(mine), Mention.issuer != issuer)
        .group_by(col(Mention.issuer))
    )
    return sorted(((s, int(c)) for s, c in rows), key=lambda sc: (-sc[1], sc[0]))[:limit]


@dataclass(frozen=True, slots=True)
class _TickerStats:
    documents: int
    mentions: int
    first: dt.date | None
    last: dt.date | None
    monthly: tuple[tuple[str, int], ...]
    co_mentions: tuple[tuple[str, int], ...]
    co_names: tuple[tuple[str, str], ...]


def display_names(session: Session, symbols: list[str]) -> dict[str, str]:
    """The name shown beside each symbol: the Chinese name, else the English one."""
    rows = session.exec(
        select(Instrument.symbol, Instrument.name, Instrument.name_zh).where(
            col(Instrument.symbol).in_(symbols)
        )
    )
    shown = {symbol: zh or name for symbol, name, zh in rows}
    return {symbol: name for symbol, name in shown.items() if name and name != symbol}


def _ticker_stats(session: Session, issuer: str) -> _TickerStats:
    documents, total, first, last = session.exec(
        select(
            func.count(func.distinct(Mention.commentary_id)),
            func.count(col(Mention.id)),
            func.min(Mention.published),
            func.max(Mention.published),
        ).where(Mention.issuer == issuer)
    ).one()
    co_mentions = _co_mentions(session, issuer)
    names = display_names(session, [symbol for symbol, _ in co_mentions])
    return _TickerStats(
        int(documents),
        int(total),
        first,
        last,
        tuple(_monthly(session, issuer)),
        tuple(co_mentions),
        tuple(names.items()),
    )


def ticker_detail(
    session: Session,
    symbol: str,
    page: int = 1,
    per_page: int = 50,
    primary_first: tuple[str, ...] = (),
) -> TickerDetail | None:
    """A listing's page: the mentions of its issuer, whichever listing they went to, and
    the issuer's listings in ``primary_first`` order."""
    instrument = session.exec(select(Instrument).where(Instrument.symbol == symbol)).first()
    if instrument is None:
        return None
    issuer = instrument.issuer or symbol
    siblings = session.exec(select(Instrument).where(Instrument.issuer == issuer))
    order = {s: n for n, s in enumerate(primary_first)}
    listings = sorted(siblings, key=lambda i: (order.get(i.symbol, len(order)), i.symbol))
    listings = listings or [instrument]
    stats = cached(session, ("ticker-stats", issuer), lambda: _ticker_stats(session, issuer))
    mentions = list(
        session.exec(
            select(Mention)
            .where(Mention.issuer == issuer)
            .order_by(
                col(Mention.published).desc().nulls_last(),
                col(Mention.commentary_id).desc(),
                col(Mention.start),
            )
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    commentaries = by_ids(session, sorted({m.commentary_id for m in mentions}))
    return TickerDetail(
        instrument=instrument,
        listings=listings,
        aliases=list(json.loads(instrument.aliases)),
        documents=stats.documents,
        mentions_total=stats.mentions,
        first_date=stats.first,
        last_date=stats.last,
        monthly=list(stats.monthly),
        co_mentions=list(stats.co_mentions),
        co_names=dict(stats.co_names),
        page_mentions=mentions,
        commentaries=commentaries,
        page=page,
        per_page=per_page,
    )


def mentions_of(session: Session, commentary_id: int) -> list[Mention]:
    return list(
        session.exec(
            select(Mention)
            .where(Mention.commentary_id == commentary_id)
            .order_by(col(Mention.start))
        )
    )


def commentaries_mentioning(session: Session, symbol: str, limit: int = 50) -> list[Commentary]:
    """The newest commentaries that mention ``symbol``'s issuer."""
    issuer = select(Instrument.issuer).where(Instrument.symbol == symbol).scalar_subquery()
    ids = select(Mention.commentary_id).where(Mention.issuer == issuer).distinct()
    return list(
        session.exec(
            select(Commentary)
            .where(col(Commentary.id).in_(ids))
            .order_by(col(Commentary.published).desc().nulls_last(), col(Commentary.id).desc())
            .limit(limit)
        )
    )
