"""Suggestions in the header's search box, in a real browser: typing pinyin initials
offers the company, the keyboard and the mouse choose, screen readers get the combobox
pattern, and without script the box still searches. Screenshots of the open list at
390 and 1280 px go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.browser

BOX = "#q"
LIST = "#q-suggestions"
OPTIONS = "#q-suggestions [role=option]"


def _type(page: Any, text: str) -> None:
    page.click(BOX)
    page.keyboard.type(text)
    page.wait_for_selector(LIST, state="visible")


def _attr(page: Any, selector: str, name: str) -> str | None:
    value: str | None = page.get_attribute(selector, name)
    return value


def test_ywd_offers_nvidia_and_the_keyboard_opens_its_page(
    page: Any, server_url: str, artifacts: Path
) -> None:
    page.goto(server_url + "/timeline")
    # The combobox pattern, before anything is typed.
    assert _attr(page, BOX, "role") == "combobox"
    assert _attr(page, BOX, "aria-autocomplete") == "list"
    assert _attr(page, BOX, "aria-expanded") == "false"
    assert _attr(page, BOX, "aria-controls") == "q-suggestions"
    assert _attr(page, BOX, "autocomplete") == "off"
    assert _attr(page, LIST, "role") == "listbox"
    assert _attr(page, LIST, "aria-label") == "搜索建议"
    assert page.is_hidden(LIST)

    _type(page, "ywd")
    assert _attr(page, BOX, "aria-expanded") == "true"
    options = page.locator(OPTIONS)
    assert options.count() == 1
    assert options.first.inner_text().split() == ["英伟达", "NVDA", "股票", "·", "提及", "34", "次"]
    assert _attr(page, f"{OPTIONS} >> nth=0", "aria-selected") == "false"
    status = page.locator(".suggest-field [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == "1 条建议，按上下方向键选择"
    assert page.get_attribute(BOX, "aria-activedescendant") is None

    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=str(artifacts / f"suggest-ywd-{width}.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0

    page.keyboard.press("ArrowDown")
    assert _attr(page, BOX, "aria-activedescendant") == "q-suggestions-0"
    assert _attr(page, "#q-suggestions-0", "aria-selected") == "true"
    # The focus stays in the box while the option is chosen.
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Enter")
    page.wait_for_url("**/tickers/NVDA")
    assert page.locator("h1").inner_text().startswith("NVDA 英伟达")


def test_a_longer_list_at_both_widths(page: Any, server_url: str, artifacts: Path) -> None:
    page.goto(server_url + "/tickers")
    _type(page, "科技")
    labels = page.locator(f"{OPTIONS} .suggest-label").all_inner_texts()
    # Eight companies with 科技 in a name, then the commentary titled with it.
    assert len(labels) == 9
    # Each says the name it was found by: 商汤 as 商汤科技.
    assert all("科技" in text for text in page.locator(OPTIONS).all_inner_texts())
    assert page.locator(f"{OPTIONS}.suggest-instrument").count() == 8
    assert labels[8] == "科技之神眨眼"
    assert page.locator(f"{OPTIONS}.suggest-title .suggest-meta").inner_text() == "未注明日期"
    for width in (360, 390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        if width != 360:
            page.screenshot(path=str(artifacts / f"suggest-list-{width}.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px too wide at {width}px"
        box = page.locator(LIST).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width


def test_arrows_wrap_escape_closes_and_enter_searches(page: Any, server_url: str) -> None:
    page.goto(server_url + "/timeline")
    _type(page, "NV")
    count = page.locator(OPTIONS).count()
    assert count >= 2
    page.keyboard.press("ArrowUp")  # from the text to the last option
    assert _attr(page, BOX, "aria-activedescendant") == f"q-suggestions-{count - 1}"
    page.keyboard.press("ArrowDown")  # past the last: back to the text
    assert _attr(page, BOX, "aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    assert _attr(page, BOX, "aria-activedescendant") == "q-suggestions-0"
    page.keyboard.press("Escape")
    assert page.is_hidden(LIST)
    assert _attr(page, BOX, "aria-expanded") == "false"
    assert _attr(page, BOX, "aria-activedescendant") is None
    assert page.input_value(BOX) == "NV"
    # Enter with nothing chosen searches for what was typed, as before.
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=NV")


def test_clicking_a_title_opens_the_commentary(page: Any, server_url: str) -> None:
    page.goto(server_url + "/tickers")
    _type(page, "周末特辑")
    title = page.locator(f"{OPTIONS}.suggest-title").first
    assert title.locator(".suggest-meta").inner_text() == "2024年9月14日"
    title.click()
    page.wait_for_url("**/c/*")
    assert unquote(page.url).split("/c/")[1].isdigit()
    assert "周末特辑" in page.locator("h1").inner_text()


def test_without_script_the_box_still_searches(browser: Any, server_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    tab = context.new_page()
    try:
        tab.goto(server_url + "/timeline")
        # No combobox is announced where no list can open.
        assert tab.get_attribute(BOX, "role") is None
        assert tab.locator(LIST).count() == 0
        tab.fill(BOX, "ywd")
        tab.press(BOX, "Enter")
        tab.wait_for_url("**/search?q=ywd")
    finally:
        context.close()
