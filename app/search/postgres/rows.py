"""Writing the search table: a document's row from its prepared words, and the
``IndexWriter`` that sync and reindex use on a connection of its own.

Ingest writes each commentary's row through ``SearchRows`` in the savepoint that
stores the commentary, so the row commits with it or not at all. Sync and reindex
(``PostgresWriter``) write in one transaction of their own, committed by ``finish``:
readers see the table as it was until then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine

from app import periods
from app.search.backend import Document, Synced
from app.search.postgres.table import ANALYSIS, TABLE_NAME, search_table
from app.search.postgres.words import Ready, prepare
from app.search.sync import body_words

BATCH = 200  # rows written by one statement
_COLUMNS = (
    "revision",
    "analysis",
    "words",
    "symbols",
    "source",
    "date_from",
    "date_to",
    "month",
    "newest",
    "oldest",
    "keys",
)
_UPSERT = text(
    f"INSERT INTO {TABLE_NAME} (commentary_id, {', '.join(_COLUMNS)}) VALUES (:commentary_id, "
    + ", ".join("CAST(:words AS tsvector)" if c == "words" else f":{c}" for c in _COLUMNS)
    + ") ON CONFLICT (commentary_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS)
)


def row(document: Document) -> dict[str, Any]:
    """``document``'s row: its words prepared ahead (``words.prepare``), or now."""
    ready = document.prepared
    if not isinstance(ready, Ready):
        ready = prepare(document.title, body_words(document.body))
    newest, oldest = periods.sort_keys(document.published, document.id)
    published = document.published
    return {
        "commentary_id": document.id,
        "revision": document.revision,
        "analysis": ANALYSIS,
        "words": ready.words,
        "symbols": list(document.symbols),
        "source": document.source.casefold() if document.source else None,
        "date_from": published,
        "date_to": (document.last_day or published) if published else None,
        "month": published.strftime("%Y-%m") if published else None,
        "newest": newest,
        "oldest": oldest,
        "keys": ready.keys,
    }


class SearchRows:
    """``RowWriter``: the rows of documents, written on the caller's connection."""

    def write(self, connection: Connection, documents: Sequence[Document]) -> None:
        if documents:
            connection.execute(_UPSERT, [row(d) for d in documents])


def revisions(connection: Connection) -> dict[int, int]:
    """``id -> revision`` of every row; a row made by another analysis counts as
    lagging (-1), so that sync writes it again."""
    rows = connection.execute(
        select(search_table.c.commentary_id, search_table.c.revision, search_table.c.analysis)
    )
    return {int(i): int(rev) if analysis == ANALYSIS else -1 for i, rev, analysis in rows}


class PostgresWriter:
    """``IndexWriter`` on a transaction of its own; ``rebuild`` empties the table first
    (in the same transaction, so readers never see it empty)."""

    def __init__(self, engine: Engine, rebuild: bool, reason: str | None = None) -> None:
        self.engine, self.rebuild, self.reason = engine, rebuild, reason
        self._connection: Connection | None = None
        self._pending: list[Document] = []
        self._put = self._deleted = 0
        self._done = False

    def _open(self) -> Connection:
        if self._connection is None:
            self._connection = self.engine.connect()
            if self.rebuild:
                self._connection.execute(delete(search_table))
        return self._connection

    def _flush(self) -> None:
        if self._pending:
            SearchRows().write(self._open(), self._pending)
            self._put += len(self._pending)
            self._pending = []

    def revisions(self) -> dict[int, int]:
        if self.rebuild and self._connection is None:
            return {}
        if self._connection is not None:
            self._flush()
            return revisions(self._connection)
        with self.engine.connect() as connection:
            return revisions(connection)

    def put(self, documents: Iterable[Document]) -> None:
        self._pending.extend(documents)
        if len(self._pending) >= BATCH:
            self._flush()

    def delete(self, ids: Iterable[int]) -> None:
        doomed = list(ids)
        if doomed:
            self._flush()
            gone = self._open().execute(
                delete(search_table).where(search_table.c.commentary_id.in_(doomed))
            )
            self._deleted += gone.rowcount

    def finish(self) -> Synced:
        connection = self._open()
        try:
            self._flush()
            connection.commit()
        finally:
            connection.close()
        self._done = True
        return Synced(self._put, self._deleted, self.rebuild, self.reason)

    def cancel(self) -> None:
        if self._connection is not None and not self._done:
            self._connection.rollback()
            self._connection.close()
        self._done = True
