"""The home page's example searches all find something in the shipped seeds."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from tests.conftest import SEED_000, SEED_001


def _examples(client: TestClient) -> list[str]:
    page = client.get("/").text
    (block,) = re.findall(r'<p class="examples">(.*?)</p>', page, re.S)
    return [html.unescape(href) for href in re.findall(r'<a href="(/search\?[^"]+)"', block)]


def test_the_home_page_offers_these_examples(client: TestClient) -> None:
    queries = [parse_qs(urlsplit(link).query)["q"][0] for link in _examples(client)]
    assert queries == [
        "降息",
        '"降息概率"',
        "英伟达 财报",
        "聯準會 降息",
        "NVDA -期权",
        "ticker:AVGO",
    ]


def test_every_example_search_finds_a_seed(client: TestClient) -> None:
    links = _examples(client)
    assert links
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        assert '<article class="card">' in page.text, link
        api = client.get("/api" + link).json()
        assert api["total"] >= 1, link


def test_the_traditional_example_finds_what_its_simplified_words_find(
    client: TestClient,
) -> None:
    def ids(q: str) -> set[int]:
        return {h["id"] for h in client.get("/api/search", params={"q": q}).json()["hits"]}

    assert ids("聯準會 降息") == ids("美联储 降息") != set()


def test_the_phrase_example_matches_only_the_words_side_by_side(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    hits = client.get("/api/search", params={"q": '"降息概率"'}).json()["hits"]
    assert {h["id"] for h in hits} == {seed_ids[SEED_000], seed_ids[SEED_001]}
