"""Which database and search engine the suite runs on. By default every archive is a
SQLite file in its data folder; with ``ARCHIVE_TEST_DATABASE_URL`` set to a PostgreSQL URL
each archive gets a database of its own on that server, created empty and dropped when the
run ends. Archives search with Whoosh unless ``ARCHIVE_TEST_SEARCH_BACKEND`` names another
engine (``postgres`` needs the PostgreSQL server)."""

from __future__ import annotations

import atexit
import os
import time
import uuid
from pathlib import Path
from typing import Any

from psycopg.errors import InsufficientPrivilege
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ProgrammingError

from app.config import Settings

TEST_DATABASE_URL = os.environ.get("ARCHIVE_TEST_DATABASE_URL") or None
ON_POSTGRESQL = TEST_DATABASE_URL is not None
TEST_SEARCH_BACKEND = (os.environ.get("ARCHIVE_TEST_SEARCH_BACKEND") or "whoosh").strip().lower()
if TEST_SEARCH_BACKEND == "postgres" and not ON_POSTGRESQL:
    raise RuntimeError(
        "ARCHIVE_TEST_SEARCH_BACKEND=postgres needs ARCHIVE_TEST_DATABASE_URL "
        "(a PostgreSQL server the tests may create databases on)"
    )

PREFIX = "archive_test_"  # then the pid of the run that made it
_admin: Engine | None = None
_created: list[str] = []


def archive_settings(data_dir: Path, **options: Any) -> Settings:
    """Settings for a new, empty archive whose files live in ``data_dir``, searched by
    the run's engine unless ``search_backend`` says otherwise."""
    if TEST_DATABASE_URL is not None:
        options.setdefault("database_url", fresh_database())
    options.setdefault("search_backend", TEST_SEARCH_BACKEND)
    return Settings(data_dir=data_dir, **options)


def fresh_database() -> str:
    """The URL of a new empty database on the test server."""
    assert TEST_DATABASE_URL is not None
    name = f"{PREFIX}{os.getpid()}_{uuid.uuid4().hex[:12]}"
    with _admin_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _created.append(name)
    url = make_url(TEST_DATABASE_URL).set(database=name)
    return url.render_as_string(hide_password=False)


def archive_env(settings: Settings) -> dict[str, str]:
    """Environment variables that point a child process (``archive …``) at ``settings``."""
    env = {
        "ARCHIVE_DATA_DIR": str(settings.data_dir),
        "ARCHIVE_SEARCH_BACKEND": settings.search_backend,
    }
    if settings.database_url:
        env["ARCHIVE_DATABASE_URL"] = settings.database_url
    return env


def _admin_engine() -> Engine:
    global _admin
    if _admin is None:
        assert TEST_DATABASE_URL is not None
        _admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
        atexit.register(_drop_created)
        _drop_orphans(_admin)
    return _admin


def _drop_orphans(admin: Engine) -> None:
    """Drop the databases of earlier runs that were killed before they could."""
    with admin.connect() as conn:
        names = conn.execute(
            text(
                "SELECT datname FROM pg_database"
                " WHERE datname LIKE :p AND pg_get_userbyid(datdba) = current_user"
            ),
            {"p": PREFIX + "%"},
        ).scalars()
        for name in list(names):
            pid = name.removeprefix(PREFIX).split("_")[0]
            if pid.isdigit() and not _alive(int(pid)):
                _drop(conn, name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def _drop_created() -> None:
    if _admin is None:
        return
    with _admin.connect() as conn:
        for name in _created:
            _drop(conn, name)
    _admin.dispose()


def _drop(conn: Connection, name: str, tries: int = 40) -> None:
    """Drop a test database and end its connections. The server's own workers on it
    (autovacuum) are not the test role's to end: wait for them a little, and leave the
    database to the next run's ``_drop_orphans`` if they outlast that."""
    for _ in range(tries):
        try:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as exc:
            if not isinstance(exc.orig, InsufficientPrivilege):
                raise
            time.sleep(0.25)


def database_touched(settings: Settings) -> bool:
    """Whether anything was written to the archive's database: the SQLite file exists, or
    the PostgreSQL database holds a table."""
    if not settings.database_url:
        return (settings.data_dir / "archive.sqlite3").exists()
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                ).scalar()
            )
    finally:
        engine.dispose()
