"""The timeline: years, months, days and the undated, their calendars and navigation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.web.app import create_app
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, build_archive


def _cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h2><a href="/c/(\d+)">', html)]


def test_api_timeline(client: TestClient) -> None:
    assert client.get("/api/timeline").json() == {
        "years": [
            {"year": 2025, "count": 1, "months": [{"month": "2025-01", "count": 1}]},
            {"year": 2024, "count": 1, "months": [{"month": "2024-09", "count": 1}]},
        ],
        "undated": 3,
    }


def test_timeline_page(client: TestClient) -> None:
    html = client.get("/timeline").text
    assert '5 篇评论，2 篇注明了日期，<a href="/timeline/undated">3 篇未注明日期</a>' in html
    assert [int(y) for y in re.findall(r'<h2 id="y(\d+)">', html)] == [2025, 2024]
    # A calendar per year: a cell per day, each a link; empty days are out of the tab order.
    calendars = re.findall(r'<svg class="heatmap".*?</svg>', html, re.S)
    assert len(calendars) == 2
    cells_2024 = re.findall(
        r'<a href="/timeline/2024/(\d\d)/(\d\d)"( tabindex="-1")?>', calendars[1]
    )
    assert len(cells_2024) == 366
    assert [(m, d) for m, d, skip in cells_2024 if not skip] == [("09", "14")]
    assert '<rect x="' in calendars[1] and "<title>2024-09-14：1 篇</title>" in calendars[1]
    assert re.search(r'class="heat l4"><title>2024-09-14：1 篇</title>', calendars[1])
    assert '<a href="/timeline/2025/01">1 月</a> <span class="count">1</span>' in html
    assert '<a href="/timeline/undated">未注明日期</a> <span class="count">3 篇</span>' in html


def test_year_page(client: TestClient) -> None:
    html = client.get("/timeline/2025").text
    assert '<h1>2025 年 <span class="count">1 篇</span></h1>' in html
    assert '<a href="/timeline/2025/01">1 月</a> <span class="count">1 篇</span>' in html
    assert html.count('<li class="empty">') == 11
    assert '<a rel="prev" href="/timeline/2024">← 2024 年</a>' in html
    assert 'rel="next"' not in html
    # A year with nothing in it is a 404 pointing at the nearest years that have some.
    empty = client.get("/timeline/2023")
    assert empty.status_code == 404
    assert "<h1>这段时间没有评论" in empty.text
    assert '<p class="error">2023年没有评论。</p>' in empty.text
    assert '<a rel="next" href="/timeline/2024">2024年（1 篇） →</a>' in empty.text
    assert 'rel="prev"' not in empty.text


def test_month_and_day_pages(client: TestClient, seed_ids: dict[str, int]) -> None:
    month = client.get("/timeline/2024/09").text
    assert _cards(month) == [seed_ids[SEED_000]]
    assert '<a href="/timeline/2024/09/14">9 月 14 日</a> <small>星期六</small>' in month
    assert '<a rel="next" href="/timeline/2025/01">2025 年 1 月 →</a>' in month
    assert 'rel="prev"' not in month
    day = client.get("/timeline/2025/01/20").text
    assert _cards(day) == [seed_ids[SEED_003]]
    assert (
        '<span class="badge precision-inferred" title="日期由正文中提到的日期推断">推断</span>'
        in day
    )
    assert '<a rel="prev" href="/timeline/2024/09/14">← 2024年9月14日</a>' in day
    assert "<small>星期一</small>" in day
    assert client.get("/timeline/2025/01/21").status_code == 404
    assert client.get("/timeline/2025/1/20").status_code == 200


def test_undated_page(client: TestClient, seed_ids: dict[str, int]) -> None:
    html = client.get("/timeline/undated").text
    assert _cards(html) == sorted(
        (seed_ids[SEED_001], seed_ids[SEED_002], seed_ids[SEED_004]), reverse=True
    )
    assert '未注明日期 <span class="count">3 篇</span>' in html


@pytest.mark.parametrize(
    "path",
    [
        "/timeline/2025/13",
        "/timeline/2025/00",
        "/timeline/2025/02/30",
        "/timeline/0",
        "/timeline/10000",
    ],
)
def test_impossible_dates_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "没有这个日期" in response.text


@pytest.fixture(scope="module")
def precisions(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, dict[str, int]]]:
    settings, ids = build_archive(
        tmp_path_factory.mktemp("precisions"),
        {
            "day": ("三月十二日的评论。", {"date": "2025-03-12"}),
            "month": ("只知道是三月的评论。", {"date": "2025-03"}),
            "first": ("三月一日的评论。", {"date": "2025-03-01"}),
            "inferred": ("第一行。\n第二行。\n第三行。\n（截至2025年3月20日）", {}),
            "april": ("四月的评论。", {"date": "2025-04-02"}),
        },
    )
    with TestClient(create_app(settings)) as client:
        yield client, ids


def test_month_only_commentaries_belong_to_their_month_not_a_day(
    precisions: tuple[TestClient, dict[str, int]],
) -> None:
    client, ids = precisions
    month = client.get("/timeline/2025/03").text
    # Days newest first, then the month-only group.
    assert _cards(month) == [ids["inferred"], ids["day"], ids["first"], ids["month"]]
    assert (
        '本月 <span class="badge precision-month" title="只注明了月份">只注明月份</span>' in month
    )
    assert '<span class="badge precision-month" title="只注明了月份">月份</span>' in month
    assert _cards(client.get("/timeline/2025/03/01").text) == [ids["first"]]
    timeline = client.get("/api/timeline").json()
    assert timeline["years"] == [
        {
            "year": 2025,
            "count": 5,
            "months": [{"month": "2025-04", "count": 1}, {"month": "2025-03", "count": 4}],
        }
    ]
    calendar = client.get("/timeline/2025").text
    assert "<title>2025-03-01：1 篇</title>" in calendar
    day = client.get("/timeline/2025/03/12").text
    assert '<a rel="prev" href="/timeline/2025/03/01">← 2025年3月1日</a>' in day
    assert '<a rel="next" href="/timeline/2025/03/20">2025年3月20日 →</a>' in day


def test_timeline_pages_are_paginated(tmp_path: Path) -> None:
    docs = {f"d{i:02d}": (f"第{i}篇，序号{i * 7919}。", {"date": "2025-05-05"}) for i in range(55)}
    settings, ids = build_archive(tmp_path, docs)
    with TestClient(create_app(settings)) as client:
        first = client.get("/timeline/2025/05/05").text
        second = client.get("/timeline/2025/05/05", params={"page": 2}).text
    assert "55 篇" in first
    assert len(_cards(first)) == 50
    assert "第 1 / 2 页" in first
    assert '<a rel="next" href="/timeline/2025/05/05?page=2">下一页 →</a>' in first
    assert sorted(_cards(first) + _cards(second)) == sorted(ids.values())
