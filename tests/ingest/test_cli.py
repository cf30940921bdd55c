"""The ``archive`` command: ingest with a JSON report, exit codes, and reindex."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from app.config import Settings, get_settings
from app.ingest.lock import writer_lock
from app.models import Commentary
from app.search.whoosh import store
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, SEEDS, new_index
from tests.databases import database_touched

Loaded = Callable[[], dict[str, Commentary]]
Matched = Callable[[str], set[int]]
SEED_NAMES = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004]


def _errors(result: Result) -> list[str]:
    """The lines of a usage error, without their "Error: " label."""
    return [line.removeprefix("Error: ") for line in result.stderr.splitlines()]


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def test_ingest_writes_the_report_json(
    archive_cli: Callable[..., Result],
    seeds_copy: Path,
    tmp_path: Path,
    commentaries: Loaded,
    settings: Settings,
) -> None:
    rebuilt, note = new_index(settings)
    out = tmp_path / "out.json"
    result = archive_cli("ingest", seeds_copy, "--report-json", out)
    assert result.exit_code == 0, result.output
    ids = {name: c.id for name, c in commentaries().items()}
    assert set(ids) == set(SEED_NAMES)
    assert json.loads(out.read_text("utf-8")) == {
        "counts": {
            "added": 5,
            "updated": 0,
            "unchanged": 0,
            "duplicate": 0,
            "failed": 0,
            "pruned": 0,
        },
        "index": {"written": 5, "rebuilt": rebuilt, "note": note},
        "interrupted_runs": [],
        "reanalysis": None,
        "files": [
            {"path": str(seeds_copy / name), "outcome": "added", "reason": None, "id": ids[name]}
            for name in SEED_NAMES
        ],
    }
    summary = f"index {'rebuilt' if rebuilt else 'updated'}: 5 documents written"
    assert summary + (f"; {note}" if note else "") in result.stdout.splitlines()

    again = archive_cli("ingest", seeds_copy, "--report-json", out)
    assert again.exit_code == 0, again.output
    report = json.loads(out.read_text("utf-8"))
    assert report["counts"] == {
        "added": 0,
        "updated": 0,
        "unchanged": 5,
        "duplicate": 0,
        "failed": 0,
        "pruned": 0,
    }
    assert [f["outcome"] for f in report["files"]] == ["unchanged"] * 5
    assert report["index"] == {"written": 0, "rebuilt": False, "note": None}
    assert "index updated: 0 documents written" in again.stdout.splitlines()


def test_the_summary_says_why_files_failed_and_what_was_repaired(
    archive_cli: Callable[..., Result], tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    body = "本周伦敦铜价上涨，库存回落，下游补库意愿增强。" * 4
    (folder / "a.txt").write_bytes(f"铜价周评\n{body}\x00\n".encode())
    (folder / "b.txt").write_bytes(b"")
    result = archive_cli("ingest", folder)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert f"    added  {folder / 'a.txt'}: 1 NUL byte removed" in lines
    assert f"   failed  {folder / 'b.txt'}: empty file" in lines


def test_ingest_exits_1_when_a_file_failed(
    archive_cli: Callable[..., Result], tmp_path: Path, commentaries: Loaded, settings: Settings
) -> None:
    rebuilt, note = new_index(settings)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text("铜价周评\n本周伦敦铜价上涨。\n", "utf-8")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_text("铜价周评\n本周伦敦铜价上涨。\n", "utf-8")
    out = tmp_path / "out.json"
    result = archive_cli("ingest", folder, "--report-json", out)
    assert result.exit_code == 1, result.output
    good = commentaries()["a.txt"]
    twin_reason = f"same text as commentary {good.id} ({(folder / 'a.txt').resolve()})"
    assert json.loads(out.read_text("utf-8")) == {
        "counts": {
            "added": 1,
            "updated": 0,
            "unchanged": 0,
            "duplicate": 1,
            "failed": 1,
            "pruned": 0,
        },
        "index": {"written": 1, "rebuilt": rebuilt, "note": note},
        "interrupted_runs": [],
        "reanalysis": None,
        "files": [
            {"path": str(folder / "a.txt"), "outcome": "added", "reason": None, "id": good.id},
            {
                "path": str(folder / "b.txt"),
                "outcome": "failed",
                "reason": "empty file",
                "id": None,
            },
            {
                "path": str(folder / "c.txt"),
                "outcome": "duplicate",
                "reason": twin_reason,
                "id": good.id,
            },
        ],
    }
    lines = result.stdout.splitlines()
    assert f"   failed  {folder / 'b.txt'}: empty file" in lines
    assert f"duplicate  {folder / 'c.txt'}: {twin_reason}" in lines


def test_ingest_prune_reports_the_removed_file(
    archive_cli: Callable[..., Result], seeds_copy: Path, tmp_path: Path, commentaries: Loaded
) -> None:
    assert archive_cli("ingest", seeds_copy).exit_code == 0
    gone_id = commentaries()[SEED_004].id
    (seeds_copy / SEED_004).unlink()
    out = tmp_path / "out.json"
    result = archive_cli("ingest", seeds_copy, "--prune", "--report-json", out)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text("utf-8"))
    assert report["counts"] == {
        "added": 0,
        "updated": 0,
        "unchanged": 4,
        "duplicate": 0,
        "failed": 0,
        "pruned": 1,
    }
    assert report["files"][-1] == {
        "path": str((seeds_copy / SEED_004).resolve()),
        "outcome": "pruned",
        "reason": "origin file is gone",
        "id": gone_id,
    }
    assert set(commentaries()) == set(SEED_NAMES) - {SEED_004}


def test_missing_path_is_a_usage_error(
    archive_cli: Callable[..., Result], tmp_path: Path, settings: Settings
) -> None:
    missing = tmp_path / "nowhere"
    result = archive_cli("ingest", missing)
    assert result.exit_code == 2
    assert f"Invalid value for 'paths': path '{missing}' does not exist." in _errors(result)
    assert not database_touched(settings)


def test_unknown_option_is_a_usage_error(
    archive_cli: Callable[..., Result], seeds_copy: Path, settings: Settings
) -> None:
    result = archive_cli("ingest", seeds_copy, "--frobnicate")
    assert result.exit_code == 2
    assert "No such option: --frobnicate" in _errors(result)
    assert not database_touched(settings)


def test_missing_argument_is_a_usage_error(archive_cli: Callable[..., Result]) -> None:
    result = archive_cli("ingest")
    assert result.exit_code == 2
    assert "Missing argument 'paths'." in _errors(result)
    assert result.stdout == ""


def test_ingest_while_locked_exits_1_with_the_holder(
    archive_cli: Callable[..., Result],
    seeds_copy: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The CLI reads the lock timeout from the environment; do not wait the default 10 s.
    monkeypatch.setenv("ARCHIVE_LOCK_TIMEOUT", "0.2")
    get_settings.cache_clear()
    settings.ensure_dirs()
    with writer_lock(settings.lock_file, 5):
        result = archive_cli("ingest", seeds_copy)
    assert result.exit_code == 1
    assert result.stderr == (
        f"waiting for another ingest (pid {os.getpid()}) to release {settings.lock_file}; "
        "giving up after 0.2 s (ARCHIVE_LOCK_TIMEOUT)\n"
        f"error: another ingest is running (pid {os.getpid()})\n"
    )
    assert result.stdout == ""
    assert not database_touched(settings)


def test_a_broken_alias_file_is_an_error_that_names_its_line(
    archive_cli: Callable[..., Result], seeds_copy: Path, settings: Settings
) -> None:
    settings.ensure_dirs()
    aliases = settings.data_dir / "aliases.csv"
    aliases.write_text("symbol,aliases\nNVDA,绿厂\nZZZZ,某某\n", "utf-8")
    result = archive_cli("ingest", seeds_copy)
    assert result.exit_code == 1
    assert result.stderr == f"error: {aliases}: line 3 names an unknown symbol 'ZZZZ'\n"
    assert result.stdout == ""


@pytest.mark.whoosh
def test_reindex_publishes_a_new_generation(
    archive_cli: Callable[..., Result],
    seeds_copy: Path,
    settings: Settings,
    commentaries: Loaded,
    matched_ids: Matched,
) -> None:
    assert archive_cli("ingest", seeds_copy).exit_code == 0
    index_dir = settings.resolved_index_dir
    before = store.current_generation(index_dir)
    assert before is not None

    result = archive_cli("reindex")
    assert result.exit_code == 0, result.output
    assert result.stdout == "index rebuilt: 5 documents\n"
    after = store.current_generation(index_dir)
    assert after is not None
    assert after != before
    assert after.parent == index_dir
    assert after.name.startswith("gen-")
    assert (index_dir / store.POINTER).read_text("utf-8") == f"{after.name}\n"
    # The previous generation stays for readers that still have it open.
    assert {p.name for p in index_dir.iterdir() if p.is_dir()} == {before.name, after.name}
    assert store.staleness(after) is None
    ids = {name: c.id for name, c in commentaries().items()}
    assert matched_ids("三角钢琴") == {ids[SEED_002]}
    assert matched_ids("节前交易") == {ids[SEED_003]}


@pytest.mark.whoosh
def test_reindex_twice_drops_the_oldest_generation(
    archive_cli: Callable[..., Result], seeds_copy: Path, settings: Settings
) -> None:
    assert archive_cli("ingest", seeds_copy).exit_code == 0
    index_dir = settings.resolved_index_dir
    first = store.current_generation(index_dir)
    assert archive_cli("reindex").exit_code == 0
    second = store.current_generation(index_dir)
    assert archive_cli("reindex").exit_code == 0
    third = store.current_generation(index_dir)
    assert first is not None and second is not None and third is not None
    assert len({first, second, third}) == 3
    assert {p.name for p in index_dir.iterdir() if p.is_dir()} == {second.name, third.name}


def test_reindex_of_an_empty_archive(archive_cli: Callable[..., Result]) -> None:
    result = archive_cli("reindex")
    assert result.exit_code == 0, result.output
    assert result.stdout == "index rebuilt: 0 documents\n"
