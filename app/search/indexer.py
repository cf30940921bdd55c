"""Keep the index in step with the database, the source of truth.

``sync`` compares the ``(id, revision)`` pairs stored in the index with the database
and re-indexes whatever lags (new, changed, or left behind by a crash between the
database commit and the index commit) and deletes what the database no longer has.
``rebuild`` writes a whole new generation and swaps it in.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from whoosh.index import FileIndex

from app.models import Commentary, DatePrecision, Mention
from app.search import store

BATCH = 200
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class SyncReport:
    indexed: int
    deleted: int
    rebuilt: bool
    reason: str | None = None


# Sort keys: the day ordinal, then the id; undated sorts as day 0 for "newest" and
# after every real day for "oldest", so it comes last either way.
_ID_SPAN = 10**9
_UNDATED_LAST = 10**7


def document_fields(commentary: Commentary, symbols: Iterable[str]) -> dict[str, Any]:
    assert commentary.id is not None
    published = commentary.published
    day = published.toordinal() if published is not None else None
    fields: dict[str, Any] = {
        "id": str(commentary.id),
        "rev": commentary.revision,
        "title": commentary.title,
        "body": commentary.body,
        "tickers": ",".join(sorted(set(symbols) | set(commentary.declared_ticker_list))),
        "newest": (day or 0) * _ID_SPAN + commentary.id,
        "oldest": (day or _UNDATED_LAST) * _ID_SPAN + commentary.id,
    }
    if commentary.source:
        fields["source"] = commentary.source.casefold()
    if published is not None:
        last = published
        if commentary.date_precision == DatePrecision.MONTH:
            last = published.replace(day=calendar.monthrange(published.year, published.month)[1])
        fields["date_from"] = published.toordinal()
        fields["date_to"] = last.toordinal()
        fields["month"] = published.strftime("%Y-%m")
    return fields


def _symbols(session: Session, ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    rows = session.exec(
        select(Mention.commentary_id, Mention.symbol).where(col(Mention.commentary_id).in_(ids))
    )
    for commentary_id, symbol in rows:
        found[commentary_id].add(symbol)
    return found


def _documents(engine: Engine, ids: list[int]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with Session(engine) as session:
            symbols = _symbols(session, chunk)
            rows = session.exec(select(Commentary).where(col(Commentary.id).in_(chunk)))
            for commentary in rows:
                assert commentary.id is not None
                yield document_fields(commentary, symbols.get(commentary.id, ()))


def _db_revisions(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        rows = session.exec(select(Commentary.id, Commentary.revision))
        return {int(i): rev for i, rev in rows if i is not None}


def _index_revisions(index: FileIndex) -> dict[int, int]:
    with index.searcher() as searcher:
        return {int(f["id"]): int(f["rev"]) for f in searcher.all_stored_fields()}


def sync(engine: Engine, index_dir: Path, progress: Progress | None = None) -> SyncReport:
    try:
        index = store.open_current(index_dir)
    except store.MissingIndex:
        return rebuild(engine, index_dir, progress, reason="new index created")
    except store.StaleIndex as exc:
        return rebuild(engine, index_dir, progress, reason=f"rebuilt: the old index {exc.why}")
    in_db, in_index = _db_revisions(engine), _index_revisions(index)
    lagging = sorted(i for i, rev in in_db.items() if in_index.get(i) != rev)
    gone = sorted(set(in_index) - set(in_db))
    if not lagging and not gone:
        return SyncReport(indexed=0, deleted=0, rebuilt=False)
    writer = index.writer(limitmb=256)
    try:
        for doc_id in gone:
            writer.delete_by_term("id", str(doc_id))
        for fields in _documents(engine, lagging):
            if int(fields["id"]) in in_index:
                writer.update_document(**fields)
            else:
                writer.add_document(**fields)
            if progress:
                progress(1)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return SyncReport(indexed=len(lagging), deleted=len(gone), rebuilt=False)


def rebuild(
    engine: Engine, index_dir: Path, progress: Progress | None = None, reason: str | None = None
) -> SyncReport:
    generation, index = store.create_generation(index_dir)
    ids = sorted(_db_revisions(engine))
    writer = index.writer(limitmb=256)
    try:
        for fields in _documents(engine, ids):
            writer.add_document(**fields)
            if progress:
                progress(1)
        writer.commit()
    except BaseException:
        writer.cancel()
        store.discard(generation)
        raise
    store.publish(index_dir, generation)
    return SyncReport(indexed=len(ids), deleted=0, rebuilt=True, reason=reason)
