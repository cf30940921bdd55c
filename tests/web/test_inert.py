"""A commentary written to attack its readers: markup in its title, body, source and
author, and a ``javascript:`` link. Every page, snippet, feed and JSON answer that shows
it shows the text, never live markup."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db import make_engine
from app.web.app import create_app
from tests.conftest import build_archive

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "</title><script>alert(1)</script>英伟达"
BODY = (
    "<script>alert(2)</script> 降息预期升温，英伟达(NVDA)上涨。\n"
    '</textarea><img src=x onerror=alert(3)> 降息 " onmouseover="alert(4)\n'
    '<!--<script>alert(5)</script>--> 降息之后 <a href="javascript:alert(6)">点我</a>'
)
SOURCE = "<i onclick=alert(7)>财经</i>"
AUTHOR = '"><svg onload=alert(8)>'
LIVE = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<i onclick",
    '" onmouseover="alert',
    "<!--<script>",
    'href="javascript:',
    "</title><script>",
    "</textarea><img",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    fields = {
        "title": TITLE,
        "date": "2024-09-14",
        "source": SOURCE,
        "author": AUTHOR,
        "url": "javascript:alert(9)",
    }
    settings, ids = build_archive(
        Path(tmp_path_factory.mktemp("hostile")), {"evil": (BODY, fields)}
    )
    with TestClient(create_app(settings)) as client:
        yield client, ids["evil"]


def _pages(doc: int) -> list[str]:
    return [
        "/",
        f"/c/{doc}",
        f"/c/{doc}?q=降息",
        f"/c/{doc}?q=%3Cscript%3E",
        "/search?q=降息",
        "/search?q=script",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/search?q=onerror",
        "/tickers/NVDA",
        "/timeline",
        "/timeline/2024",
        "/timeline/2024/09",
        "/timeline/2024/09/14",
        "/feed.atom",
        "/search.atom?q=降息",
        "/tickers/NVDA.atom",
    ]


def test_nothing_live_on_any_page(hostile: tuple[TestClient, int]) -> None:
    client, doc = hostile
    for path in _pages(doc):
        response = client.get(path)
        assert response.status_code == 200, path
        for live in LIVE:
            assert live not in response.text, (path, live)


def test_the_commentary_page_shows_the_text(hostile: tuple[TestClient, int]) -> None:
    client, doc = hostile
    html = client.get(f"/c/{doc}", params={"q": "降息"}).text
    assert "<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;英伟达</h1>" in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;英伟达 · " in html
    assert '&lt;script&gt;alert(2)&lt;/script&gt; <mark id="hl">降息</mark>' in html
    assert "&lt;/textarea&gt;&lt;img src=x onerror=alert(3)&gt;" in html
    assert "&#34; onmouseover=&#34;alert(4)" in html
    assert "&lt;a href=&#34;javascript:alert(6)&#34;&gt;点我&lt;/a&gt;" in html
    assert "&lt;i onclick=alert(7)&gt;财经&lt;/i&gt;" in html
    assert "javascript:alert(9)" not in html


def test_snippets_in_json_are_escaped(hostile: tuple[TestClient, int]) -> None:
    client, doc = hostile
    data = client.get("/api/search", params={"q": "降息"}).json()
    (hit,) = data["hits"]
    assert hit["title"] == TITLE
    for snippet in hit["snippets_html"]:
        assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;script&gt;alert(2)&lt;/script&gt; <mark>降息</mark>" in hit["snippets_html"][0]
    body = client.get(f"/api/commentaries/{doc}").json()
    assert (body["title"], body["body"], body["source"]) == (TITLE, BODY, SOURCE)


@pytest.mark.parametrize("path", ["/feed.atom", "/search.atom?q=降息", "/tickers/NVDA.atom"])
def test_feeds_carry_the_text_as_text(hostile: tuple[TestClient, int], path: str) -> None:
    client, _ = hostile
    feed = ET.fromstring(client.get(path).content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == TITLE
    assert entry.findtext(f"{ATOM}summary") == BODY[:200]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == AUTHOR
    assert entry.find(f"{ATOM}summary").attrib == {}  # plain text, not type="html"


NAME = "<b onclick=alert(10)>Nvidia</b>"
NAME_ZH = "</title><script>alert(11)</script>英伟达"
ALIAS = "<img src=y onerror=alert(12)>"


def test_instrument_names_and_aliases_are_shown_as_text(
    tmp_path: Path,
) -> None:
    # The instrument table is filled from the packaged dictionary; whatever it holds is
    # still text to the pages.
    settings, ids = build_archive(
        tmp_path, {"plain": ("英伟达(NVDA)今日上涨，降息预期升温。", {"date": "2024-09-14"})}
    )
    engine = make_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE instrument SET name = :n, name_zh = :z, aliases = :a WHERE symbol = 'NVDA'"
            ),
            {"n": NAME, "z": NAME_ZH, "a": json.dumps([ALIAS])},
        )
    engine.dispose()
    live = ["<b onclick", "<script>alert(11)", "<img src=y"]
    doc = ids["plain"]
    with TestClient(create_app(settings)) as client:
        for path in ["/", "/tickers", "/tickers/NVDA", f"/c/{doc}", "/tickers/NVDA.atom"]:
            response = client.get(path)
            assert response.status_code == 200, path
            for markup in live:
                assert markup not in response.text, (path, markup)
        html = client.get("/tickers/NVDA").text
        assert "&lt;b onclick=alert(10)&gt;Nvidia&lt;/b&gt;" in html
        assert "&lt;img src=y onerror=alert(12)&gt;" in html
        data = client.get("/api/tickers/NVDA").json()
        assert (data["name"], data["name_zh"], data["aliases"]) == (NAME, NAME_ZH, [ALIAS])
