"""The analyzer: accurate-mode positions, sub-words at the parent position, tickers intact."""

from __future__ import annotations

import pytest

from app.search.analyzer import words
from app.search.whoosh.analysis import ChineseTokenizer
from app.search.whoosh.schema import build_schema
from app.text.normalize import fold


def _query_tokens(text: str) -> list[str]:
    return [t.text for t in ChineseTokenizer()(text, mode="query")]


@pytest.mark.whoosh
def test_finance_names_are_single_words() -> None:
    assert _query_tokens("英伟达和台积电的财报") == ["英伟达", "和", "台积电", "的", "财报"]


@pytest.mark.whoosh
def test_traditional_and_full_width_fold_to_the_same_tokens() -> None:
    assert _query_tokens("聯準會　ＮＶＤＡ 輝達") == _query_tokens("联准会 NVDA 辉达")


@pytest.mark.whoosh
def test_latin_words_are_case_folded_but_never_stemmed_or_stopped() -> None:
    assert _query_tokens("ON IT ALL NOW COST running Stocks") == [
        "on",
        "it",
        "all",
        "now",
        "cost",
        "running",
        "stocks",
    ]


@pytest.mark.whoosh
def test_dotted_symbols_stay_one_token_and_parts_share_its_position() -> None:
    assert _query_tokens("BRK.B") == ["brk.b"]
    indexed = [(pos, word) for pos, word, _, _ in words(fold("买入BRK.B"), subwords=True)]
    assert indexed == [(0, "买入"), (1, "brk.b"), (1, "brk"), (1, "b")]


def test_positions_are_word_positions_with_subwords_at_the_parent() -> None:
    indexed = [(pos, word) for pos, word, _, _ in words("联准会主席暗示降息", subwords=True)]
    assert indexed == [
        (0, "联准会"),
        (0, "准会"),
        (1, "主席"),
        (2, "暗示"),
        (3, "降息"),
    ]


@pytest.mark.whoosh
def test_query_mode_emits_no_subwords() -> None:
    assert _query_tokens("联准会主席") == ["联准会", "主席"]


@pytest.mark.whoosh
def test_tickers_field_keeps_symbols_exactly() -> None:
    field = build_schema()["tickers"]
    assert [t.text for t in field.tokenize("NVDA,ON,IT,ALL,BRK.B,0700.HK")] == [
        "NVDA",
        "ON",
        "IT",
        "ALL",
        "BRK.B",
        "0700.HK",
    ]
