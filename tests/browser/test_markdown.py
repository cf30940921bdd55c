"""A Markdown commentary in a real browser: opened from a search whose word stands in a
list item, its structure rendered (headings, bold name, list, table, quote), the
highlight and the mention anchors on the right words, a table that scrolls inside its
own box on a phone, and nothing the console or the security policy complains about.
Screenshots at 390 and 1280 px go to test-artifacts/commentary-md-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import IN_VIEW, NARROWEST, WIDTHS

pytestmark = pytest.mark.browser

IN_LIST_ITEM = "经销商"  # stands only in the second item of the commentary's list


def _open_from_search(page: Any, server_url: str) -> None:
    page.goto(f"{server_url}/search?q={quote(IN_LIST_ITEM)}")
    hit = page.locator("article.card h2 a")
    assert hit.count() == 1
    assert hit.inner_text() == "贵州茅台年报点评：直销占比再创新高"
    hit.click()
    page.wait_for_url("**/c/*#hl")


def test_a_highlight_in_a_list_item(page: Any, server_url: str, artifacts: Path) -> None:
    _open_from_search(page, server_url)
    first = page.locator("mark#hl")
    assert first.inner_text() == IN_LIST_ITEM
    assert first.evaluate(IN_VIEW)
    item = first.evaluate("el => el.closest('li').textContent")
    assert item == "批发代理渠道收入996亿元，经销商数量较年初净减少，渠道库存保持在合理水平；"
    assert first.evaluate("el => el.closest('ul').parentElement.className") == "body"
    assert page.locator(".body mark").count() == 1
    for width in (NARROWEST, *WIDTHS):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px too wide at {width}px"
        if width in WIDTHS:
            page.screenshot(path=str(artifacts / f"commentary-md-{width}.png"), full_page=True)
        if width == NARROWEST:
            # The table is wider than a phone: it scrolls inside its own box.
            box = page.locator(".body .table-scroll")
            assert box.evaluate("el => el.scrollWidth > el.clientWidth")
            assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"


def test_the_structure_is_rendered_not_shown_as_markup(page: Any, server_url: str) -> None:
    _open_from_search(page, server_url)
    body = page.locator(".body")
    assert page.locator("h1").inner_text() == "贵州茅台年报点评：直销占比再创新高"
    assert body.locator("h2").all_inner_texts() == ["业绩概览", "渠道与产品", "投资观点"]
    assert body.locator("strong").all_inner_texts() == ["贵州茅台", "直销占比"]
    assert body.locator("strong a.mention").get_attribute("href") == "/tickers/600519.SS"
    assert body.locator("ul > li").count() == 3
    assert body.locator("table th").all_inner_texts() == ["指标", "2024年", "同比", "占营收比重"]
    assert body.locator("table tbody tr").count() == 4
    cell = body.locator("table tbody tr").first.locator("td").nth(1)
    assert cell.inner_text() == "1,741亿元"
    assert cell.evaluate("el => getComputedStyle(el).textAlign") == "right"
    assert body.locator("blockquote").inner_text() == (
        "高端白酒需求仍在承压，但品牌力与渠道掌控力依然是行业最强。"
    )
    text = body.inner_text()
    for markup in ("**", "##", "|", "---", "> "):
        assert markup not in text


def test_a_mention_in_a_list_item_is_a_jump_target(page: Any, server_url: str) -> None:
    _open_from_search(page, server_url)
    doc = page.url.split("/c/", 1)[1].split("?", 1)[0]
    mentions = page.request.get(f"{server_url}/api/commentaries/{doc}").json()["mentions"]
    last = mentions[-1]  # 茅台 in the last item of the list
    assert (last["alias"], last["symbol"]) == ("茅台", "600519.SS")
    anchor = f"m{last['id']}"
    page.goto(server_url + "/tickers/600519.SS")
    page.locator(f'a.jump[href="/c/{doc}#{anchor}"]').click()
    page.wait_for_url(f"**/c/{doc}#{anchor}")
    target = page.locator(f"a#{anchor}")
    assert target.inner_text() == "茅台"
    assert target.evaluate("el => el.closest('li').textContent").startswith("系列酒收入247亿元")
    assert target.evaluate(IN_VIEW)
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
