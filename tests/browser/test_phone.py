"""Every page type on a 360 px phone: nothing wider than the screen, no console or
security-policy error; the ticker and timeline pages photographed at 390 and 1280 px
into test-artifacts/; and the search box of a ticker page searches that ticker only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs, unquote, urlsplit
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.browser

PHONE = 360
SHOTS = (390, 1280)
OVERFLOW = "document.documentElement.scrollWidth"
# Every element whose box reaches past the right edge of the screen, for the message.
WIDE = """w => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > w + 0.5)
  .slice(0, 5).map(el => el.tagName + '.' + el.className)"""


REFUSED = "Failed to load resource: the server responded with a status of {}"
# Pages whose own status is an error: the browser logs that status, and nothing else.
ERROR_PAGES = {"/search?q=*abc": 400, "/no/such/page": 404}


@pytest.fixture
def tab(browser: Any, server_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": PHONE, "height": 780}, locale="zh-CN")
    page = context.new_page()
    complaints: list[str] = []
    expected = {
        (REFUSED.format(f"{status} ({'Bad Request' if status == 400 else 'Not Found'})"), path)
        for path, status in ERROR_PAGES.items()
    }

    def on_console(message: Any) -> None:
        if message.type not in ("error", "warning"):
            return
        where = urlsplit(message.location.get("url", ""))
        path = where.path + (f"?{where.query}" if where.query else "")
        if (message.text, unquote(path)) not in expected:
            complaints.append(f"{message.text} at {path}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: complaints.append(str(e)))
    yield page
    context.close()
    # A resource the security policy blocks is reported on the console as an error.
    assert complaints == []


def _status(url: str) -> int:
    try:
        with urlopen(url) as answer:
            return int(answer.status)
    except HTTPError as error:
        return error.code


def _pages(server_url: str) -> list[tuple[str, str, int]]:
    """(name, path, status) of every page type."""
    with urlopen(server_url + "/api/commentaries?per_page=100") as answer:
        first = json.load(answer)["items"][0]["id"]
    pages = [
        ("home", "/", 200),
        ("search", "/search?q=降息", 200),
        ("search-error", "/search?q=*abc", 400),
        ("search-ticker", "/search?q=降息&ticker=NVDA", 200),
        ("commentary", f"/c/{first}", 200),
        ("ticker", "/tickers/NVDA", 200),
        ("tickers", "/tickers", 200),
        ("tickers-by-date", "/tickers?sort=last", 200),
        ("timeline", "/timeline", 200),
        ("timeline-year", "/timeline/2024", 200),
        ("timeline-month", "/timeline/2024/09", 200),
        ("timeline-day", "/timeline/2024/09/14", 200),
        ("timeline-undated", "/timeline/undated", 200),
        ("help", "/help", 200),
        ("not-found", "/no/such/page", 404),
    ]
    if _status(server_url + "/docs") == 200:
        pages.append(("docs", "/docs", 200))
    return pages


def test_no_page_is_wider_than_a_phone(tab: Any, server_url: str) -> None:
    for name, path, status in _pages(server_url):
        response = tab.goto(server_url + path)
        assert response is not None and response.status == status, (name, path)
        width = tab.evaluate(OVERFLOW)
        assert width <= PHONE, f"{name} ({path}) is {width}px wide: {tab.evaluate(WIDE, PHONE)}"


@pytest.mark.parametrize("words", ["英伟达", "降息", "美联储 降息", "芯片"])
def test_search_with_expansion_keeps_its_link_whole(tab: Any, server_url: str, words: str) -> None:
    tab.goto(server_url + "/search?q=" + words)
    link = tab.get_by_role("link", name="只搜字面").element_handle()
    for width in range(PHONE, 1281, 12):
        tab.set_viewport_size({"width": width, "height": 780})
        # One line box: the link never breaks between its characters.
        assert tab.evaluate("el => el.getClientRects().length", link) == 1, width


def test_tickers_list_shows_whole_dates(tab: Any, server_url: str) -> None:
    tab.goto(server_url + "/tickers?sort=last")
    cell = tab.locator("table.tickers td.when time").first
    # The newest mention is in the Markdown report on 茅台 the browser archive adds.
    assert cell.inner_text() == "2025-04-03"
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    clipped = "el => el.scrollWidth > el.clientWidth"
    assert (
        tab.locator("table.tickers td.when").evaluate_all(
            f"cells => cells.filter({clipped}).length"
        )
        == 0
    )


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("ticker", "/tickers/NVDA"),
        ("timeline", "/timeline"),
        ("timeline-year", "/timeline/2024"),
        ("timeline-month", "/timeline/2024/09"),
    ],
)
def test_screenshots(tab: Any, server_url: str, artifacts: Path, name: str, path: str) -> None:
    tab.goto(server_url + path)
    for width in SHOTS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=str(artifacts / f"phone-{name}-{width}.png"), full_page=True)
        assert tab.evaluate(OVERFLOW) <= width


def test_the_ticker_search_box_searches_that_ticker(tab: Any, server_url: str) -> None:
    tab.goto(server_url + "/tickers/NVDA")
    box = tab.get_by_label("在 英伟达 的评论中搜索", exact=True).and_(tab.locator("input"))
    box.fill("降息")
    box.press("Enter")
    tab.wait_for_url("**/search?*")
    query = parse_qs(urlsplit(tab.url).query)
    assert query == {"ticker": ["NVDA"], "q": ["降息"]}
    # Exactly the commentaries that name Nvidia and 降息 (as /api/search answers).
    titles = tab.locator("article.card h2 a").all_inner_texts()
    assert sorted(titles) == sorted(
        [
            "2024年9月14日周末特辑:SPY收复失地,小盘股抢跑降息;FOMC真的会降50个基点吗,"
            "OpenAI新模型对行业又意味着什么?附本周操作总结",
            "到周五晚些时候,市场的情形就像那些老交易所的寓言…",
            "AI狂热最终会如何收场",
            "科技之神眨眼",
        ]
    )
    assert "NVDA 英伟达 ×" in tab.locator(".active-filters").inner_text()
