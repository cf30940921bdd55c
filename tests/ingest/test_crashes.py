"""An ingest or reindex killed (SIGKILL) at a bad moment loses nothing: the next run
reports the interruption and repairs, and afterwards the database and the index agree
exactly and hold what an uninterrupted run stores."""

from __future__ import annotations

import gc
import json
import shutil
import signal
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.ingest import reindex
from app.models import IngestRun
from app.search.whoosh import store
from bench import corpus
from tests.conftest import SEEDS, IngestFn
from tests.databases import archive_settings
from tests.ingest.archive_state import (
    Snapshot,
    archive,
    assert_agreement,
    db_ids,
    index_documents,
    snapshot,
)

# The repair of a Whoosh index after a crash (the postgres engine has none to repair:
# tests/postgres/test_killed_ingest.py).
pytestmark = pytest.mark.whoosh

CORPUS = 150
BODY_CHARS = 600  # enough for several mentions each; short, to keep the runs quick
TOTAL = CORPUS + 5  # the generated commentaries and the seeds
KILLED = -signal.SIGKILL
INTERRUPTED = (
    "run 2 was interrupted: what it committed is kept, and the index is brought level "
    "with the database below"
)
UNFINISHED = "removed an unfinished index left by an interrupted run"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash-inputs")
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for number in range(CORPUS):
            record = corpus.commentary(number)
            record["body"] = str(record["body"])[:BODY_CHARS]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """What one uninterrupted run stores."""
    settings = archive_settings(tmp_path_factory.mktemp("reference") / "data")
    done = archive(settings, "ingest", inputs)
    assert done.returncode == 0, done.stderr
    assert_agreement(settings)
    return snapshot(settings)


def _runs(settings: Settings) -> list[tuple[int, str]]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            return list(session.exec(select(IngestRun.id, IngestRun.status).order_by("id")))  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _generations(settings: Settings) -> set[str]:
    return {p.name for p in settings.resolved_index_dir.glob("gen-*")}


def _live(settings: Settings) -> str:
    live = store.current_generation(settings.resolved_index_dir)
    assert live is not None
    return live.name


def _ingested(settings: Settings, *paths: Path) -> None:
    done = archive(settings, "ingest", *paths)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("point", "in_db", "in_index"),
    [
        # Killed in the pool: some batches are stored, the rest are rolled back.
        ("tokenising", None, None),
        # Every record is stored; three segments of 40 are in the index, 30 are not.
        ("database-committed", TOTAL, 5 + 120),
        # Four batches of 25 are stored; one segment is in the index and the second's
        # files are on disk without the table of contents that would name them.
        ("index-segment-written", 5 + 100, 5 + 40),
    ],
)
def test_a_killed_ingest_is_reported_and_repaired_by_the_next(
    point: str,
    in_db: int | None,
    in_index: int | None,
    inputs: Path,
    reference: Snapshot,
    settings: Settings,
    tmp_path: Path,
) -> None:
    _ingested(settings, inputs / "seeds")
    killed = archive(settings, "ingest", inputs, fault=point)
    assert killed.returncode == KILLED, killed.stderr
    assert _runs(settings) == [(1, "completed"), (2, "running")]
    if in_db is not None:
        assert len(db_ids(settings)) == in_db
        assert len(index_documents(settings)) == in_index

    out = tmp_path / "report.json"
    rerun = archive(settings, "ingest", inputs, "--report-json", out)
    assert rerun.returncode == 0, rerun.stderr
    assert INTERRUPTED in rerun.stdout.splitlines()
    report = json.loads(out.read_text("utf-8"))
    assert report["interrupted_runs"] == [2]
    counts = report["counts"]
    assert (counts["added"] + counts["unchanged"], counts["failed"]) == (TOTAL, 0)
    assert report["index"]["rebuilt"] is False
    assert _runs(settings) == [(1, "completed"), (2, "interrupted"), (3, "completed")]

    assert_agreement(settings)
    assert snapshot(settings) == reference


def test_an_ingest_killed_before_its_first_index_is_published(
    inputs: Path, reference: Snapshot, settings: Settings, tmp_path: Path
) -> None:
    killed = archive(settings, "ingest", inputs, fault="database-committed")
    assert killed.returncode == KILLED, killed.stderr
    (unfinished,) = _generations(settings)
    assert store.current_generation(settings.resolved_index_dir) is None

    out = tmp_path / "report.json"
    rerun = archive(settings, "ingest", inputs, "--report-json", out)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(out.read_text("utf-8"))
    assert report["interrupted_runs"] == [1]
    assert report["index"] == {
        "written": TOTAL,
        "rebuilt": True,
        "note": f"new index created; {UNFINISHED}",
    }
    assert _generations(settings) == {_live(settings)} != {unfinished}
    assert_agreement(settings)
    assert snapshot(settings) == reference


def test_a_reindex_killed_before_the_swap_leaves_the_live_index_serving(
    inputs: Path, reference: Snapshot, settings: Settings
) -> None:
    _ingested(settings, inputs)
    live = _live(settings)
    killed = archive(settings, "reindex", fault="rebuild-swapping")
    assert killed.returncode == KILLED, killed.stderr
    assert _live(settings) == live
    (unfinished,) = _generations(settings) - {live}
    assert_agreement(settings)

    rerun = archive(settings, "reindex")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout == f"index rebuilt: {TOTAL} documents; {UNFINISHED}\n"
    assert _generations(settings) == {live, _live(settings)}
    assert unfinished not in _generations(settings)
    assert_agreement(settings)
    assert snapshot(settings) == reference


def test_a_reindex_killed_after_the_swap_serves_the_new_index(
    inputs: Path, reference: Snapshot, settings: Settings
) -> None:
    _ingested(settings, inputs)
    first = _live(settings)
    assert archive(settings, "reindex").returncode == 0
    second = _live(settings)
    killed = archive(settings, "reindex", fault="rebuild-swapped")
    assert killed.returncode == KILLED, killed.stderr
    third = _live(settings)
    # Live, though the generations before the one it replaced were not yet removed.
    assert _generations(settings) == {first, second, third}
    assert_agreement(settings)

    rerun = archive(settings, "reindex")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout == f"index rebuilt: {TOTAL} documents\n"
    assert _generations(settings) == {third, _live(settings)}
    assert_agreement(settings)
    assert snapshot(settings) == reference


@pytest.mark.parametrize(
    "damage",
    [
        "segment missing",
        # Whoosh leaves the table of contents open when it cannot unpickle it.
        pytest.param(
            "table of contents cut short",
            marks=pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
        ),
    ],
)
def test_a_damaged_index_is_rebuilt_by_the_next_ingest(
    damage: str, settings: Settings, run_ingest: IngestFn
) -> None:
    # What a power cut can leave when the files of a generation never reached the disk.
    assert run_ingest(SEEDS).counts["added"] == 5
    live = settings.resolved_index_dir / _live(settings)
    if damage == "segment missing":
        (segment,) = live.glob("*.seg")
        segment.unlink()
        why = f"FileNotFoundError: [Errno 2] No such file or directory: '{segment}'"
    else:
        (toc,) = live.glob("_MAIN_*.toc")
        toc.write_bytes(toc.read_bytes()[:20])
        why = "UnpicklingError: pickle data was truncated"
    with pytest.raises(store.StaleIndex) as refused:
        store.open_current(settings.resolved_index_dir)
    message = str(refused.value)
    del refused  # its traceback holds the file Whoosh left open
    assert message == f"the search index cannot be opened ({why}): run `archive reindex`"

    again = run_ingest(SEEDS)
    assert again.counts["unchanged"] == 5
    assert (again.indexed, again.index_rebuilt, again.index_note) == (
        5,
        True,
        f"rebuilt: the old index cannot be opened ({why})",
    )
    assert_agreement(settings)
    gc.collect()  # Whoosh's unclosed file goes now, under this test's warning filter


def test_a_live_index_still_marked_unpublished_is_kept_for_its_readers(
    settings: Settings, run_ingest: IngestFn
) -> None:
    assert run_ingest(SEEDS).counts["added"] == 5
    first = settings.resolved_index_dir / _live(settings)
    # A run killed after swapping it in, before taking the mark away.
    (first / store.UNPUBLISHED).touch()
    assert reindex(settings).indexed == 5
    assert run_ingest(SEEDS).counts["unchanged"] == 5
    # The previous generation stays until the next swap, for readers still on it.
    assert _generations(settings) == {first.name, _live(settings)}
    assert not (first / store.UNPUBLISHED).exists()
