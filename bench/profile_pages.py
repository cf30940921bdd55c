"""cProfile of the work behind two pages on a cached archive, for "Where the time goes".

    python -m bench.profile_pages search DATA_DIR    # the query mix through the search function
    python -m bench.profile_pages related DATA_DIR   # related commentaries of 20 first views

Prints the per-call time unprofiled, then the profile's top entries by cumulative time.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.ingest.pipeline import prepare_search
from app.models import Commentary
from app.search import open_backend
from app.web.queries import related
from app.web.queries.search import search_commentaries, search_request
from bench.queries import mix

ENTRIES = 40


def _search(settings: Settings) -> Callable[[], int]:
    dictionary, engine = prepare_search(settings), make_engine(settings)
    backend = open_backend(settings)

    def run() -> int:
        for query in mix():
            request = search_request(dictionary, q=query.text, **query.options)
            with Session(engine) as session:
                search_commentaries(session, backend, request, dictionary, budget=60.0)
        return len(mix())

    return run


def _related(settings: Settings) -> Callable[[], int]:
    prepare_search(settings)
    engine, backend = make_engine(settings), open_backend(settings)
    backend.warm()
    with Session(engine) as session:
        ids = [i for i in session.exec(select(Commentary.id)) if i is not None]
    chosen = iter(random.Random(7).sample(ids, min(len(ids), 200)))

    def run() -> int:
        for _ in range(20):
            with Session(engine) as session:
                commentary = session.get(Commentary, next(chosen))
                assert commentary is not None
                related.closeness(session, backend, commentary)
        return 20

    return run


def main(which: str, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir)
    run = _search(settings) if which == "search" else _related(settings)
    run()  # warm: searcher open, caches filled (related: other commentaries than timed)
    started = time.perf_counter()
    calls = run()
    print(f"{(time.perf_counter() - started) / calls * 1000:.1f} ms a call, unprofiled")
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(ENTRIES)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
