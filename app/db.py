"""Engine and session factories; SQLite by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from app.config import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(
    settings: Settings,
    *,
    read_only: bool = False,
    server_settings: dict[str, str] | None = None,
    autocommit: bool = False,
) -> Engine:
    """An engine on the configured database. With ``read_only`` every connection refuses
    writes (SQLite ``query_only``, PostgreSQL read-only transactions): the web app's.
    PostgreSQL only: ``server_settings`` are set on each of its connections, and with
    ``autocommit`` each statement is a transaction of its own."""
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = dict(server_settings or {})
    if read_only:
        options["default_transaction_read_only"] = "on"
    connect_args = {"options": " ".join(f"-c {k}={v}" for k, v in options.items())}
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args if options else {})
    return engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN instead.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets the web process read while an ingest writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_query_only(dbapi_conn: Any, _record: Any) -> None:
    # After the pragmas above, whose journal_mode=WAL changes nothing on a database the
    # writer has already put in WAL mode.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


# Tables the migrations make that the models do not describe: the PostgreSQL search
# engine's own (``app.search.postgres.table``).
OUTSIDE_MODELS = frozenset({"commentary_search"})


def in_models(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object``: compare the models' tables with the database, not
    the tables another part of the archive describes."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table not in OUTSIDE_MODELS


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings) -> None:
    """Bring the schema to the newest migration (used by the writer side only); a
    database already there is only looked at."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings)
    try:
        if schema_status(engine) is None:
            return
    finally:
        engine.dispose()
    command.upgrade(alembic_config(settings.resolved_database_url), "head")


def schema_status(engine: Engine) -> str | None:
    """None when the database is at the newest migration, else a message saying what to do."""
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return None
    if current is None:
        return "the database has no schema yet: run `alembic upgrade head` or `archive ingest`"
    return f"the database schema is at {current}, not {head}: run `alembic upgrade head`"
