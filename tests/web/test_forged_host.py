"""No header a client sends ever becomes a link: a forged Host, X-Forwarded-Host,
X-Forwarded-Proto, X-Forwarded-Prefix or Forwarded leaves no trace in any page, feed or
JSON answer; feed ids do not change with the host or port; with ARCHIVE_BASE_URL set,
canonical and feed links use it."""

from __future__ import annotations

import importlib
import pkgutil
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Route

from app.config import Settings
from app.web import routers
from app.web.app import create_app
from tests.conftest import SEED_000, SEED_003, SEED_004

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:commentary-archive.invalid,2026:"
BASE = "https://archive.example.com"
EVIL = "evil.example"
FORGED = {
    "host": f"{EVIL}:666",
    "x-forwarded-host": f"fwd.{EVIL}",
    "x-forwarded-proto": "gopher",
    "x-forwarded-prefix": "/evilprefix",
    "x-forwarded-port": "6666",
    "x-forwarded-server": f"srv.{EVIL}",
    "x-original-url": "/evilpath",
    "forwarded": f'for=1.2.3.4;host=fwd2.{EVIL};proto=gopher;by="[::1]"',
}
# What a forged header would leave behind if any of it made its way into an answer.
TRACES = ("evil", "gopher", ":666", "testserver")

# A value for each path parameter of the app's routes; a route with a parameter not
# named here fails the test rather than going unchecked.
SAMPLES = {"year": "2024", "month": "09", "day": "14", "symbol": "NVDA"}


def _fill(path: str, commentary_id: int) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "commentary_id":
            return str(commentary_id)
        assert name in SAMPLES, f"no sample value for {{{name}}} in {path}"
        return SAMPLES[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def _get_paths(client: TestClient, commentary_id: int) -> list[str]:
    """Every GET route of the app (its own and those of every module in
    ``app.web.routers``), its parameters filled in."""
    app: FastAPI = client.app  # type: ignore[assignment]
    routes: list[BaseRoute] = list(app.routes)
    for module in pkgutil.iter_modules(routers.__path__):
        router = importlib.import_module(f"{routers.__name__}.{module.name}").router
        routes.extend(router.routes)
    found = {
        _fill(r.path, commentary_id)
        for r in routes
        if isinstance(r, Route | APIRoute) and r.methods and "GET" in r.methods
    }
    return sorted(found)


def _extra_paths(seed_ids: dict[str, int]) -> list[str]:
    doc = seed_ids[SEED_004]
    return [
        f"/c/{doc}?q=降息&literal=1",
        "/search?q=英伟达&ticker=NVDA&from=2024-01&to=2025-12&sort=newest&per_page=2&page=2",
        "/search?q=*abc",  # a query that cannot run
        "/search.atom?q=英伟达",
        "/api/search?q=降息&ticker=NVDA",
        "/tickers?sort=symbol&filter=英伟",
        "/tickers/NVDA?page=2&per_page=1",
        "/tickers/NVDA?page=99",
        f"/tickers/{quote('英伟达')}",  # a name: redirected to the symbol
        f"/tickers/{quote('英伟达')}.atom",
        "/tickers/NVDX",  # unknown: suggestions
        "/timeline/2024/09?page=2",
        "/timeline/undated?page=9",
        "/c/99999",  # 404 page
        "/timeline/2024/13",  # 404 page
        "/api/commentaries?per_page=1000",  # 400 answer
        "/no/such/page",
        "/static/css/site.css",
    ]


@pytest.fixture(scope="module")
def plain(seeded_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_settings)) as client:
        yield client


def _answers(client: TestClient, path: str) -> list[tuple[str, str]]:
    """The status line, headers and body of ``path`` under forged headers, GET and HEAD."""
    found = []
    for method in ("GET", "HEAD"):
        response = client.request(method, path, headers=FORGED, follow_redirects=False)
        assert response.status_code < 500, (method, path, response.status_code)
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        found.append((f"{method} {path} → {response.status_code}\n{headers}", response.text))
    return found


def test_the_routes_checked_include_every_kind_of_page(
    plain: TestClient, seed_ids: dict[str, int]
) -> None:
    paths = set(_get_paths(plain, seed_ids[SEED_000]))
    doc = seed_ids[SEED_000]
    expected = {
        "/",
        f"/c/{doc}",
        f"/c/{doc}.txt",
        "/feed.atom",
        "/search",
        "/search.atom",
        "/help",
        "/tickers",
        "/tickers/NVDA",
        "/tickers/NVDA.atom",
        "/timeline",
        "/timeline/undated",
        "/timeline/2024",
        "/timeline/2024/09",
        "/timeline/2024/09/14",
        "/api/commentaries",
        f"/api/commentaries/{doc}",
        "/api/search",
        "/api/tickers",
        "/api/tickers/NVDA",
        "/api/timeline",
        "/healthz",
        "/openapi.json",
    }
    assert expected <= paths, expected - paths


def test_no_forged_header_reaches_any_answer(plain: TestClient, seed_ids: dict[str, int]) -> None:
    paths = _get_paths(plain, seed_ids[SEED_000]) + _extra_paths(seed_ids)
    checked = 0
    for path in paths:
        for head, body in _answers(plain, path):
            for trace in TRACES:
                assert trace not in head.lower(), (trace, head)
                assert trace not in body.lower(), (trace, head, body[:2000])
            checked += 1
    assert checked == 2 * len(paths) >= 2 * 40


def test_a_redirect_goes_to_a_path_not_a_host(plain: TestClient) -> None:
    response = plain.get(
        f"/tickers/{quote('英伟达')}?page=2", headers=FORGED, follow_redirects=False
    )
    assert response.status_code == 308
    assert response.headers["location"] == "/tickers/NVDA?page=2"


def test_pages_link_their_stylesheet_and_canonical_address_by_path(
    plain: TestClient, seed_ids: dict[str, int]
) -> None:
    doc = seed_ids[SEED_003]
    html = plain.get(f"/c/{doc}", params={"q": "降息"}, headers=FORGED).text
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert f'<link rel="canonical" href="/c/{doc}">' in html
    search = plain.get("/search", params={"q": "降息", "sort": "newest"}, headers=FORGED).text
    canonical = '<link rel="canonical" href="/search?q=%E9%99%8D%E6%81%AF&amp;sort=newest">'
    assert canonical in search
    # Every href, src and action on every page is a path or a fragment (or a source's own
    # address, which the commentary gives).
    for path in ("/", f"/c/{doc}", "/search?q=英伟达", "/tickers", "/tickers/NVDA", "/timeline"):
        html = plain.get(path, headers=FORGED).text
        for link in re.findall(r'(?:href|src|action)="([^"]*)"', html):
            assert link.startswith(("/", "#")) and not link.startswith("//"), (path, link)


def _feed(client: TestClient, path: str, **headers: str) -> ET.Element:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def _ids(feed: ET.Element) -> list[str | None]:
    return [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]


@pytest.mark.parametrize("path", ["/feed.atom", "/search.atom?q=英伟达", "/tickers/NVDA.atom"])
def test_feed_ids_never_change_with_the_host_or_port(
    plain: TestClient, seeded_settings: Settings, path: str
) -> None:
    one = plain.get(path, headers={"host": "127.0.0.1:8041"})
    other = plain.get(path, headers={"host": "archive.lan:80", "x-forwarded-proto": "https"})
    assert one.content == other.content
    feed = ET.fromstring(one.content)
    ids = _ids(feed)
    assert ids and all(i is not None and re.fullmatch(rf"{TAG}/c/\d+", i) for i in ids)
    links = [e.find(f"{ATOM}link") for e in feed.findall(f"{ATOM}entry")]
    assert [link.get("href") for link in links if link is not None] == [
        i.removeprefix(TAG) for i in ids if i
    ]
    # Setting a base URL later moves the links, never the ids.
    settings = seeded_settings.model_copy(update={"base_url": BASE})
    with TestClient(create_app(settings)) as based:
        assert _ids(_feed(based, path)) == ids


def test_feed_of_newest(plain: TestClient, seed_ids: dict[str, int]) -> None:
    feed = _feed(plain, "/feed.atom", **FORGED)
    assert feed.findtext(f"{ATOM}id") == f"{TAG}/"
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    own = feed.find(f"{ATOM}link[@rel='self']")
    assert alternate is not None and alternate.get("href") == "/"
    assert own is not None and own.get("href") == "/feed.atom"
    assert _ids(feed)[0] == f"{TAG}/c/{seed_ids[SEED_003]}"  # the newest


def test_feed_of_a_search_names_itself_with_its_query(plain: TestClient) -> None:
    feed = _feed(plain, "/search.atom?q=英伟达&ticker=NVDA", **FORGED)
    query = "q=%E8%8B%B1%E4%BC%9F%E8%BE%BE&ticker=NVDA"
    assert feed.findtext(f"{ATOM}id") == f"{TAG}/search?{query}&sort=newest&per_page=50"
    own = feed.find(f"{ATOM}link[@rel='self']")
    assert own is not None and own.get("href") == f"/search.atom?{query}"


@pytest.fixture(scope="module")
def based(seeded_settings: Settings) -> Iterator[TestClient]:
    settings = seeded_settings.model_copy(update={"base_url": BASE})
    with TestClient(create_app(settings)) as client:
        yield client


def test_with_a_base_url_canonical_links_use_it(
    based: TestClient, seed_ids: dict[str, int]
) -> None:
    doc = seed_ids[SEED_004]
    html = based.get(f"/c/{doc}", params={"q": "降息"}, headers=FORGED).text
    assert f'<link rel="canonical" href="{BASE}/c/{doc}">' in html
    # Only the canonical link is absolute; the page's own links stay paths.
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert html.count(BASE) == 1
    home = based.get("/", headers=FORGED).text
    assert f'<link rel="canonical" href="{BASE}/">' in home
    ticker = based.get("/tickers/NVDA", params={"page": 2, "per_page": 1}, headers=FORGED).text
    assert f'<link rel="canonical" href="{BASE}/tickers/NVDA?page=2&amp;per_page=1">' in ticker


def test_with_a_base_url_feed_links_use_it(based: TestClient, seed_ids: dict[str, int]) -> None:
    feed = _feed(based, "/tickers/NVDA.atom", **FORGED)
    assert feed.findtext(f"{ATOM}id") == f"{TAG}/tickers/NVDA"
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    own = feed.find(f"{ATOM}link[@rel='self']")
    assert alternate is not None and alternate.get("href") == f"{BASE}/tickers/NVDA"
    assert own is not None and own.get("href") == f"{BASE}/tickers/NVDA.atom"
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"{BASE}/c/{seed_ids[SEED_000]}"
    assert entry.findtext(f"{ATOM}id") == f"{TAG}/c/{seed_ids[SEED_000]}"
    for path in ("/feed.atom", "/search.atom?q=降息"):
        body = based.get(path, headers=FORGED).text
        assert "evil" not in body and "testserver" not in body
