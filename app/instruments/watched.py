"""The dictionary of a long-running process (the web server), loaded again when the
reader's ``aliases.csv`` changes, so a name taught with ``archive aliases`` is known to
searches without a restart."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from app.instruments import Dictionary, DictionaryError, prepare_analysis
from app.instruments.catalog import USER_ALIAS_FILE

LOOK_EVERY = 5.0  # seconds between looks at the alias file
_log = logging.getLogger(__name__)


class WatchedDictionary:
    """``current()`` is the dictionary of ``data_dir``'s alias file as it was at most
    ``every`` seconds ago. A file that no longer loads keeps the last good dictionary
    (and is logged): the server goes on, and ``archive aliases`` says what is wrong."""

    def __init__(self, data_dir: Path, every: float = LOOK_EVERY) -> None:
        self.data_dir, self.every = data_dir, every
        self._lock = threading.Lock()
        self._seen = self._stamp()
        self._dictionary = prepare_analysis(data_dir)
        self._looked = time.monotonic()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = (self.data_dir / USER_ALIAS_FILE).stat()
        except FileNotFoundError:
            return None
        return found.st_mtime_ns, found.st_size

    def current(self) -> Dictionary:
        if time.monotonic() - self._looked < self.every:
            return self._dictionary
        with self._lock:
            if time.monotonic() - self._looked >= self.every:
                stamp = self._stamp()
                if stamp != self._seen:
                    try:
                        self._dictionary = prepare_analysis(self.data_dir)
                    except DictionaryError as exc:
                        _log.warning("the alias file was not loaded again: %s", exc)
                    self._seen = stamp
                self._looked = time.monotonic()
        return self._dictionary
