"""Archives (database and index) kept between benchmark runs, one per corpus size.

Building the 100,000-commentary archive takes about half an hour, so ``make bench``
builds it once and reuses it while it is still what the code would build: the cache
entry is named by a digest of the corpus, the index's schema, analyzer and segmenter
(as ``app.search.whoosh.store.expected_meta`` reports them) and the database's Alembic head.
The entry keeps the ingest figures measured when it was built, so a run that reuses
it reports them as carried from that run, with that run's date.

A new migration alone does not rebuild an archive: an entry made under an earlier
Alembic revision (the same corpus and index) is upgraded in place with the migrations,
as a deployed archive is, and moved to the new key; its figures say so.

    BENCH_CACHE/<size>-<key>/archive/       ARCHIVE_DATA_DIR of the archive
    BENCH_CACHE/<size>-<key>/ingest.json    its ingest figures, and when they were taken
    BENCH_CACHE/<size>-<key>/fts5/          the FTS5 peer built from it (bench.fts5_peer)

    python -m bench.cache key        prints what the key is made of, as JSON
    python -m bench.cache upgrade    migrates the database ARCHIVE_* settings name
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
INGEST = "ingest.json"


def work() -> Path:
    """Corpora, caches and scratch files: ``BENCH_WORK``, else ``bench/work``."""
    configured = os.environ.get("BENCH_WORK", "").strip()
    return Path(configured).resolve() if configured else HERE / "work"


def root() -> Path:
    configured = os.environ.get("BENCH_CACHE", "").strip()
    return Path(configured).resolve() if configured else work() / "archives"


def _validity() -> dict[str, Any]:
    """What the code would build today: index meta and Alembic head (run in a child
    process, since the segmenter needs the instrument dictionary loaded)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.instruments import prepare_analysis
    from app.search.whoosh.store import expected_meta

    with tempfile.TemporaryDirectory() as scratch:
        prepare_analysis(Path(scratch))
        meta = expected_meta()
    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    return {**meta, "alembic_head": head}


def validity() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.cache", "key"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, Any] = json.loads(out)
    return found


def key(corpus: Path, valid: dict[str, Any]) -> str:
    parts = {"corpus": corpus.name, **valid}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]


def entry(size: int, corpus: Path, valid: dict[str, Any]) -> Path:
    """Where the archive of ``size`` commentaries built from ``corpus`` lives."""
    return root() / f"{size}-{key(corpus, valid)}"


def earlier_heads(head: str) -> list[str]:
    """The Alembic revisions before ``head``, newest first."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini")))
    return [r.revision for r in script.walk_revisions("base", head) if r.revision != head]


def upgrade(environ: dict[str, str]) -> float:
    """Run the migrations on the database ``environ`` names; the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.cache", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **environ},
        check=True,
    )
    return time.perf_counter() - started


def migrated(size: int, corpus: Path, valid: dict[str, Any]) -> Path | None:
    """The entry of ``size`` made under an earlier Alembic revision, upgraded and moved
    to the current key (its figures note the upgrade); None when there is none."""
    place = entry(size, corpus, valid)
    for head in earlier_heads(valid["alembic_head"]):
        older = entry(size, corpus, {**valid, "alembic_head": head})
        figures = load(older)
        if figures is None:
            continue
        seconds = upgrade({"ARCHIVE_DATA_DIR": str(archive(older))})
        shutil.rmtree(place, ignore_errors=True)
        older.rename(place)
        note = {"from": head, "to": valid["alembic_head"], "seconds": seconds, "on": _now()}
        store(place, {**figures, "upgraded": [*figures.get("upgraded", []), note]})
        return place
    return None


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def archive(place: Path) -> Path:
    return place / "archive"


def load(place: Path) -> dict[str, Any] | None:
    """The ingest figures of a complete cache entry, or None when it must be built."""
    try:
        data: dict[str, Any] = json.loads((place / INGEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data if (archive(place) / "archive.sqlite3").exists() else None


def store(place: Path, figures: dict[str, Any]) -> None:
    """Mark the entry complete: its ingest figures are written last."""
    partial = place / (INGEST + ".part")
    partial.write_text(json.dumps(figures, indent=1) + "\n")
    partial.rename(place / INGEST)


def drop_stale(size: int, keep: Path) -> None:
    """Remove the other entries of ``size``: they can never be valid again."""
    if not root().is_dir():
        return
    for other in root().glob(f"{size}-*"):
        if other != keep and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def building(place: Path) -> Iterator[None]:
    """Build ``place`` as the one builder: a run that finds another process building
    it (a ``bench.run prepare`` in the background, say) waits for that one instead of
    starting over in the same folder."""
    marker = place.parent / f"{place.name}.building"
    marker.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            pid = int(marker.read_text())
        except (FileNotFoundError, ValueError):
            break
        if pid == os.getpid() or not _alive(pid):
            break
        print(f"   waiting for process {pid}, which is building {place}", flush=True)
        time.sleep(30)
    marker.write_text(str(os.getpid()))
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def copy(source: Path, target: Path) -> None:
    """A private copy of an archive (to add to without touching the cached one)."""
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", "--reflink=auto", str(source), str(target)], check=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["key"]:
        print(json.dumps(_validity(), sort_keys=True))
    elif sys.argv[1:] == ["upgrade"]:
        from app.config import get_settings
        from app.db import upgrade as upgrade_schema

        upgrade_schema(get_settings())
