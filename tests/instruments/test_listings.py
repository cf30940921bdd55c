"""The generated ``listings.csv``: every listed stock of Shanghai, Shenzhen, Beijing, Hong
Kong and Taiwan, checked against facts read from the source lists (see SOURCES.md)."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.instruments import refresh

LISTINGS = Path(refresh.__file__).with_name("listings.csv")


def _parser() -> Callable[[str, str], tuple[Any, ...]]:
    """The project's own reader of instrument rows."""
    try:
        catalog = importlib.import_module("app.instruments.catalog")
    except ImportError:
        dictionary = importlib.import_module("app.instruments.dictionary")
        return dictionary._parse  # type: ignore[no-any-return]
    return lambda text, source: catalog.parse_instruments(text, source, listed=True)


@cache
def _listings() -> dict[str, Any]:
    text = LISTINGS.read_text("utf-8")
    return {i.symbol: i for i in _parser()(text, "listings.csv")}


def test_the_file_says_it_is_generated() -> None:
    head = LISTINGS.read_text("utf-8").splitlines()[0]
    assert head.startswith("#") and "python -m app.instruments.refresh" in head


@pytest.mark.parametrize(
    ("exchange", "low", "high"),
    [
        ("SSE", 2250, 2500),
        ("SZSE", 2850, 3100),
        ("BSE", 250, 350),
        ("HKEX", 2600, 2900),
        ("TWSE", 1000, 1150),
        ("TPEX", 820, 950),
    ],
)
def test_each_market_is_complete(exchange: str, low: int, high: int) -> None:
    counts = Counter(i.exchange for i in _listings().values())
    assert low <= counts[exchange] <= high
    assert set(counts) == {"SSE", "SZSE", "BSE", "HKEX", "TWSE", "TPEX"}


def test_rows_are_unique_stocks_sorted_by_symbol() -> None:
    lines = [line for line in LISTINGS.read_text("utf-8").splitlines()[1:] if line[:1] != "#"]
    symbols = [line.split(",", 1)[0] for line in lines[1:]]
    assert symbols == sorted(symbols)
    assert len(symbols) == len(set(symbols)) == len(_listings())
    assert {i.kind for i in _listings().values()} == {"stock"}


@pytest.mark.parametrize(
    ("symbol", "name_zh"),
    [
        ("600519.SS", "贵州茅台"),
        ("600809.SS", "山西汾酒"),
        ("688256.SS", "寒武纪"),
        ("000596.SZ", "古井贡酒"),
        ("300750.SZ", "宁德时代"),
        ("000002.SZ", "万科A"),
        ("920002.BJ", "万达轴承"),
        ("0700.HK", "騰訊控股"),
        ("9988.HK", "阿里巴巴-W"),
        ("0968.HK", "信義光能"),
        ("8083.HK", "有贊"),
        ("2330.TW", "台積電"),
        ("6770.TW", "力積電"),
        ("2408.TW", "南亞科"),
        ("6415.TW", "矽力*-KY"),
        ("6488.TWO", "環球晶"),
    ],
)
def test_known_codes_carry_their_listed_names(symbol: str, name_zh: str) -> None:
    assert _listings()[symbol].name_zh == name_zh


@pytest.mark.parametrize(
    ("symbol", "aliases"),
    [
        ("0700.HK", ["騰訊控股", "腾讯控股"]),
        ("600519.SS", ["贵州茅台", "貴州茅臺", "貴州茅台"]),
        ("000002.SZ", ["万科A", "萬科A", "万科", "萬科"]),
        ("9988.HK", ["阿里巴巴-W", "阿里巴巴"]),
        ("1810.HK", ["小米集團-W", "小米集团-W", "小米集團", "小米集团"]),
        ("6415.TW", ["矽力*-KY", "矽力"]),
        ("2330.TW", ["台積電", "台积电"]),
    ],
)
def test_aliases_give_the_other_script_and_the_unmarked_name(
    symbol: str, aliases: list[str]
) -> None:
    assert list(_listings()[symbol].aliases) == aliases


def test_former_names_are_kept_and_marked() -> None:
    text = LISTINGS.read_text("utf-8")
    assert "600537.SS,stock,SSE,亿晶光电,亿晶光电,亿晶光电|億晶光電|^海通集团|^海通集團" in text


@pytest.mark.parametrize(
    "symbol",
    [
        "80700.HK",
        "2960.HK",
        "0823.HK",
        "2800.HK",
        "4621.HK",
        "4338.HK",
        "0050.TW",
        "9103.TW",
        "1101B.TW",
    ],
)
def test_counters_funds_and_other_securities_are_left_out(symbol: str) -> None:
    assert symbol not in _listings()


def test_names_are_normalised() -> None:
    for instrument in _listings().values():
        name = instrument.name_zh or instrument.name
        assert "\u3000" not in name and name == name.strip()
        assert not any("\uff01" <= ch <= "\uff5e" for ch in name)


@pytest.mark.parametrize(
    ("listed", "exchange", "short"),
    [
        ("*ST国华", "SZSE", "国华"),
        ("N摩尔线程-U", "SSE", "摩尔线程"),
        ("九号公司-WD", "SSE", "九号公司"),
        ("京东方A", "SZSE", "京东方"),
        ("TCL科技", "SZSE", "TCL科技"),
        ("商湯-W", "HKEX", "商湯"),
        ("京東集團-SW", "HKEX", "京東集團"),
        ("錼創科技-KY創", "TWSE", "錼創科技"),
        ("成信實業*-創", "TWSE", "成信實業"),
    ],
)
def test_status_and_class_marks_are_stripped(listed: str, exchange: str, short: str) -> None:
    assert refresh.stripped(listed, exchange) == short


def test_spaces_and_full_width_forms_are_folded() -> None:
    assert refresh.normalise("万  科Ａ") == "万科A"
    assert refresh.normalise("阿里巴巴－ＳＷ") == "阿里巴巴-SW"
    assert refresh.normalise("CHEVALIER  INT'L") == "CHEVALIER INT'L"
