"""Shared fixtures: settings on tmp_path, ingest helpers, a seeded archive, a client."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from app.cli import cli
from app.config import Settings, get_settings
from app.db import make_engine
from app.ingest import IngestReport, ingest
from app.instruments import prepare_analysis
from app.models import Commentary
from app.search import SearchBackend, SearchRequest, open_backend, search
from app.web.app import create_app
from tests.databases import ON_POSTGRESQL, archive_env, archive_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Fixed "today" so date rules (nothing later than today) do not drift.
# Correctness tests never stop early: a loaded machine must not turn a search partial.
UNBOUNDED = math.inf
TODAY = dt.date(2026, 11, 21)

SEED_000 = "000_c914eaaa9e4764eb.txt"
SEED_001 = "001_ec83c6fb50b098af.txt"
SEED_002 = "002_31a3cd2343be7dca.txt"
SEED_003 = "003_70f6b4f1b0cd2a58.txt"
SEED_004 = "004_a5ac74193c901af3.txt"


MARKERS = {
    # Deselected when the run searches with another engine (-m "not whoosh").
    "whoosh": "tests of the Whoosh engine's own workings (its index files, compiled "
    "queries, finder, scores), not of search as the archive's engine-neutral API gives it",
    # Deselected unless ARCHIVE_TEST_DATABASE_URL names a PostgreSQL server.
    "postgresql": "tests that need the PostgreSQL server (ARCHIVE_TEST_DATABASE_URL)",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a PostgreSQL server the tests that need one are left out of the run (not
    skipped: a run on SQLite has nothing of theirs to check)."""
    if ON_POSTGRESQL:
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return archive_settings(tmp_path / "data", lock_timeout=0.5)


IngestFn = Callable[..., IngestReport]
CliRun = Callable[..., Result]


@pytest.fixture
def archive_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRun]:
    """Run ``archive …`` in this process against the test's data folder."""
    for name, value in archive_env(settings).items():
        monkeypatch.setenv(name, value)
    # Wide enough that rich never wraps a line holding a long tmp path.
    monkeypatch.setenv("COLUMNS", "400")
    get_settings.cache_clear()
    runner = CliRunner()

    def _run(*args: str | Path) -> Result:
        return runner.invoke(cli, [str(a) for a in args])

    yield _run
    get_settings.cache_clear()


@pytest.fixture
def run_ingest(settings: Settings) -> IngestFn:
    def _run(*paths: Path, **options: Any) -> IngestReport:
        return ingest(settings, list(paths), today=TODAY, **options)

    return _run


@pytest.fixture
def commentaries(settings: Settings) -> Callable[[], dict[str, Commentary]]:
    """All stored commentaries keyed by origin file name."""

    def _load() -> dict[str, Commentary]:
        engine = make_engine(settings)
        try:
            with Session(engine) as session:
                rows = session.exec(select(Commentary)).all()
                return {Path(c.origin_key).name: c for c in rows}
        finally:
            engine.dispose()

    return _load


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def write_commentary(folder: Path, name: str, body: str, **fields: Any) -> Path:
    """A Markdown commentary with front matter (``title`` defaults to one from the name)."""
    fields.setdefault("title", f"测试 {name}")
    front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
    path = folder / name
    path.write_text(f"---\n{front}\n---\n{body}\n", "utf-8")
    return path


def build_archive(
    root: Path, docs: dict[str, tuple[str, dict[str, Any]]]
) -> tuple[Settings, dict[str, int]]:
    """An archive of ``docs`` (key → body and front matter) in one ingest; their ids."""
    folder = root / "docs"
    folder.mkdir(parents=True)
    for key, (body, fields) in docs.items():
        write_commentary(folder, f"{key}.md", body, **fields)
    settings = archive_settings(root / "data")
    report = ingest(settings, [folder], today=TODAY)
    ids = {Path(r.path).stem: r.id for r in report.files if r.id is not None}
    assert report.counts["added"] == len(docs) == len(ids), report.as_dict()
    return settings, ids


@pytest.fixture
def index_commentary(docs_dir: Path, run_ingest: IngestFn) -> Callable[..., int]:
    """Write one commentary as Markdown with front matter, ingest it, return its id."""
    counter = iter(range(1, 10_000))

    def _index(body: str, **fields: Any) -> int:
        name = fields.pop("name", None) or f"doc{next(counter):04d}.md"
        report = run_ingest(write_commentary(docs_dir, name, body, **fields))
        (result,) = [r for r in report.files if r.path.endswith(name)]
        assert result.id is not None, result
        return result.id

    return _index


def search_ids(index: SearchBackend, query: str, **options: Any) -> list[int]:
    """Ids of every hit of ``query``, in order, as the web app searches (names expand)."""
    request = SearchRequest(text=query, per_page=100, **options)
    page = search(index, request, prepare_analysis(None), budget=UNBOUNDED)
    assert not page.partial
    assert page.total <= 100
    return [hit.id for hit in page.hits]


@pytest.fixture
def matched_ids(settings: Settings) -> Iterator[Callable[..., set[int]]]:
    index = open_backend(settings)

    def _matched(query: str, **options: Any) -> set[int]:
        return set(search_ids(index, query, **options))

    yield _matched
    index.close()


def new_index(settings: Settings) -> tuple[bool, str | None]:
    """What the first ingest into an empty archive says of its index besides how many
    documents it wrote: (rebuilt, note). Whoosh creates its index; the postgres engine's
    table comes with the schema, and the ingest only fills it."""
    if settings.search_backend == "postgres":
        return False, None
    return True, "new index created"


def without_index(settings: Settings) -> str:
    """Leave the archive of ``settings`` with no search index, as its engine keeps one
    (Whoosh: none until an ingest writes it; postgres: its table dropped, if made);
    the reason the engine then gives."""
    if settings.search_backend == "postgres":
        from app.search.postgres.backend import NO_TABLE
        from app.search.postgres.table import TABLE_NAME

        engine = make_engine(settings)
        try:
            with engine.begin() as conn:
                conn.execute(text(f"DROP TABLE IF EXISTS {TABLE_NAME}"))
        finally:
            engine.dispose()
        return NO_TABLE
    assert not settings.resolved_index_dir.exists()
    return f"there is no search index in {settings.resolved_index_dir}: run `archive reindex`"


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = archive_settings(tmp_path_factory.mktemp("seeded") / "data")
    report = ingest(settings, [SEEDS], today=TODAY)
    assert report.counts["added"] == 5, report.as_dict()
    return settings


@pytest.fixture(scope="session")
def seed_ids(seeded_settings: Settings) -> dict[str, int]:
    engine = make_engine(seeded_settings)
    with Session(engine) as session:
        ids = {Path(c.origin_key).name: c.id for c in session.exec(select(Commentary))}
    engine.dispose()
    return {name: i for name, i in ids.items() if i is not None}


@pytest.fixture(scope="session")
def client(seeded_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_settings)) as test_client:
        yield test_client


Metric = Callable[[str, str], None]
_METRICS = pytest.StashKey[list[tuple[str, str]]]()


@pytest.fixture
def metric(request: pytest.FixtureRequest) -> Metric:
    """Record a figure a test measured; the run's summary lists them all."""
    found = request.config.stash.setdefault(_METRICS, [])

    def _record(name: str, value: str) -> None:
        found.append((name, value))

    return _record


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    found = config.stash.get(_METRICS, [])
    if found:
        terminalreporter.section("measured")
        for name, value in found:
            terminalreporter.write_line(f"{name}: {value}")
