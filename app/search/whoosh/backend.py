"""``WhooshBackend``: the archive's ``SearchBackend`` over the Whoosh index on disk.

It holds one open searcher per process (``SearchIndex``), shared by the threads that
serve requests and reopened when ingest publishes a new generation or commits: opening
a searcher costs far more than a search.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from whoosh.searching import Searcher

from app.search.backend import (
    Found,
    IndexStatus,
    IndexUnavailable,
    Lookup,
    Preparer,
    RowWriter,
    Similar,
)
from app.search.whoosh import finder, store
from app.search.whoosh.deadline import Deadline
from app.search.whoosh.reader import SearchIndex
from app.search.whoosh.similar import likeness, similar
from app.search.whoosh.writer import WhooshWriter, open_writer, prepare


def _revisions(searcher: Searcher) -> dict[int, int]:
    return {int(f["id"]): int(f["rev"]) for f in searcher.all_stored_fields()}


class WhooshBackend:
    name = "whoosh"

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.index = SearchIndex(index_dir, on_open=finder.warm)
        self.preparer: Preparer | None = prepare
        self.rows: RowWriter | None = None

    def find(self, lookup: Lookup) -> Found:
        # The budget counts from here: time spent waiting for the searcher counts too.
        deadline = Deadline(lookup.budget)
        return self.index.use(lambda searcher: finder.find(searcher, lookup, deadline))

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]:
        found = self.index.use(lambda searcher: similar(searcher, commentary_id, limit))
        return [Similar(other, share) for other, share in found]

    def likeness(self, commentary_id: int, other_id: int) -> float:
        return self.index.use(lambda searcher: likeness(searcher, commentary_id, other_id))

    def status(self) -> IndexStatus:
        problem, documents = self.index.status()
        generation = store.current_generation(self.index_dir)
        if generation is None:
            return IndexStatus(problem, documents)
        created = store.read_meta(generation).get("created")
        return IndexStatus(problem, documents, generation.name, created)

    def revisions(self) -> dict[int, int]:
        try:
            return self.index.use(_revisions)
        except IndexUnavailable:
            return {}

    def writer(self, *, rebuild: bool = False) -> WhooshWriter:
        return open_writer(self.index_dir, rebuild)

    def warm(self) -> None:
        # Opening the searcher reads ahead (``finder.warm``). An unusable index is
        # said by status(); the first search after ingest opens it.
        with contextlib.suppress(IndexUnavailable):
            self.index.use(lambda searcher: None)

    def close(self) -> None:
        self.index.close()
