"""Markdown front matter, HTML extraction, renames, and the schema the migration builds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData
from sqlmodel import SQLModel

from app.config import Settings
from app.db import make_engine, upgrade
from app.models import Commentary
from app.search.postgres.table import TABLE_NAME, search_table
from tests.conftest import IngestFn
from tests.databases import ON_POSTGRESQL

Loaded = Callable[[], dict[str, Commentary]]

MARKDOWN = """---
title: 美股周报：降息落地
date: 2025-09-19
source: 某某研究
author: 李四
url: https://example.com/weekly/38
tickers: [nvda, $TSM]
---
# 这行标题不会覆盖前置元数据

本周美联储降息25个基点。
"""

HTML = """<!doctype html><html><head><title>站点名 - 市场观察</title>
<meta name="author" content="王五">
<meta property="article:published_time" content="2025-03-07T08:00:00+08:00">
<style>.x{color:red}</style><script>var tracking = 1;</script></head>
<body><nav>首页 | 新闻 | 关于</nav>
<article><h1>黄金再创新高</h1><p>金价本周上涨 3%。</p><p>央行购金<b>持续</b>。</p></article>
<footer>版权所有</footer></body></html>
"""


def test_markdown_front_matter_wins(
    docs_dir: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    (docs_dir / "weekly.md").write_text(MARKDOWN, "utf-8")
    report = run_ingest(docs_dir)
    assert report.counts["added"] == 1
    c = commentaries()["weekly.md"]
    assert (c.title, c.title_source, c.published, c.date_precision) == (
        "美股周报：降息落地",
        "front_matter",
        dt.date(2025, 9, 19),
        "day",
    )
    assert (c.source, c.author, c.url) == ("某某研究", "李四", "https://example.com/weekly/38")
    assert c.declared_ticker_list == ["NVDA", "TSM"]
    assert c.body == "# 这行标题不会覆盖前置元数据\n\n本周美联储降息25个基点。"


def test_html_main_text_title_and_meta(
    docs_dir: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    (docs_dir / "page.html").write_text(HTML, "utf-8")
    run_ingest(docs_dir)
    c = commentaries()["page.html"]
    assert (c.title, c.title_source, c.published, c.date_precision, c.author) == (
        "黄金再创新高",
        "front_matter",
        dt.date(2025, 3, 7),
        "day",
        "王五",
    )
    assert c.body == "金价本周上涨 3%。\n央行购金持续。"
    assert c.raw_text.startswith("<!doctype html>")


def test_renamed_file_keeps_its_commentary(
    docs_dir: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    (docs_dir / "old.txt").write_text("标题\n黄金本周上涨。\n", "utf-8")
    (first,) = run_ingest(docs_dir).files
    (docs_dir / "old.txt").rename(docs_dir / "new.txt")
    (moved,) = run_ingest(docs_dir).files
    assert (moved.path, moved.outcome, moved.reason, moved.id) == (
        str(docs_dir / "new.txt"),
        "updated",
        f"moved from {(docs_dir / 'old.txt').resolve()}",
        first.id,
    )
    assert set(commentaries()) == {"new.txt"}


def _described(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # The search table's indexes are its engine's to choose (the words' is RUM or GIN).
    return not (type_ == "index" and obj.table.name == TABLE_NAME)


def test_migration_builds_exactly_the_models(settings: Settings) -> None:
    upgrade(settings)
    described = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(described)
    if ON_POSTGRESQL:  # and the postgres search engine's table, described apart
        search_table.to_metadata(described)
    engine = make_engine(settings)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _described})
        diff = compare_metadata(context, described)
    engine.dispose()
    assert diff == []


def test_revisions_are_read_from_an_index_not_the_rows(settings: Settings) -> None:
    # Reaching the revision column of a row means reading past its body and raw text.
    upgrade(settings)
    engine = make_engine(settings)
    with engine.connect() as conn:
        if ON_POSTGRESQL:
            # An empty table is cheapest to scan; ask whether the index can serve it at all.
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
            plan = conn.exec_driver_sql("EXPLAIN SELECT id, revision FROM commentary").all()
            steps = [row[0].split("  (")[0] for row in plan]
            expected = ["Index Only Scan using ix_commentary_id_revision on commentary"]
        else:
            query = "EXPLAIN QUERY PLAN SELECT id, revision FROM commentary"
            steps = [row[-1] for row in conn.exec_driver_sql(query).all()]
            expected = ["SCAN commentary USING COVERING INDEX ix_commentary_id_revision"]
    engine.dispose()
    assert steps == expected
