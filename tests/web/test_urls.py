"""The URL builder, the base-URL and trusted-proxy settings, and how ``serve`` uses them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.search import SearchRequest
from app.web.serialize import commentary_url
from app.web.urls import Urls, urls

BASE = "https://archive.example.com"


def test_pages_are_root_relative() -> None:
    assert urls.home() == "/"
    assert urls.help() == "/help"
    assert urls.commentary(4) == "/c/4"
    assert urls.commentary(4, q="降息") == "/c/4?q=%E9%99%8D%E6%81%AF"
    assert urls.commentary(4, q="a b", literal=True, anchor="hl") == "/c/4?q=a+b&literal=1#hl"
    assert urls.commentary(4, literal=True) == "/c/4?literal=1"
    assert urls.mention(4, 17) == "/c/4#m17"
    assert urls.original_text(4) == "/c/4.txt"
    assert urls.tickers() == "/tickers"
    assert (
        urls.tickers(sort="last", filter="英伟") == "/tickers?sort=last&filter=%E8%8B%B1%E4%BC%9F"
    )
    assert urls.ticker("NVDA") == "/tickers/NVDA"
    assert urls.ticker("0700.HK", page=2) == "/tickers/0700.HK?page=2"
    assert urls.ticker("NVDA", page=1, per_page=10) == "/tickers/NVDA?per_page=10"
    assert urls.ticker("英伟达") == "/tickers/%E8%8B%B1%E4%BC%9F%E8%BE%BE"
    assert urls.timeline() == "/timeline"
    assert urls.timeline_year(2024) == "/timeline/2024"
    assert urls.timeline_month(2024, 9) == "/timeline/2024/09"
    assert urls.timeline_month(2024, 9, page=3) == "/timeline/2024/09?page=3"
    assert urls.timeline_day(dt.date(2024, 9, 4)) == "/timeline/2024/09/04"
    assert urls.timeline_day(dt.date(2024, 9, 4), page=2) == "/timeline/2024/09/04?page=2"
    assert urls.timeline_undated() == "/timeline/undated"
    assert urls.timeline_undated(page=5) == "/timeline/undated?page=5"
    assert urls.feed() == "/feed.atom"
    assert urls.ticker_feed("BRK.B") == "/tickers/BRK.B.atom"
    assert urls.static("css/site.css") == "/static/css/site.css"
    assert urls.docs() == "/docs"
    assert urls.openapi() == "/openapi.json"
    assert urls.health() == "/healthz"


def test_a_symbol_cannot_leave_its_path_segment() -> None:
    assert urls.ticker("A/B?c#d") == "/tickers/A%2FB%3Fc%23d"
    assert urls.ticker_feed("../x") == "/tickers/..%2Fx.atom"


def test_json_twins_are_api_and_the_page_path() -> None:
    assert urls.api_commentaries() == "/api/commentaries"
    assert urls.api_commentaries(page=2) == "/api/commentaries?page=2"
    assert urls.api_commentary(4) == "/api/commentaries/4"
    assert urls.api_tickers() == "/api/tickers"
    assert urls.api_tickers(sort="symbol") == "/api/tickers?sort=symbol"
    assert urls.api_ticker("NVDA", page=2) == "/api/tickers/NVDA?page=2"
    assert urls.api_timeline() == "/api/timeline"
    assert urls.api(urls.timeline_month(2024, 9)) == "/api/timeline/2024/09"
    assert urls.api(urls.timeline_undated()) == "/api/timeline/undated"
    assert urls.api_search(SearchRequest(text="降息")) == "/api/search?q=%E9%99%8D%E6%81%AF"
    for bad in ("/api/search", "tickers", "//evil.example/x"):
        with pytest.raises(ValueError, match="not a page path"):
            urls.api(bad)


def test_search_links_keep_what_is_set_and_start_over_at_page_one() -> None:
    request = SearchRequest(
        text="降息",
        tickers=("NVDA", "TSM"),
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 6, 30),
        sort="newest",
        page=3,
        per_page=50,
        literal=True,
    )
    whole = (
        "q=%E9%99%8D%E6%81%AF&ticker=NVDA&ticker=TSM&from=2025-01-01&to=2025-06-30"
        "&sort=newest&literal=1&per_page=50"
    )
    assert urls.search() == "/search"
    assert urls.search(text='"降息预期"') == "/search?q=%22%E9%99%8D%E6%81%AF%E9%A2%84%E6%9C%9F%22"
    assert urls.search(sort="newest") == "/search?sort=newest"
    assert urls.search(request) == f"/search?{whole}"
    assert urls.search(request, page=4) == f"/search?{whole}&page=4"
    assert urls.search(request, tickers=(), literal=False, start=None, end=None) == (
        "/search?q=%E9%99%8D%E6%81%AF&sort=newest&per_page=50"
    )
    assert urls.search_feed(request) == f"/search.atom?{whole}"
    assert urls.api_search(request, page=2) == f"/api/search?{whole}&page=2"
    with pytest.raises(TypeError, match="not a field of a search: query"):
        urls.search(request, query="x")


def test_search_hits_open_highlighted_at_the_first_mark() -> None:
    assert urls.search_hit(SearchRequest(text="降息"), 4) == "/c/4?q=%E9%99%8D%E6%81%AF#hl"
    assert urls.search_hit(SearchRequest(text="x", literal=True), 4) == "/c/4?q=x&literal=1#hl"
    assert urls.search_hit(SearchRequest(), 4) == "/c/4"
    assert urls.search_hit(SearchRequest(tickers=("NVDA",)), 4) == "/c/4"


def test_the_older_helpers_are_the_builder() -> None:
    request = SearchRequest(text="降息", sort="oldest", page=2)
    assert commentary_url(7) == urls.commentary(7) == "/c/7"
    assert urls.search(request) == "/search?q=%E9%99%8D%E6%81%AF&sort=oldest"
    assert urls.search_feed(request) == "/search.atom?q=%E9%99%8D%E6%81%AF&sort=oldest"


def test_an_address_needs_something_to_address() -> None:
    with pytest.raises(ValueError, match="a commentary without an id has no address"):
        urls.commentary(None)
    with pytest.raises(ValueError, match="a commentary without an id has no address"):
        urls.original_text(None)
    with pytest.raises(ValueError, match="a mention without an id has no address"):
        urls.mention(4, None)
    for bad in ("", "../app/config.py", "css//site.css", "css/./site.css", "/css/site.css"):
        with pytest.raises(ValueError, match="not a file under static/"):
            urls.static(bad)


def test_absolute_links_come_from_the_base_url_alone() -> None:
    assert Urls().link("/c/4") == "/c/4"
    assert Urls(BASE).link("/c/4") == f"{BASE}/c/4"
    assert Urls(BASE + "/").link("/search?q=x") == f"{BASE}/search?q=x"
    for bad in ("c/4", "//evil.example/c/4", "http://evil.example/c/4"):
        with pytest.raises(ValueError, match="not a root-relative path"):
            Urls(BASE).link(bad)


def test_tags_name_things_by_path_alone() -> None:
    assert Urls().tag("/c/4") == "tag:commentary-archive.invalid,2026:/c/4"
    assert Urls(BASE).commentary_tag(4) == Urls().commentary_tag(4)
    assert Urls(BASE).commentary_tag(4) == "tag:commentary-archive.invalid,2026:/c/4"
    with pytest.raises(ValueError, match="not a root-relative path"):
        urls.tag("c/4")


def test_a_request_path_is_encoded_and_has_no_host() -> None:
    assert Urls.request_path("/tickers/英伟达") == "/tickers/%E8%8B%B1%E4%BC%9F%E8%BE%BE"
    assert Urls.request_path("/search", [("q", "a&b"), ("page", "2")]) == "/search?q=a%26b&page=2"
    assert Urls.request_path('/c/1"><script>') == "/c/1%22%3E%3Cscript%3E"
    assert Urls.request_path("//evil.example/x") == "/evil.example/x"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://archive.example.com", BASE),
        ("https://Archive.Example.COM/", BASE),
        ("  http://127.0.0.1:8041  ", "http://127.0.0.1:8041"),
        ("HTTPS://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
        ("", None),
        ("   ", None),
    ],
)
def test_base_url_is_stored_normalised(given: str, stored: str | None, tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path, base_url=given).base_url == stored


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("archive.example.com", "must start with http:// or https://"),
        ("ftp://archive.example.com", "must start with http:// or https://"),
        ("https:/archive.example.com", "must start with http:// or https://"),
        ("https://", "has no host name"),
        ("https://user:secret@archive.example.com", "must not hold a user name or password"),
        (
            "https://example.com/archive",
            "has a path (/archive): the archive is served at the root of a host (give it a "
            "host of its own, such as https://archive.example.com)",
        ),
        ("https://example.com/archive/", "has a path (/archive/)"),
        ("https://archive.example.com/?a=1", "must not hold a query or a fragment"),
        ("https://archive.example.com#top", "must not hold a query or a fragment"),
        ("https://archive.example.com?", "must not hold a query or a fragment"),
        ("https://archive.example.com:99999", "is not a URL (Port out of range 0-65535)"),
        ("https://archive example.com", "has a character no host name holds"),
    ],
)
def test_a_bad_base_url_is_refused_saying_why(given: str, problem: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(data_dir=tmp_path, base_url=given)
    (error,) = caught.value.errors()
    assert str(error["ctx"]["error"]).startswith(f"ARCHIVE_BASE_URL {given.strip()!r} {problem}")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("", None),
        (" , ", None),
        ("127.0.0.1", "127.0.0.1"),
        ("10.0.0.1, 10.1.0.0/16,::1", "10.0.0.1,10.1.0.0/16,::1"),
        ("*", "*"),
    ],
)
def test_trusted_proxies(given: str, stored: str | None, tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).trusted_proxies is None
    assert Settings(data_dir=tmp_path, trusted_proxies=given).trusted_proxies == stored


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("proxy.local", "ARCHIVE_TRUSTED_PROXIES: 'proxy.local' is not an IP address or network"),
        ("10.0.0.1,10.0.0.300", "ARCHIVE_TRUSTED_PROXIES: '10.0.0.300' is not an IP address"),
        ("*,10.0.0.1", "ARCHIVE_TRUSTED_PROXIES: * trusts every client; give it alone"),
    ],
)
def test_bad_trusted_proxies_are_refused(given: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(data_dir=tmp_path, trusted_proxies=given)
    assert str(caught.value.errors()[0]["ctx"]["error"]).startswith(message)


@pytest.fixture
def served(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CliRunner, list[dict[str, Any]]]]:
    """``archive serve`` with uvicorn.run replaced by a recorder of its arguments."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(settings.data_dir))
    for name in ("ARCHIVE_BASE_URL", "ARCHIVE_TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield CliRunner(), calls
    get_settings.cache_clear()


def test_serve_believes_no_proxy_headers_by_default(
    served: tuple[CliRunner, list[dict[str, Any]]],
) -> None:
    runner, calls = served
    result = runner.invoke(cli, ["serve", "--port", "8041"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["proxy_headers"] is False
    assert call["forwarded_allow_ips"] == ""
    assert (call["host"], call["port"]) == ("127.0.0.1", 8041)


def test_serve_believes_the_proxies_it_is_told_to(
    served: tuple[CliRunner, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner, calls = served
    monkeypatch.setenv("ARCHIVE_TRUSTED_PROXIES", "10.0.0.1, 10.2.0.0/16")
    assert runner.invoke(cli, ["serve"]).exit_code == 0
    (call,) = calls
    assert call["proxy_headers"] is True
    assert call["forwarded_allow_ips"] == "10.0.0.1,10.2.0.0/16"


def test_serve_refuses_a_bad_setting_in_one_line(
    served: tuple[CliRunner, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner, calls = served
    monkeypatch.setenv("ARCHIVE_BASE_URL", "https://example.com/archive")
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert calls == []
    assert result.stderr.splitlines()[0] == (
        "error: ARCHIVE_BASE_URL 'https://example.com/archive' has a path (/archive): the "
        "archive is served at the root of a host (give it a host of its own, such as "
        "https://archive.example.com)"
    )
