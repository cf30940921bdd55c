"""One shared, open searcher per process, reopened only when the index changed.

Every searcher it opens (a new generation) or refreshes (a new commit) is handed to
``on_open`` before any search uses it: the engine reads what it keeps per document
there, so no search pays for it inside its budget."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from whoosh.searching import Searcher

from app.search.whoosh import store

T = TypeVar("T")

# How often a request may look at the disk for a newer index generation or commit.
CHECK_INTERVAL = 1.0


class SearchIndex:
    def __init__(
        self, index_dir: Path, on_open: Callable[[Searcher], object] | None = None
    ) -> None:
        self.index_dir = index_dir
        self._on_open = on_open
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._searcher: Searcher | None = None
        self._checked = 0.0

    def _current(self) -> Searcher:
        now = time.monotonic()
        if self._searcher is not None and now - self._checked < CHECK_INTERVAL:
            return self._searcher
        self._checked = now
        generation = store.current_generation(self.index_dir)
        if self._searcher is None or generation != self._generation:
            index = store.open_current(self.index_dir)
            self._close()
            self._generation, self._searcher = generation, index.searcher()
            self._opened(self._searcher)
            return self._searcher
        # refresh() hands the unchanged segments to the new searcher: the old one must
        # not be closed or used again.
        fresh = self._searcher.refresh()
        if fresh is not self._searcher:
            self._opened(fresh)
        self._searcher = fresh
        return self._searcher

    def _opened(self, searcher: Searcher) -> None:
        if self._on_open is not None:
            self._on_open(searcher)

    def use(self, work: Callable[[Searcher], T]) -> T:
        """Run ``work`` with the shared searcher; raises ``store.IndexUnavailable``."""
        with self._lock:
            return work(self._current())

    def status(self) -> tuple[str | None, int]:
        """An error message (None when healthy) and the number of indexed documents."""
        try:
            return None, self.use(lambda s: int(s.doc_count()))
        except store.IndexUnavailable as exc:
            return str(exc), 0

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher, self._generation = None, None

    def close(self) -> None:
        with self._lock:
            self._close()
