"""Ordered work in a pool of processes, for the CPU-heavy parts of ingest and reindex."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 8  # items per task sent to a worker
IN_FLIGHT = 4  # tasks queued per worker: bounds memory however long the input
# Below this many items a pool costs more (start-up, pickling) than it saves.
POOL_THRESHOLD = 64


class ProcessMap:
    """``map`` over a pool of worker processes, results in input order, with a bounded
    number of tasks in flight; small inputs run in this process. ``work`` must be a
    module-level function (or a ``functools.partial`` of one) taking a list of items."""

    def __init__(
        self,
        workers: int | None = None,
        initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._initializer = initializer
        self._initargs = initargs
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # fork shares the parent's loaded dictionaries; spawn where there is no fork.
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=self._initializer,
                initargs=self._initargs,
            )
        return self._executor

    def map(
        self,
        work: Callable[[list[T]], list[R]],
        items: Iterable[T],
        size_hint: int | None = None,
    ) -> Iterator[R]:
        items = iter(items)
        if size_hint is None:
            # Unknown length: look at most POOL_THRESHOLD items ahead to decide.
            head = list(islice(items, POOL_THRESHOLD))
            size_hint = len(head)
            items = chain(head, items)
        if self.workers < 2 or size_hint < POOL_THRESHOLD:
            for item in items:
                yield from work([item])
            return
        pool = self._pool()
        pending: deque[Future[list[R]]] = deque()
        chunk: list[T] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == CHUNK:
                pending.append(pool.submit(work, chunk))
                chunk = []
                if len(pending) >= self.workers * IN_FLIGHT:
                    yield from pending.popleft().result()
        if chunk:
            pending.append(pool.submit(work, chunk))
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ProcessMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
