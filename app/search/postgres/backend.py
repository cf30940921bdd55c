"""``PostgresBackend``: the archive's ``SearchBackend`` over the search table of its
own PostgreSQL database.

Searches run on a read-only engine (the web role needs only SELECT), each on a pooled
connection of its own, so threads and processes search side by side. Ingest writes
the table through ``rows`` with each commentary; sync and reindex through ``writer``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from app.db import make_engine
from app.search.backend import (
    Found,
    IndexStatus,
    IndexUnavailable,
    Lookup,
    Preparer,
    RowWriter,
    Similar,
)
from app.search.engines import database_problem
from app.search.postgres import finder
from app.search.postgres.rows import PostgresWriter, SearchRows, revisions
from app.search.postgres.similar import likeness, similar
from app.search.postgres.table import (
    ANALYSIS,
    ensure_words_index,
    search_table,
    table_exists,
    words_index_method,
)
from app.search.postgres.words import prepare

if TYPE_CHECKING:
    from app.config import Settings

RECHECK = 10.0  # seconds between two looks at the words' index method
NO_TABLE = (
    "the database has no search table: run `archive ingest` or `alembic upgrade head`, "
    "then `archive reindex --backend postgres`"
)


class PostgresBackend:
    name = "postgres"

    def __init__(self, settings: Settings) -> None:
        problem = database_problem(self.name, settings.resolved_database_url)
        if problem:
            raise IndexUnavailable(problem)
        self._settings = settings
        self._reader = make_engine(settings, read_only=True)
        self._searcher = make_engine(
            settings, read_only=True, server_settings=finder.SEARCH_SETTINGS, autocommit=True
        )
        self._writer: Engine | None = None
        self._rum: bool | None = None
        self._rum_seen = 0.0
        self.preparer: Preparer | None = prepare
        self.rows: RowWriter | None = SearchRows()

    def _write_engine(self) -> Engine:
        if self._writer is None:
            self._writer = make_engine(self._settings)
        return self._writer

    def _uses_rum(self) -> bool:
        """Whether the words' index is RUM, looked at again every ``RECHECK`` seconds
        (an ingest moves the words to RUM once its extension is installed)."""
        now = time.monotonic()
        if self._rum is None or now - self._rum_seen >= RECHECK:
            with self._reader.connect() as connection:
                self._rum = words_index_method(connection) == "rum"
            self._rum_seen = now
        return self._rum

    def find(self, lookup: Lookup) -> Found:
        with _table_needed():
            return finder.find(self._searcher, lookup, self._uses_rum())

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]:
        with _table_needed(), self._reader.connect() as connection:
            found = similar(connection, commentary_id, limit, self._uses_rum())
        return [Similar(other, share) for other, share in found]

    def likeness(self, commentary_id: int, other_id: int) -> float:
        with _table_needed(), self._reader.connect() as connection:
            return likeness(connection, commentary_id, other_id)

    def status(self) -> IndexStatus:
        with self._reader.connect() as connection:
            if not table_exists(connection):
                return IndexStatus(NO_TABLE, 0)
            rows, stale = connection.execute(
                select(
                    func.count(),
                    func.count().filter(search_table.c.analysis != ANALYSIS),
                )
            ).one()
            stored = connection.execute(text("SELECT count(*) FROM commentary")).scalar_one()
        problem = None
        if stale:
            problem = (
                f"{stale} commentaries were indexed by an older analysis: run `archive reindex`"
            )
        elif rows < stored:
            problem = (
                f"{stored - rows} of {stored} commentaries are not in the search table: "
                "run `archive reindex --backend postgres`"
            )
        return IndexStatus(problem, int(rows))

    def revisions(self) -> dict[int, int]:
        try:
            with self._reader.connect() as connection:
                return revisions(connection)
        except DBAPIError:
            return {}

    def writer(self, *, rebuild: bool = False) -> PostgresWriter:
        engine = self._write_engine()
        with engine.begin() as connection:
            if not table_exists(connection):
                raise IndexUnavailable(NO_TABLE)
            method = ensure_words_index(connection)
        self._rum, self._rum_seen = method == "rum", time.monotonic()
        return PostgresWriter(engine, rebuild)

    def warm(self) -> None:
        # The database keeps its own cache; a first query opens the pool's connection.
        with suppress(DBAPIError):
            self._uses_rum()

    def close(self) -> None:
        self._reader.dispose()
        self._searcher.dispose()
        if self._writer is not None:
            self._writer.dispose()


@contextmanager
def _table_needed() -> Iterator[None]:
    """A search of a database without the search table says what to do about it."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42P01":  # undefined_table
            raise IndexUnavailable(NO_TABLE) from exc
        raise
