"""The query mix through the search function on each engine over one archive, in the
same run: a quick comparison of the engines between two full ``make bench`` runs.

    ARCHIVE_DATA_DIR=… ARCHIVE_DATABASE_URL=postgresql+psycopg://… python -m bench.engines_mix

The archive must hold both engines' indexes (``archive reindex --backend whoosh`` and
``--backend postgres``). Each engine answers the mix once to warm up, then twice timed,
with no budget; planning and finding count, snippets do not.
"""

from __future__ import annotations

import math
import time

from app.config import Settings
from app.instruments import prepare_analysis
from app.search import SearchRequest, open_backend, search
from bench.queries import mix

ENGINES = ("whoosh", "postgres")
ROUNDS = 2


def timings(engine: str) -> list[float]:
    """Seconds of each search of the mix, ``ROUNDS`` times, sorted."""
    names = prepare_analysis(Settings().data_dir)
    backend = open_backend(Settings(search_backend=engine))
    backend.warm()
    queries = mix()
    requests = [SearchRequest(text=q.text, **q.options) for q in queries]
    try:
        for request in requests:
            search(backend, request, names, budget=math.inf)
        found = []
        for _ in range(ROUNDS):
            for request in requests:
                started = time.perf_counter()
                search(backend, request, names, budget=math.inf)
                found.append(time.perf_counter() - started)
    finally:
        backend.close()
    return sorted(found)


def main() -> None:
    p95 = {}
    for engine in ENGINES:
        found = timings(engine)
        p50, p95[engine] = found[len(found) // 2], found[int(len(found) * 0.95)]
        print(
            f"{engine}: {len(found)} searches, p50 {p50 * 1000:.1f} ms, "
            f"p95 {p95[engine] * 1000:.1f} ms, max {found[-1] * 1000:.1f} ms"
        )
    print(f"postgres ÷ whoosh, p95: {p95['postgres'] / p95['whoosh']:.2f}×")


if __name__ == "__main__":
    main()
