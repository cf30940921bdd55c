"""The engine alone on an index N times the size of a cached archive's, built by adding
the archive's segments N times (no analysis, so minutes rather than the half hour an
ingest of 100,000 commentaries takes): how the finder's cost grows with the index.

    python -m bench.scale_probe DATA_DIR COPIES OUT_DIR

Prints p50/p95 of the finder over the query mix (with facets, as the web app asks,
and without), on the archive's own index and on the copied one. Each copy repeats the
archive's commentaries, so every posting list is COPIES times as long: a harder case
than a real archive of that size, whose rarer words stay rare.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from functools import partial
from pathlib import Path

from whoosh.index import create_in, exists_in, open_dir
from whoosh.searching import Searcher
from whoosh.writing import NO_MERGE

from app.search.backend import Lookup
from app.search.whoosh import store
from app.search.whoosh.finder import find, warm
from bench.engine_probe import planned

PASSES = 2


def _copied(index_dir: Path, copies: int, out: Path) -> None:
    if exists_in(str(out)):
        return
    out.mkdir(parents=True, exist_ok=True)
    source = store.open_current(index_dir)
    big = create_in(str(out), source.schema)
    with source.reader() as reader:
        for i in range(copies):
            writer = big.writer(limitmb=256)
            writer.add_reader(reader)
            writer.commit(mergetype=NO_MERGE if i % 5 else None)


def _timed(searcher: Searcher, lookups: list[Lookup]) -> tuple[float, float]:
    for lookup in lookups:  # warm: posting arrays cached, as on a live server
        find(searcher, lookup)
    found = []
    for _ in range(PASSES):
        for lookup in lookups:
            started = time.perf_counter()
            find(searcher, lookup)
            found.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(found, n=100)
    return cuts[49], cuts[94]


def _report(name: str, searcher: Searcher, lookups: list[Lookup]) -> None:
    started = time.perf_counter()
    warm(searcher)
    ready = time.perf_counter() - started
    with_facets = _timed(searcher, lookups)
    alone = _timed(searcher, [dataclasses.replace(lookup, facets=False) for lookup in lookups])
    print(
        f"{name}: {searcher.doc_count_all()} documents, warm-up {ready:.2f} s; "
        f"with facets p50 {with_facets[0]:.1f} ms p95 {with_facets[1]:.1f} ms; "
        f"top page and total p50 {alone[0]:.1f} ms p95 {alone[1]:.1f} ms",
        flush=True,
    )


def main(data_dir: Path, copies: int, out: Path) -> None:
    index, planned_lookups = planned(data_dir)
    lookups = [dataclasses.replace(lookup, budget=60.0) for _, lookup in planned_lookups]
    index.use(partial(_report, "archive", lookups=lookups))
    _copied(index.index_dir, copies, out)
    with open_dir(str(out)).searcher() as searcher:
        _report(f"{copies}x copied", searcher, lookups)
    index.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
