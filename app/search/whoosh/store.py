"""Index generations on disk: ``<index_dir>/CURRENT`` names the live generation folder.

A rebuild writes a new generation beside the live one and then replaces ``CURRENT``
atomically, so readers see either the old index or the new one, never a mix. Each
generation records the schema, analyzer and dictionary it was built with; an index
built differently is refused with a message saying to run ``archive reindex``.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import struct
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, FileIndex

from app.search import segmenter
from app.search.analyzer import ANALYZER_VERSION
from app.search.backend import IndexUnavailable as IndexUnavailable
from app.search.whoosh import mapped
from app.search.whoosh.schema import SCHEMA_VERSION, build_schema

mapped.install()

POINTER = "CURRENT"
META = "archive-index.json"
# In a generation until ``publish`` has made it live: one that still has it and is not
# live was left by a run that stopped before publishing, and no reader can have it open.
UNPUBLISHED = "UNPUBLISHED"
REINDEX_HINT = "run `archive reindex`"
# What Whoosh raises on index files that are missing, cut short or overwritten.
_DAMAGED = (
    OSError,
    EOFError,
    EmptyIndexError,
    IndexError,
    ValueError,
    struct.error,
    pickle.UnpicklingError,
)


class MissingIndex(IndexUnavailable):
    pass


class StaleIndex(IndexUnavailable):
    def __init__(self, why: str) -> None:
        super().__init__(f"the search index {why}: {REINDEX_HINT}")
        self.why = why


def expected_meta() -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "analyzer_version": ANALYZER_VERSION,
        "segmenter": segmenter.base_fingerprint(),
    }


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / POINTER).read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    path = index_dir / name
    return path if name and path.is_dir() else None


def read_meta(generation: Path) -> dict[str, Any]:
    try:
        data = json.loads((generation / META).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def staleness(generation: Path) -> str | None:
    """Why the generation cannot be used with this code, or None when it can."""
    meta, expected = read_meta(generation), expected_meta()
    differing = [key for key, value in expected.items() if meta.get(key) != value]
    if not differing:
        return None
    return f"was built with a different {' and '.join(differing)}"


def open_current(index_dir: Path) -> FileIndex:
    generation = current_generation(index_dir)
    if generation is None:
        raise MissingIndex(f"there is no search index in {index_dir}: {REINDEX_HINT}")
    reason = staleness(generation)
    if reason is not None:
        raise StaleIndex(reason)
    try:
        index = whoosh_index.open_dir(str(generation))
        index.reader().close()  # opens every segment's files
        return index
    except _DAMAGED as exc:
        # Files lost or cut short (a disk error, a power cut before they reached it): the
        # database still has everything, so the next ingest or reindex builds it anew.
        raise StaleIndex(f"cannot be opened ({exc.__class__.__name__}: {exc})") from exc


def create_generation(index_dir: Path) -> tuple[Path, FileIndex]:
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    generation = index_dir / f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
    generation.mkdir()
    (generation / UNPUBLISHED).touch()
    created = whoosh_index.create_in(str(generation), build_schema())
    meta = {**expected_meta(), "created": datetime.now(UTC).isoformat()}
    (generation / META).write_text(json.dumps(meta, indent=2), "utf-8")
    return generation, created


def publish(index_dir: Path, generation: Path) -> None:
    """Make ``generation`` the live index, keeping the one before it for open readers."""
    previous = current_generation(index_dir)
    tmp = index_dir / f".{POINTER}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(generation.name + "\n", "utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / POINTER)
    _sync_folder(index_dir)
    (generation / UNPUBLISHED).unlink(missing_ok=True)
    keep = {generation.name, previous.name if previous else ""}
    for child in index_dir.iterdir():
        if child.is_dir() and child.name.startswith("gen-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a power cut cannot undo it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def discard_unpublished(index_dir: Path) -> int:
    """Remove the generations an interrupted run built but never published (only under
    the writer lock: a running rebuild's generation looks the same); how many."""
    live = current_generation(index_dir)
    if live is not None:
        # Made live by a run stopped before it could say so: published all the same.
        (live / UNPUBLISHED).unlink(missing_ok=True)
    removed = 0
    for child in sorted(index_dir.glob("gen-*")):
        if child != live and (child / UNPUBLISHED).exists():
            discard(child)
            removed += 1
    return removed
