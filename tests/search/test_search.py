"""Searching with the full query language: expansion, filters by each date precision,
sort orders, facets, paging and malformed input."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.instruments import prepare_analysis
from app.search import QueryError, SearchBackend, SearchPage, SearchRequest, open_backend
from app.search import search as run_search
from tests.conftest import UNBOUNDED, build_archive

Matched = Callable[..., set[int]]
Index = Callable[..., int]
INFERRED_BODY = "第一行说降息。\n第二行。\n第三行。\n（数据截至2025年3月20日）"


@pytest.fixture
def search(settings: Settings) -> Iterator[Callable[..., SearchPage]]:
    index = open_backend(settings)

    def _search(text: str = "", **options: object) -> SearchPage:
        request = SearchRequest(text=text, **options)  # type: ignore[arg-type]
        return run_search(index, request, prepare_analysis(None), budget=UNBOUNDED)

    yield _search
    index.close()


def test_names_expand_both_ways(index_commentary: Index, matched_ids: Matched) -> None:
    symbol_only = index_commentary("NVDA 盘后大涨。")
    name_only = index_commentary("英伟达发布新品。")
    traditional = index_commentary("輝達財報優於預期。")
    english = index_commentary("Nvidia beat estimates.")
    everyone = {symbol_only, name_only, traditional, english}
    for word in ("英伟达", "NVDA", "輝達", "英偉達", "nvidia", "NVIDIA", "$NVDA", "ticker:英伟达"):
        assert matched_ids(word) == everyone, word
    assert matched_ids("英伟达", literal=True) == {name_only}
    assert matched_ids("NVDA", literal=True) == {symbol_only}
    assert matched_ids("輝達", literal=True) == {traditional}
    assert matched_ids('"英伟达"') == {name_only}
    assert matched_ids("英伟达财报") == {traditional}


def test_the_page_says_what_was_expanded(
    index_commentary: Index, search: Callable[..., SearchPage]
) -> None:
    index_commentary("英伟达发布新品。")
    page = search("英伟达 新品")
    assert [(word, named.symbol) for word, named in page.expanded] == [("英伟达", "NVDA")]
    assert page.expanded[0][1].names == (
        "NVDA",
        "英伟达",
        "Nvidia",
        "NVIDIA",
        "英偉達",
        "輝達",
        "辉达",
    )
    assert ("NVDA",) in page.terms and ("新品",) in page.terms
    assert search("英伟达", literal=True).expanded == ()
    # Ambiguous names, stop-list words and lower-case symbols do not expand.
    for text in ("超微", "AI", "CPI", "nvda"):
        assert search(text).expanded == (), text


def test_exclusion_and_or(index_commentary: Index, matched_ids: Matched) -> None:
    a = index_commentary("台积电 财报 超预期。")
    b = index_commentary("台积电 期权 成交活跃。")
    c = index_commentary("英特尔 财报 不及预期。")
    assert matched_ids("台积电 -期权") == {a}
    assert matched_ids("台积电 NOT 期权") == {a}
    assert matched_ids("-期权") == {a, c}
    assert matched_ids("台积电 OR 英特尔") == {a, b, c}
    assert matched_ids("(台积电 OR 英特尔) -期权 财报") == {a, c}


@pytest.fixture(scope="module")
def dated_archive(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SearchBackend, dict[str, int]]]:
    """One commentary for each date precision, all saying 降息, in one archive."""
    settings, ids = build_archive(
        tmp_path_factory.mktemp("dated"),
        {
            "day": ("降息在即，日期到日。", {"date": "2025-03-12"}),
            "month": ("降息在即，日期到月。", {"date": "2025-03"}),
            "inferred": (INFERRED_BODY, {}),
            "none": ("降息何时到来？", {}),
            "old": ("降息预期落空。", {"date": "2024-06-30"}),
            "later": ("降息还是不降？", {}),
        },
    )
    index = open_backend(settings)
    yield index, ids
    index.close()


@pytest.fixture
def dated(dated_archive: tuple[SearchBackend, dict[str, int]]) -> dict[str, int]:
    return dated_archive[1]


@pytest.fixture
def in_dated(dated_archive: tuple[SearchBackend, dict[str, int]]) -> Callable[..., SearchPage]:
    index = dated_archive[0]

    def _search(text: str = "", **options: object) -> SearchPage:
        request = SearchRequest(text=text, **options)  # type: ignore[arg-type]
        return run_search(index, request, prepare_analysis(None), budget=UNBOUNDED)

    return _search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("降息", {"day", "month", "inferred", "none", "old", "later"}),
        ("降息 from:2025-03-13", {"month", "inferred"}),
        ("降息 from:2025-03-21", {"month"}),
        ("降息 to:2025-03-01", {"month", "old"}),
        ("降息 to:2025-02", {"old"}),
        ("降息 from:2025-03 to:2025-03", {"day", "month", "inferred"}),
        ("降息 year:2025", {"day", "month", "inferred"}),
        ("降息 year:2024", {"old"}),
        ("降息 -year:2025", {"none", "old", "later"}),
        ("降息 from:2025", {"day", "month", "inferred"}),
        ("from:2025-03-20 to:2025-03-20", {"month", "inferred"}),
    ],
)
def test_date_filters_by_precision(
    dated: dict[str, int], in_dated: Callable[..., SearchPage], query: str, expected: set[str]
) -> None:
    assert {h.id for h in in_dated(query, per_page=100).hits} == {dated[k] for k in expected}


def test_url_date_filters_match_the_query_language(
    dated: dict[str, int], in_dated: Callable[..., SearchPage]
) -> None:
    def ids(text: str, **options: object) -> set[int]:
        return {h.id for h in in_dated(text, **options).hits}

    start, end = dt.date(2025, 3, 13), dt.date(2025, 3, 31)
    assert ids("降息", start=start, end=end) == {dated["month"], dated["inferred"]}
    assert ids("", start=start) == {dated["month"], dated["inferred"]}
    assert ids("", end=dt.date(2024, 12, 31)) == {dated["old"]}


def test_sort_orders_keep_undated_last(
    dated: dict[str, int], in_dated: Callable[..., SearchPage]
) -> None:
    undated = sorted((dated["none"], dated["later"]))
    order = {
        # Undated last both ways; among them, newest ingested first (or last).
        "newest": [*(dated[k] for k in ("inferred", "day", "month", "old")), *undated[::-1]],
        "oldest": [*(dated[k] for k in ("old", "month", "day", "inferred")), *undated],
    }
    for sort, ids in order.items():
        page = in_dated("降息", sort=sort)
        assert [h.id for h in page.hits] == ids, sort
        assert all(h.score is None for h in page.hits)
    relevance = in_dated("降息")
    assert relevance.sort == "relevance"
    assert all(h.score is not None and h.score > 0 for h in relevance.hits)


def test_an_empty_query_lists_the_newest_with_filters(
    dated: dict[str, int], in_dated: Callable[..., SearchPage]
) -> None:
    everything = in_dated("")
    assert everything.sort == "newest"
    assert [h.id for h in everything.hits][:2] == [dated["inferred"], dated["day"]]
    assert everything.total == 6
    filtered = in_dated("", start=dt.date(2025, 1, 1))
    assert {h.id for h in filtered.hits} == {dated["day"], dated["month"], dated["inferred"]}
    assert in_dated("", sort="oldest").hits[0].id == dated["old"]


def test_paging_and_facets_cover_every_match(
    index_commentary: Index, search: Callable[..., SearchPage]
) -> None:
    a = index_commentary("英伟达与台积电。", date="2025-03-01")
    b = index_commentary("英伟达与博通。", date="2025-03-15")
    c = index_commentary("英伟达。", date="2025-04-02")
    d = index_commentary("英伟达与台积电、博通。")
    first = search("英伟达", sort="newest", per_page=2)
    second = search("英伟达", sort="newest", per_page=2, page=2)
    beyond = search("英伟达", sort="newest", per_page=2, page=3)
    assert [h.id for h in first.hits] == [c, b]
    assert [h.id for h in second.hits] == [a, d]
    assert (beyond.hits, beyond.total) == ((), 4)
    assert first.total == 4
    # 台积电 without market evidence is TSMC's primary listing, 2330.TW.
    assert first.facets.tickers == (("NVDA", 4), ("2330.TW", 2), ("AVGO", 2))
    assert first.facets.months == (("2025-04", 1), ("2025-03", 2))
    assert second.facets == first.facets
    # A filter on the ADR spans the issuer's listings.
    narrowed = search("英伟达", tickers=("TSM",))
    assert {h.id for h in narrowed.hits} == {a, d}
    assert narrowed.facets.tickers == (("2330.TW", 2), ("NVDA", 2), ("AVGO", 1))


def test_relevance_pages_count_every_match_beyond_the_page(tmp_path: Path) -> None:
    # 黄金 matches its words and the XAU ticker; once the one-hit page is full, the
    # many ticker-only commentaries cannot outscore the top hit but still count.
    docs: dict[str, tuple[str, dict[str, Any]]] = {
        "top": ("黄金黄金，黄金又创新高，黄金。", {"title": "黄金"})
    }
    docs.update({f"x{i:02d}": (f"今日无话，第{i}则。", {"tickers": "XAU"}) for i in range(30)})
    settings, ids = build_archive(tmp_path, docs)
    index = open_backend(settings)
    try:
        for page_number in (1, 2):
            request = SearchRequest(text="黄金", per_page=1, page=page_number)
            page = run_search(index, request, prepare_analysis(None), budget=UNBOUNDED)
            assert page.total == 31
            assert page.facets.tickers == (("XAU", 31),)
            assert len(page.hits) == 1
            assert (page.hits[0].id == ids["top"]) is (page_number == 1)
    finally:
        index.close()


def test_source_filter(index_commentary: Index, matched_ids: Matched) -> None:
    a = index_commentary("降息。", source="Morning Brief")
    index_commentary("降息。", source="财新")
    assert matched_ids('降息 source:"morning brief"') == {a}
    assert matched_ids("source:财新 -source:财新") == set()


def test_wildcards(index_commentary: Index, matched_ids: Matched) -> None:
    a = index_commentary("Nvidia and Nvidians.")
    b = index_commentary("降息预期升温。")
    assert matched_ids("nvid*") == {a}
    assert matched_ids("降息*") == {b}
    assert matched_ids("nv?dia") == set()  # a wildcard inside splits: nv AND dia
    with pytest.raises(QueryError) as caught:
        matched_ids("*vidia")
    assert str(caught.value) == "通配符不能放在词首：「*vidia」（要写在词尾，例如 nvid*）"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("，。！？", "查询里没有可以搜索的文字（只有标点或符号）"),
        (
            "from:2025-13-01",
            "无法识别的日期：「from:2025-13-01」（请写成 2024-09-14、2024-09 或 2024 这样的格式）",
        ),
        (
            "to:yesterday",
            "无法识别的日期：「to:yesterday」（请写成 2024-09-14、2024-09 或 2024 这样的格式）",
        ),
        ("year:2025-01", "无法识别的年份：「year:2025-01」（请写成四位数字，例如 2024）"),
        ("year:abcd", "无法识别的年份：「year:abcd」（请写成四位数字，例如 2024）"),
        ("降" * 5000, "查询太长：5000 个字符，最多 500 个"),
    ],
)
def test_malformed_queries_say_why(
    index_commentary: Index, search: Callable[..., SearchPage], text: str, message: str
) -> None:
    index_commentary("降息。")
    with pytest.raises(QueryError) as caught:
        search(text)
    assert str(caught.value) == message


def test_random_queries_run_or_are_refused(
    index_commentary: Index, search: Callable[..., SearchPage]
) -> None:
    index_commentary("英伟达 NVDA 降息预期 期权 “引号” (括号)", date="2025-03-12")
    pieces = ['"', "(", ")", "-", "*", "?", " OR ", "NOT ", ":", "$", "ticker:", "from:"]
    pieces += ["to:2025", "year:", "降息", "预期", "NVDA", "輝達", " ", "，", "source:", "'"]
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        try:
            page = search(text)
        except QueryError:
            continue
        assert page.total >= 0
