"""The search page, its JSON twin and feed, the help page, and hostile or broken input."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.instruments.named import Named
from app.web.app import create_app
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:commentary-archive.invalid,2026:"
HIT_KEYS = {"id", "title", "date", "date_precision", "source", "url", "tickers", "score"}
HIT_KEYS |= {"snippets_html"}


def _hit_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h2><a href="/c/(\d+)', html)]


def test_api_search_shape(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get("/api/search", params={"q": "英伟达"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        *("query", "expanded", "synonyms", "total", "page", "per_page", "sort", "took_ms"),
        *("hits", "facets", "total_exact", "partial"),
    }
    assert (data["query"], data["total"], data["page"], data["per_page"], data["sort"]) == (
        "英伟达",
        4,
        1,
        20,
        "relevance",
    )
    assert data["expanded"] == [
        {"word": "英伟达", "symbol": "NVDA", "names": ["NVDA", "Nvidia", "輝達"]}
    ]
    assert data["synonyms"] == []
    assert isinstance(data["took_ms"], float)
    assert {h["id"] for h in data["hits"]} == {
        seed_ids[name] for name in (SEED_000, SEED_001, SEED_002, SEED_004)
    }
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)
    for hit in data["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["url"] == f"/c/{hit['id']}"
        assert 1 <= len(hit["snippets_html"]) <= 3
    by_id = {h["id"]: h for h in data["hits"]}
    seed_001 = by_id[seed_ids[SEED_001]]
    # Found through the alias: its own word for Nvidia is highlighted.
    assert "<mark>Nvidia</mark>" in seed_001["snippets_html"][0]
    assert (seed_001["date"], seed_001["date_precision"], seed_001["source"]) == (
        None,
        "none",
        None,
    )
    assert by_id[seed_ids[SEED_000]]["date"] == "2024-09-14"
    assert data["facets"]["tickers"][:2] == [
        {"symbol": "NVDA", "name": "英伟达", "count": 4},
        {"symbol": "BTC", "name": "比特币", "count": 3},
    ]
    assert data["facets"]["months"] == [{"month": "2024-09", "label": "2024年9月", "count": 1}]


def test_api_search_orders_and_pages(client: TestClient, seed_ids: dict[str, int]) -> None:
    def ids(**params: object) -> list[int]:
        return [h["id"] for h in client.get("/api/search", params=params).json()["hits"]]

    undated = sorted((seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]))
    assert ids(q="英伟达", sort="newest") == [seed_ids[SEED_000], *undated[::-1]]
    assert ids(q="英伟达", sort="oldest") == [seed_ids[SEED_000], *undated]
    assert ids(q="英伟达", sort="newest", per_page=2, page=2) == undated[::-1][1:]
    literal = client.get("/api/search", params={"q": "英伟达", "literal": "true"}).json()
    assert literal["expanded"] == []
    assert {h["id"] for h in literal["hits"]} == {
        seed_ids[name] for name in (SEED_000, SEED_002, SEED_004)
    }
    newest = client.get("/api/search").json()
    assert (newest["sort"], newest["total"]) == ("newest", 5)
    assert [h["id"] for h in newest["hits"]][:2] == [seed_ids[SEED_003], seed_ids[SEED_000]]
    filtered = client.get("/api/search", params={"ticker": ["nvda", "AVGO"]}).json()
    assert [h["id"] for h in filtered["hits"]] == [seed_ids[SEED_000], seed_ids[SEED_004]]
    dated = client.get("/api/search", params={"from": "2025-01", "to": "2025-01-31"}).json()
    assert [h["id"] for h in dated["hits"]] == [seed_ids[SEED_003]]


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"q": "降" * 5000}, 400, "查询太长：5000 个字符，最多 500 个"),
        ({"q": "*伟达"}, 400, "通配符不能放在词首：「*伟达」（要写在词尾，例如 nvid*）"),
        ({"q": "，。"}, 400, "查询里没有可以搜索的文字（只有标点或符号）"),
        (
            {"q": "from:2025-02-30"},
            400,
            "无法识别的日期：「from:2025-02-30」（请写成 2024-09-14、2024-09 或 2024 这样的格式）",
        ),
        (
            {"from": "soon"},
            400,
            "无法识别的日期：「from:soon」（请写成 2024-09-14、2024-09 或 2024 这样的格式）",
        ),
        (
            {"ticker": "超微"},
            400,
            "无法识别的代码：「超微」（请写代码或公司名，例如 NVDA 或 英伟达）",
        ),
        ({"q": '"unbalanced (quote'}, 200, None),
        ({"q": "(((降息"}, 200, None),
        ({"q": "NOT"}, 200, None),
        ({"q": "降息)"}, 200, None),
    ],
)
def test_broken_input_is_a_clear_400_or_a_lenient_result(
    client: TestClient, params: dict[str, str], status: int, detail: str | None
) -> None:
    started = time.perf_counter()
    response = client.get("/api/search", params=params)
    assert time.perf_counter() - started < 2
    assert response.status_code == status
    if detail is not None:
        assert response.json() == {"error": "bad_query", "message": detail, "detail": None}
    page = client.get("/search", params=params)
    assert page.status_code == status
    if detail is not None:
        assert "查询无法执行" in page.text
        assert re.sub(r"&#39;", "'", page.text).count(detail) == 1


@pytest.mark.parametrize(
    "params",
    [{"per_page": 101}, {"page": 0}, {"page": 1001}, {"sort": "best"}, {"literal": "maybe"}],
)
def test_out_of_range_parameters_are_400(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/api/search", params={"q": "降息", **params})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert client.get("/search", params={"q": "降息", **params}).status_code == 400


def test_search_page(client: TestClient, seed_ids: dict[str, int]) -> None:
    html = client.get("/search", params={"q": "英伟达"}).text
    assert "4 篇结果" in html
    assert "“英伟达”同时匹配：NVDA、Nvidia、輝達" in html
    assert '<a href="/search?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&amp;literal=1">只搜字面</a>' in html
    assert set(_hit_ids(html)) == {
        seed_ids[name] for name in (SEED_000, SEED_001, SEED_002, SEED_004)
    }
    doc = seed_ids[SEED_000]
    assert f'<h2><a href="/c/{doc}?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE#hl">' in html
    assert "<mark>英伟达</mark>" in html
    # Facets add a filter; the month facet sets its date range.
    assert (
        'href="/search?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&amp;ticker=BTC">'
        '<span class="sym">BTC</span> <span class="facet-name">比特币</span></a>'
    ) in html
    assert (
        'href="/search?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&amp;from=2024-09-01&amp;to=2024-09-30">'
        "2024年9月</a>"
    ) in html
    assert '<a href="/search?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&amp;sort=newest">最新</a>' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_search_page_filters_and_pages(client: TestClient, seed_ids: dict[str, int]) -> None:
    html = client.get("/search", params={"q": "降息", "ticker": "NVDA", "per_page": 1}).text
    assert "4 篇结果" in html
    assert "第 1 / 4 页" in html
    assert 'href="/search?q=%E9%99%8D%E6%81%AF&amp;ticker=NVDA&amp;per_page=1&amp;page=2"' in html
    remove = '<a class="chip" href="/search?q=%E9%99%8D%E6%81%AF&amp;per_page=1"'
    assert remove + ' aria-label="去掉 NVDA 英伟达">NVDA 英伟达 ×</a>' in html
    assert '<input type="hidden" name="ticker" value="NVDA">' in html
    literal = client.get("/search", params={"q": "英伟达", "literal": 1}).text
    assert "只按字面搜索" in literal
    assert set(_hit_ids(literal)) == {seed_ids[n] for n in (SEED_000, SEED_002, SEED_004)}
    assert (
        f'<h2><a href="/c/{seed_ids[SEED_000]}?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&amp;literal=1#hl">'
        in literal
    )


def test_empty_search_lists_the_newest(client: TestClient, seed_ids: dict[str, int]) -> None:
    html = client.get("/search").text
    assert "<h1>最新评论</h1>" in html
    assert _hit_ids(html)[:2] == [seed_ids[SEED_003], seed_ids[SEED_000]]
    assert client.get("/search", params={"ticker": "AVGO"}).text.count("<article") == 2


def test_a_hit_opens_with_the_same_words_highlighted(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    html = client.get(f"/c/{seed_ids[SEED_001]}", params={"q": "英伟达"}).text
    # Expanded: the commentary says Nvidia, and that is what is marked and scrolled to.
    assert '<mark id="hl">Nvidia</mark>' in html
    assert html.count("<mark>Nvidia</mark>") == 1
    literal = client.get(f"/c/{seed_ids[SEED_001]}", params={"q": "英伟达", "literal": 1}).text
    assert "<mark" not in literal


def test_search_feed(client: TestClient, seed_ids: dict[str, int]) -> None:
    response = client.get("/search.atom", params={"q": "英伟达"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "搜索：英伟达 · 评论档案"
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    undated = sorted((seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]), reverse=True)
    assert ids == [f"{TAG}/c/{i}" for i in (seed_ids[SEED_000], *undated)]
    link = feed.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None
    assert link.get("href") == "/search?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&sort=newest&per_page=50"
    assert client.get("/search.atom", params={"q": "*x"}).status_code == 400


def test_help_page_documents_the_language(client: TestClient) -> None:
    html = client.get("/help").text
    for form in (
        '"降息概率"',
        "OR",
        "-期权",
        "ticker:AVGO",
        "$AVGO",
        "from:2025-01-01",
        "year:2024",
        "source:",
        "Nvid*",
        "只搜字面",
    ):
        assert form in html, form
    assert 'href="/help"' in client.get("/").text


def test_hostile_text_is_inert_in_search(
    index_commentary: Callable[..., int], settings: Settings
) -> None:
    doc = index_commentary(
        "<script>alert(1)</script> 降息 <img src=x onerror=alert(2)>",
        title="<b>降息</b>",
        source="<i>src</i>",
    )
    with TestClient(create_app(settings)) as fresh:
        page = fresh.get("/search", params={"q": "降息 <script>"}).text
        api = fresh.get("/api/search", params={"q": "降息"}).json()
        feed = fresh.get("/search.atom", params={"q": "降息"}).text
        opened = fresh.get(f"/c/{doc}", params={"q": "<script>"}).text
    for html in (page, opened):
        assert "<script>" not in html and "<img" not in html and "<b>降息" not in html
    assert "&lt;/<mark>script</mark>&gt; <mark>降息</mark> &lt;img src=x" in page
    (hit,) = api["hits"]
    assert hit["title"] == "<b>降息</b>"
    assert hit["snippets_html"] == [
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>降息</mark> &lt;img src=x onerror=alert(2)&gt;"
    ]
    assert "<script>" not in feed and "&lt;b&gt;降息&lt;/b&gt;" in feed


@pytest.fixture
def regional(index_commentary: Callable[..., int], settings: Settings) -> Iterator[Regional]:
    """A client of an archive where Mainland and Hong Kong say "rate cut" differently."""
    ids = {
        "mainland": index_commentary("美联储宣布降息，市场反应平淡。"),
        "hongkong": index_commentary("聯儲局宣布減息，港股造好。"),
        "nvda": index_commentary("輝達財報後，市場押注減息。"),
    }
    with TestClient(create_app(settings)) as fresh:
        yield fresh, ids


Regional = tuple[TestClient, dict[str, int]]


def test_search_page_shows_the_synonyms_it_matched(regional: Regional) -> None:
    client, ids = regional
    html = client.get("/search", params={"q": "降息"}).text
    assert "3 篇结果" in html
    assert "“降息”同时匹配：減息" in html
    assert '<a href="/search?q=%E9%99%8D%E6%81%AF&amp;literal=1">只搜字面</a>' in html
    assert "<mark>減息</mark>" in html and "<mark>降息</mark>" in html
    both = client.get("/search", params={"q": "英伟达 降息"}).text
    assert _hit_ids(both) == [ids["nvda"]]
    assert "“英伟达”同时匹配：NVDA、Nvidia、輝達；" in both
    assert "“降息”同时匹配：減息" in both
    fed = client.get("/search", params={"q": "美联储"}).text
    assert "“美联储”同时匹配：联储、聯準會、聯儲局" in fed
    assert set(_hit_ids(fed)) == {ids["mainland"], ids["hongkong"]}
    literal = client.get("/search", params={"q": "降息", "literal": 1}).text
    assert "同时匹配" not in literal
    assert "只按字面搜索，不匹配代码、别名和同义词" in literal
    assert set(_hit_ids(literal)) == {ids["mainland"]}


def test_api_search_lists_the_synonyms(regional: Regional) -> None:
    client, ids = regional
    data = client.get("/api/search", params={"q": "英伟达 降息"}).json()
    assert data["synonyms"] == [{"word": "降息", "synonyms": ["減息"]}]
    assert [e["symbol"] for e in data["expanded"]] == ["NVDA"]
    (hit,) = data["hits"]
    assert hit["id"] == ids["nvda"]
    assert hit["snippets_html"] == ["<mark>輝達</mark>財報後，市場押注<mark>減息</mark>。"]
    literal = client.get("/api/search", params={"q": "降息", "literal": "true"}).json()
    assert (literal["synonyms"], literal["total"]) == ([], 1)
    opened = client.get(f"/c/{ids['hongkong']}", params={"q": "降息"}).text
    assert '<mark id="hl">減息</mark>' in opened


class _Listed:
    """The app's dictionary, knowing that TSMC trades as 2330.TW and TSM."""

    def __init__(self, dictionary: Any) -> None:
        self.dictionary = dictionary

    def __getattr__(self, name: str) -> Any:
        return getattr(self.dictionary, name)

    def _listed(self, named: Named | None) -> Named | None:
        if named is None or named.symbol not in ("TSM", "2330.TW"):
            return named
        return replace(named, listings=("2330.TW", "TSM"))

    def named(self, word: str) -> Named | None:
        return self._listed(self.dictionary.named(word))

    def ticker(self, code: str) -> Named | None:
        return self._listed(self.dictionary.ticker(code))

    def current(self) -> _Listed:
        return self


def test_a_ticker_filter_spans_the_issuers_listings(
    index_commentary: Callable[..., int], settings: Settings
) -> None:
    taipei = index_commentary("今日 2330.TW 收高，外资买超。")
    adr = index_commentary("$TSM$ 盘前上涨两个百分点。")
    index_commentary("$NVDA$ 财报在即。")
    with TestClient(create_app(settings)) as fresh:
        fresh.app.state.dictionary = _Listed(fresh.app.state.dictionary.current())  # type: ignore[attr-defined]
        for symbol in ("2330.TW", "TSM", "tsm"):
            data = fresh.get("/api/search", params={"ticker": symbol}).json()
            assert {h["id"] for h in data["hits"]} == {taipei, adr}, symbol
        html = fresh.get("/search", params={"ticker": "2330.TW"}).text
        assert 'aria-label="去掉 2330.TW 台積電">2330.TW 台積電 ×</a>' in html
        assert set(_hit_ids(html)) == {taipei, adr}
        named = fresh.get("/api/search", params={"q": "ticker:TSM"}).json()
        assert {h["id"] for h in named["hits"]} == {taipei, adr}
