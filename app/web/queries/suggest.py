"""Suggestions while a reader types: instruments by name, symbol, code or pinyin, and
commentaries by title.

Instruments are ranked by how they matched (the whole of a key, its beginning, inside a
name), then by how often the archive mentions the company, then reviewed listings and
primary listings first. Titles are ranked the same way, then newest first.

The dictionary's index is built once per process, on a background thread started with
the server (``start_building``), or by the first request that needs it. Titles, mention
counts and instruments learned from commentaries are read once per archive version
(``cached``): a request after that reads no table but the two rows of the version.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import threading
from bisect import bisect_left
from collections import Counter, OrderedDict
from dataclasses import dataclass

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from app.instruments import Dictionary
from app.models import Commentary, Instrument, Mention
from app.text.normalize import fold
from app.text.pinyin import search_key
from app.web.queries.cache import cached
from app.web.queries.suggest_index import (
    InstrumentIndex,
    Keys,
    Listing,
    Quality,
    Tier,
)
from app.web.templating import show_date
from app.web.urls import urls

MAX_QUERY = 100  # characters: past this a reader is writing a query, not a name
INSTRUMENTS = 8
TITLES = 5
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class InstrumentHit:
    symbol: str
    label: str
    name: str
    kind: str
    matched: str | None  # the other name it was found by (輝達 for 英伟达), if any
    mentions: int  # of the company, in any listing
    url: str


@dataclass(frozen=True, slots=True)
class TitleHit:
    id: int
    title: str
    date: str
    url: str


@dataclass(frozen=True, slots=True)
class Suggestions:
    instruments: list[InstrumentHit]
    titles: list[TitleHit]


def dictionary_listings(dictionary: Dictionary) -> list[Listing]:
    listings = []
    for entry in dictionary.instruments:
        issuer = dictionary.issuer(entry.symbol)
        label = entry.name_zh or issuer.name_zh or entry.name
        names = (entry.name, entry.name_zh or "", *entry.aliases)
        listings.append(
            Listing(
                symbol=entry.symbol,
                label=label,
                name=entry.name,
                kind=entry.kind,
                issuer=issuer.id,
                primary=issuer.listings[0] == entry.symbol,
                reviewed=entry.reviewed,
                names=tuple(dict.fromkeys(n for n in names if n)),
            )
        )
    return listings


_lock = threading.Lock()
_built: OrderedDict[str, InstrumentIndex] = OrderedDict()
_KEPT = 2  # a server has one dictionary; a test run a few


def instrument_index(dictionary: Dictionary) -> InstrumentIndex:
    """The index of ``dictionary``'s listings, built on first use in this process."""
    with _lock:  # one build at a time; a request arriving meanwhile waits for it
        index = _built.get(dictionary.fingerprint)
        if index is None:
            index = _built[dictionary.fingerprint] = InstrumentIndex(
                dictionary_listings(dictionary)
            )
            while len(_built) > _KEPT:
                _built.popitem(last=False)
        _built.move_to_end(dictionary.fingerprint)
        return index


class Warming:
    """The head start of a server: the instrument index built and the archive read on a
    background thread. ``stop`` before the engine is disposed: once it returns, the
    thread opens no connection, so none outlives the engine's pool."""

    def __init__(self, dictionary: Dictionary, engine: Engine) -> None:
        self._dictionary = dictionary
        self._engine = engine
        self._lock = threading.Lock()
        self._stopped = False
        self.thread = threading.Thread(target=self._warm, name="suggest-index", daemon=True)

    def _warm(self) -> None:
        listed = instrument_index(self._dictionary)
        with self._lock:
            if self._stopped:
                return
            try:
                with Session(self._engine) as session:
                    _archive(session, self._dictionary, listed)
            except Exception:
                # Only a head start: with no archive yet, or one that goes away meanwhile,
                # the first request reads it again and answers (or fails) as every route
                # does.
                return

    def stop(self) -> None:
        """Wait for a read of the archive under way; none starts after this."""
        with self._lock:
            self._stopped = True


def start_building(dictionary: Dictionary, engine: Engine) -> Warming:
    """Build the index and read the archive's titles and mention counts on a background
    thread, so that no reader waits seconds for the first suggestion."""
    warming = Warming(dictionary, engine)
    warming.thread.start()
    return warming


@dataclass(frozen=True, slots=True)
class _Mentions:
    by_issuer: Counter[str]
    by_symbol: Counter[str]


def _mentions(session: Session) -> _Mentions:
    stmt = select(Mention.issuer, Mention.symbol, func.count()).group_by(
        col(Mention.issuer), col(Mention.symbol)
    )
    by_issuer: Counter[str] = Counter()
    by_symbol: Counter[str] = Counter()
    for issuer, symbol, n in session.exec(stmt):
        by_issuer[issuer or symbol] += n
        by_symbol[symbol] += n
    return _Mentions(by_issuer, by_symbol)


# Listings of the companies mentioned most: the first place to look for a query that
# begins thousands of keys (6, Z).
_MOST_MENTIONED = 300


def _mentioned_keys(index: InstrumentIndex, mentions: _Mentions) -> tuple[Keys, ...]:
    """The keys of the listings of the most mentioned companies, then of every
    mentioned one: each set ranks before every listing outside it."""

    def count(listing: Listing) -> int:
        return mentions.by_issuer[listing.issuer] or mentions.by_symbol[listing.symbol]

    counts = sorted((count(listing) for listing in index.listings), reverse=True)
    least = max(1, counts[min(_MOST_MENTIONED, len(counts)) - 1]) if counts else 1
    return tuple(
        index.subset(n for n, listing in enumerate(index.listings) if count(listing) >= floor)
        for floor in (least, 1)
    )


def _learned(session: Session, dictionary: Dictionary) -> InstrumentIndex:
    """The listings learned from commentaries (名称(02999)), which no list names."""
    rows = session.exec(select(Instrument).where(col(Instrument.learned))).all()
    return InstrumentIndex(
        Listing(
            symbol=row.symbol,
            label=row.name_zh or row.name,
            name=row.name,
            kind=row.kind,
            issuer=row.issuer or row.symbol,
            primary=True,
            reviewed=False,
            names=tuple(dict.fromkeys(n for n in (row.name, row.name_zh or "") if n)),
        )
        for row in rows
        if row.symbol not in dictionary.by_symbol
    )


def _occurs_inside(query: str) -> bool:
    """Whether a query is worth finding inside names and titles: one Latin letter or
    digit inside words matches nearly everything."""
    return len(query) >= 2 or bool(_CJK.search(query))


def _instruments(
    archive: _Archive, listed: InstrumentIndex, query: str, limit: int
) -> list[InstrumentHit]:
    key = search_key(query.lstrip("$"))
    if not key:
        return []
    inside = _occurs_inside(key)
    mentions = archive.mentions
    found = [
        (listed.listings[n], q)
        for n, q in listed.best_matches(key, inside, limit, archive.mentioned).items()
    ]
    learned = archive.learned
    found += [(learned.listings[n], q) for n, q in learned.best_matches(key, inside, limit).items()]

    def rank(item: tuple[Listing, Quality]) -> tuple[object, ...]:
        listing, (tier, field, length, _) = item
        return (
            tier,
            -mentions.by_issuer[listing.issuer],
            -mentions.by_symbol[listing.symbol],
            not listing.reviewed,
            not listing.primary,
            field,
            length,
            listing.symbol,
        )

    hits = []
    for listing, (_, _, _, written) in heapq.nsmallest(limit, found, key=rank):
        shown = {search_key(listing.label), search_key(listing.symbol), search_key(listing.name)}
        other = search_key(written) not in shown
        hits.append(
            InstrumentHit(
                symbol=listing.symbol,
                label=listing.label,
                name=listing.name,
                kind=listing.kind,
                matched=written if other and written in listing.names else None,
                mentions=mentions.by_issuer[listing.issuer],
                url=urls.ticker(listing.symbol),
            )
        )
    return hits


def title_key(text: str) -> str:
    """How titles and queries are compared: folded, lower case, spaces collapsed."""
    return _SPACES.sub(" ", fold(text)).strip().casefold()


# Separates titles in the text searched for a query inside them; never in a key.
_GAP = "\n"


class TitleIndex:
    """Every commentary title, newest first, for prefix and substring lookups."""

    def __init__(self, rows: list[tuple[int, str, dt.date | None, str]]) -> None:
        self.rows = rows  # (id, title, published, date precision), newest first
        keys = self._keys = [title_key(title) for _, title, _, _ in rows]
        self._sorted = sorted((key, rank) for rank, key in enumerate(keys))
        self._sorted_keys = [key for key, _ in self._sorted]
        self._text = _GAP.join(keys)
        self._starts: list[int] = []
        offset = 0
        for key in keys:
            self._starts.append(offset)
            offset += len(key) + 1

    def find(self, query: str, inside: bool, limit: int) -> list[int]:
        """Ranks (positions in ``rows``) of the best ``limit`` titles for an already
        ``title_key``-ed query: whole titles, then beginnings, then inside; newest first."""
        if not query or limit <= 0:
            return []
        first = bisect_left(self._sorted_keys, query)
        last = bisect_left(self._sorted_keys, query + "\U0010ffff", first)
        starting = [
            (Tier.EXACT if key == query else Tier.PREFIX, rank)
            for key, rank in self._sorted[first:last]
        ]
        chosen = [rank for _, rank in heapq.nsmallest(limit, starting)]
        if not inside or len(chosen) >= limit:
            return chosen
        taken = set(chosen)
        found = self._text.find(query)
        while found != -1 and len(chosen) < limit:
            rank = bisect_left(self._starts, found + 1) - 1
            if rank not in taken:
                chosen.append(rank)
                taken.add(rank)
            # One match per title is enough: on to the next one.
            found = self._text.find(query, self._starts[rank] + len(self._keys[rank]) + 1)
        return chosen


def _titles(session: Session) -> TitleIndex:
    published, ident = col(Commentary.published), col(Commentary.id)
    stmt = select(ident, Commentary.title, published, Commentary.date_precision).order_by(
        published.is_(None), published.desc(), ident.desc()
    )
    return TitleIndex([(int(i or 0), t, p, d) for i, t, p, d in session.exec(stmt)])


@dataclass(frozen=True, slots=True)
class _Archive:
    """What suggestions read from the archive, read once per archive version."""

    titles: TitleIndex
    mentions: _Mentions
    mentioned: tuple[Keys, ...]  # the keys of the most mentioned listings, of all mentioned
    learned: InstrumentIndex


def _archive(session: Session, dictionary: Dictionary, listed: InstrumentIndex) -> _Archive:
    def read() -> _Archive:
        mentions = _mentions(session)
        return _Archive(
            titles=_titles(session),
            mentions=mentions,
            mentioned=_mentioned_keys(listed, mentions),
            learned=_learned(session, dictionary),
        )

    # One look at the archive's version per request.
    return cached(session, ("suggest", dictionary.fingerprint), read)


def suggest(
    session: Session,
    dictionary: Dictionary,
    query: str,
    instruments: int = INSTRUMENTS,
    titles: int = TITLES,
) -> Suggestions:
    """What to offer a reader who has typed ``query`` into the search box."""
    query = query.strip()
    if not query:
        return Suggestions([], [])
    listed = instrument_index(dictionary)
    archive = _archive(session, dictionary, listed)
    index = archive.titles
    key = title_key(query)
    found = index.find(key, _occurs_inside(key), titles)
    return Suggestions(
        instruments=_instruments(archive, listed, query, instruments),
        titles=[
            TitleHit(
                id=i, title=title, date=show_date(published, precision), url=urls.commentary(i)
            )
            for i, title, published, precision in (index.rows[rank] for rank in found)
        ],
    )
