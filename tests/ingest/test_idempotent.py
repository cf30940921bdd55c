"""Re-running an ingest: unchanged files are skipped, edits update, twins are duplicates,
pruning removes what is gone, JSON Lines report per line, one writer at a time, and an
index left behind by a crash is repaired by the next run."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.ingest import IngestLocked, IngestReport, pipeline
from app.ingest.lock import writer_lock
from app.models import Commentary, IngestRun
from app.search import open_backend
from app.search.whoosh import reader as reader_module
from app.search.whoosh import store
from tests.conftest import (
    SEED_000,
    SEED_001,
    SEED_002,
    SEED_003,
    SEED_004,
    SEEDS,
    IngestFn,
    new_index,
    search_ids,
)

Matched = Callable[[str], set[int]]
Loaded = Callable[[], dict[str, Commentary]]
SEED_NAMES = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004]
NO_CHANGES = {"added": 0, "updated": 0, "unchanged": 0, "duplicate": 0, "failed": 0, "pruned": 0}


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def _outcomes(report: IngestReport) -> list[tuple[str, str, str | None, int | None]]:
    return [(Path(r.path).name, str(r.outcome), r.reason, r.id) for r in report.files]


def _by_origin(settings: Settings) -> dict[str, Commentary]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            return {c.origin_key: c for c in session.exec(select(Commentary)).all()}
    finally:
        engine.dispose()


def _search(settings: Settings, query: str) -> set[int]:
    """Ids matching ``query`` in a freshly opened index (state before a change; the
    ``matched_ids`` fixture is used once the change is made)."""
    index = open_backend(settings)
    try:
        return set(search_ids(index, query))
    finally:
        index.close()


def _doc_count(settings: Settings) -> int:
    index = open_backend(settings)
    try:
        status = index.status()
        assert status.problem is None
        return status.documents
    finally:
        index.close()


def test_second_run_over_seeds_is_unchanged(
    run_ingest: IngestFn, commentaries: Loaded, settings: Settings
) -> None:
    first = run_ingest(SEEDS)
    ids = {name: c.id for name, c in commentaries().items()}
    assert set(ids) == set(SEED_NAMES)
    assert _outcomes(first) == [(name, "added", None, ids[name]) for name in SEED_NAMES]
    assert (first.indexed, first.index_rebuilt, first.index_note) == (5, *new_index(settings))

    second = run_ingest(SEEDS)
    assert _outcomes(second) == [(name, "unchanged", None, ids[name]) for name in SEED_NAMES]
    assert second.counts == {**NO_CHANGES, "unchanged": 5}
    assert (second.indexed, second.index_rebuilt, second.index_note) == (0, False, None)
    assert second.exit_code == 0
    assert {name: c.revision for name, c in commentaries().items()} == dict.fromkeys(SEED_NAMES, 1)


def test_edited_file_is_updated_and_searchable(
    seeds_copy: Path,
    run_ingest: IngestFn,
    settings: Settings,
    commentaries: Loaded,
    matched_ids: Matched,
) -> None:
    run_ingest(seeds_copy)
    ids = {name: c.id for name, c in commentaries().items()}
    assert _search(settings, "三角钢琴") == {ids[SEED_002]}
    assert _search(settings, "管风琴") == set()

    edited = seeds_copy / SEED_002
    text = edited.read_text("utf-8")
    assert text.count("三角钢琴") == 1
    edited.write_text(text.replace("三角钢琴", "管风琴"), "utf-8")

    report = run_ingest(seeds_copy)
    assert _outcomes(report) == [
        (name, "updated" if name == SEED_002 else "unchanged", None, ids[name])
        for name in SEED_NAMES
    ]
    assert report.counts == {**NO_CHANGES, "updated": 1, "unchanged": 4}
    assert report.indexed == 1
    stored = commentaries()
    assert stored[SEED_002].revision == 2
    assert "管风琴" in stored[SEED_002].body
    assert "三角钢琴" not in stored[SEED_002].body
    assert stored[SEED_002].raw_text == text.replace("三角钢琴", "管风琴")
    assert matched_ids("管风琴") == {ids[SEED_002]}
    assert matched_ids("三角钢琴") == set()


def test_same_text_under_another_name_is_a_duplicate(
    seeds_copy: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    shutil.copyfile(seeds_copy / SEED_001, seeds_copy / "copy_of_001.txt")
    report = run_ingest(seeds_copy)
    stored = commentaries()
    assert set(stored) == set(SEED_NAMES)
    twin = stored[SEED_001]
    expected_reason = f"same text as commentary {twin.id} ({(seeds_copy / SEED_001).resolve()})"
    assert _outcomes(report) == [
        *[(name, "added", None, stored[name].id) for name in SEED_NAMES],
        ("copy_of_001.txt", "duplicate", expected_reason, twin.id),
    ]
    assert report.counts == {**NO_CHANGES, "added": 5, "duplicate": 1}
    assert report.exit_code == 0

    again = run_ingest(seeds_copy)
    assert _outcomes(again)[-1] == ("copy_of_001.txt", "duplicate", expected_reason, twin.id)
    assert again.counts == {**NO_CHANGES, "unchanged": 5, "duplicate": 1}


def test_prune_removes_commentaries_whose_file_is_gone(
    seeds_copy: Path,
    run_ingest: IngestFn,
    commentaries: Loaded,
    matched_ids: Matched,
    settings: Settings,
) -> None:
    run_ingest(seeds_copy)
    ids = {name: c.id for name, c in commentaries().items()}
    assert _search(settings, "节前交易") == {ids[SEED_003]}
    gone = seeds_copy / SEED_003
    origin = str(gone.resolve())
    gone.unlink()

    kept = run_ingest(seeds_copy)
    assert kept.counts == {**NO_CHANGES, "unchanged": 4}
    assert set(commentaries()) == set(SEED_NAMES)

    pruned = run_ingest(seeds_copy, prune=True)
    assert [(r.path, str(r.outcome), r.reason, r.id) for r in pruned.files] == [
        *[
            (str(seeds_copy / name), "unchanged", None, ids[name])
            for name in SEED_NAMES
            if name != SEED_003
        ],
        (origin, "pruned", "origin file is gone", ids[SEED_003]),
    ]
    assert pruned.counts == {**NO_CHANGES, "unchanged": 4, "pruned": 1}
    assert pruned.exit_code == 0
    assert set(commentaries()) == set(SEED_NAMES) - {SEED_003}
    assert matched_ids("节前交易") == set()
    assert _doc_count(settings) == 4


def _jsonl(lines: list[Any]) -> str:
    return "".join(
        (item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n"
        for item in lines
    )


FEED = [
    {
        "title": "美股收盘点评",
        "date": "2025-03-14",
        "source": "某券商研究所",
        "author": "张三",
        "body": "纳指收涨百分之二，芯片股领涨。\r\n交易员关注下周议息会议。",
        "url": "https://example.com/a",
    },
    "{bad json",
    {"title": "只有标题", "date": "2025-03-15"},
    "",
    {"title": "港股早报", "date": "2025-03", "source": "", "body": "恒生指数高开，腾讯控股走强。"},
    [1, 2],
    {"title": "坏日期", "date": "2025-13-40", "body": "这一行的日期不合法。"},
    {"title": "空正文", "body": "   "},
]


def test_jsonl_reports_every_line(
    docs_dir: Path, run_ingest: IngestFn, settings: Settings, matched_ids: Matched
) -> None:
    feed = docs_dir / "feed.jsonl"
    feed.write_text(_jsonl(FEED), "utf-8")
    report = run_ingest(feed)
    stored = _by_origin(settings)
    base = str(feed.resolve())
    assert set(stored) == {f"{base}#https://example.com/a", f"{base}#L5", f"{base}#L7"}
    first, fifth = stored[f"{base}#https://example.com/a"], stored[f"{base}#L5"]
    seventh = stored[f"{base}#L7"]

    results = [(r.path, str(r.outcome), r.reason, r.id) for r in report.files]
    assert results[0] == (f"{feed}#L1", "added", None, first.id)
    assert results[1] == (
        f"{feed}#L2",
        "failed",
        "not valid JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        None,
    )
    assert results[2] == (f"{feed}#L3", "failed", 'missing "body" text', None)
    assert results[3] == (f"{feed}#L5", "added", None, fifth.id)
    assert results[4] == (f"{feed}#L6", "failed", "a line must be a JSON object", None)
    # A date that cannot be used costs the date, not the commentary.
    assert results[5] == (
        f"{feed}#L7",
        "added",
        "date '2025-13-40' is not a valid date (expected YYYY-MM-DD or YYYY-MM); ignored",
        seventh.id,
    )
    assert results[6] == (f"{feed}#L8", "failed", 'missing "body" text', None)
    assert len(results) == 7
    assert report.counts == {**NO_CHANGES, "added": 3, "failed": 4}
    assert report.exit_code == 1

    assert (
        first.title,
        str(first.published),
        first.date_precision,
        first.source,
        first.author,
        first.url,
        first.encoding,
        first.origin_path,
    ) == (
        "美股收盘点评",
        "2025-03-14",
        "day",
        "某券商研究所",
        "张三",
        "https://example.com/a",
        "utf-8",
        base,
    )
    assert first.body == "纳指收涨百分之二，芯片股领涨。\n交易员关注下周议息会议。"
    assert (fifth.title, str(fifth.published), fifth.date_precision, fifth.source, fifth.url) == (
        "港股早报",
        "2025-03-01",
        "month",
        None,
        None,
    )
    assert matched_ids("芯片") == {first.id}
    assert matched_ids("恒生指数") == {fifth.id}
    assert (seventh.title, seventh.published, seventh.date_precision) == ("坏日期", None, "none")
    assert matched_ids("日期不合法") == {seventh.id}

    again = run_ingest(feed)
    assert [(r.path, str(r.outcome)) for r in again.files] == [
        (f"{feed}#L1", "unchanged"),
        (f"{feed}#L2", "failed"),
        (f"{feed}#L3", "failed"),
        (f"{feed}#L5", "unchanged"),
        (f"{feed}#L6", "failed"),
        (f"{feed}#L7", "unchanged"),
        (f"{feed}#L8", "failed"),
    ]
    assert again.indexed == 0


def test_jsonl_line_keyed_by_url_survives_moving_and_is_pruned_when_removed(
    docs_dir: Path, run_ingest: IngestFn, settings: Settings, matched_ids: Matched
) -> None:
    feed = docs_dir / "feed.jsonl"
    a = {"title": "甲", "body": "第一条讲的是铝价走势。", "url": "https://example.com/al"}
    b = {"title": "乙", "body": "第二条讲的是锌价走势。", "url": "https://example.com/zn"}
    feed.write_text(_jsonl([a, b]), "utf-8")
    run_ingest(feed)
    base = str(feed.resolve())
    ids = {key: c.id for key, c in _by_origin(settings).items()}
    a_key, b_key = f"{base}#https://example.com/al", f"{base}#https://example.com/zn"
    assert set(ids) == {a_key, b_key}

    feed.write_text(_jsonl([b]), "utf-8")
    report = run_ingest(feed, prune=True)
    assert [(r.path, str(r.outcome), r.reason, r.id) for r in report.files] == [
        (f"{feed}#L1", "unchanged", None, ids[b_key]),
        (a_key, "pruned", "line removed", ids[a_key]),
    ]
    assert set(_by_origin(settings)) == {b_key}
    assert matched_ids("锌价") == {ids[b_key]}
    assert matched_ids("铝价") == set()


def test_jsonl_removed_line_without_url_is_pruned_and_the_rest_kept(
    docs_dir: Path, run_ingest: IngestFn, settings: Settings, matched_ids: Matched
) -> None:
    feed = docs_dir / "feed.jsonl"
    a = {"title": "甲", "body": "第一条讲的是铝价走势。"}
    b = {"title": "乙", "body": "第二条讲的是锌价走势。"}
    feed.write_text(_jsonl([a, b]), "utf-8")
    run_ingest(feed)
    feed.write_text(_jsonl([b]), "utf-8")
    run_ingest(feed, prune=True)
    # The file now holds only the zinc line: the archive must hold exactly that text.
    rows = list(_by_origin(settings).values())
    assert [c.body for c in rows] == ["第二条讲的是锌价走势。"]
    assert matched_ids("锌价") == {rows[0].id}
    assert matched_ids("铝价") == set()


def test_second_ingest_while_one_runs_is_refused(
    seeds_copy: Path, run_ingest: IngestFn, settings: Settings, commentaries: Loaded
) -> None:
    settings.ensure_dirs()
    with writer_lock(settings.lock_file, 5), pytest.raises(IngestLocked) as info:
        run_ingest(seeds_copy)
    assert str(info.value) == f"another ingest is running (pid {os.getpid()})"
    assert not settings.lock_file.with_suffix(".pid").exists()
    # Once the first writer is done, the next ingest goes ahead.
    report = run_ingest(seeds_copy)
    assert report.counts == {**NO_CHANGES, "added": 5}
    assert set(commentaries()) == set(SEED_NAMES)


def test_lock_holder_without_pid_file_is_unknown(
    seeds_copy: Path, run_ingest: IngestFn, settings: Settings
) -> None:
    with writer_lock(settings.lock_file, 5):
        settings.lock_file.with_suffix(".pid").unlink()
        with pytest.raises(IngestLocked) as info:
            run_ingest(seeds_copy)
    assert str(info.value) == "another ingest is running (pid unknown)"


@pytest.mark.whoosh
def test_index_lagging_the_database_is_repaired(
    seeds_copy: Path,
    run_ingest: IngestFn,
    settings: Settings,
    commentaries: Loaded,
    matched_ids: Matched,
) -> None:
    run_ingest(seeds_copy)
    ids = {name: c.id for name, c in commentaries().items()}
    # As if a run committed the database and died before the index commit.
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            row = session.get(Commentary, ids[SEED_001])
            assert row is not None
            row.body = "铂金价格本周大涨，工业需求回暖。"
            row.revision += 1
            session.add(row)
            session.commit()
    finally:
        engine.dispose()
    assert _search(settings, "铂金") == set()
    assert _search(settings, "油轮") == {ids[SEED_001]}

    report = run_ingest(seeds_copy)
    assert report.counts == {**NO_CHANGES, "unchanged": 5}
    assert (report.indexed, report.index_rebuilt) == (1, False)
    assert matched_ids("铂金") == {ids[SEED_001]}
    assert matched_ids("油轮") == set()


@pytest.mark.whoosh
def test_document_missing_from_the_index_is_restored(
    seeds_copy: Path,
    run_ingest: IngestFn,
    settings: Settings,
    commentaries: Loaded,
    matched_ids: Matched,
) -> None:
    run_ingest(seeds_copy)
    ids = {name: c.id for name, c in commentaries().items()}
    index = store.open_current(settings.resolved_index_dir)
    writer = index.writer()
    writer.delete_by_term("id", str(ids[SEED_004]))
    writer.delete_by_term("id", str(ids[SEED_000]))
    writer.commit()
    index.close()
    assert _search(settings, "收场") == set()
    assert _doc_count(settings) == 3

    report = run_ingest(seeds_copy)
    assert report.counts == {**NO_CHANGES, "unchanged": 5}
    assert report.indexed == 2
    assert matched_ids("收场") == {ids[SEED_004]}
    assert matched_ids("三重顶") == {ids[SEED_000]}
    assert _doc_count(settings) == 5


@pytest.mark.whoosh
def test_crash_between_database_and_index_commit_is_recovered(
    seeds_copy: Path,
    run_ingest: IngestFn,
    settings: Settings,
    commentaries: Loaded,
    matched_ids: Matched,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_ingest(seeds_copy)
    ids = {name: c.id for name, c in commentaries().items()}
    edited = seeds_copy / SEED_002
    edited.write_text(edited.read_text("utf-8").replace("三角钢琴", "管风琴"), "utf-8")

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("killed while indexing")

    # The edit is committed to the database; the index writer dies before its commit.
    monkeypatch.setattr(pipeline, "sync_index", crash)
    with pytest.raises(RuntimeError, match="killed while indexing"):
        run_ingest(seeds_copy)
    monkeypatch.undo()
    assert commentaries()[SEED_002].revision == 2
    assert _search(settings, "管风琴") == set()

    report = run_ingest(seeds_copy)
    # The database already holds the edit; only the index had to catch up.
    assert _outcomes(report) == [(name, "unchanged", None, ids[name]) for name in SEED_NAMES]
    assert report.indexed == 1
    assert matched_ids("管风琴") == {ids[SEED_002]}
    assert matched_ids("三角钢琴") == set()

    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            runs = session.exec(select(IngestRun).order_by("id")).all()
            assert [r.status for r in runs] == ["completed", "interrupted", "completed"]
    finally:
        engine.dispose()


@pytest.mark.whoosh
def test_open_searcher_sees_a_later_ingest(
    docs_dir: Path,
    run_ingest: IngestFn,
    settings: Settings,
    matched_ids: Matched,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The web process keeps one searcher open across ingests; once it looks again
    # (after CHECK_INTERVAL, zero here) it must see the new commit and keep working.
    monkeypatch.setattr(reader_module, "CHECK_INTERVAL", 0.0)
    (docs_dir / "a.txt").write_text("第一篇讲黄金。\n", "utf-8")
    first = run_ingest(docs_dir / "a.txt")
    assert matched_ids("黄金") == {first.files[0].id}
    (docs_dir / "b.txt").write_text("第二篇讲白银。\n", "utf-8")
    second = run_ingest(docs_dir / "b.txt")
    assert (second.indexed, second.index_rebuilt) == (1, False)
    assert matched_ids("白银") == {second.files[0].id}
    assert matched_ids("黄金") == {first.files[0].id}


def test_renamed_file_with_prune_keeps_its_text(
    seeds_copy: Path,
    run_ingest: IngestFn,
    settings: Settings,
    commentaries: Loaded,
    matched_ids: Matched,
) -> None:
    run_ingest(seeds_copy)
    (seeds_copy / SEED_003).rename(seeds_copy / "renamed_003.txt")
    run_ingest(seeds_copy, prune=True)
    # The text still lives in the folder, under its new name: it must stay archived once.
    stored = commentaries()
    assert set(stored) == (set(SEED_NAMES) - {SEED_003}) | {"renamed_003.txt"}
    assert matched_ids("节前交易") == {stored["renamed_003.txt"].id}
    assert _doc_count(settings) == 5
