"""One writer at a time: an ingest holds a file lock in the data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class IngestLocked(RuntimeError):
    """Another ingest holds the lock."""


@contextmanager
def writer_lock(lock_file: Path, timeout: float) -> Iterator[None]:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file = lock_file.with_suffix(".pid")
    lock = FileLock(str(lock_file))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        holder = _read_pid(pid_file)
        raise IngestLocked(f"another ingest is running (pid {holder})") from None
    try:
        pid_file.write_text(str(os.getpid()), "utf-8")
        yield
    finally:
        pid_file.unlink(missing_ok=True)
        lock.release()


def _read_pid(pid_file: Path) -> str:
    try:
        return pid_file.read_text("utf-8").strip() or "unknown"
    except OSError:
        return "unknown"
