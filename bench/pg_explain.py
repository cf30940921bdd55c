"""Where a search's time goes on PostgreSQL: the query mix through the web app's search
function with every SQL statement timed, then ``EXPLAIN (ANALYZE, BUFFERS)`` of the
slowest statements, for the report's analysis.

    python -m bench.pg_explain DATA_DIR [COUNT]
    python -m bench.pg_explain related DATA_DIR [COUNT]

The database and engine come from ``ARCHIVE_DATABASE_URL`` and
``ARCHIVE_SEARCH_BACKEND``, as for the app. Prints, over one warm pass of the mix: the
time in statements on the engine's table, in other statements and outside the
database; the ``COUNT`` slowest searches (default 5) with their statements; and the
plan of each of those searches' slowest statement. ``related`` does the same for the
related commentaries of 20 commentaries spread over the archive (``backend.similar``,
as a commentary's page asks for them).
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.queries import Query, mix


@dataclass
class Statement:
    sql: str
    parameters: Any
    seconds: float = 0.0


@dataclass
class Traced:
    query: Query
    seconds: float = 0.0
    statements: list[Statement] = field(default_factory=list)


_current: list[Traced] = []


def _before(conn: Any, cursor: Any, sql: str, parameters: Any, context: Any, many: bool) -> None:
    conn.info.setdefault("started", []).append(time.perf_counter())


def _after(conn: Any, cursor: Any, sql: str, parameters: Any, context: Any, many: bool) -> None:
    started = conn.info["started"].pop()
    if _current:
        _current[-1].statements.append(Statement(sql, parameters, time.perf_counter() - started))


def _engine_table(sql: str) -> bool:
    return "commentary_search" in sql


def trace(data_dir: Path) -> tuple[list[Traced], Engine]:
    from sqlmodel import Session

    from app.config import Settings
    from app.db import make_engine
    from app.ingest.pipeline import prepare_search
    from app.search import open_backend
    from app.web.queries.search import search_commentaries, search_request

    settings = Settings(data_dir=data_dir)
    dictionary = prepare_search(settings)
    engine = make_engine(settings)
    backend = open_backend(settings)
    event.listen(Engine, "before_cursor_execute", _before)
    event.listen(Engine, "after_cursor_execute", _after)

    def one(query: Query) -> None:
        request = search_request(dictionary, q=query.text, **query.options)
        with Session(engine) as session:
            search_commentaries(session, backend, request, dictionary, budget=60.0)

    for query in mix():  # warm
        one(query)
    traced = []
    for query in mix():
        _current.append(Traced(query))
        started = time.perf_counter()
        one(query)
        _current[-1].seconds = time.perf_counter() - started
        traced.append(_current.pop())
    return traced, engine


def trace_related(data_dir: Path) -> tuple[list[Traced], Engine]:
    from sqlalchemy import func, select

    from app.config import Settings
    from app.db import make_engine
    from app.models import Commentary
    from app.search import open_backend

    settings = Settings(data_dir=data_dir)
    engine = make_engine(settings)
    backend = open_backend(settings)
    with engine.connect() as connection:
        count = int(connection.execute(select(func.max(Commentary.id))).scalar_one() or 0)
    ids = range(1, count + 1, max(1, count // 20))
    backend.similar(ids[0])  # warm: pool open
    event.listen(Engine, "before_cursor_execute", _before)
    event.listen(Engine, "after_cursor_execute", _after)
    traced = []
    for ident in ids:
        _current.append(Traced(Query("related", str(ident))))
        started = time.perf_counter()
        backend.similar(ident)
        _current[-1].seconds = time.perf_counter() - started
        traced.append(_current.pop())
    return traced, engine


def explain(engine: Engine, statement: Statement) -> str:
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.parameters
        )
        return "\n".join(row[0] for row in found)


def main(data_dir: Path, count: int, related: bool = False) -> None:
    traced, engine = trace_related(data_dir) if related else trace(data_dir)
    total = sum(t.seconds for t in traced)
    table = sum(s.seconds for t in traced for s in t.statements if _engine_table(s.sql))
    other = sum(s.seconds for t in traced for s in t.statements if not _engine_table(s.sql))
    statements = statistics.mean(len(t.statements) for t in traced)
    print(
        f"{len(traced)} {'pages' if related else 'searches'}, {total:.2f} s: "
        "statements on commentary_search "
        f"{table:.2f} s, other statements {other:.2f} s, outside the database "
        f"{total - table - other:.2f} s; {statements:.1f} statements a search"
    )
    for t in sorted(traced, key=lambda t: t.seconds, reverse=True)[:count]:
        name = f"{t.query.kind} {t.query.text!r} {t.query.options or ''}"
        print(f"\n== {name}: {t.seconds * 1000:.1f} ms")
        for s in t.statements:
            print(f"   {s.seconds * 1000:7.1f} ms  {' '.join(s.sql.split())[:150]}")
        slowest = max(t.statements, key=lambda s: s.seconds)
        print(f"   parameters: {slowest.parameters}")
        print("   " + explain(engine, slowest).replace("\n", "\n   "))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    related = arguments[:1] == ["related"]
    arguments = arguments[1:] if related else arguments
    main(Path(arguments[0]), int(arguments[1]) if len(arguments) > 1 else 5, related)
