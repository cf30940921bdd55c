"""The web app, ingest and ``archive stats`` run on any ``SearchBackend``: here on the
in-memory double (``tests/search_double.py``), which knows the contract and nothing of
Whoosh. And nothing outside ``app/search`` reaches past the contract to Whoosh."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

import app.search
from app.cli import cli
from app.config import Settings, get_settings
from app.ingest import ingest, reindex
from app.search import Found, IndexUnavailable, Lookup, open_backend
from app.web.app import create_app
from tests import search_double
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, SEEDS, TODAY
from tests.databases import archive_env, archive_settings
from tests.server import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Any]]:
    """An archive of the seeds searched by the in-memory double, and the seeds' ids."""
    search_double.register(monkeypatch)
    settings = archive_settings(tmp_path / "data", search_backend="memory")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in SEEDS.iterdir():
        (seeds / seed.name).write_bytes(seed.read_bytes())
    report = ingest(settings, [seeds], today=TODAY)
    assert report.counts["added"] == 5, report.as_dict()
    assert (report.indexed, report.index_rebuilt) == (5, False)
    ids = {Path(r.path).name: r.id for r in report.files}
    yield settings, ids
    search_double.STORES.pop(settings.resolved_index_dir, None)


@pytest.fixture
def client(memory: tuple[Settings, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(memory[0])) as fresh:
        yield fresh


def _hit_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h2><a href="/c/(\d+)[?"]', html)]


def test_ingest_fills_the_double_with_prepared_documents(memory: tuple[Settings, Any]) -> None:
    settings, ids = memory
    store = search_double.STORES[settings.resolved_index_dir]
    assert set(store) == set(ids.values())
    # Prepared once in ingest (the body's words from mention extraction), not re-read.
    assert all(isinstance(e.document.prepared, search_double.Analysed) for e in store.values())
    assert {e.document.revision for e in store.values()} == {1}
    nvda = {ids[n] for n in (SEED_000, SEED_001, SEED_002, SEED_004)}
    assert {i for i, e in store.items() if "NVDA" in e.document.symbols} == nvda


def test_search_page_and_api_on_the_double(
    memory: tuple[Settings, Any], client: TestClient
) -> None:
    ids = memory[1]
    html = client.get("/search", params={"q": "英伟达"}).text
    assert set(_hit_ids(html)) == {ids[n] for n in (SEED_000, SEED_001, SEED_002, SEED_004)}
    assert "4 篇结果" in html and "结果不完整" not in html

    def hits(**params: object) -> list[int]:
        answer = client.get("/api/search", params=params).json()
        assert (answer["partial"], answer["total_exact"]) == (False, True)
        return [h["id"] for h in answer["hits"]]

    undated = sorted((ids[SEED_001], ids[SEED_002], ids[SEED_004]))
    assert hits(q="英伟达", sort="newest") == [ids[SEED_000], *undated[::-1]]
    assert hits(q="英伟达", sort="oldest") == [ids[SEED_000], *undated]
    assert hits(q="英伟达", literal="true", sort="oldest") == [
        ids[SEED_000],
        ids[SEED_002],
        ids[SEED_004],
    ]
    assert hits()[:2] == [ids[SEED_003], ids[SEED_000]]
    assert hits(ticker=["nvda", "AVGO"], sort="oldest") == [ids[SEED_000], ids[SEED_004]]
    assert hits(**{"from": "2025-01", "to": "2025-01-31"}) == [ids[SEED_003]]


def test_a_search_out_of_time_says_so(
    memory: tuple[Settings, Any], client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = memory[1]
    budgets: list[float] = []
    found = search_double.MemoryBackend.find

    def out_of_time(backend: search_double.MemoryBackend, lookup: Lookup) -> Found:
        budgets.append(lookup.budget)
        return replace(found(backend, lookup), partial=True, total_exact=False)

    monkeypatch.setattr(search_double.MemoryBackend, "find", out_of_time)
    answer = client.get("/api/search", params={"q": "英伟达", "sort": "oldest"}).json()
    assert (answer["partial"], answer["total_exact"], answer["total"]) == (True, False, 4)
    assert [h["id"] for h in answer["hits"]][:1] == [ids[SEED_000]]
    html = client.get("/search", params={"q": "英伟达"}).text
    assert "至少 4 篇结果" in html
    assert "结果不完整：这次搜索超过了时间上限，只列出已经找到的部分。" in html
    assert budgets == [1.0, 1.0]
    quick = memory[0].model_copy(update={"search_budget": 0.25})
    with TestClient(create_app(quick)) as impatient:
        impatient.get("/api/search", params={"q": "英伟达"})
    assert budgets[2:] == [0.25]


def test_commentary_health_and_stats_on_the_double(
    memory: tuple[Settings, Any], client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, ids = memory
    detail = client.get(f"/api/commentaries/{ids[SEED_001]}").json()
    # The double's own measure of words (shared key words), with the companies named.
    related = [ids[SEED_002], ids[SEED_004], ids[SEED_000]]
    assert [r["id"] for r in detail["related"]] == related
    assert client.get(f"/c/{ids[SEED_001]}").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "database": "ok",
        "index": "ok",
        "documents": 5,
        "indexed": 5,
    }

    for name, value in archive_env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ARCHIVE_SEARCH_BACKEND", "memory")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["stats", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    index = json.loads(result.stdout)["index"]
    assert (index["generation"], index["documents"], index["database_documents"]) == (
        "memory",
        5,
        5,
    )
    assert (index["up_to_date"], index["lagging"], index["extra"], index["problem"]) == (
        True,
        0,
        0,
        None,
    )


def test_reindex_a_changed_and_a_pruned_commentary_on_the_double(
    memory: tuple[Settings, Any], tmp_path: Path
) -> None:
    settings, ids = memory
    report = reindex(settings)
    assert (report.indexed, report.index_rebuilt) == (5, True)
    store = search_double.STORES[settings.resolved_index_dir]
    assert set(store) == set(ids.values())

    edited = tmp_path / "seeds" / SEED_002
    edited.write_text(edited.read_text("utf-8").replace("三角钢琴", "管风琴"), "utf-8")
    report = ingest(settings, [tmp_path / "seeds"], today=TODAY)
    changed = [r.id for r in report.files if r.outcome == "updated"]
    assert changed == [ids[SEED_002]], report.as_dict()
    assert report.indexed == 1
    assert store[ids[SEED_002]].document.revision == 2
    assert "管风琴" in store[ids[SEED_002]].document.body

    (tmp_path / "seeds" / SEED_003).unlink()
    report = ingest(settings, [tmp_path / "seeds"], prune=True, today=TODAY)
    assert report.counts["pruned"] == 1
    assert set(store) == {ids[n] for n in (SEED_000, SEED_001, SEED_002, SEED_004)}


def test_an_unknown_backend_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(data_dir=tmp_path, search_backend="elastic")
    message = raised.value.errors()[0]["msg"]
    assert message == (
        "Value error, ARCHIVE_SEARCH_BACKEND 'elastic' names no search engine "
        "(known: postgres, whoosh)"
    )


POSTGRES_ON_SQLITE = (
    "ARCHIVE_SEARCH_BACKEND=postgres keeps the index in the database and needs a "
    "PostgreSQL ARCHIVE_DATABASE_URL (postgresql+psycopg://…), not SQLite: use the "
    "whoosh engine, or move the archive to PostgreSQL"
)


def test_the_postgres_engine_on_sqlite_is_refused_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    for database_url in (None, f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"):
        with pytest.raises(ValidationError) as raised:
            Settings(data_dir=data, database_url=database_url, search_backend="postgres")
        assert [e["msg"] for e in raised.value.errors()] == [f"Value error, {POSTGRES_ON_SQLITE}"]
    # Settings made without their checks do not get past the engine either.
    unchecked = Settings(data_dir=data).model_copy(update={"search_backend": "postgres"})
    with pytest.raises(IndexUnavailable) as refused:
        open_backend(unchecked)
    assert str(refused.value) == POSTGRES_ON_SQLITE

    for name in [n for n in os.environ if n.startswith("ARCHIVE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(data))
    monkeypatch.setenv("ARCHIVE_SEARCH_BACKEND", "postgres")
    said = f"error: {POSTGRES_ON_SQLITE}\n"
    server = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (server.returncode, server.stdout, server.stderr) == (1, "", said)
    for command in (["ingest", str(SEEDS)], ["reindex"], ["stats"]):
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(cli, command)
        finally:
            get_settings.cache_clear()
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", said), command
    # Moving a SQLite archive to the postgres engine is refused the same way.
    monkeypatch.setenv("ARCHIVE_SEARCH_BACKEND", "whoosh")
    result = CliRunner().invoke(cli, ["reindex", "--backend", "postgres"])
    get_settings.cache_clear()
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", said)
    assert not data.exists()


# The search package's own modules: the engine-neutral API, beside the engines' packages.
NEUTRAL_MODULES = {
    "analyzer",
    "backend",
    "criteria",
    "engines",
    "highlight",
    "keywords",
    "planner",
    "searching",
    "segmenter",
    "sync",
    "synonyms",
    "syntax",
}
ENGINE_PACKAGES = {"postgres", "whoosh"}
# The one neutral module that names the engines: the registry, importing each lazily.
REGISTRY = "engines"
NEUTRAL_API = {
    "ANALYZER_VERSION",
    "BACKENDS",
    "IN_POSTGRESQL",
    "Document",
    "Facets",
    "Filters",
    "Found",
    "Highlight",
    "Hit",
    "IndexStatus",
    "IndexUnavailable",
    "IndexWriter",
    "Indexable",
    "Lookup",
    "MAX_QUERY_CHARS",
    "Names",
    "Plan",
    "Preparer",
    "RowWriter",
    "QueryError",
    "QueryWord",
    "SORTS",
    "SearchBackend",
    "SearchPage",
    "SearchRequest",
    "Similar",
    "SnippetTerms",
    "Sort",
    "Sought",
    "Synced",
    "SynonymError",
    "configure_segmenter",
    "date_bound",
    "document",
    "find_spans",
    "jieba_words",
    "listings",
    "load_segmenter",
    "mark",
    "backend_problem",
    "database_problem",
    "open_backend",
    "plan",
    "query_terms",
    "quoted",
    "search",
    "segmenter_base",
    "snippet_terms",
    "snippets",
    "sync_index",
    "synonym_groups_differ",
    "term_pattern",
    "user_words_from",
    "vocabulary_texts",
    "words",
}


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, ``from app.search import store`` as
    ``app.search.whoosh.store``."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_every_search_module_is_neutral_or_an_engine() -> None:
    package = ROOT / "app" / "search"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    engines = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    assert (modules, engines) == (NEUTRAL_MODULES, ENGINE_PACKAGES)


def _engine_imports(path: Path) -> list[str]:
    engine = ("whoosh", *(f"app.search.{name}" for name in ENGINE_PACKAGES))
    return [
        f"{path.relative_to(ROOT)}: {module}"
        for module in _imports(path)
        if any(module == e or module.startswith(f"{e}.") for e in engine)
    ]


def test_the_neutral_modules_import_no_engine() -> None:
    package = ROOT / "app" / "search"
    found = [
        line
        for name in sorted(NEUTRAL_MODULES - {REGISTRY})
        for line in _engine_imports(package / f"{name}.py")
    ]
    assert found == []
    assert _engine_imports(package / "__init__.py") == []


def test_nothing_outside_the_search_package_imports_the_engine() -> None:
    found = [
        line
        for path in sorted((ROOT / "app").rglob("*.py"))
        if (ROOT / "app" / "search") not in path.parents
        for line in _engine_imports(path)
    ]
    assert found == []


def test_the_search_package_exports_the_neutral_api_only() -> None:
    assert set(app.search.__all__) == NEUTRAL_API
