"""The benchmark's own logic, without timing anything: how the FTS5 peer writes a
criterion, how targets scale with the yardstick, and what keys the archive cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.search.criteria import AllOf, AnyOf, During, Nothing, Prefix, Tagged, Without, Words
from bench import cache, targets
from bench.fts5_peer import DB, Peer, Unsupported, match, write


def test_words_phrases_names_and_exclusions_become_one_match_expression() -> None:
    criterion = AllOf(
        (
            AnyOf((Words(("降息",)), Words(("减息",)))),
            Words(("资本", "开支")),
            Tagged(("TSM", "2330.TW")),
            Without(Prefix("美")),
        )
    )
    assert match(criterion) == (
        '(({title body extra} : "降息" OR {title body extra} : "减息") AND '
        '{title body} : "资本 开支" AND tickers : ("TSM" OR "2330.TW")) '
        'NOT {title body extra} : "美" *'
    )


def test_exclusions_alone_cannot_be_matched() -> None:
    with pytest.raises(Unsupported):
        match(AllOf((Without(Words(("a",))), Without(Words(("b",))))))


@pytest.fixture
def peer(tmp_path: Path) -> Peer:
    write(
        tmp_path / DB,
        [
            (1, "降息", "美联储 降息 预期", "", "", ""),
            (2, "", "降息 brk.b", "", "BRK.B", ""),
            (3, "", "隐含波动率 上升", "波动率", "", ""),
        ],
        [(1, "2024-09-01", "2024-09-30"), (2, "2025-01-15", "2025-01-15"), (3, None, None)],
    )
    return Peer(tmp_path)


def test_the_peer_answers_a_page_and_its_total(peer: Peer) -> None:
    assert peer.search(Words(("降息",))) == ([1, 2], 2)  # the title counts twice
    assert peer.search(Words(("降息",)), newest=True) == ([2, 1], 2)
    assert peer.search(Words(("波动率",))) == ([3], 1)  # a sub-word
    assert peer.search(Words(("降息", "预期"))) == ([1], 1)
    assert peer.search(Tagged(("BRK.B",))) == ([2], 1)
    assert peer.search(Words(("brk.b",))) == ([2], 1)
    assert peer.search(Nothing()) == ([], 0)


def test_date_bounds_filter_and_undated_commentaries_never_overlap(peer: Peer) -> None:
    during = During(dt.date(2024, 9, 30), None)
    assert peer.search(AllOf((Words(("降息",)), during))) == ([1, 2], 2)  # by relevance
    assert peer.search(During(dt.date(2025, 1, 1), dt.date(2025, 12, 31))) == ([2], 1)
    assert peer.search(None) == ([2, 1, 3], 3)
    assert peer.search(Without(Words(("降息",)))) == ([3], 1)


def test_times_scale_with_the_yardstick_and_rates_against_it() -> None:
    search = next(t for t in targets.TARGETS if t.name == "search p95" and t.size == 20000)
    rate = next(t for t in targets.TARGETS if t.name == "/search" and t.size == 20000)
    assert targets.scaled(search, 55.0) == 25.0
    assert targets.scaled(rate, 55.0) == 200.0
    ratio = next(t for t in targets.TARGETS if t.name.startswith("naive"))
    assert targets.scaled(ratio, 55.0) == 10


def test_a_target_without_its_figures_is_not_measured() -> None:
    result = {
        "size": 20000,
        "search": {"all": {"p95": 30.0}},
        "ingest": {"seconds": 300.0, "rss_mb": 900.0},
        "segment": {"seconds": 110.0},
    }
    rows = {(row[0], row[1]): row[4:] for row in targets.rows({20000: result}, 110.0)}
    assert rows[("20,000", "search p95")] == ["≤ 50.0 ms", "30.0 ms", "met"]
    assert rows[("20,000", "ingest ÷ jieba alone")] == ["≤ 2.94×", "2.73×", "met"]
    assert rows[("20,000", "/search")] == ["≥ 100/s", "not measured", "—"]
    assert rows[("100,000", "search p95")] == ["≤ 100 ms", "not measured", "—"]


def test_the_archive_cache_is_keyed_by_what_makes_an_archive_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_CACHE", str(tmp_path))
    valid = {"schema_version": 3, "analyzer_version": 1, "dictionary": "x", "alembic_head": "3"}
    corpus = Path("2000-0-abc.jsonl")
    first = cache.entry(2000, corpus, valid)
    assert first.parent == tmp_path
    assert first == cache.entry(2000, corpus, dict(valid))
    assert first != cache.entry(2000, corpus, {**valid, "schema_version": 4})
    assert first != cache.entry(2000, Path("2000-0-abd.jsonl"), valid)
    assert cache.load(first) is None
    (first / "archive").mkdir(parents=True)
    (first / "archive" / "archive.sqlite3").write_bytes(b"")
    cache.store(first, {"measured": "2026-12-03 09:00 UTC"})
    assert cache.load(first) == {"measured": "2026-12-03 09:00 UTC"}
