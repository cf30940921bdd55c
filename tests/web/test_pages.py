"""Pages and JSON over the seeded archive, and escaping of hostile text."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from app.config import Settings
from app.web.app import create_app
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004

NEWEST_FIRST = [SEED_003, SEED_000, SEED_004, SEED_002, SEED_001]


def test_home_lists_newest_first_then_undated(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get("/")
    assert response.status_code == 200
    linked = [int(i) for i in re.findall(r'<h2><a href="/c/(\d+)">', response.text)]
    assert linked == [seed_ids[name] for name in NEWEST_FIRST]
    assert "2024年9月14日" in response.text
    assert "2025年1月20日（推断）" in response.text
    assert response.text.count(">未注明日期</time>") == 3


def test_api_commentaries(client: TestClient, seed_ids: dict[str, int]) -> None:
    data = client.get("/api/commentaries", params={"per_page": 2, "page": 1}).json()
    assert (data["total"], data["page"], data["per_page"]) == (5, 1, 2)
    assert [item["id"] for item in data["items"]] == [seed_ids[SEED_003], seed_ids[SEED_000]]
    first = data["items"][0]
    assert first == {
        "id": seed_ids[SEED_003],
        "title": "纳指如期突破年内高点;A股市场处于节前交易平淡期",
        "date": "2025-01-20",
        "date_precision": "inferred",
        "source": None,
        # Most mentioned first, then by symbol.
        "tickers": ["IXIC", "META", "MSFT", "TSLA", "9984.T", "AMD", "ORCL"],
        "url": f"/c/{seed_ids[SEED_003]}",
    }


def test_commentary_page(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get(f"/c/{seed_ids[SEED_002]}")
    assert response.status_code == 200
    assert "<h1>科技之神眨眼</h1>" in response.text
    assert "Add Comment" not in response.text
    assert f'href="/c/{seed_ids[SEED_002]}.txt"' in response.text


def test_commentary_page_highlights_search_terms(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    response = client.get(f"/c/{seed_ids[SEED_000]}", params={"q": "降息"})
    # 15 in the file, one of them in the title line at the end, which is not body text.
    # The first is the target a search hit links to (#hl).
    assert response.text.count("<mark>降息</mark>") == 13
    assert response.text.count('<mark id="hl">降息</mark>') == 1


def test_original_text(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get(f"/c/{seed_ids[SEED_004]}.txt")
    assert response.status_code == 200
    assert response.text.endswith("这些评级也是造成AI泡沫潮中Fomo的重要原因。\n页:\n[1]")


def test_unknown_commentary_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/c/99999")
    assert page.status_code == 404
    assert "no commentary 99999" in page.text
    api = client.get("/api/commentaries/99999")
    assert (api.status_code, api.json()) == (404, {"error": "no commentary 99999", "detail": None})
    assert client.get("/c/abc").status_code == 404


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "ok", "index": "ok", "documents": 5, "indexed": 5},
    )


def test_healthz_without_index(settings: Settings) -> None:
    with TestClient(create_app(settings)) as fresh:
        response = fresh.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["index"].endswith("run `archive reindex`")


def test_hostile_text_is_escaped(index_commentary: Callable[..., int], settings: Settings) -> None:
    doc = index_commentary(
        "<script>alert(1)</script> 降息 <img src=x onerror=alert(2)>",
        title="<b>标题</b>",
        source="<i>src</i>",
    )
    with TestClient(create_app(settings)) as fresh:
        pages = [
            fresh.get("/").text,
            fresh.get(f"/c/{doc}", params={"q": "<script>"}).text,
            fresh.get("/search", params={"q": "降息 <script>"}).text,
        ]
    for html in pages:
        assert "<script>" not in html
        assert "<img" not in html
        assert "<b>标题</b>" not in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in pages[0]
    assert "&lt;/<mark>script</mark>&gt; <mark>降息</mark> &lt;img src=x" in pages[2]
