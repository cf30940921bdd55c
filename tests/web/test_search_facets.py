"""Search facets: names beside symbols, months as the site writes dates, long facets
folded behind "更多" (a <details> element, so it works without script)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.instruments import learned_instrument, prepare_analysis
from app.models import Instrument
from app.web.app import create_app
from app.web.queries.search import instrument_names, month_label, whole_month
from tests.conftest import build_archive

SYMBOLS = ["NVDA", "AAPL", "MSFT", "AMZN", "GOOGL", "TSLA", "AVGO", "ORCL", "NFLX", "AMD"]
SYMBOLS += ["TSM", "META"]


@pytest.fixture(scope="module")
def year_archive(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Twelve commentaries, one on the 15th of each month of 2024; the one of month m
    names the first 13 - m symbols, so NVDA is in all twelve and META in one."""
    docs = {}
    for month in range(1, 13):
        named = " ".join(f"${s}$" for s in SYMBOLS[: 13 - month])
        docs[f"m{month:02d}"] = (f"降息之后，{named} 都有变化。", {"date": f"2024-{month:02d}-15"})
    settings, _ = build_archive(tmp_path_factory.mktemp("facets"), docs)
    return settings


@pytest.fixture(scope="module")
def year_client(year_archive: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(year_archive)) as client:
        yield client


def _facets(html: str) -> tuple[str, str]:
    """The ticker facet and the month facet of a search page."""
    (aside,) = re.findall(r'<aside class="facets".*?</aside>', html, re.S)
    tickers, months = aside.split('<h2 id="facet-months">')
    return tickers, months


def _rows(block: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", block)]


def test_ticker_facets_show_names_and_fold_after_ten(year_client: TestClient) -> None:
    tickers, _ = _facets(year_client.get("/search", params={"q": "降息"}).text)
    shown, more = tickers.split('<details class="facet-more">')
    assert _rows(shown) == [
        "NVDA 英伟达 12",
        "AAPL 苹果 11",
        "MSFT 微软 10",
        "AMZN 亚马逊 9",
        "GOOGL 谷歌 8",
        "TSLA 特斯拉 7",
        "AVGO 博通 6",
        "ORCL 甲骨文 5",
        "NFLX 奈飞 4",
        "AMD 超威 3",
    ]
    assert "<summary>更多（2）</summary>" in more
    assert _rows(more) == ["TSM 台积电 2", "META Meta 1"]
    assert (
        '<a href="/search?q=%E9%99%8D%E6%81%AF&amp;ticker=META">'
        '<span class="sym">META</span> <span class="facet-name">Meta</span></a>'
    ) in more


def test_month_facets_are_written_in_chinese_and_link_to_the_month(
    year_client: TestClient,
) -> None:
    _, months = _facets(year_client.get("/search", params={"q": "降息"}).text)
    shown, more = months.split('<details class="facet-more">')
    assert _rows(shown) == [f"2024年{m}月 1" for m in range(12, 2, -1)]
    assert "<summary>更多（2）</summary>" in more
    assert _rows(more) == ["2024年2月 1", "2024年1月 1"]
    assert (
        '<a href="/search?q=%E9%99%8D%E6%81%AF&amp;from=2024-02-01&amp;to=2024-02-29">2024年2月</a>'
    ) in more


def test_a_chosen_month_is_marked(year_client: TestClient) -> None:
    params = {"q": "降息", "from": "2024-02-01", "to": "2024-02-29"}
    html = year_client.get("/search", params=params).text
    _, months = _facets(html)
    assert _rows(months) == ["2024年2月 1"]
    assert "<strong>2024年2月</strong>" in months
    assert 'aria-label="去掉日期筛选：2024年2月">2024年2月 ×</a>' in html


def test_a_chosen_ticker_among_the_folded_rows_opens_the_fold(year_client: TestClient) -> None:
    # Filtered on TSM, two commentaries match; TSM (2) sits in the folded part.
    html = year_client.get("/search", params={"q": "降息", "ticker": "TSM"}).text
    tickers, _ = _facets(html)
    shown, more = tickers.split('<details class="facet-more" open>')
    assert "<strong>" not in shown
    assert _rows(more) == ["TSM 台积电 2", "META Meta 1"]
    assert (
        '<strong><span class="sym">TSM</span> <span class="facet-name">台积电</span></strong>'
        in more
    )
    plain = year_client.get("/search", params={"q": "降息"}).text
    assert '<details class="facet-more" open>' not in plain


def test_a_date_range_chip_is_written_in_chinese(year_client: TestClient) -> None:
    html = year_client.get("/search", params={"q": "降息", "from": "2024-03", "to": "2024-05-20"})
    assert 'aria-label="去掉日期筛选：2024年3月1日 至 2024年5月20日">' in html.text
    open_end = year_client.get("/search", params={"q": "降息", "from": "2024-11-02"}).text
    assert ">2024年11月2日 至 … ×</a>" in open_end


def test_the_json_facets_carry_names_and_chinese_month_labels(year_client: TestClient) -> None:
    facets = year_client.get("/api/search", params={"q": "降息"}).json()["facets"]
    assert facets["tickers"][:2] == [
        {"symbol": "NVDA", "name": "英伟达", "count": 12},
        {"symbol": "AAPL", "name": "苹果", "count": 11},
    ]
    assert len(facets["tickers"]) == 12
    assert facets["months"][0] == {"month": "2024-12", "label": "2024年12月", "count": 1}
    assert len(facets["months"]) == 12


def test_a_listing_learned_from_a_commentary_is_named_from_the_instrument_table(
    tmp_path: Path, year_archive: Settings
) -> None:
    engine = make_engine(year_archive)
    try:
        with Session(engine) as session:
            session.add(Instrument(**learned_instrument("ZZZZ.HK", "测试控股")))
            session.flush()
            names = instrument_names(session, prepare_analysis(None), ["NVDA", "ZZZZ.HK", "QQQQ"])
            session.rollback()
    finally:
        engine.dispose()
    assert names == {"NVDA": "英伟达", "ZZZZ.HK": "测试控股", "QQQQ": None}


@pytest.mark.parametrize(
    ("start", "end", "month"),
    [
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024-02"),
        (dt.date(2023, 2, 1), dt.date(2023, 2, 28), "2023-02"),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 28), None),
        (dt.date(2024, 2, 2), dt.date(2024, 2, 29), None),
        (dt.date(2024, 1, 1), dt.date(2024, 2, 29), None),
        (dt.date(2024, 2, 1), None, None),
        (None, None, None),
    ],
)
def test_whole_month(start: dt.date | None, end: dt.date | None, month: str | None) -> None:
    assert whole_month(start, end) == month


def test_month_label() -> None:
    assert [month_label("2024-09"), month_label("2025-12")] == ["2024年9月", "2025年12月"]
