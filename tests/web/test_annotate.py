"""Sentence excerpts, annotated text and the monthly chart, unit by unit."""

from __future__ import annotations

import itertools
import re

from app.web.annotate import Link, annotate, excerpt, sentence_around
from app.web.charts import month_range, monthly_bars


def test_sentence_around_stops_at_sentence_ends() -> None:
    text = "第一句。第二句提到英伟达，还有后文！第三句。"
    start = text.index("英伟达")
    assert text[slice(*sentence_around(text, start, start + 3))] == "第二句提到英伟达，还有后文！"


def test_long_sentences_are_cut_with_an_ellipsis() -> None:
    text = "甲" * 100 + "英伟达" + "乙" * 100
    span = sentence_around(text, 100, 103)
    assert span == (40, 163)
    html = excerpt(text, span, [], [(100, 103)])
    assert html == "…" + "甲" * 60 + "<mark>英伟达</mark>" + "乙" * 60 + "…"


def test_excerpt_escapes_and_links() -> None:
    text = "<b>注意</b> NVDA & AMD。"
    links = [Link(10, 14, "/c/1#m1", None, "NVDA"), Link(17, 20, "/c/1#m2", None, "AMD")]
    html = excerpt(text, sentence_around(text, 10, 14), links, [(10, 14), (17, 20)])
    assert html == (
        "&lt;b&gt;注意&lt;/b&gt; "
        '<a class="mention" href="/c/1#m1" title="NVDA"><mark>NVDA</mark></a> &amp; '
        '<a class="mention" href="/c/1#m2" title="AMD"><mark>AMD</mark></a>。'
    )


def test_annotate_splits_a_mark_at_a_link_edge() -> None:
    html = annotate("买入英伟达股票", [Link(2, 5, "/tickers/NVDA", "m7", "NVDA")], [(2, 7)])
    assert html == (
        '买入<a class="mention" id="m7" href="/tickers/NVDA" title="NVDA">'
        "<mark>英伟达</mark></a><mark>股票</mark>"
    )


def test_month_range_crosses_years() -> None:
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def _ticks(svg: str) -> list[tuple[float, str]]:
    return [
        (float(x), text)
        for x, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+" class="tick"[^>]*>([^<]+)<', svg)
    ]


def test_monthly_bars_axis_months_and_years() -> None:
    svg = str(monthly_bars([("2024-12", 3), ("2025-01", 1), ("2026-06", 2)], "<x>"))
    assert 'aria-label="&lt;x&gt;"' in svg
    assert svg.count("<rect") == 19
    axis, bars = svg.split('<div class="chart-scroll">')
    assert '<svg class="chart-axis" aria-hidden="true"' in axis
    assert [text for _, text in _ticks(axis)] == ["0", "1", "2", "3"]
    assert bars.count('class="grid"') == 4
    labels = _ticks(bars)
    months = [(x, t) for x, t in labels if t.endswith("月")]
    years = [(x, t) for x, t in labels if not t.endswith("月")]
    assert [t for _, t in months] == [
        "12月",
        *(f"{m}月" for m in range(1, 13)),
        *(f"{m}月" for m in range(1, 7)),
    ]
    assert [t for _, t in years] == ["2024", "2025", "2026"]
    assert all(b[0] - a[0] >= 32 for a, b in itertools.pairwise(months))
    assert "<title>2025年1月：1 次提及</title>" in svg
    assert monthly_bars([], "x") == ""


def test_monthly_bars_many_months_label_every_quarter() -> None:
    monthly = [("2022-11", 5), ("2024-12", 40)]
    svg = str(monthly_bars(monthly, "x"))
    axis, bars = svg.split('<div class="chart-scroll">')
    assert [text for _, text in _ticks(axis)] == ["0", "10", "20", "30", "40"]
    labels = _ticks(bars)
    assert [t for _, t in labels if t.endswith("月")] == ["1月", "4月", "7月", "10月"] * 2
    # November 2022 is too near January 2023 for a year of its own.
    assert [t for _, t in labels if not t.endswith("月")] == ["2023", "2024"]
    assert 'class="count"' not in bars  # counts are tooltips when months are many
    xs = [x for x, _ in labels]
    assert all(b - a >= 48 for a, b in itertools.pairwise(sorted(set(xs))))
