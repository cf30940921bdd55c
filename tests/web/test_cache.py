"""Aggregates kept between requests follow the archive: a new, changed or pruned
commentary shows on the next request, without a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from app.web.app import create_app
from tests.conftest import IngestFn, write_commentary


def _nvda(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/tickers/NVDA")
    assert response.status_code == 200
    return dict(response.json())


def _years(client: TestClient) -> dict[int, int]:
    return {y["year"]: y["count"] for y in client.get("/api/timeline").json()["years"]}


def test_ticker_and_calendar_figures_follow_each_ingest(
    settings: Settings, docs_dir: Path, run_ingest: IngestFn
) -> None:
    first = write_commentary(docs_dir, "a.md", "英伟达(NVDA)今日大涨。", date="2025-03-04")
    run_ingest(first)
    with TestClient(create_app(settings)) as client:
        before = _nvda(client)
        assert (before["documents"], before["co_mentions"]) == (1, [])
        assert _years(client) == {2025: 1}
        assert _nvda(client) == before  # served again, unchanged

        run_ingest(write_commentary(docs_dir, "b.md", "NVDA与AMD同涨。", date="2024-05-06"))
        added = _nvda(client)
        assert added["documents"] == 2
        assert added["co_mentions"] == [{"symbol": "AMD", "name": "超威", "count": 1}]
        assert _years(client) == {2025: 1, 2024: 1}

        # A changed commentary keeps its id: the finished run still shows the change.
        first.write_text('---\ntitle: "a"\ndate: "2025-03-04"\n---\n苹果(AAPL)走弱。\n', "utf-8")
        run_ingest(first)
        assert _nvda(client)["documents"] == 1
        assert _nvda(client)["co_mentions"] == [{"symbol": "AMD", "name": "超威", "count": 1}]
