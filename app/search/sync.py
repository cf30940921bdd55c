"""Keep the index in step with the database, the source of truth, whatever the engine.

Ingest puts documents into the backend's writer as it stores them, prepared ahead in
its pool of processes; ``sync`` then compares the ``(id, revision)`` pairs the writer
holds with the database's, puts whatever still lags (new, changed, or left behind by a
crash between a database commit and an index commit), deletes what the database no
longer has, and finishes the writer (commit and publish). A reindex is a sync of a
fresh writer (``rebuild=True``) with nothing put into it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from typing import Any, Protocol, cast

from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from app import periods
from app.models import Commentary, Mention
from app.parallel import ProcessMap
from app.search.analyzer import words
from app.search.backend import Document, IndexWriter, Preparer, Synced
from app.text.normalize import fold

BATCH = 200
Progress = Callable[[int], None]


class Indexable(Protocol):
    """What the index needs of a commentary (a ``Commentary`` row, or what ingest just
    wrote)."""

    @property
    def id(self) -> int | None: ...
    @property
    def revision(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def date_precision(self) -> str: ...
    @property
    def declared_ticker_list(self) -> list[str]: ...


def document(
    commentary: Indexable, symbols: Iterable[str], prepared: object | None = None
) -> Document:
    """``commentary`` as the index holds it; ``symbols`` are those it mentions (the
    ones its front matter declares are added)."""
    assert commentary.id is not None
    published = commentary.published
    last = None
    if published is not None:
        last = periods.period_of(published, commentary.date_precision)[1]
    return Document(
        id=commentary.id,
        revision=commentary.revision,
        title=commentary.title,
        body=commentary.body,
        symbols=tuple(sorted(set(symbols) | set(commentary.declared_ticker_list))),
        published=published,
        last_day=last,
        source=commentary.source or None,
        prepared=prepared,
    )


def body_words(body: str) -> list[tuple[int, str, int, int]]:
    """The words the index reads in a body (as ingest finds them for mentions too)."""
    return list(words(fold(body), subwords=True))


def prepared_chunk(documents: list[Document], preparer: Preparer) -> list[Document]:
    """``documents`` with the engine's preparation done: work for a pool."""
    return [
        replace(d, prepared=preparer(d.title, body_words(d.body))) if d.prepared is None else d
        for d in documents
    ]


def mentioned_symbols(session: Session, ids: list[int]) -> dict[int, set[str]]:
    """The symbols each of ``ids`` mentions."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = session.exec(
        select(Mention.commentary_id, Mention.symbol).where(col(Mention.commentary_id).in_(ids))
    )
    for commentary_id, symbol in rows:
        found[commentary_id].add(symbol)
    return found


def stored_documents(engine: Engine, ids: list[int]) -> Iterator[Document]:
    """The documents of ``ids`` as the database holds them, a batch at a time."""
    text_only = defer(cast(QueryableAttribute[Any], Commentary.raw_text))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with Session(engine) as session:
            symbols = mentioned_symbols(session, chunk)
            rows = session.exec(
                select(Commentary).where(col(Commentary.id).in_(chunk)).options(text_only)
            )
            for commentary in rows:
                assert commentary.id is not None
                yield document(commentary, symbols.get(commentary.id, ()))


def database_revisions(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        rows = session.exec(select(Commentary.id, Commentary.revision))
        return {int(i): int(rev) for i, rev in rows if i is not None}


def sync_index(
    writer: IndexWriter,
    engine: Engine,
    *,
    preparer: Preparer | None = None,
    pool: ProcessMap | None = None,
    progress: Progress | None = None,
    total: Progress | None = None,
) -> Synced:
    """Bring ``writer``'s index level with the database and finish it; ``total`` is
    told how many documents that writes, ``progress`` of each one written. The
    documents are prepared by ``preparer`` in ``pool`` when both are given. On any
    error the writer is cancelled."""
    try:
        in_db = database_revisions(engine)
        in_index = writer.revisions()
        lagging = sorted(i for i, rev in in_db.items() if in_index.get(i) != rev)
        if total:
            total(len(lagging))
        writer.delete(sorted(set(in_index) - set(in_db)))
        documents = stored_documents(engine, lagging)
        if pool is not None and preparer is not None:
            work = partial(prepared_chunk, preparer=preparer)
            documents = pool.map(work, documents, size_hint=len(lagging))
        for item in documents:
            writer.put([item])
            if progress:
                progress(1)
    except BaseException:
        writer.cancel()
        raise
    return writer.finish()
