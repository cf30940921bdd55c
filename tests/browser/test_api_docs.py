"""The API documentation at /docs in a real browser: Swagger UI from our own server,
started by a script in static/, lists every operation under the site's security policy
with nothing in the console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import watch
from tests.web.test_fuzz import API_PATHS

pytestmark = pytest.mark.browser


def test_the_docs_list_every_operation(browser: Any, server_url: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    seen = watch(tab, server_url)

    tab.goto(server_url + "/")
    tab.click("footer >> text=API")
    tab.wait_for_url("**/docs")
    tab.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    assert sorted(p.replace("\u200b", "") for p in paths) == sorted(API_PATHS)
    assert tab.locator(".opblock-summary-method").all_inner_texts() == ["GET"] * len(API_PATHS)
    assert tab.locator(".info .title").inner_text().startswith("Commentary Archive")

    # An operation opens with its parameters and its answers, the error codes included.
    tab.click("#operations-search-api_search_api_search_get .opblock-summary-control")
    tab.wait_for_selector("#operations-search-api_search_api_search_get .parameters")
    opened = tab.locator("#operations-search-api_search_api_search_get").inner_text()
    assert "per_page" in opened and "bad_query" in opened and "index_unavailable" in opened
    tab.screenshot(path=str(artifacts / "api-docs-1280.png"), full_page=False)
    for width in (360, 390):
        tab.set_viewport_size({"width": width, "height": 900})
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/docs is {overflow}px too wide at {width}px"
    tab.screenshot(path=str(artifacts / "api-docs-390.png"), full_page=False)

    context.close()
    assert seen.outside == []
    assert seen.complaints == []
