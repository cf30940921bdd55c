"""Snippets on the seeds: every query word shown where the text has it, the ticker
filter's names after the words, and no cut through a word, a ticker or a number."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.models import Commentary
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_004


def _marked(client: TestClient, **params: str) -> dict[int, list[list[str]]]:
    hits = client.get("/api/search", params=params).json()["hits"]
    return {
        h["id"]: [re.findall(r"<mark>(.*?)</mark>", s) for s in h["snippets_html"]] for h in hits
    }


def test_a_ticker_filter_and_a_word_show_the_word_first(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    found = _marked(client, q="ticker:NVDA 降息")
    assert found == {
        # The one passage with both comes first; the others add 降息.
        seed_ids[SEED_000]: [["NVDA", "降息"], ["降息", "降息"], ["降息", "降息", "降息"]],
        seed_ids[SEED_001]: [["Nvidia", "Nvidia"], ["降息", "降息", "降息"], ["降息", "降息"]],
        seed_ids[SEED_002]: [["NVDA"], ["降息", "降息"], ["NVDA", "NVDA"]],
        seed_ids[SEED_004]: [["降息"] * 5, ["降息"], ["英伟达"] * 5],
    }
    # The same filter given as a parameter shows the same snippets.
    assert _marked(client, q="降息", ticker="NVDA") == found


def test_the_passage_with_both_words_is_shown_whole(
    client: TestClient, seed_ids: dict[str, int]
) -> None:
    hits = client.get("/api/search", params={"q": "ticker:NVDA 降息"}).json()["hits"]
    (first,) = [h for h in hits if h["id"] == seed_ids[SEED_000]]
    assert first["snippets_html"][0] == (
        "周三上午黄仁勋关于Blackwell产能的发言引爆股指,<mark>NVDA</mark>盘中深V直接突破阻力位。"
        "周四Nick关于“美联储依然在50bps/25bps决策之间犹豫不决”的言论,又让市场押注Jumbo,"
        "50bps<mark>降息</mark>概率从15%直接飙升至50%,在周五继续冲高。"
        "最终SPY以一根超级大阳周线收尾——什么初领失业金、PPI数据仿佛都已经不重要了。"
    )


def test_a_ticker_is_never_cut(client: TestClient, seed_ids: dict[str, int]) -> None:
    hits = client.get("/api/search", params={"q": "ticker:AVGO"}).json()["hits"]
    (first,) = [h for h in hits if h["id"] == seed_ids[SEED_000]]
    assert first["snippets_html"] == [
        "一份群内分享的研报显示,NVDA贡献了SPY周五近44%的涨幅;"
        "NVDA和<mark>AVGO</mark>则联合贡献了纳斯达克涨幅的42%。可见,NVDA确实是大盘上涨的催化剂。"
    ]


@pytest.mark.parametrize(
    "q", ["降息", "ticker:NVDA 降息", "英伟达", "ticker:AVGO", "美联储", "AI", "财报", "Nvidia"]
)
def test_no_snippet_starts_or_ends_inside_a_latin_word_or_number(
    client: TestClient, seeded_settings: Settings, q: str
) -> None:
    engine = make_engine(seeded_settings)
    try:
        with Session(engine) as session:
            for hit in client.get("/api/search", params={"q": q}).json()["hits"]:
                body = session.get(Commentary, hit["id"]).body  # type: ignore[union-attr]
                for snippet in hit["snippets_html"]:
                    text = html.unescape(re.sub(r"</?mark>", "", snippet)).strip("…")
                    start = body.index(text)
                    end = start + len(text)
                    for cut in (start, end):
                        pair = body[max(0, cut - 1) : cut + 1]
                        assert not re.fullmatch(r"[A-Za-z0-9]{2}", pair), (q, text[:20], pair)
    finally:
        engine.dispose()
