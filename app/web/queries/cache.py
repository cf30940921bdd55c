"""Archive-wide aggregates (the calendar, ticker counts, related commentaries) kept in
memory until the archive changes.

The archive's version is the newest commentary id together with the newest ingest run
and its status: two primary-key lookups, read on every call. A run that adds
commentaries moves the first; a run that changes or prunes existing ones moves the
second when it starts and again when it ends, so an answer is never kept past the
end of the ingest that made it stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Commentary, IngestRun

T = TypeVar("T")
SIZE = 2048  # entries kept, least recently used dropped first

_lock = threading.Lock()
_entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_versions: dict[str, tuple[Any, ...]] = {}


def archive_version(session: Session) -> tuple[Any, ...]:
    newest = session.exec(select(func.max(col(Commentary.id)))).one()
    run = session.exec(
        select(IngestRun.id, IngestRun.status).order_by(col(IngestRun.id).desc()).limit(1)
    ).first()
    return (newest, tuple(run) if run is not None else None)


def cached(session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for ``key`` in this same archive version.
    The value is shared between requests: callers must not change it."""
    bind = session.get_bind()
    database = str(bind.engine.url)
    version = archive_version(session)
    full_key = (database, *key)
    with _lock:
        if _versions.get(database) != version:
            for stale in [k for k in _entries if k[0] == database]:
                del _entries[stale]
            _versions[database] = version
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        if _versions.get(database) == version:
            _entries[full_key] = value
            while len(_entries) > SIZE:
                _entries.popitem(last=False)
    return value
