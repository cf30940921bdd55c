"""``archive stats``, the waiting ingest, progress totals and the help text."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import Result

from app.cli import cli
from app.config import Settings, get_settings
from app.ingest import IngestLocked, ingest, reindex
from app.ingest.lock import Waiting, writer_lock
from app.ingest.pipeline import Progress
from app.ingest.status import safe_url
from tests.conftest import SEEDS, TODAY, without_index
from tests.databases import ON_POSTGRESQL


def test_stats_of_the_seeds(archive_cli: Callable[..., Result], settings: Settings) -> None:
    assert archive_cli("ingest", SEEDS).exit_code == 0
    result = archive_cli("stats", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    run, index = data["last_run"], data["index"]
    assert data["data_dir"] == str(settings.data_dir.resolve())
    assert data["database_problem"] is None
    assert data["counts"] == {
        "commentaries": 5,
        "dated": 2,
        "undated": 3,
        "mentions": 194,
        "instruments_mentioned": 58,
        "sources": 0,
    }
    assert data["dates"] == {"first": "2024-09-14", "last": "2025-01-20"}
    in_files = settings.search_backend == "whoosh"  # the postgres engine's is in the database
    assert index["engine"] == settings.search_backend
    if in_files:
        assert index["directory"] == str(settings.resolved_index_dir)
        assert index["generation"].startswith("gen-")
    else:
        assert (index["directory"], index["generation"], index["created"]) == (None, None, None)
    assert (index["documents"], index["database_documents"]) == (5, 5)
    assert (index["up_to_date"], index["lagging"], index["extra"], index["problem"]) == (
        True,
        0,
        0,
        None,
    )
    assert run["status"] == "completed"
    assert run["paths"] == [str(SEEDS)]
    assert [run[k] for k in ("added", "updated", "unchanged", "duplicate", "failed", "pruned")] == [
        5,
        0,
        0,
        0,
        0,
        0,
    ]

    text = archive_cli("stats")
    assert text.exit_code == 0
    started = run["started_at"][:19].replace("T", " ")
    finished = run["finished_at"][:19].replace("T", " ")
    assert text.stdout.splitlines() == [
        f"data directory:   {settings.data_dir.resolve()}",
        f"database:         {safe_url(settings.resolved_database_url)}",
        "commentaries:     5 (2 dated, 3 undated)",
        "mentions:         194",
        "instruments:      58 with mentions",
        "sources:          0",
        "dates:            2024-09-14 to 2025-01-20",
        *(
            [
                f"index:            whoosh, {settings.resolved_index_dir}",
                f"index generation: {index['generation']} (created {index['created']})",
            ]
            if in_files
            else ["index:            postgres, in the database"]
        ),
        "index documents:  5 of 5 in the database",
        "index state:      up to date",
        "analysis:         up to date",
        f"last ingest:      run {run['id']}, completed, started {started} UTC, "
        f"finished {finished} UTC",
        "                  5 added, 0 updated, 0 unchanged, 0 duplicate, 0 failed, 0 pruned",
        f"                  from {SEEDS}",
    ]


@pytest.mark.whoosh
def test_stats_says_when_the_index_lags(
    archive_cli: Callable[..., Result], settings: Settings, tmp_path: Path
) -> None:
    assert archive_cli("ingest", SEEDS).exit_code == 0
    live = (
        settings.resolved_index_dir
        / (settings.resolved_index_dir / "CURRENT").read_text("utf-8").strip()
    )
    from whoosh import index as whoosh_index

    writer = whoosh_index.open_dir(str(live)).writer()
    writer.delete_by_term("id", "1")
    writer.commit()
    result = archive_cli("stats")
    assert "index documents:  4 of 5 in the database" in result.stdout.splitlines()
    assert (
        "index state:      behind the database (1 missing or older): "
        "run `archive ingest` or `archive reindex`"
    ) in result.stdout.splitlines()


def test_stats_of_an_empty_archive(archive_cli: Callable[..., Result], settings: Settings) -> None:
    reason = without_index(settings)
    result = archive_cli("stats")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    if not ON_POSTGRESQL:
        assert lines[2] == (
            "database problem: the database has no schema yet: "
            "run `alembic upgrade head` or `archive ingest`"
        )
    assert lines[-3:] == [
        f"index state:      {reason}",
        "analysis:         up to date",
        "last ingest:      none yet",
    ]


def test_stats_hides_the_database_password(
    archive_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 1: nothing listens, so the connection fails at once.
    monkeypatch.setenv(
        "ARCHIVE_DATABASE_URL", "postgresql+psycopg://archive:s3cret@127.0.0.1:1/archive"
    )
    get_settings.cache_clear()
    for args in (("stats",), ("stats", "--json")):
        result = archive_cli(*args)
        assert result.exit_code == 1
        assert "s3cret" not in result.output
    text = archive_cli("stats").stdout.splitlines()
    assert text[1] == "database:         postgresql+psycopg://archive:***@127.0.0.1:1/archive"
    assert text[2] == "database problem: cannot read the database (OperationalError)"
    data = json.loads(archive_cli("stats", "--json").stdout)
    assert data["database_url"] == "postgresql+psycopg://archive:***@127.0.0.1:1/archive"


def test_safe_url_keeps_everything_but_the_password() -> None:
    assert safe_url("postgresql://u:p%40ss@db.example:5432/arch?sslmode=require") == (
        "postgresql://u:***@db.example:5432/arch?sslmode=require"
    )
    assert safe_url("sqlite:////srv/archive.sqlite3") == "sqlite:////srv/archive.sqlite3"


def test_a_waiting_writer_says_so_before_it_waits(settings: Settings) -> None:
    settings.ensure_dirs()
    told: list[tuple[Waiting, float]] = []
    start = time.monotonic()

    def note(waiting: Waiting) -> None:
        told.append((waiting, time.monotonic() - start))

    with (
        writer_lock(settings.lock_file, 5),
        pytest.raises(IngestLocked),
        writer_lock(settings.lock_file, 1.0, note),
    ):
        pass
    waited = time.monotonic() - start
    assert len(told) == 1
    waiting, after = told[0]
    assert after < 0.5 <= 1.0 <= waited
    assert str(waiting) == (
        f"waiting for another ingest (pid {waiting.holder}) to release {settings.lock_file}; "
        "giving up after 1 s (ARCHIVE_LOCK_TIMEOUT)"
    )


def test_a_free_lock_says_nothing(settings: Settings) -> None:
    told: list[Waiting] = []
    with writer_lock(settings.lock_file, 1.0, told.append):
        pass
    assert told == []


class Recorder(Progress):
    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None, int]] = []

    def phase(self, name: str, total: int | None) -> None:
        self.phases.append((name, total, 0))

    def advance(self, steps: int = 1) -> None:
        name, total, done = self.phases[-1]
        self.phases[-1] = (name, total, done + steps)


def test_progress_has_a_real_total_in_every_phase(settings: Settings) -> None:
    first = Recorder()
    ingest(settings, [SEEDS], progress=first, today=TODAY)
    assert first.phases == [("reading", 5, 5), ("indexing", 0, 0)]  # indexed as stored
    again = Recorder()
    ingest(settings, [SEEDS], progress=again, today=TODAY, rebuild_index=True)
    assert again.phases == [("reading", 5, 5), ("indexing", 5, 5)]
    rebuilt = Recorder()
    reindex(settings, rebuilt)
    assert rebuilt.phases == [("indexing", 5, 5)]


def test_every_command_and_option_has_help() -> None:
    group = typer.main.get_command(cli)
    commands: dict[str, Any] = getattr(group, "commands", {})
    assert sorted(commands) == ["aliases", "ingest", "inspect", "reindex", "serve", "stats"]
    assert sorted(commands["aliases"].commands) == ["add", "list", "remove"]
    assert group.help
    every = {**commands, **{f"aliases {n}": c for n, c in commands["aliases"].commands.items()}}
    for name, command in every.items():
        assert command.help, name
        for param in command.params:
            assert getattr(param, "help", None), (name, param.name)


def test_help_shows_flags_as_flags(archive_cli: Callable[..., Result]) -> None:
    ingest_help = archive_cli("ingest", "--help").stdout
    assert "<bool>" not in ingest_help
    assert "  --prune / --no-prune  " in ingest_help
    assert "  --rebuild / --no-rebuild  " in ingest_help
    stats_help = archive_cli("stats", "--help").stdout
    assert "<bool>" not in stats_help
    assert "  --json  " in stats_help
