"""The Whoosh engine's array finder against the reference (stock Whoosh scoring every
match), on the bench mix as the planner plans it: the same answers, and how long each
takes, warm (postings cached) and cold (nothing cached but the generation's values).

    python -m bench.engine_probe DATA_DIR

DATA_DIR is an archive's data directory (``bench.corpus`` written, then ingested).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from whoosh.searching import Searcher

from app.config import Settings
from app.ingest.pipeline import prepare_search
from app.search import searching
from app.search.backend import Found, Lookup
from app.search.whoosh import docvalues, postings
from app.search.whoosh.finder import find
from app.search.whoosh.reader import SearchIndex
from app.web.queries.search import search_request
from bench import reference_engine as reference
from bench.queries import mix

Finder = Callable[[Searcher, Lookup], Found]


def planned(data_dir: Path) -> tuple[SearchIndex, list[tuple[str, Lookup]]]:
    """The lookup each query of the mix makes, as the web app's search plans it."""
    settings = Settings(data_dir=data_dir)
    dictionary = prepare_search(settings)
    index = SearchIndex(settings.resolved_index_dir)
    requests = [(q.kind, search_request(dictionary, q=q.text, **q.options)) for q in mix()]
    lookups = [(kind, searching.lookup(request, dictionary)[1]) for kind, request in requests]
    return index, lookups


def same(a: Found, b: Found) -> bool:
    scores = all(
        (x.score is None and y.score is None)
        or (
            x.score is not None
            and y.score is not None
            and abs(x.score - y.score) <= 1e-9 * abs(y.score)
        )
        for x, y in zip(a.hits, b.hits, strict=True)
    )
    ids = [h.id for h in a.hits] == [h.id for h in b.hits]
    return ids and scores and a.total == b.total and a.facets == b.facets and not a.partial


def timed(index: SearchIndex, lookups: list[tuple[str, Lookup]], finder: Finder) -> list[float]:
    found = []
    for _ in range(2):
        for _, lookup in lookups:
            started = time.perf_counter()
            index.use(partial(_run, finder, lookup))
            found.append((time.perf_counter() - started) * 1000)
    return found


def _run(finder: Finder, lookup: Lookup, searcher: Searcher) -> Found:
    return finder(searcher, lookup)


def _agree(searcher: Searcher, lookup: Lookup) -> bool:
    return same(find(searcher, lookup), reference.find(searcher, lookup))


def cold(searcher: Searcher, lookup: Lookup) -> Found:
    postings._cache.clear()
    return find(searcher, lookup)


def line(name: str, times: list[float]) -> str:
    q = statistics.quantiles(times, n=100)
    return f"{name:28s} p50 {q[49]:7.2f} ms  p95 {q[94]:7.2f} ms  max {max(times):7.2f} ms"


def main(data_dir: Path) -> None:
    index, lookups = planned(data_dir)
    started = time.perf_counter()
    index.use(docvalues._read)
    print(f"doc values of the generation: {(time.perf_counter() - started) * 1000:.0f} ms")
    wrong = [
        (kind, lookup) for kind, lookup in lookups if not index.use(partial(_agree, lookup=lookup))
    ]
    for kind, lookup in wrong:
        print("DIFFERENT", kind, lookup)
    print(f"{len(lookups)} lookups, {len(wrong)} answered differently")
    print(line("finder (warm)", timed(index, lookups, find)))
    print(line("finder (no cached postings)", timed(index, lookups, cold)))
    print(line("reference", timed(index, lookups, reference.find)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
