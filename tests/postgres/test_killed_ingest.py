"""An ingest killed (SIGKILL) in the middle of its run on the postgres search engine
leaves search and the database in agreement, with nothing to repair: every commentary
the database holds is found by search at the revision it holds, and nothing else is.

Each commentary ends with a word naming its number and revision (``rev2x0042``): the
killed run edits half of an archive and adds to it, so a search for each word says which
text of each commentary search holds."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.instruments import prepare_analysis
from app.models import Commentary
from app.search import SearchRequest, open_backend, search
from bench import corpus
from tests.conftest import TODAY, UNBOUNDED
from tests.databases import archive_settings
from tests.ingest.archive_state import archive, assert_search_agrees, db_ids
from tests.ingest.faults import COMMIT_EVERY

pytestmark = pytest.mark.postgresql

FIRST = 60  # commentaries of the first, complete run
NEW = 40  # added by the killed run, which also edits every even-numbered one
BODY_CHARS = 500
KILLED = -signal.SIGKILL


def _marker(number: int, revision: int) -> str:
    return f"rev{revision}x{number:04d}"


def _write(path: Path, numbers: range, edited: bool) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for number in numbers:
            record = corpus.commentary(number)
            revision = 2 if edited and number < FIRST and number % 2 == 0 else 1
            record["body"] = f"{str(record['body'])[:BODY_CHARS]}\n{_marker(number, revision)}"
            record["url"] = f"https://commentary.example/{number}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _numbers(settings: Settings) -> dict[int, int]:
    """id -> the number of the corpus record it was stored from."""
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            rows = session.exec(select(Commentary.id, Commentary.origin_key)).all()
    finally:
        engine.dispose()
    return {i: int(key.rsplit("/", 1)[1]) for i, key in rows if i is not None}


def _found_by_word(settings: Settings) -> dict[int, set[tuple[int, int]]]:
    """id -> the (number, revision) of each word search finds it by."""
    found: dict[int, set[tuple[int, int]]] = {}
    names = prepare_analysis(None)
    index = open_backend(settings)
    try:
        for number in range(FIRST + NEW):
            for revision in (1, 2):
                request = SearchRequest(_marker(number, revision), per_page=100)
                page = search(index, request, names, budget=UNBOUNDED)
                assert (page.partial, page.total) == (False, len(page.hits))
                for hit in page.hits:
                    found.setdefault(hit.id, set()).add((number, revision))
    finally:
        index.close()
    return found


def _assert_search_holds_the_database(settings: Settings) -> dict[int, int]:
    """Search agrees with the database, and finds each commentary by the word of the
    revision the database holds, and by no other word; id -> revision."""
    assert_search_agrees(settings)
    held = db_ids(settings)
    numbers = _numbers(settings)
    assert _found_by_word(settings) == {i: {(numbers[i], rev)} for i, rev in held.items()}
    return held


@pytest.mark.parametrize(
    ("point", "stored"),
    [
        ("tokenising", None),  # in the pool of analysers: how far it got varies
        ("batch-committed", 2 * COMMIT_EVERY),  # right after a commit
        ("storing", 2 * COMMIT_EVERY),  # with a transaction open
    ],
)
def test_a_killed_ingest_leaves_search_and_database_agreeing(
    point: str, stored: int | None, tmp_path: Path
) -> None:
    settings = archive_settings(tmp_path / "data", search_backend="postgres")
    first = _write(tmp_path / "first.jsonl", range(FIRST), edited=False)
    report = ingest(settings, [first], today=TODAY)
    assert (report.counts["added"], report.counts["failed"]) == (FIRST, 0)
    # The same file, edited and grown: its lines are the same commentaries (by url).
    second = _write(first, range(FIRST + NEW), edited=True)

    killed = archive(settings, "ingest", second, fault=point)
    assert killed.returncode == KILLED, killed.stderr
    # No ingest or reindex between the kill and the checks.
    held = _assert_search_holds_the_database(settings)
    assert not settings.resolved_index_dir.exists()
    done = sum(revision == 2 for revision in held.values()) + len(held) - FIRST
    if stored is not None:
        # The edits come first in the input (even numbers below FIRST), then the new.
        assert done == stored, held

    rerun = archive(settings, "ingest", second)
    assert rerun.returncode == 0, rerun.stderr
    held = _assert_search_holds_the_database(settings)
    assert len(held) == FIRST + NEW
    assert sum(revision == 2 for revision in held.values()) == FIRST // 2
