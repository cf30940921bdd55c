"""How the live index stands against the database: for ``archive stats``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.search import store


@dataclass(frozen=True, slots=True)
class IndexState:
    generation: str | None  # the live generation folder's name
    created: str | None  # when that generation was created (ISO 8601, UTC)
    problem: str | None  # why the index cannot be used, None when it can
    documents: int  # documents in the index
    revisions: dict[int, int]  # id -> revision of every indexed commentary


def index_state(index_dir: Path) -> IndexState:
    """The live generation, its documents and their revisions, or why it is unusable."""
    generation = store.current_generation(index_dir)
    name = generation.name if generation is not None else None
    created = store.read_meta(generation).get("created") if generation is not None else None
    try:
        index = store.open_current(index_dir)
    except store.IndexUnavailable as exc:
        return IndexState(name, created, str(exc), 0, {})
    try:
        with index.searcher() as searcher:
            revisions = {int(f["id"]): int(f["rev"]) for f in searcher.all_stored_fields()}
            documents = int(searcher.doc_count())
    finally:
        index.close()
    return IndexState(name, created, None, documents, revisions)
