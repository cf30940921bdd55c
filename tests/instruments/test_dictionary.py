"""The instrument dictionary: coverage, naming conventions, scripts, and how codes resolve."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from pytickersymbols import PyTickerSymbols

from app.instruments import Dictionary, DictionaryError, load
from app.instruments.catalog import KINDS
from app.text.normalize import fold

# DESIGN.md, "Instruments and mentions": how each market's symbols are written.
SYMBOL_FORMS = {
    "NASDAQ": r"[A-Z]{1,5}(\.[A-Z])?",
    "NYSE": r"[A-Z]{1,5}(\.[A-Z])?",
    "NYSEARCA": r"[A-Z]{1,5}",
    "CBOE": r"[A-Z]{1,5}",
    "HKEX": r"\d{4,5}\.HK",
    "SSE": r"6\d{5}\.SS",
    "SZSE": r"[03]\d{5}\.SZ",
    "BSE": r"([48]\d|92)\d{4}\.BJ",
    "TSE": r"\d{3}[0-9A-Z]\.T",
    "KRX": r"\d{6}\.K[SQ]",
    "TWSE": r"\d{4}\.TW",
    "TPEX": r"\d{4}\.TWO",
    "NSE": r"[A-Z&\-]{2,12}\.NS",
    "ASX": r"[A-Z0-9]{3}\.AX",
    "INDEX": (
        r"SPX|NDX|IXIC|DJI|RUT|SOX|VIX|HSI|HSTECH|HSCEI|HXC|N225|TOPIX|KS11|TWII|AXJO|NYFANG"
        r"|000001\.SS|000688\.SS|000300\.SS|000016\.SS|399001\.SZ|399006\.SZ"
    ),
    "CRYPTO": r"BTC|ETH",
    "OTC": r"XAU|XAG|[A-Z]{5}",
}


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return load()


def _index_members(name: str) -> set[str]:
    stocks = PyTickerSymbols().get_stocks_by_index(name)
    return {str(stock["symbol"]).replace("-", ".") for stock in stocks}


@pytest.mark.parametrize(("index", "at_least"), [("S&P 500", 500), ("NASDAQ 100", 100)])
def test_covers_every_member_of_the_big_us_indices(
    dictionary: Dictionary, index: str, at_least: int
) -> None:
    members = _index_members(index)
    assert len(members) >= at_least
    assert sorted(members - set(dictionary.by_symbol)) == []


def test_covers_the_names_chinese_commentary_discusses(dictionary: Dictionary) -> None:
    wanted = {
        # ETFs
        *("SPY", "QQQ", "IWM", "DIA", "SMH", "SOXX", "TLT", "IGV", "ARKK", "GLD"),
        # US-listed Chinese companies
        *("BABA", "PDD", "JD", "BIDU", "NIO", "XPEV", "LI"),
        # names of the moment
        *("HOOD", "HIMS", "AFRM", "CRWV", "NBIS", "SNDK", "PLTR", "SMCI", "ARM"),
        # indices, crypto, gold
        *("SPX", "NDX", "IXIC", "DJI", "RUT", "SOX", "VIX", "HSI", "HSTECH"),
        *("000001.SS", "000688.SS", "BTC", "ETH", "XAU"),
    }
    assert sorted(wanted - set(dictionary.by_symbol)) == []
    by_name = {
        "腾讯": "0700.HK",
        "台积电": "TSM",
        "台積電": "TSM",
        "三星": "005930.KS",
        "海力士": "000660.KS",
        "软银": "9984.T",
        "鸿海": "2317.TW",
        "药明康德": "603259.SS",
        "立讯精密": "002475.SZ",
        "苹果": "AAPL",
        "蘋果": "AAPL",
        "谷歌": "GOOGL",
        "Google": "GOOGL",
        "Alphabet": "GOOGL",
        "辉达": "NVDA",
        "輝達": "NVDA",
        "英偉達": "NVDA",
    }
    assert {name: dictionary.aliases[fold(name)] for name in by_name} == {
        name: (symbol,) for name, symbol in by_name.items()
    }
    assert len(dictionary.instruments) >= 780


def test_rows_follow_the_symbol_conventions(dictionary: Dictionary) -> None:
    wrong = [
        (i.symbol, i.exchange)
        for i in dictionary.instruments
        if not re.fullmatch(SYMBOL_FORMS[i.exchange], i.symbol)
    ]
    assert wrong == []
    assert {i.kind for i in dictionary.instruments} == KINDS
    assert all(i.name for i in dictionary.instruments)


def test_chinese_names_are_listed_in_both_scripts(dictionary: Dictionary) -> None:
    to_traditional = opencc.OpenCC("s2t")
    missing = []
    # Rows of the exchange lists carry the name as the exchange writes it.
    for instrument in (i for i in dictionary.instruments if i.reviewed):
        name = instrument.name_zh
        if not name or to_traditional.convert(name) == name:
            continue
        if not any(a != name and fold(a) == fold(name) for a in instrument.aliases):
            missing.append((instrument.symbol, name))
    assert missing == []


def test_each_chinese_name_is_one_jieba_word(dictionary: Dictionary) -> None:
    words = set(dictionary.cjk_words())
    assert {"英伟达", "台积电", "超微电脑", "立讯精密"} <= words
    assert all(fold(i.name_zh) in words for i in dictionary.instruments if i.name_zh)


def test_ambiguous_names_mean_more_than_one_thing(dictionary: Dictionary) -> None:
    assert dictionary.aliases["超微"] == ("AMD", "SMCI")
    assert "超微" in dictionary.ambiguous_aliases
    assert "英伟达" not in dictionary.ambiguous_aliases


@pytest.mark.parametrize(
    ("code", "hints", "symbol"),
    [
        ("nvda", (), "NVDA"),
        ("BRK-B", (), "BRK.B"),
        ("BRK/B", (), "BRK.B"),
        ("NVDA.US", (), "NVDA"),
        ("NVDA-US", (), "NVDA"),
        ("US.NVDA", (), "NVDA"),
        ("00700.HK", (), "0700.HK"),
        ("700.HK", (), "0700.HK"),
        ("HK.00700", (), "0700.HK"),
        ("SH600519", (), "600519.SS"),
        ("600519.SH", (), "600519.SS"),
        ("SZ300750", (), "300750.SZ"),
        ("603259", (), "603259.SS"),
        ("2330", (), "2330.TW"),
        ("9984", (), "9984.T"),
        ("2382", (), None),
        ("2382", ("2382.HK",), "2382.HK"),
        ("2382", ("2382.TW", "QCOM"), "2382.TW"),
        ("CPI", (), None),
        ("ZZZZ", (), None),
    ],
)
def test_resolve_codes(
    dictionary: Dictionary, code: str, hints: tuple[str, ...], symbol: str | None
) -> None:
    assert dictionary.resolve(code, hints) == symbol


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("symbol,kind\n", "bad.csv: header must be symbol,kind,exchange,name,name_zh,aliases"),
        ("NVDA,stock,NASDAQ,Nvidia\n", "bad.csv: line 2 has 4 fields, not 6"),
        ("NVDA,bond,NASDAQ,Nvidia,英伟达,\n", "bad.csv: line 2 (NVDA) has unknown kind 'bond'"),
        (
            "NVDA,stock,NASDAQ,Nvidia,,\nNVDA,stock,NASDAQ,Nvidia,,\n",
            "bad.csv: line 3 repeats or lacks a symbol ('NVDA')",
        ),
    ],
)
def test_a_malformed_file_names_the_row(tmp_path: Path, rows: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    header = "symbol,kind,exchange,name,name_zh,aliases\n"
    path.write_text(rows if rows.startswith("symbol,kind\n") else header + rows, "utf-8")
    with pytest.raises(DictionaryError) as caught:
        load(path)
    assert str(caught.value).endswith(message)
