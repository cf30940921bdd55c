"""One writer at a time: an ingest holds a file lock in the data folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout


class IngestLocked(RuntimeError):
    """Another ingest holds the lock."""


@dataclass(frozen=True, slots=True)
class Waiting:
    """What a writer waits for: the lock file, the process holding it, for how long."""

    lock_file: Path
    holder: str  # the holder's pid, or "unknown"
    timeout: float  # seconds it waits before giving up

    def __str__(self) -> str:
        return (
            f"waiting for another ingest (pid {self.holder}) to release {self.lock_file}; "
            f"giving up after {self.timeout:g} s (ARCHIVE_LOCK_TIMEOUT)"
        )


OnWait = Callable[[Waiting], None]


@contextmanager
def writer_lock(lock_file: Path, timeout: float, on_wait: OnWait | None = None) -> Iterator[None]:
    """Hold the writer lock; when another process has it, say so through ``on_wait``
    before waiting up to ``timeout`` seconds for it."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file = lock_file.with_suffix(".pid")
    lock = FileLock(str(lock_file))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(Waiting(lock_file, _read_pid(pid_file), timeout))
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
