"""Home, commentary pages, the original text, feeds, error pages and their JSON twins,
over the seeded archive."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import upgrade
from app.web.app import create_app
from tests.conftest import (
    SEED_000,
    SEED_001,
    SEED_002,
    SEED_003,
    SEED_004,
    build_archive,
    without_index,
)

NEWEST_FIRST = [SEED_003, SEED_000, SEED_004, SEED_002, SEED_001]
ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:commentary-archive.invalid,2026:"
NO_SCHEMA = "the database has no schema yet: run `alembic upgrade head` or `archive ingest`"
FEED_LINK = '<link rel="alternate" type="application/atom+xml" title="评论档案 · 最新评论"'
ITEM_KEYS = {"id", "title", "date", "date_precision", "source", "tickers", "url"}


def test_home(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    linked = [int(i) for i in re.findall(r'<h2><a href="/c/(\d+)">', html)]
    assert linked == [seed_ids[name] for name in NEWEST_FIRST]
    assert "5 篇评论 · 58 个代码 · 2024年9月14日 至 2025年1月20日" in html
    assert (
        '<span class="badge precision-inferred" title="日期由正文中提到的日期推断">推断</span>'
        in html
    )
    assert html.count(">未注明日期</time>") == 3
    assert '<a href="/timeline">按时间浏览</a>' in html
    assert '<a href="/search?q=%E9%99%8D%E6%81%AF"><code>降息</code></a>' in html
    # The archive's last 30 days end on its newest commentary, 2025-01-20.
    assert "2024年12月22日 至 2025年1月20日" in html
    recent = re.findall(r'<li><a href="/tickers/[^"]+"><span class="sym">([^<]+)</span>', html)
    assert recent == ["IXIC", "META", "MSFT", "TSLA", "9984.T", "AMD", "ORCL"]
    # One search box: the page's own.
    assert html.count('role="search"') == 1


def test_home_of_an_empty_archive(settings: Settings) -> None:
    with TestClient(create_app(settings)) as fresh:
        unmigrated = fresh.get("/")
        assert unmigrated.status_code == 503
        assert (
            "the database has no schema yet: run `alembic upgrade head` or `archive ingest`"
            in unmigrated.text
        )
        assert fresh.get("/api/commentaries").json() == {
            "error": "database_unavailable",
            "message": "档案数据库暂时不可用，请稍后再试。",
            "detail": {"reason": NO_SCHEMA},
        }
        upgrade(settings)
        html = fresh.get("/").text
    assert "0 篇评论 · 0 个代码" in html
    assert "档案里还没有评论" in html


def test_api_commentaries(client: TestClient, seed_ids: dict[str, int]) -> None:
    data = client.get("/api/commentaries", params={"per_page": 2, "page": 1}).json()
    assert (data["total"], data["page"], data["per_page"]) == (5, 1, 2)
    assert [item["id"] for item in data["items"]] == [seed_ids[SEED_003], seed_ids[SEED_000]]
    assert data["items"][0] == {
        "id": seed_ids[SEED_003],
        "title": "纳指如期突破年内高点;A股市场处于节前交易平淡期",
        "date": "2025-01-20",
        "date_precision": "inferred",
        "source": None,
        # Most mentioned first, then by symbol.
        "tickers": ["IXIC", "META", "MSFT", "TSLA", "9984.T", "AMD", "ORCL"],
        "url": f"/c/{seed_ids[SEED_003]}",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ticker": "nvda"}, [SEED_000, SEED_004, SEED_002, SEED_001]),
        ({"ticker": "英伟达"}, [SEED_000, SEED_004, SEED_002, SEED_001]),
        ({"ticker": "TSLA"}, [SEED_003, SEED_004]),
        ({"from": "2025"}, [SEED_003]),
        ({"to": "2024-12-31"}, [SEED_000]),
        ({"from": "2024-09-14", "to": "2024-09-14"}, [SEED_000]),
        ({"from": "2024-09", "to": "2025-01", "ticker": "AVGO"}, [SEED_000]),
        ({"from": "2026"}, []),
    ],
)
def test_api_commentaries_filters(
    client: TestClient, seed_ids: dict[str, int], params: dict[str, str], expected: list[str]
) -> None:
    data = client.get("/api/commentaries", params=params).json()
    assert [item["id"] for item in data["items"]] == [seed_ids[name] for name in expected]
    assert data["total"] == len(expected)


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        (
            {"from": "2025-13"},
            "无法识别的日期：「from:2025-13」（请写成 2024-09-14、2024-09 或 2024 这样的格式）",
        ),
        (
            {"to": "tomorrow"},
            "无法识别的日期：「to:tomorrow」（请写成 2024-09-14、2024-09 或 2024 这样的格式）",
        ),
        ({"ticker": "NOPE"}, "词典里没有代码或名称为“NOPE”的标的。"),
    ],
)
def test_api_commentaries_refuses_bad_filters(
    client: TestClient, params: dict[str, str], detail: str
) -> None:
    response = client.get("/api/commentaries", params=params)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "bad_query", "message": detail, "detail": None},
    )


def test_month_dates_overlap_a_date_filter(tmp_path: Any) -> None:
    settings, ids = build_archive(
        tmp_path,
        {
            "month": ("三月的评论。", {"date": "2025-03"}),
            "day": ("三月十二日的评论。", {"date": "2025-03-12"}),
        },
    )
    with TestClient(create_app(settings)) as fresh:

        def listed(**params: str) -> list[int]:
            return [i["id"] for i in fresh.get("/api/commentaries", params=params).json()["items"]]

        assert listed(**{"from": "2025-03-20"}) == [ids["month"]]
        assert listed(**{"from": "2025-03-12", "to": "2025-03-12"}) == [ids["day"], ids["month"]]
        assert listed(to="2025-02-28") == []
        assert listed(**{"from": "2025-04"}) == []


def test_api_commentary(client: TestClient, seed_ids: dict[str, int]) -> None:
    doc = seed_ids[SEED_003]
    data = client.get(f"/api/commentaries/{doc}").json()
    assert set(data) == ITEM_KEYS | {
        *("author", "title_source", "source_url", "body", "mentions", "neighbours", "related"),
    }
    assert (data["title"], data["date"], data["date_precision"]) == (
        "纳指如期突破年内高点;A股市场处于节前交易平淡期",
        "2025-01-20",
        "inferred",
    )
    assert data["body"].startswith("美国市场\n一、纳指如期突破年内高点")
    assert data["mentions"][0] == {
        "id": data["mentions"][0]["id"],
        "symbol": "IXIC",
        "alias": "纳指",
        "start": 7,
        "end": 9,
    }
    for m in data["mentions"]:
        assert data["body"][m["start"] : m["end"]] == m["alias"]
    assert data["neighbours"]["previous"]["id"] == seed_ids[SEED_000]
    assert set(data["neighbours"]["previous"]) == ITEM_KEYS
    assert data["neighbours"]["next"] is None
    # Which are related (here SEED_004 only, above the thresholds): tests/web/test_related.py.
    assert all(r["id"] != doc for r in data["related"])


@pytest.mark.parametrize(
    ("name", "previous", "following"),
    [
        (SEED_000, None, SEED_003),
        (SEED_003, SEED_000, None),
        # Undated commentaries neighbour each other, in the order they were added.
        (SEED_001, None, SEED_002),
        (SEED_002, SEED_001, SEED_004),
        (SEED_004, SEED_002, None),
    ],
)
def test_neighbours_by_date(
    client: TestClient,
    seed_ids: dict[str, int],
    name: str,
    previous: str | None,
    following: str | None,
) -> None:
    near = client.get(f"/api/commentaries/{seed_ids[name]}").json()["neighbours"]
    got = [near["previous"] and near["previous"]["id"], near["next"] and near["next"]["id"]]
    assert got == [previous and seed_ids[previous], following and seed_ids[following]]
    html = client.get(f"/c/{seed_ids[name]}").text
    for rel, other in (("prev", previous), ("next", following)):
        if other is None:
            assert f'rel="{rel}"' not in html
        else:
            assert f'<a rel="{rel}" href="/c/{seed_ids[other]}">' in html


def test_commentary_page(client: TestClient, seed_ids: dict[str, int]) -> None:
    doc = seed_ids[SEED_004]
    html = client.get(f"/c/{doc}").text
    assert "<h1>AI狂热最终会如何收场</h1>" in html
    # Its "作者:" line runs on into the text: that is no byline.
    assert '<span class="author">' not in html
    assert "约 20 分钟读完" in html  # 7,9xx characters at 400 a minute
    assert "页:" not in html.split('<div class="body">')[1]
    assert f'<a href="/c/{doc}.txt">原始文本</a>' in html
    assert '<a class="chip" href="/tickers/NVDA">NVDA</a>' in html
    assert html.count('<a class="mention" id="m') == len(
        client.get(f"/api/commentaries/{doc}").json()["mentions"]
    )
    assert '<h2 id="related">相关评论</h2>' in html
    assert f'<link rel="canonical" href="/c/{doc}">' in html
    highlighted = client.get(f"/c/{doc}", params={"q": "降息"}).text
    assert f'<link rel="canonical" href="/c/{doc}">' in highlighted


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
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.endswith("这些评级也是造成AI泡沫潮中Fomo的重要原因。\n页:\n[1]")


def test_newest_feed(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get("/feed.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"{TAG}/c/{seed_ids[name]}" for name in NEWEST_FIRST]
    first = feed.findall(f"{ATOM}entry")[0]
    assert first.findtext(f"{ATOM}published") == "2025-01-20T00:00:00Z"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/c/1",
        "/search?q=降息",
        "/tickers",
        "/tickers/NVDA",
        "/timeline",
        "/timeline/2025",
        "/timeline/2024/09",
        "/timeline/2024/09/14",
        "/timeline/undated",
        "/help",
    ],
)
def test_every_page_has_a_title_a_canonical_url_and_the_feed(client: TestClient, path: str) -> None:
    html = client.get(path).text
    title = re.search(r"<title>(.+?)</title>", html)
    assert title is not None and title.group(1).endswith(" · 评论档案 Commentary Archive")
    assert len(title.group(1)) > len(" · 评论档案 Commentary Archive")
    assert re.search(r'<link rel="canonical" href="/[^"]*">', html)
    assert FEED_LINK + ' href="/feed.atom">' in html
    assert '<html lang="zh-CN">' in html
    assert '<a class="skip-link" href="#main">跳到正文</a>' in html


def test_unknown_pages_are_a_friendly_404(client: TestClient) -> None:
    page = client.get("/c/99999")
    assert page.status_code == 404
    assert "<title>404 · 页面不存在 · 评论档案 Commentary Archive</title>" in page.text
    assert "没有编号为 99999 的评论。" in page.text
    assert '<a href="/timeline">按时间浏览</a>' in page.text
    nowhere = client.get("/no/such/page")
    assert nowhere.status_code == 404
    assert "这个地址没有对应的页面" in nowhere.text
    api = client.get("/api/commentaries/99999")
    assert (api.status_code, api.json()) == (
        404,
        {"error": "not_found", "message": "没有编号为 99999 的评论。", "detail": None},
    )
    assert client.get("/c/abc").status_code == 404


def test_a_failure_is_a_friendly_500(failing_home: TestClient) -> None:
    page = failing_home.get("/")
    api = failing_home.get("/api/commentaries/1")
    assert page.status_code == 500
    assert "<h1>服务器出错了" in page.text
    assert "the database went away" not in page.text
    assert api.status_code == 200


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "ok", "index": "ok", "documents": 5, "indexed": 5},
    )


def test_healthz_without_index(settings: Settings) -> None:
    reason = without_index(settings)
    with TestClient(create_app(settings)) as fresh:
        response = fresh.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["index"] == reason


def test_hostile_text_is_escaped(index_commentary: Callable[..., int], settings: Settings) -> None:
    doc = index_commentary(
        "<script>alert(1)</script> 降息 <img src=x onerror=alert(2)>",
        title="<b>标题</b>",
        source="<i>src</i>",
        url="javascript:alert(3)",
    )
    with TestClient(create_app(settings)) as fresh:
        pages = [
            fresh.get("/").text,
            fresh.get(f"/c/{doc}", params={"q": "<script>"}).text,
            fresh.get("/timeline/undated").text,
            fresh.get("/feed.atom").text,
        ]
    for html in pages:
        assert "<script>" not in html
        assert "<img" not in html
        assert "<b>标题</b>" not in html
        assert "javascript:" not in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in pages[0]
