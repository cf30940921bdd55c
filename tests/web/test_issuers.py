"""One company, several listings: ticker pages and searches for any listing show the
issuer's mentions, say which listing each went to, and link the sibling listings; a
listing learned from a commentary has a page of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.web.app import create_app
from tests.conftest import build_archive

DOCS = {
    "taiwan": ("台股加權指數收漲，台積電漲2%。", {"title": "台股收盘"}),
    "us": ("美股方面，纳指收涨，台积电ADR涨3%。", {"title": "美股收盘"}),
    "learned": ("港股通资金买入某某新能源(02999)，某某新能源早盘涨5%。", {"title": "港股"}),
    "other": ("英伟达财报超预期。", {"title": "英伟达"}),
}


@pytest.fixture(scope="module")
def archive(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, dict[str, int]]]:
    settings, ids = build_archive(tmp_path_factory.mktemp("issuers"), DOCS)
    with TestClient(create_app(settings)) as client:
        yield client, ids


def _mentions(client: TestClient, symbol: str) -> list[tuple[int, str, str]]:
    response = client.get(f"/api/tickers/{symbol}")
    assert response.status_code == 200, response.text
    return sorted(
        (m["commentary_id"], m["symbol"], m["alias"]) for m in response.json()["mentions"]
    )


def test_every_listing_shows_the_issuers_mentions(
    archive: tuple[TestClient, dict[str, int]],
) -> None:
    client, ids = archive
    expected = sorted([(ids["taiwan"], "2330.TW", "台積電"), (ids["us"], "TSM", "台积电")])
    assert _mentions(client, "2330.TW") == expected
    assert _mentions(client, "TSM") == expected
    data = client.get("/api/tickers/TSM").json()
    assert (data["symbol"], data["issuer"], data["listings"]) == ("TSM", "TSMC", ["2330.TW", "TSM"])
    assert (data["documents"], data["mentions_total"]) == (2, 2)


def test_the_page_links_the_sibling_listings(archive: tuple[TestClient, dict[str, int]]) -> None:
    client, _ = archive
    page = client.get("/tickers/2330.TW").text
    assert '<a href="/tickers/TSM">TSM</a>' in page
    assert "<strong>2330.TW</strong>" in page
    assert page.count('class="listing"') == 2


@pytest.mark.parametrize("query", ["ticker:2330.TW", "ticker:TSM", "台积电", "2330"])
def test_a_search_for_any_listing_finds_both(
    archive: tuple[TestClient, dict[str, int]], query: str
) -> None:
    client, ids = archive
    body = client.get("/api/search", params={"q": query}).json()
    assert {hit["id"] for hit in body["hits"]} == {ids["taiwan"], ids["us"]}


def test_a_learned_listing_has_a_page(archive: tuple[TestClient, dict[str, int]]) -> None:
    client, ids = archive
    assert _mentions(client, "2999.HK") == [
        (ids["learned"], "2999.HK", "某某新能源"),
        (ids["learned"], "2999.HK", "某某新能源(02999)"),
    ]
    data = client.get("/api/tickers/2999.HK").json()
    assert (data["learned"], data["name_zh"], data["listings"]) == (True, "某某新能源", ["2999.HK"])
    assert "从评论中“名称（代码）”的写法学到的" in client.get("/tickers/2999.HK").text


@pytest.mark.parametrize("path", ["/api/tickers/%00", "/tickers/%00", "/api/tickers/2999.hk%00"])
def test_a_symbol_no_listing_has_is_a_404(
    archive: tuple[TestClient, dict[str, int]], path: str
) -> None:
    client, _ = archive
    assert client.get(path).status_code == 404


def test_the_tickers_list_names_the_issuer(archive: tuple[TestClient, dict[str, int]]) -> None:
    client, _ = archive
    rows = {r["symbol"]: r["issuer"] for r in client.get("/api/tickers").json()}
    assert rows == {
        "2330.TW": "TSMC",
        "TSM": "TSMC",
        "TWII": "TWII",
        "IXIC": "IXIC",
        "2999.HK": "2999.HK",
        "NVDA": "NVDA",
    }


def test_a_readers_alias_file_teaches_a_name(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "aliases.csv").write_text("symbol,aliases\nNVDA,绿厂|~老黄家\n", "utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\ntitle: 绿厂\n---\n绿厂和老黄家都在涨。\n", "utf-8")
    from app.ingest.pipeline import ingest
    from tests.conftest import TODAY, archive_settings

    settings = archive_settings(data)
    ingest(settings, [docs], today=TODAY)
    with TestClient(create_app(settings)) as client:
        body = client.get("/api/tickers/NVDA").json()
    assert [m["alias"] for m in body["mentions"]] == ["绿厂", "老黄家"]
