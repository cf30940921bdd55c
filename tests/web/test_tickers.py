"""Ticker list, ticker pages, their JSON twins and feeds, over the seeded archive."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004
from tests.instruments.test_extract import SEED_SYMBOLS

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:commentary-archive.invalid,2026:"
ROW_KEYS = {"symbol", "issuer", "name", "name_zh", "kind", "documents", "mentions", "last_date"}


def _rows(client: TestClient, **params: str) -> list[dict[str, Any]]:
    response = client.get("/api/tickers", params=params)
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_api_tickers_lists_every_mentioned_instrument(client: TestClient) -> None:
    rows = _rows(client)
    assert all(set(row) == ROW_KEYS for row in rows)
    assert {row["symbol"] for row in rows} == set().union(*SEED_SYMBOLS.values())
    assert len(rows) == 58
    by_symbol = {row["symbol"]: row for row in rows}
    assert by_symbol["NVDA"] == {
        "symbol": "NVDA",
        "issuer": "NVDA",
        "name": "Nvidia",
        "name_zh": "英伟达",
        "kind": "stock",
        "documents": 4,
        "mentions": 34,
        "last_date": "2024-09-14",
    }
    assert by_symbol["BABA"]["last_date"] is None
    assert by_symbol["BABA"]["issuer"] == "ALIBABA"
    assert by_symbol["IXIC"] == {
        "symbol": "IXIC",
        "issuer": "IXIC",
        "name": "Nasdaq Composite",
        "name_zh": "纳斯达克综合指数",
        "kind": "index",
        "documents": 3,
        "mentions": 5,
        "last_date": "2025-01-20",
    }
    # The default order is by mentions, most first, ties by symbol.
    assert [row["symbol"] for row in rows[:6]] == ["NVDA", "BABA", "9984.T", "MSFT", "ORCL", "AMD"]


def test_api_tickers_sorts_and_filters(client: TestClient) -> None:
    by_symbol = [row["symbol"] for row in _rows(client, sort="symbol")]
    assert by_symbol == sorted(by_symbol)
    by_documents = [(row["symbol"], row["documents"]) for row in _rows(client, sort="documents")]
    assert by_documents[:4] == [("NVDA", 4), ("BTC", 3), ("IXIC", 3), ("META", 3)]
    latest = [row["last_date"] for row in _rows(client, sort="last")]
    dated = [d for d in latest if d]
    assert dated == sorted(dated, reverse=True)
    assert latest[len(dated) :] == [None] * (len(latest) - len(dated))
    for needle in ("英伟达", "輝達", "nvidia", "nvda", "英偉達"):
        assert [row["symbol"] for row in _rows(client, filter=needle)] == ["NVDA"]
    assert [row["symbol"] for row in _rows(client, filter="阿里")] == ["BABA"]
    assert _rows(client, filter="可口可乐") == []
    bad = client.get("/api/tickers", params={"sort": "price"})
    assert bad.status_code == 400
    assert bad.json() == {
        "error": "bad_request",
        "message": "请求参数有误：排序方式 sort 只能是 mentions、documents、symbol、last 之一",
        "detail": [
            {
                "parameter": "sort",
                "message": "排序方式 sort 只能是 mentions、documents、symbol、last 之一",
            }
        ],
    }


def test_tickers_page_is_a_sortable_filterable_table(client: TestClient) -> None:
    page = client.get("/tickers", params={"sort": "documents"})
    assert page.status_code == 200
    symbols = re.findall(r'<td><a class="chip" href="/tickers/([^"]+)">', page.text)
    assert symbols[:4] == ["NVDA", "BTC", "IXIC", "META"]
    assert len(symbols) == 58
    assert '<th scope="col" aria-sort="descending">' in page.text
    assert 'href="/tickers?sort=symbol"' in page.text
    assert '<input id="filter" name="filter"' in page.text
    filtered = client.get("/tickers", params={"filter": "輝達", "sort": "symbol"})
    assert re.findall(r'<td><a class="chip" href="/tickers/([^"]+)">', filtered.text) == ["NVDA"]
    assert 'href="/tickers?sort=mentions&amp;filter=%E8%BC%9D%E9%81%94"' in filtered.text


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/tickers/nvda", "/tickers/NVDA"),
        ("/tickers/英伟达", "/tickers/NVDA"),
        ("/tickers/輝達", "/tickers/NVDA"),
        ("/tickers/Nvidia", "/tickers/NVDA"),
        ("/tickers/NVDA.US", "/tickers/NVDA"),
        ("/tickers/00700.HK", "/tickers/0700.HK"),
        ("/tickers/brk-b?page=2", "/tickers/BRK.B?page=2"),
        ("/tickers/nvda.atom", "/tickers/NVDA.atom"),
        ("/api/tickers/英偉達?per_page=5", "/api/tickers/NVDA?per_page=5"),
    ],
)
def test_symbols_in_any_case_and_aliases_redirect(
    client: TestClient, path: str, location: str
) -> None:
    response = client.get(path, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (308, location)


def test_unknown_ticker_is_a_404_with_suggestions(client: TestClient) -> None:
    page = client.get("/tickers/NVDX")
    assert page.status_code == 404
    assert "没有这个代码：NVDX" in page.text
    suggested = re.findall(r'<a class="chip" href="/tickers/([^"]+)">', page.text)
    assert "NVDA" in suggested
    api = client.get("/api/tickers/NVDX")
    assert api.status_code == 404
    assert api.json()["error"] == "unknown_ticker"
    assert api.json()["message"] == "词典里没有代码或名称为“NVDX”的标的。"
    assert "NVDA" in api.json()["detail"]["suggestions"]
    # 超微 means AMD or Supermicro: it is not a page of its own.
    assert client.get("/tickers/超微").status_code == 404
    assert client.get("/tickers/%3Cscript%3E").text.count("<script>") == 0


def test_api_ticker_shape(client: TestClient, seed_ids: dict[str, int]) -> None:
    data = client.get("/api/tickers/NVDA", params={"per_page": 5, "page": 2}).json()
    assert set(data) == {
        *("symbol", "issuer", "listings", "learned", "name", "name_zh", "aliases"),
        *("documents", "mentions_total"),
        *("first_date", "last_date", "monthly", "co_mentions", "mentions", "page", "per_page"),
    }
    assert {k: data[k] for k in ("symbol", "name", "name_zh", "documents", "mentions_total")} == {
        "symbol": "NVDA",
        "name": "Nvidia",
        "name_zh": "英伟达",
        "documents": 4,
        "mentions_total": 34,
    }
    assert data["aliases"] == ["英伟达", "Nvidia", "NVIDIA", "英偉達", "輝達", "辉达"]
    assert (data["first_date"], data["last_date"]) == ("2024-09-14", "2024-09-14")
    assert data["monthly"] == [{"month": "2024-09", "count": 13}]
    assert data["co_mentions"][:2] == [
        {"symbol": "BTC", "name": "比特币", "count": 3},
        {"symbol": "AVGO", "name": "博通", "count": 2},
    ]
    assert len(data["co_mentions"]) == 12
    assert (data["page"], data["per_page"]) == (2, 5)
    assert len(data["mentions"]) == 5
    first = data["mentions"][0]
    assert set(first) == {"id", "commentary_id", "title", "date", "alias", "symbol", "snippet_html"}
    assert first["symbol"] == "NVDA"
    assert (data["issuer"], data["listings"], data["learned"]) == ("NVDA", ["NVDA"], False)
    assert (first["commentary_id"], first["date"], first["alias"]) == (
        seed_ids[SEED_000],
        "2024-09-14",
        "NVDA",
    )
    assert (
        first["snippet_html"] == "一份群内分享的研报显示,<mark>NVDA</mark>贡献了SPY周五近44%的涨幅;"
    )


def test_api_ticker_pages_walk_every_mention_newest_first(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    seen: list[dict[str, Any]] = []
    for page in range(1, 5):
        seen += client.get("/api/tickers/NVDA", params={"per_page": 10, "page": page}).json()[
            "mentions"
        ]
    assert len(seen) == 34
    assert len({m["id"] for m in seen}) == 34
    order = [m["commentary_id"] for m in seen]
    # Dated first (2024-09-14), then the undated ones, newest ingested first.
    dated = [seed_ids[SEED_000]]
    undated = sorted((seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]), reverse=True)
    assert list(dict.fromkeys(order)) == dated + undated
    empty = client.get("/api/tickers/NVDA", params={"per_page": 10, "page": 5}).json()
    assert empty["mentions"] == []


def test_ticker_page(client: TestClient, seed_ids: dict[str, int]) -> None:
    page = client.get("/tickers/NVDA")
    assert page.status_code == 200
    html = page.text
    assert '<h1><span class="symbol">NVDA</span> 英伟达 <small>Nvidia</small></h1>' in html
    assert "别名：英伟达、Nvidia、NVIDIA、英偉達、輝達、辉达" in html
    assert "4 篇评论，34 次提及，首次 2024年9月14日，最近 2024年9月14日" in html
    assert '<svg class="chart" role="img"' in html
    assert "<title>2024年9月：13 次提及</title>" in html
    # A y-axis of counts: 0 to 15 in steps of 5 for a peak of 13.
    axis = html.split('<svg class="chart-axis" aria-hidden="true"')[1].split("</svg>")[0]
    assert re.findall(r'class="tick" text-anchor="end">(\d+)<', axis) == ["0", "5", "10", "15"]
    assert (
        '<form class="ticker-search" action="/search" method="get" role="search"'
        ' aria-label="在 英伟达 的评论中搜索">'
    ) in html
    assert '<label for="ticker-q">在 英伟达 的评论中搜索</label>' in html
    assert '<input type="hidden" name="ticker" value="NVDA">' in html
    assert "另有 21 次提及出自未注明日期的评论，不在图中。" in html
    assert (
        '<a class="chip" href="/tickers/BTC">BTC <span class="name">比特币</span>'
        ' <span class="count">3</span></a>'
    ) in html
    assert (
        '<a class="chip" href="/tickers/AVGO">AVGO <span class="name">博通</span>'
        ' <span class="count">2</span></a>'
    ) in html
    groups = [int(i) for i in re.findall(r'<h3><a href="/c/(\d+)">', html)]
    assert groups == [
        seed_ids[SEED_000],
        *sorted((seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]), reverse=True),
    ]
    links = re.findall(r'<a class="mention" href="/c/(\d+)#m(\d+)" title="[^"]*"><mark>', html)
    assert len(links) == 34
    # Two mentions in one sentence are one line with both marked and linked.
    c = seed_ids[SEED_000]
    line = (
        rf'<li><a class="jump" href="/c/{c}#m\d+"[^>]*>¶</a> 其中'
        rf'<a class="mention" href="/c/{c}#m\d+" title="英伟达"><mark>英伟达</mark></a>'
        r"最为明显,受Gex 120 Call Wall影响,"
        rf'<a class="mention" href="/c/{c}#m\d+" title="NVDA"><mark>NVDA</mark></a>'
    )
    assert re.search(line, html)
    assert '<link rel="alternate" type="application/atom+xml" title="NVDA"' in html


def test_ticker_page_without_mentions_or_dates(client: TestClient) -> None:
    known = client.get("/tickers/KO")
    assert known.status_code == 200
    assert "还没有评论提到 KO。" in known.text
    assert "每月提及" not in known.text
    undated = client.get("/tickers/BABA")
    assert "<svg" not in undated.text
    assert "另有 11 次提及出自未注明日期的评论，不在图中。" in undated.text


def test_ticker_page_is_paginated(client: TestClient) -> None:
    assert 'class="pager"' not in client.get("/tickers/NVDA").text
    second = client.get("/tickers/NVDA", params={"page": 2, "per_page": 10}).text
    assert "第 2 / 4 页" in second
    assert '<a rel="prev" href="/tickers/NVDA?per_page=10">' in second
    assert '<a rel="next" href="/tickers/NVDA?page=3&amp;per_page=10">' in second
    assert len(re.findall(r'<a class="mention" href=', second)) == 10
    last = client.get("/tickers/NVDA", params={"page": 4, "per_page": 10}).text
    assert len(re.findall(r'<a class="mention" href=', last)) == 4
    assert 'rel="next"' not in last
    for bad in ({"page": 0}, {"per_page": 101}, {"page": "x"}):
        assert client.get("/tickers/NVDA", params=bad).status_code == 400


def test_commentary_page_links_every_mention(client: TestClient, seed_ids: dict[str, int]) -> None:
    doc = seed_ids[SEED_003]
    api = client.get(f"/api/commentaries/{doc}").json()
    page = client.get(f"/c/{doc}").text
    anchors = re.findall(r'<a class="mention" id="m(\d+)" href="/tickers/([^"]+)"', page)
    assert [(int(i), s) for i, s in anchors] == [(m["id"], m["symbol"]) for m in api["mentions"]]
    assert [(m["symbol"], m["alias"]) for m in api["mentions"]][:3] == [
        ("IXIC", "纳指"),
        ("TSLA", "Tesla"),
        ("IXIC", "纳斯达克指数"),
    ]
    for m in api["mentions"]:
        assert api["body"][m["start"] : m["end"]] == m["alias"]


def test_ticker_feed(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get("/tickers/NVDA.atom")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "NVDA · 评论档案"
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    expected = [
        seed_ids[SEED_000],
        *sorted((seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]), reverse=True),
    ]
    assert ids == [f"{TAG}/c/{i}" for i in expected]
    assert client.get("/tickers/NVDX.atom").status_code == 404
    assert seed_ids[SEED_003] not in expected
