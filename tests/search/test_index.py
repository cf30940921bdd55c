"""Searching the index: phrases, scripts, tickers, and the index lifecycle."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.config import Settings
from app.ingest import reindex
from app.instruments import prepare_analysis
from app.search import SearchRequest, open_backend, search
from app.search.whoosh import reader as reader_module
from app.search.whoosh import store
from app.search.whoosh.backend import WhooshBackend
from app.search.whoosh.reader import SearchIndex
from app.search.whoosh.store import StaleIndex
from tests.conftest import UNBOUNDED, IngestFn, search_ids

Matched = Callable[[str], set[int]]
Index = Callable[..., int]


def test_phrase_query_needs_adjacent_words(index_commentary: Index, matched_ids: Matched) -> None:
    adjacent = index_commentary("市场的降息预期持续升温。")
    apart = index_commentary("降息已经开始，但是市场对未来的预期依然谨慎。")
    assert matched_ids('"降息预期"') == {adjacent}
    assert matched_ids("降息 预期") == {adjacent, apart}
    assert matched_ids("降息预期") == {adjacent, apart}


def test_traditional_and_simplified_find_each_other(
    index_commentary: Index, matched_ids: Matched
) -> None:
    simplified = index_commentary("联准会主席暗示年内降息。")
    traditional = index_commentary("聯準會主席暗示年內降息。")
    assert matched_ids("聯準會") == {simplified, traditional}
    assert matched_ids("联准会") == {simplified, traditional}
    assert matched_ids('"聯準會主席"') == {simplified, traditional}


def test_full_width_and_case_are_folded(index_commentary: Index, matched_ids: Matched) -> None:
    doc = index_commentary("Ｎｖｉｄｉａ 的数据中心业务。")
    assert matched_ids("nvidia") == {doc}
    assert matched_ids("NVIDIA") == {doc}


def test_short_tickers_survive(index_commentary: Index, matched_ids: Matched) -> None:
    on = index_commentary("安森美 ON 本周大涨。", tickers=["ON"])
    it = index_commentary("高德纳 IT 和 ALL 都被提到。", tickers=["IT", "ALL"])
    brk = index_commentary("伯克希尔 BRK.B 增持。", tickers=["BRK.B"])
    assert matched_ids("ticker:ON") == {on}
    assert matched_ids("ticker:IT") == {it}
    assert matched_ids("$ALL") == {it}
    assert matched_ids("ticker:brk.b") == {brk}
    assert matched_ids("BRK.B") == {brk}
    assert matched_ids("ON") == {on}


def test_operators(index_commentary: Index, matched_ids: Matched) -> None:
    a = index_commentary("英伟达 财报 超预期。")
    b = index_commentary("英伟达 期权 成交活跃。")
    c = index_commentary("台积电 财报 稳健。")
    assert matched_ids("英伟达 财报") == {a}
    assert matched_ids("英伟达 OR 台积电") == {a, b, c}
    assert matched_ids("英伟达 -期权") == {a}
    assert matched_ids("英伟达 NOT 期权") == {a}
    assert matched_ids("(英伟达 OR 台积电) 财报") == {a, c}


def test_title_is_searchable(index_commentary: Index, matched_ids: Matched) -> None:
    doc = index_commentary("正文里没有这个词。", title="黄金周报")
    assert matched_ids("黄金") == {doc}


def test_newest_and_oldest_sort(index_commentary: Index, settings: Settings) -> None:
    old = index_commentary("一月降息。", date="2024-01-05")
    new = index_commentary("六月降息。", date="2025-06-01")
    index = open_backend(settings)
    try:
        assert search_ids(index, "降息", sort="newest") == [new, old]
        assert search_ids(index, "降息", sort="oldest") == [old, new]
    finally:
        index.close()


@pytest.mark.whoosh
def test_stale_index_is_refused_until_reindexed(
    index_commentary: Index, settings: Settings, run_ingest: IngestFn
) -> None:
    index_commentary("降息。")
    generation = store.current_generation(settings.resolved_index_dir)
    assert generation is not None
    meta_file = generation / store.META
    meta = json.loads(meta_file.read_text("utf-8"))
    meta["analyzer_version"] = 0
    meta_file.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(StaleIndex) as info:
        store.open_current(settings.resolved_index_dir)
    assert str(info.value) == (
        "the search index was built with a different analyzer_version: run `archive reindex`"
    )
    index = SearchIndex(settings.resolved_index_dir)
    assert index.status() == (str(info.value), 0)
    index.close()


@pytest.mark.whoosh
def test_missing_index_message(settings: Settings) -> None:
    index = SearchIndex(settings.resolved_index_dir)
    problem, count = index.status()
    assert (
        problem
        == f"there is no search index in {settings.resolved_index_dir}: run `archive reindex`"
    )
    assert count == 0


@pytest.mark.whoosh
def test_one_searcher_serves_every_request_until_the_index_changes(
    index_commentary: Index, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_module, "CHECK_INTERVAL", 0.0)
    opened: list[object] = []
    real_open = store.open_current

    def counting_open(index_dir: Path) -> object:
        opened.append(index_dir)
        return real_open(index_dir)

    monkeypatch.setattr(store, "open_current", counting_open)
    first = index_commentary("英伟达与台积电。", date="2025-03-01")
    index = WhooshBackend(settings.resolved_index_dir)
    try:
        opened.clear()  # the ingest's own opening does not count
        searchers = set()
        for _ in range(5):
            assert search_ids(index, "英伟达") == [first]
            searchers.add(index.index.use(id))
        assert (len(opened), len(searchers)) == (1, 1)
        second = index_commentary("英伟达与博通。", date="2025-04-01")
        opened.clear()
        assert search_ids(index, "英伟达", sort="newest") == [second, first]
        # A new commit is picked up by refreshing, not by opening the index again.
        assert opened == []
        request = SearchRequest(text="英伟达")
        facets = search(index, request, prepare_analysis(None), budget=UNBOUNDED).facets
        assert facets.months == (("2025-04", 1), ("2025-03", 1))
        reindex(settings)
        opened.clear()
        assert search_ids(index, "博通") == [second]
        # A rebuilt index is a new generation: that one is opened.
        assert len(opened) == 1
    finally:
        index.close()
