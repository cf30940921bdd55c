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


def test_monthly_bars_label_without_overlap() -> None:
    svg = str(monthly_bars([("2024-12", 3), ("2025-01", 1), ("2026-06", 2)], "<x>"))
    assert 'aria-label="&lt;x&gt;"' in svg
    assert svg.count("<rect") == 19
    labels = re.findall(r'<text x="(\d+)" y="\d+" class="tick">([\d-]+)</text>', svg)
    assert [month for _, month in labels] == ["2024-12", "2026-01", "2026-06"]
    xs = [int(x) for x, _ in labels]
    assert all(b - a >= 48 for a, b in itertools.pairwise(xs))
    assert "<title>2025-01: 1</title>" in svg
    assert monthly_bars([], "x") == ""
