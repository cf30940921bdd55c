"""The database layer: the web app's connections refuse writes on either engine."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.db import make_engine, upgrade
from app.web.app import create_app
from tests.databases import ON_POSTGRESQL

REFUSAL = (
    "cannot execute INSERT in a read-only transaction"
    if ON_POSTGRESQL
    else "attempt to write a readonly database"
)
INSERT = "INSERT INTO instrument (symbol, kind, name, aliases) VALUES ('ZZZ', 'stock', 'Z', '[]')"


def _instruments(settings: Settings) -> int:
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM instrument")).scalar_one())
    finally:
        engine.dispose()


def test_a_read_only_engine_refuses_writes(settings: Settings) -> None:
    upgrade(settings)
    engine = make_engine(settings, read_only=True)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM commentary")).scalar_one() == 0
            with pytest.raises(DBAPIError) as refused:
                conn.execute(text(INSERT))
    finally:
        engine.dispose()
    assert REFUSAL in str(refused.value.orig)
    assert _instruments(settings) == 0


def test_the_writer_engine_still_writes(settings: Settings) -> None:
    upgrade(settings)
    engine = make_engine(settings)
    with engine.begin() as conn:
        conn.execute(text(INSERT))
    engine.dispose()
    assert _instruments(settings) == 1


def test_the_web_app_reads_through_a_read_only_engine(settings: Settings) -> None:
    upgrade(settings)
    app = create_app(settings)
    try:
        with app.state.engine.connect() as conn, pytest.raises(DBAPIError) as refused:
            conn.execute(text(INSERT))
    finally:
        app.state.engine.dispose()
    assert REFUSAL in str(refused.value.orig)
