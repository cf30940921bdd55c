"""What the engine keeps for an open searcher (or its reader): made on first use and
dropped with it, when a new generation or commit replaces the searcher."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class PerSearcher(Generic[V]):
    def __init__(self, make: Callable[[Any], V]) -> None:
        self._make = make
        self._kept: weakref.WeakKeyDictionary[Any, V] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, owner: Any) -> V:
        """What is kept for ``owner``, made now if nothing is (one maker at a time)."""
        with self._lock:
            kept = self._kept.get(owner)
            if kept is None:
                kept = self._kept[owner] = self._make(owner)
            return kept

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
