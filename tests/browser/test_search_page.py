"""The search page in a real browser: named facets, a long facet folded behind 更多
that opens without script, snippets with every query word, at 360 px and wider.
Screenshots go to test-artifacts/search-facets-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import watch

pytestmark = pytest.mark.browser


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def page(request: pytest.FixtureRequest, browser: Any, server_url: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 360, "height": 800},
        locale="zh-CN",
        java_script_enabled=request.param,
    )
    tab = context.new_page()
    seen = watch(tab, server_url)
    yield tab
    context.close()
    assert seen.outside == []
    assert seen.complaints == []


def test_facets_fold_and_open_at_360_px(page: Any, server_url: str, artifacts: Path) -> None:
    page.goto(server_url + "/search?q=" + quote("ticker:NVDA 降息"))
    facet = page.locator(".facets .facet-list").first
    assert facet.locator("li").count() == 10
    assert facet.locator("li").first.inner_text().split() == ["NVDA", "英伟达", "4"]
    more = page.locator(".facets details.facet-more")
    assert more.count() == 1
    folded = more.locator("li")
    assert folded.count() == 2
    assert not folded.first.is_visible()
    more.locator("summary").click()
    assert folded.first.is_visible()
    page.locator(".facets").screenshot(path=str(artifacts / "search-facets-open-360.png"))
    page.locator("article.card").first.screenshot(path=str(artifacts / "search-hit-360.png"))
    assert (
        page.locator(".facets h2 + .facet-list").nth(1).locator("li").inner_text()
        == ("2024年9月 1")
        or page.locator(".facets").inner_text().count("2024年9月") == 1
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if page.context.browser is not None:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
            page.screenshot(path=str(artifacts / f"search-facets-{width}.png"), full_page=True)
    page.locator(".facets").screenshot(path=str(artifacts / "search-facets-open-1280.png"))


def test_snippets_show_the_word_and_the_ticker(page: Any, server_url: str) -> None:
    page.goto(server_url + "/search?q=" + quote("ticker:NVDA 降息"))
    first = page.locator("article.card").first
    marks = first.locator(".snippet").first.locator("mark").all_inner_texts()
    assert marks == ["NVDA", "降息"]
