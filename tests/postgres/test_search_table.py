"""The postgres engine's table on a real server: rows are written in the commentary's
own savepoint, an archive that has not been moved to the engine says so, a search past
its budget answers with matches only, and an undated or sourceless commentary is kept
by the negation of a date or source test; without RUM the words get a GIN index and
ts_rank_cd ranks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest, reindex
from app.models import Outcome
from app.search import Document, IndexWriter, Lookup, open_backend
from app.search.criteria import Words
from app.search.postgres import table
from app.search.postgres.rows import SearchRows
from app.search.postgres.table import ensure_words_index, words_index_method
from tests.conftest import TODAY, UNBOUNDED, search_ids, write_commentary
from tests.databases import archive_settings

pytestmark = pytest.mark.postgresql


def _postgres(tmp_path: Path) -> Settings:
    return archive_settings(tmp_path / "data", search_backend="postgres", lock_timeout=0.5)


def _rows(settings: Settings) -> dict[int, int]:
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT commentary_id, revision FROM commentary_search")
            )
            return {int(i): int(rev) for i, rev in found}
    finally:
        engine.dispose()


def test_a_row_that_cannot_be_written_takes_its_commentary_with_it_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _postgres(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_commentary(docs, "a.md", "美联储降息，英伟达大涨。")
    write_commentary(docs, "b.md", "这一篇的搜索行写不进去。", title="坏行")
    write_commentary(docs, "c.md", "黄金创新高。")
    original = SearchRows.write

    def refuse_one(self: SearchRows, connection: object, documents: list[Document]) -> None:
        if any(d.title == "坏行" for d in documents):
            raise RuntimeError("the search row was refused")
        original(self, connection, documents)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchRows, "write", refuse_one)
    report = ingest(settings, [docs], today=TODAY)
    outcomes = {Path(r.path).name: (r.outcome, r.reason) for r in report.files}
    assert outcomes["b.md"] == (Outcome.FAILED, "could not be stored: the search row was refused")
    assert outcomes["a.md"][0] == outcomes["c.md"][0] == Outcome.ADDED
    stored = {r.id for r in report.files if r.id is not None}
    assert set(_rows(settings)) == stored
    backend = open_backend(settings)
    try:
        assert set(search_ids(backend, "降息 OR 黄金 OR 搜索")) == stored
        assert backend.status().problem is None
    finally:
        backend.close()


def test_an_archive_not_yet_moved_to_the_engine_says_how_and_one_command_moves_it(
    tmp_path: Path,
) -> None:
    whoosh = archive_settings(tmp_path / "data", search_backend="whoosh")
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        write_commentary(docs, f"{n}.md", f"第{n}篇：美联储降息。")
    ingest(whoosh, [docs], today=TODAY)
    settings = whoosh.model_copy(update={"search_backend": "postgres"})
    backend = open_backend(settings)
    try:
        assert backend.status().problem == (
            "3 of 3 commentaries are not in the search table: "
            "run `archive reindex --backend postgres`"
        )
        assert search_ids(backend, "降息") == []
        report = reindex(settings)
        assert (report.indexed, report.index_rebuilt) == (3, True)
        assert backend.status().problem is None
        assert len(search_ids(backend, "降息")) == 3
    finally:
        backend.close()


def test_a_search_past_its_budget_returns_matches_only(tmp_path: Path) -> None:
    settings = _postgres(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(30):
        body = "美联储降息。" if n % 3 == 0 else "黄金走强。"
        write_commentary(docs, f"{n:02d}.md", f"{body}第{n}篇。")
    report = ingest(settings, [docs], today=TODAY)
    matching = {r.id for r in report.files if r.id is not None and int(Path(r.path).stem) % 3 == 0}
    backend = open_backend(settings)
    try:
        whole = backend.find(Lookup(Words(("降息",)), limit=100, budget=UNBOUNDED))
        assert ({h.id for h in whole.hits}, whole.total, whole.partial) == (matching, 10, False)
        hurried = backend.find(Lookup(Words(("降息",)), limit=100, budget=1e-6))
        assert {h.id for h in hurried.hits} <= matching
        assert hurried.partial
        assert not hurried.total_exact
    finally:
        backend.close()


def test_excluding_a_date_or_a_source_keeps_commentaries_without_one(tmp_path: Path) -> None:
    settings = _postgres(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_commentary(docs, "dated.md", "降息落地。", date="2025-03-04", source="路透")
    write_commentary(docs, "undated.md", "降息预期升温。")
    report = ingest(settings, [docs], today=TODAY)
    ids = {Path(r.path).name: r.id for r in report.files}
    backend = open_backend(settings)
    try:
        assert set(search_ids(backend, "降息 -year:2025")) == {ids["undated.md"]}
        assert set(search_ids(backend, "降息 -source:路透")) == {ids["undated.md"]}
    finally:
        backend.close()


def test_the_writer_of_a_rebuild_empties_the_table_only_when_it_commits(tmp_path: Path) -> None:
    settings = _postgres(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_commentary(docs, "a.md", "美联储降息。")
    ingest(settings, [docs], today=TODAY)
    before = _rows(settings)
    backend = open_backend(settings)
    try:
        writer: IndexWriter = backend.writer(rebuild=True)
        writer.delete([])
        writer.put([])
        assert writer.revisions() == {}
        assert _rows(settings) == before
        writer.cancel()
        assert _rows(settings) == before
    finally:
        backend.close()


def test_without_rum_the_words_index_is_gin_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _postgres(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_commentary(docs, "title.md", "市场平静。", title="降息周期开启")
    write_commentary(docs, "twice.md", "降息，再降息，周期已到。")
    write_commentary(docs, "once.md", "有人谈到降息。")
    write_commentary(docs, "none.md", "黄金走强。")
    report = ingest(settings, [docs], today=TODAY)
    ids = {Path(r.path).stem: r.id for r in report.files}
    monkeypatch.setattr(table, "has_rum", lambda connection: False)
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            assert ensure_words_index(connection) == "gin"
            assert words_index_method(connection) == "gin"
    finally:
        engine.dispose()
    backend = open_backend(settings)
    try:
        found = backend.find(Lookup(Words(("降息",)), limit=10, budget=UNBOUNDED))
        assert [h.id for h in found.hits] == [ids["title"], ids["twice"], ids["once"]]
        scores = [h.score or 0.0 for h in found.hits]
        assert scores == sorted(scores, reverse=True) and scores[-1] > 0
        assert set(search_ids(backend, "降息 -周期")) == {ids["once"]}
    finally:
        backend.close()
