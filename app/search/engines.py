"""The engines the archive can search with, by the name ``ARCHIVE_SEARCH_BACKEND``
gives them, and ``open_backend`` to make the one the settings choose.

Each entry makes a backend from the settings; an engine's modules are imported only
when it is chosen, so the others cost nothing. Tests add their own entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.search.backend import SearchBackend

if TYPE_CHECKING:
    from app.config import Settings


def _whoosh(settings: Settings) -> SearchBackend:
    from app.search.whoosh.backend import WhooshBackend

    return WhooshBackend(settings.resolved_index_dir)


def _postgres(settings: Settings) -> SearchBackend:
    from app.search.postgres.backend import PostgresBackend

    return PostgresBackend(settings)


BACKENDS: dict[str, Callable[[Settings], SearchBackend]] = {
    "whoosh": _whoosh,
    "postgres": _postgres,
}
# Engines whose index lives in the archive's database, which must then be PostgreSQL.
IN_POSTGRESQL = frozenset({"postgres"})


def backend_problem(name: str) -> str | None:
    """Why ``name`` names no engine, or None when it does."""
    if name in BACKENDS:
        return None
    known = ", ".join(sorted(BACKENDS))
    return f"ARCHIVE_SEARCH_BACKEND {name!r} names no search engine (known: {known})"


def database_problem(name: str, database_url: str) -> str | None:
    """Why engine ``name`` cannot run on ``database_url``, or None when it can."""
    if name in IN_POSTGRESQL and not database_url.startswith("postgresql"):
        return (
            f"ARCHIVE_SEARCH_BACKEND={name} keeps the index in the database and needs a "
            "PostgreSQL ARCHIVE_DATABASE_URL (postgresql+psycopg://…), not SQLite: use the "
            "whoosh engine, or move the archive to PostgreSQL"
        )
    return None


def open_backend(settings: Settings) -> SearchBackend:
    """The search engine ``settings.search_backend`` names (validated by ``Settings``)."""
    problem = backend_problem(settings.search_backend)
    if problem:
        raise ValueError(problem)
    return BACKENDS[settings.search_backend](settings)
