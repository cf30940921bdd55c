"""What a reader does, in a real browser: search from the home page, open a hit, follow
a ticker chip, walk the timeline to a day, and jump to a mention. Screenshots of each
page at 390 and 1280 px wide go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.browser.conftest import IN_VIEW, NARROWEST, WIDTHS

pytestmark = pytest.mark.browser


def _shoot(page: Any, artifacts: Path, name: str) -> None:
    for width in (NARROWEST, *WIDTHS):
        page.set_viewport_size({"width": width, "height": 900})
        if width in WIDTHS:
            page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
        # Nothing wider than the screen: the page never scrolls sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px too wide at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_search_from_home_and_open_a_hit(page: Any, server_url: str, artifacts: Path) -> None:
    page.goto(server_url + "/")
    _shoot(page, artifacts, "home")
    page.fill("#home-q", "降息")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert unquote(page.url).endswith("/search?q=降息")
    assert page.locator(".result-bar").inner_text().startswith("5 篇结果")
    assert page.locator(".snippet mark").count() > 0
    _shoot(page, artifacts, "search")
    page.locator("article.card h2 a").first.click()
    page.wait_for_url("**/c/*")
    first = page.locator("mark#hl")
    assert first.inner_text() == "降息"
    assert first.evaluate(IN_VIEW)
    _shoot(page, artifacts, "commentary")


def test_follow_a_ticker_chip_and_jump_to_a_mention(
    page: Any, server_url: str, artifacts: Path
) -> None:
    page.goto(server_url + "/search?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE")
    page.locator("article.card a.chip", has_text="NVDA").first.click()
    page.wait_for_url("**/tickers/NVDA")
    assert page.locator("h1").inner_text().startswith("NVDA 英伟达")
    assert page.locator("svg.chart").count() == 1
    _shoot(page, artifacts, "ticker")
    # The last mention on the page sits deep in its commentary.
    page.locator("ul.mentions li a.jump").last.click()
    page.wait_for_url("**/c/*#m*")
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"a#{anchor}")
    assert target.evaluate(IN_VIEW)
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_walk_the_timeline_to_a_day(page: Any, server_url: str, artifacts: Path) -> None:
    page.goto(server_url + "/timeline")
    _shoot(page, artifacts, "timeline")
    page.click("text=2024 年")
    page.wait_for_url("**/timeline/2024")
    _shoot(page, artifacts, "year")
    page.click("ul.month-grid a:has-text('9 月')")
    page.wait_for_url("**/timeline/2024/09")
    page.click("text=9 月 14 日")
    page.wait_for_url("**/timeline/2024/09/14")
    titles = page.locator("article.card h2 a").all_inner_texts()
    assert len(titles) == 1 and titles[0].startswith("2024年9月14日周末特辑")
    _shoot(page, artifacts, "day")
    page.click("a[rel=next]")
    page.wait_for_url("**/timeline/2025/01/20")
    assert page.locator(".badge.precision-inferred").count() == 1


def test_calendar_cells_lead_to_their_day(page: Any, server_url: str) -> None:
    page.goto(server_url + "/timeline/2025")
    page.locator('svg.heatmap a[href="/timeline/2025/01/20"]').click()
    page.wait_for_url("**/timeline/2025/01/20")
    assert page.locator("article.card").count() == 1


def test_keyboard_reaches_the_content_first(page: Any, server_url: str) -> None:
    page.goto(server_url + "/tickers")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.evaluate(IN_VIEW)
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_dark_scheme(browser: Any, server_url: str, artifacts: Path) -> None:
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(server_url + "/tickers/NVDA")
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 24, 28)"
    tab.screenshot(path=str(artifacts / "ticker-dark-1280.png"), full_page=True)
    context.close()


def test_the_security_policy_is_enforced(browser: Any, server_url: str) -> None:
    """An injected inline style is refused and reported: the policy is live, so the
    journeys above would see any violation of their own."""
    context = browser.new_context()
    tab = context.new_page()
    complaints: list[str] = []
    tab.on("console", lambda m: complaints.append(m.text) if m.type == "error" else None)
    tab.goto(server_url + "/")
    before = tab.evaluate("getComputedStyle(document.body).color")
    tab.evaluate(
        """() => { const s = document.createElement('style');
        s.textContent = 'body { color: rgb(255, 0, 0) !important; }';
        document.head.appendChild(s); }"""
    )
    tab.wait_for_timeout(200)
    after = tab.evaluate("getComputedStyle(document.body).color")
    context.close()
    assert after == before != "rgb(255, 0, 0)"
    assert len(complaints) == 1
    assert complaints[0].startswith(
        "Applying inline style violates the following Content Security Policy directive"
        " 'style-src 'self''."
    )
