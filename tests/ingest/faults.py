"""``archive …`` with a SIGKILL planted at one point, for the crash tests. Run as

    python -c "from tests.ingest.faults import main; main()" POINT ARCHIVE-ARGUMENTS…

in a process group of its own: the kill takes the whole group (the ingest and its pool of
analysers), as a supervisor stopping the job would. Small commits and segments make
every point fall in the middle of the run, with work on both sides of it.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from app.ingest import analyse, pipeline
from app.ingest.store import RecordStore
from app.search.whoosh import feeder, store

COMMIT_EVERY = 25  # records per database commit
SEGMENT_DOCS = 40  # documents per index segment commit
KILLED_AT_CHUNK = 4  # a pool worker's 4th chunk of records to analyse
# Records stored before the kill: the first of the third batch (two commits made), and
# one in the middle of the third batch (two commits made, a transaction open).
KILLED_AT_RECORD = {"batch-committed": 2 * COMMIT_EVERY + 1, "storing": 2 * COMMIT_EVERY + 10}

_chunks = 0


def die() -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def analyse_then_die(chunk: list[Any], **options: Any) -> list[Any]:
    """``analyse_chunk`` in a pool worker, killing the run when it gets its 4th chunk
    (module-level, so that the pool can pickle it)."""
    global _chunks
    _chunks += 1
    if _chunks == KILLED_AT_CHUNK:
        die()
    return analyse.analyse_chunk(chunk, **options)


def _on_call(owner: Any, name: str, nth: int = 1, *, after: bool = False) -> None:
    """Kill the run on the ``nth`` call of ``owner.name``, before it runs or after it."""
    original: Callable[..., Any] = getattr(owner, name)
    calls = 0

    def planted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == nth and not after:
            die()
        result = original(*args, **kwargs)
        if calls == nth and after:
            die()
        return result

    setattr(owner, name, planted)


def _tokenising() -> None:
    pipeline.analyse_chunk = analyse_then_die  # type: ignore[assignment]


def _database_committed() -> None:
    # Every record is committed to the database; the index's last segment is not.
    _on_call(pipeline, "sync_index")


def _index_segment_written() -> None:
    # The second segment's files are written, the table of contents naming them is not.
    _on_call(feeder.FastSegmentWriter, "_flush_segment", 2, after=True)


def _batch_committed() -> None:
    # Two batches of records are committed with their index rows; the third is not begun.
    _on_call(RecordStore, "store", KILLED_AT_RECORD["batch-committed"])


def _storing() -> None:
    # Two batches are committed; nine records of the third are written, not committed.
    _on_call(RecordStore, "store", KILLED_AT_RECORD["storing"])


class _SwapKilled:
    """``os`` for the index store, whose ``replace`` (the swap of CURRENT) kills."""

    fsync = staticmethod(os.fsync)

    @staticmethod
    def replace(*_args: Any) -> None:
        die()


def _rebuild_swapping() -> None:
    # The new generation is complete and its pointer written, not yet swapped in.
    store.os = _SwapKilled  # type: ignore[assignment]


def _rebuild_swapped() -> None:
    # CURRENT names the new generation; the old ones are not yet removed.
    _on_call(store.shutil, "rmtree")


POINTS: dict[str, Callable[[], None]] = {
    "tokenising": _tokenising,
    "database-committed": _database_committed,
    "batch-committed": _batch_committed,
    "storing": _storing,
    "index-segment-written": _index_segment_written,
    "rebuild-swapping": _rebuild_swapping,
    "rebuild-swapped": _rebuild_swapped,
}


def main() -> None:
    point, *arguments = sys.argv[1:]
    pipeline.COMMIT_EVERY = COMMIT_EVERY
    feeder.Feeder.__init__.__defaults__ = (SEGMENT_DOCS,)
    POINTS[point]()
    sys.argv = ["archive", *arguments]
    from app.cli import main as archive

    archive()
