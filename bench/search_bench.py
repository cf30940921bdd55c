"""The search benchmark: the fixed query mix, warm, through the function the web app
calls (snippets and facets included), or through the naive stack.

    python -m bench.search_bench archive DATA_DIR OUT.json
    python -m bench.search_bench naive INDEX_DIR OUT.json
    python -m bench.search_bench engine DATA_DIR OUT.json     (our engine alone)
    python -m bench.search_bench fts5 PEER_DIR DATA_DIR OUT.json

Writes the latency of every timed query, in milliseconds, by kind.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.queries import Query, mix, naive_text

PASSES = 2  # timed passes over the mix, after one untimed pass that warms caches
NAIVE_PASSES = 1  # the naive stack opens its index per query: little to warm, and slow


def archive_runner(data_dir: Path) -> Callable[[Query], Any]:
    from sqlmodel import Session

    from app.config import Settings
    from app.db import make_engine
    from app.ingest.pipeline import prepare_search
    from app.search import open_backend
    from app.web.queries.search import search_commentaries, search_request

    settings = Settings(data_dir=data_dir)
    dictionary = prepare_search(settings)
    engine = make_engine(settings)
    backend = open_backend(settings)

    def one(query: Query) -> Any:
        request = search_request(dictionary, q=query.text, **query.options)
        with Session(engine) as session:
            return search_commentaries(
                session, backend, request, dictionary, budget=settings.search_budget
            )

    return one


def naive_runner(index_dir: Path) -> Callable[[Query], Any]:
    from bench import naive

    return lambda query: naive.search(index_dir, naive_text(query.text))


def _total(found: Any) -> int:
    if isinstance(found, int):
        return found
    return int(found["total"] if isinstance(found, dict) else found.total)


def _cut(found: Any) -> bool:
    """Whether the budget cut the answer short (a partial page or a lower bound)."""
    if isinstance(found, int | dict):
        return False
    return bool(found.partial or not found.total_exact)


def measure(one: Callable[[Query], Any], passes: int = PASSES) -> dict[str, list[float]]:
    """Milliseconds per query by kind, under "matches" the number each matched (in the
    untimed first pass), and under "totals" and "cut" each query's number of matches
    and 1.0 where the budget cut its answer short (in the last timed pass, warm)."""
    queries = mix()
    timings: dict[str, list[float]] = {"matches": []}
    for query in queries:
        found = one(query)
        timings["matches"].append(float(_total(found)))
    for turn in range(passes):
        for query in queries:
            started = time.perf_counter()
            found = one(query)
            timings.setdefault(query.kind, []).append((time.perf_counter() - started) * 1000)
            if turn == passes - 1:
                timings.setdefault("totals", []).append(float(_total(found)))
                timings.setdefault("cut", []).append(float(_cut(found)))
    return timings


if __name__ == "__main__":
    which, *where, out = sys.argv[1:]
    paths = [Path(p) for p in where]
    if which == "archive":
        timings = measure(archive_runner(paths[0]))
    elif which == "engine":
        from bench.planned import engine_alone

        timings = measure(engine_alone(paths[0]))
    elif which == "fts5":
        from bench.fts5_peer import runner

        timings = measure(runner(paths[0], paths[1]))
    else:
        timings = measure(naive_runner(paths[0]), NAIVE_PASSES)
    Path(out).write_text(json.dumps(timings))
