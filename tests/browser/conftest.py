"""A real server on a free localhost port, and headless Chromium driven by Playwright.

Chromium comes from Debian (/usr/bin/chromium). Without it these tests are skipped on a
developer's machine, but they fail under CI (``CI`` set), where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.ingest import ingest
from tests.conftest import ROOT, SEEDS, TODAY
from tests.databases import archive_settings
from tests.server import serving

# A Markdown commentary (heading, bold name, list, table, a ticker) beside the seeds.
MARKDOWN_COMMENTARY = ROOT / "tests" / "data" / "moutai_annual_review.md"
CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("browser") / "data"
    settings = archive_settings(data)
    report = ingest(settings, [SEEDS], today=TODAY)
    assert report.counts["added"] == 5
    report = ingest(settings, [MARKDOWN_COMMENTARY], today=TODAY)
    assert report.counts["added"] == 1
    with serving(settings, data.parent / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium is not installed at {CHROMIUM} (Debian package chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# The widths of the screenshots, and the narrowest phone every page must fit.
WIDTHS = (390, 1280)
NARROWEST = 360
# Whether an element stands wholly inside the window.
IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"""


@dataclass
class Watched:
    """What a tab fetched from other hosts, and what its console complained of: an error
    or warning (a blocked resource or a CSP violation is one) or an uncaught script error."""

    outside: list[str] = field(default_factory=list)
    complaints: list[str] = field(default_factory=list)


def watch(tab: Any, server_url: str) -> Watched:
    seen = Watched()
    tab.on(
        "request", lambda r: None if r.url.startswith(server_url) else seen.outside.append(r.url)
    )
    tab.on(
        "console",
        lambda m: seen.complaints.append(m.text) if m.type in ("error", "warning") else None,
    )
    tab.on("pageerror", lambda e: seen.complaints.append(str(e)))
    return seen


@pytest.fixture
def page(browser: Any, server_url: str) -> Iterator[Any]:
    """A tab at 1280 × 900 that must end its test having fetched nothing from another
    host and with nothing on its console."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    seen = watch(tab, server_url)
    yield tab
    context.close()
    assert seen.outside == []
    assert seen.complaints == []
