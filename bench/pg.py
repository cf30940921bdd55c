"""Archives on PostgreSQL, kept between benchmark runs on the local server.

One archive per corpus size serves both engines: the corpus is ingested once into a
database of its own with the Whoosh engine (its index goes to the entry's data folder),
then ``archive reindex --backend postgres`` fills the postgres engine's index table in
the same database, and ``VACUUM ANALYZE`` leaves the planner the statistics autovacuum
would. So the two engines search the same rows, and the fill is what switching an
existing archive costs.

    BENCH_CACHE/pg-<size>-<key>/archive/       ARCHIVE_DATA_DIR (Whoosh's index, jieba's cache)
    BENCH_CACHE/pg-<size>-<key>/ingest.json    figures of the ingest and of the fill
    database bench_<size>_<key>                 on the server BENCH_PG_URL names

The key is the SQLite archives' (``bench.cache``: corpus, index meta, Alembic head).
The fill is judged as the app judges it: when the postgres engine's status reports a
problem (rows missing, or written by an older analysis), its words' index is not the
kind the database allows (RUM where installed) or the fill predates the database's
last migration, the table is emptied and filled again, the ingest kept. A database
made under an earlier Alembic revision is upgraded and renamed, as ``bench.cache``
does for SQLite.

Environment: ``BENCH_PG_URL`` (SQLAlchemy URL of a database on the server, whose role
may create databases; default the local server, role archive), ``BENCH_PG_RUM``
(``auto``: create the RUM extension in each bench database when the machine allows it,
as a superuser through ``runuser -u postgres`` when the role cannot; ``no``: GIN).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from bench import cache
from bench.measure import Measured, dir_mb, run
from bench.steps import PY, ROOT, check, corpus_file, env, when

DEFAULT_URL = "postgresql+psycopg://archive:archive@127.0.0.1:5432/postgres"
ENGINE_CODE = ROOT / "app/search/postgres"  # where the engine lives, when it does
SETTINGS = ("shared_buffers", "work_mem", "effective_cache_size", "jit", "random_page_cost")


def url(database: str | None = None) -> str:
    """The SQLAlchemy URL of ``database`` on the bench server (its admin database when
    None)."""
    base = make_url(env("BENCH_PG_URL", DEFAULT_URL))
    if database is not None:
        base = base.set(database=database)
    return base.render_as_string(hide_password=False)


def _conninfo(database: str | None = None) -> str:
    return url(database).replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def connect(database: str | None = None) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(_conninfo(database), autocommit=True) as conn:
        yield conn


def problem() -> str | None:
    """Why the PostgreSQL part cannot run here, or None when it can."""
    try:
        with connect() as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {make_url(url())!r}: {exc}".strip()
    if not ENGINE_CODE.is_dir():
        return "this revision has no postgres search engine (app/search/postgres)"
    return None


def exists(database: str) -> bool:
    with connect() as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        return found.fetchone() is not None


def drop(database: str) -> None:
    with connect() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def create(database: str) -> bool:
    """A new empty database (dropping one of that name); True when it has RUM."""
    drop(database)
    with connect() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return add_rum(database)


def rename(old: str, new: str) -> None:
    drop(new)
    with connect() as conn:
        conn.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(old), sql.Identifier(new)
            )
        )


def databases(prefix: str) -> list[str]:
    with connect() as conn:
        found = conn.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
        )
        return [row[0] for row in found]


def has_rum(database: str) -> bool:
    with connect(database) as conn:
        found = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'").fetchone()
        return found is not None


def add_rum(database: str) -> bool:
    """Create the RUM extension in ``database`` when ``BENCH_PG_RUM`` allows it and the
    machine can: as the bench role, else as the server's superuser (local server, run
    as root). True when the database has it."""
    if env("BENCH_PG_RUM", "auto") == "no":
        return False
    try:
        with connect(database) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except psycopg.errors.InsufficientPrivilege:
        if os.geteuid() == 0 and shutil.which("runuser"):
            subprocess.run(
                [
                    *("runuser", "-u", "postgres", "--", "psql", "-q", "-d", database),
                    *("-c", "CREATE EXTENSION IF NOT EXISTS rum"),
                ],
                check=False,
                capture_output=True,
            )
    except psycopg.errors.FeatureNotSupported:
        return False
    except psycopg.errors.UndefinedFile:  # the extension is not installed on the server
        return False
    return has_rum(database)


def facts(database: str) -> dict[str, Any]:
    """Sizes of the database and of the engine's table, its indexes, the settings that
    matter to a search, and the server's version."""
    with connect(database) as conn:
        table = conn.execute("SELECT to_regclass('commentary_search')").fetchone()
        rows = "(SELECT count(*) FROM commentary_search)" if table and table[0] else "0"
        one = conn.execute(
            "SELECT pg_database_size(current_database()), "
            "coalesce(pg_total_relation_size(to_regclass('commentary_search')), 0), "
            "coalesce(pg_indexes_size(to_regclass('commentary_search')), 0), "
            f"{rows}, current_setting('server_version')"
        ).fetchone()
        assert one is not None
        indexes = conn.execute(
            "SELECT indexname, indexdef, pg_relation_size(format('%I', indexname)::regclass) "
            "FROM pg_indexes WHERE tablename = 'commentary_search' ORDER BY indexname"
        ).fetchall()
        settings = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in SETTINGS}  # type: ignore[index]
    return {
        "db_mb": one[0] / 2**20,
        "search_table_mb": one[1] / 2**20,
        "search_indexes_mb": one[2] / 2**20,
        "search_rows": one[3],
        "server": one[4],
        "rum": has_rum(database),
        "indexes": [{"name": n, "definition": d, "mb": s / 2**20} for n, d, s in indexes],
        "settings": settings,
    }


def engine_status(data_dir: Path, database: str) -> dict[str, Any]:
    """The postgres engine's own view of its table (``python -m bench.pg status`` in a
    child process, under the archive's settings)."""
    out = subprocess.run(
        [PY, "-m", "bench.pg", "status"],
        cwd=ROOT,
        env={**os.environ, **environ(data_dir, database, "postgres")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


def _status() -> dict[str, Any]:
    from app.config import get_settings
    from app.search import open_backend
    from app.search.postgres.table import ANALYSIS, words_index_method

    backend = open_backend(get_settings())
    try:
        status = backend.status()
        with backend._reader.connect() as connection:  # type: ignore[attr-defined]
            method = words_index_method(connection)
    finally:
        backend.close()
    return {
        "problem": status.problem,
        "rows": status.documents,
        "analysis": ANALYSIS,
        "index": method,
    }


def environ(data_dir: Path, database: str, backend: str = "whoosh") -> dict[str, str]:
    return {
        "ARCHIVE_DATA_DIR": str(data_dir),
        "ARCHIVE_DATABASE_URL": url(database),
        "ARCHIVE_SEARCH_BACKEND": backend,
    }


def archive_cli(command: list[str], env_: dict[str, str], what: str) -> Measured:
    return check(run([PY, "-m", "app.cli", *command], env=env_, cwd=ROOT), what)


def vacuum(database: str) -> float:
    started = time.perf_counter()
    with connect(database) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


def _names(size: int, key: str) -> tuple[Path, str]:
    return cache.root() / f"pg-{size}-{key}", f"bench_{size}_{key}"


def _load(place: Path, database: str) -> dict[str, Any] | None:
    try:
        figures: dict[str, Any] = json.loads((place / cache.INGEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return figures if exists(database) else None


def _migrated(size: int, source: Path, valid: dict[str, Any]) -> dict[str, Any] | None:
    """The archive of an earlier Alembic revision, upgraded and moved to the current key."""
    place, database = _names(size, cache.key(source, valid))
    for head in cache.earlier_heads(valid["alembic_head"]):
        older, old_db = _names(size, cache.key(source, {**valid, "alembic_head": head}))
        figures = _load(older, old_db)
        if figures is None:
            continue
        seconds = cache.upgrade(environ(cache.archive(older), old_db))
        rename(old_db, database)
        shutil.rmtree(place, ignore_errors=True)
        older.rename(place)
        note = {"from": head, "to": valid["alembic_head"], "seconds": seconds, "on": when()}
        figures = {**figures, "upgraded": [*figures.get("upgraded", []), note]}
        cache.store(place, figures)  # its fill is older than the migration: done again
        return figures
    return None


def archive(size: int) -> tuple[Path, str, dict[str, Any]]:
    """The data folder, database and figures of the PostgreSQL archive of ``size``
    commentaries, with both engines' indexes filled: built, upgraded or refilled first
    when the cache has nothing current."""
    source = corpus_file(size)
    valid = cache.validity()
    key = cache.key(source, valid)
    place, database = _names(size, key)
    data_dir = cache.archive(place)
    with cache.building(place):
        figures = _load(place, database) or _migrated(size, source, valid)
        fresh = figures is None
        if figures is None:
            figures = _ingest(size, source, place, database)
        rum = has_rum(database) or add_rum(database)
        status = engine_status(data_dir, database)
        stale = (
            status["problem"]
            or status["index"] != ("rum" if rum else "gin")
            # a migration may change how rows are stored; a fill after it writes them so
            or figures.get("fill", {}).get("head") != valid["alembic_head"]
        )
        if stale:
            figures = {**figures, "fill": _fill(data_dir, database, rum)}
            cache.store(place, figures)
        for folder in cache.root().glob(f"pg-{size}-*"):
            if folder != place and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
        for name in databases(f"bench_{size}_"):
            if name != database:
                drop(name)
    return data_dir, database, {**figures, "fresh": fresh, "facts": facts(database)}


def _ingest(size: int, source: Path, place: Path, database: str) -> dict[str, Any]:
    print(f"   building the PostgreSQL archive of {size} into {database}", flush=True)
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    create(database)
    data_dir = cache.archive(place)
    done = archive_cli(["ingest", str(source)], environ(data_dir, database), "ingest into PG")
    figures = {
        "measured": when(),
        "nice": os.nice(0),  # above 0: built in the background, its seconds not comparable
        "ingest": {
            "seconds": done.seconds,
            "rss_mb": done.peak_rss_mb,
            "index_mb": dir_mb(data_dir / "index"),
        },
        "vacuum_s": vacuum(database),
    }
    cache.store(place, figures)
    print(f"   ingest (Whoosh engine) into PostgreSQL: {done.seconds:.0f} s", flush=True)
    return figures


def _fill(data_dir: Path, database: str, rum: bool) -> dict[str, Any]:
    """Empty the postgres engine's table and fill it as an existing archive switches
    to it (the engine's writer makes its words' index RUM where ``rum``); then vacuum
    and analyse."""
    with connect(database) as conn:
        conn.execute("TRUNCATE commentary_search")
    done = archive_cli(
        ["reindex", "--backend", "postgres"],
        environ(data_dir, database, "postgres"),
        "reindex --backend postgres",
    )
    with connect(database) as conn:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    fill = {
        "measured": when(),
        "head": head[0] if head else None,
        "rum": rum,
        "nice": os.nice(0),
        "seconds": done.seconds,
        "rss_mb": done.peak_rss_mb,
        "vacuum_s": vacuum(database),
    }
    print(f"   postgres engine filled in {done.seconds:.0f} s", flush=True)
    return fill


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["status"]:
        print(json.dumps(_status()))
